"""The shell's own entry: the 工作台 is the home page."""

from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.hooks import NavEntry

hooks.nav.add(NavEntry(_("工作台"), "web:home", "home", order=10))
