from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "dangjian.learning"
    label = "learning"
    verbose_name = _("党员学习")

    def ready(self) -> None:
        from dangjian.learning import (
            access,  # noqa: F401  (register the link rules)
            imports,  # noqa: F401  (register the import job)
            todos,  # noqa: F401  (register the to-do provider)
        )
