from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReturnsConfig(AppConfig):
    name = "dangjian.returns"
    label = "returns"
    verbose_name = _("数据报送")
