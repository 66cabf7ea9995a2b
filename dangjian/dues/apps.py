from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    name = "dangjian.dues"
    label = "dues"
    verbose_name = _("党费")

    def ready(self) -> None:
        from dangjian.dues import imports, todos  # noqa: F401  (register the base import and the to-do provider)
