from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "dangjian.core"
    label = "core"
    verbose_name = _("组织与人员")

    def ready(self) -> None:
        from dangjian.core import (  # noqa: F401  (register import jobs, to-do provider, link rules)
            access,
            imports,
            imports_members,
            imports_orgs,
            imports_positions,
            todos,
        )
