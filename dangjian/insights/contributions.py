"""How 评价与预警 plugs into the platform."""

from django.utils.translation import gettext_lazy as _

from dangjian import hooks
from dangjian.accounts.roles import Permission as P
from dangjian.insights import lost_contact

# ---- 失联 computed from the modules' last contacts (issue 16: warning sources) ---------------------
hooks.warnings.add(
    hooks.WarningSource(
        lost_contact.CODE,
        _("失联党员"),
        count=lost_contact.lost_contact_count,
        url_name="core:person_list",
        severity="serious",
        permission=P.HANDLE_WARNINGS,
        findings=lost_contact.lost_contact_findings,
    )
)
# ---- end of 失联 -----------------------------------------------------------------------------------
