from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    name = "dangjian.spreadsheets"
    label = "spreadsheets"
    verbose_name = _("Excel 导入导出")

    def ready(self) -> None:
        # Every kind of import (hooks.imports, filled later from the apps' contributions) runs one job.
        from dangjian.jobs.registry import register_family
        from dangjian.spreadsheets.jobs import handler_for_kind

        register_family(handler_for_kind)
