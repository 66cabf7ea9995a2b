"""How the 工作台 plugs into the platform: its pages and the notifications entry."""

from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.hooks import NavEntry

hooks.url_mounts.add(hooks.UrlMount("workbench/", "dangjian.workbench.urls", order=40))
hooks.nav.add(
    NavEntry(_("通知"), "workbench:notifications", "bell", order=150, group="mine", tab="notifications")
)
