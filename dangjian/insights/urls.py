"""The pages of 评价与预警 under /insights/: one block per part of the module."""

from dangjian.insights.warnings.urls import urlpatterns as warning_urls

app_name = "insights"

urlpatterns = [
    # ---- 预警 centre (insights.warnings)
    *warning_urls,
]
