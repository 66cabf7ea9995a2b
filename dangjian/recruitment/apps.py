from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "dangjian.recruitment"
    label = "recruitment"
    verbose_name = _("发展党员")

    def ready(self) -> None:
        from dangjian.recruitment import (  # noqa: F401  (register the to-do provider and the import job)
            imports,
            todos,
        )
