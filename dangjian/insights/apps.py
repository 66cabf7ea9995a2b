from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "dangjian.insights"
    label = "insights"
    verbose_name = _("评价与预警")
