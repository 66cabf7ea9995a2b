"""Who may take which 党校 class, and the 结业证书 number (pure functions, no database)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from dangjian.core.models import PoliticalStatus
from dangjian.learning.models import ClassKind

# Who may be enrolled in which kind of class (the person's political status).
KIND_STATUSES: dict[str, tuple[str, ...]] = {
    ClassKind.ACTIVIST: (PoliticalStatus.ACTIVIST,),
    ClassKind.CANDIDATE: (PoliticalStatus.CANDIDATE,),
    ClassKind.MEMBER: (PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL),
}
# The classes whose hours count toward the centralized training before admission (DOMAIN §6, §3.9).
PRE_ADMISSION_KINDS = (ClassKind.ACTIVIST, ClassKind.CANDIDATE)


def enrol_refusal(kind: str, political_status: str, name: str) -> str:
    """Why the person may not take a class of this kind ("" when they may)."""
    if political_status in KIND_STATUSES[kind]:
        return ""
    status = PoliticalStatus(political_status).label if political_status in PoliticalStatus.values else "—"
    needed = "、".join(str(PoliticalStatus(s).label) for s in KIND_STATUSES[kind])
    return _("%(n)s 现为%(s)s，%(k)s只招收%(w)s") % {
        "n": name,
        "s": status,
        "k": ClassKind(kind).label,
        "w": needed,
    }


def certificate_number(prefix: str, year: int, serial: int) -> str:
    """E.g. ``DX2026-00017``: the prefix [local practice], the year of completion and the serial."""
    return f"{prefix}{year}-{serial:05d}"


def credited_hours(class_hours: Decimal, attended_hours: Decimal | None) -> Decimal:
    """The hours a passed participant is credited: what they attended, never more than the class."""
    if attended_hours is None:
        return class_hours
    return min(attended_hours, class_hours)


def plain(value: Decimal) -> str:
    """24.0 → "24", 1.50 → "1.5" (numbers in messages)."""
    return format(value.normalize(), "f")
