from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MailboxConfig(AppConfig):
    """书记信箱: letters from members and the public to a branch, a college or the 组织部."""

    name = "dangjian.mailbox"
    label = "mailbox"
    verbose_name = _("书记信箱")
