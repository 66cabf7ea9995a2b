"""The shell's own entry: the 工作台 is the home page."""

from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.hooks import NavEntry, NavSection

hooks.nav.add(NavEntry(_("工作台"), "web:home", "home", order=10, tab="home"))
hooks.nav_sections.add(NavSection("stats", _("统计"), order=70))
hooks.nav_sections.add(NavSection("system", _("系统"), order=80))
hooks.nav_sections.add(NavSection("mine", _("我的"), order=90))
