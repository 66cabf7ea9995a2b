from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DuesConfig(AppConfig):
    name = "dangjian.dues"
    label = "dues"
    verbose_name = _("党费")

    def ready(self) -> None:
        # Register the base import, the to-do provider and the link rules of the dues pages.
        from dangjian.dues import access, imports, todos  # noqa: F401
