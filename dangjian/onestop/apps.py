from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OnestopConfig(AppConfig):
    """智慧服务 (一网通办). Named ``onestop``, not ``services``: see docs/decisions/0007."""

    name = "dangjian.onestop"
    label = "onestop"
    verbose_name = _("智慧服务")
