"""Monthly dues reminders and warnings (党费规定 / ../shared/DOMAIN.md §4), each sent once per month.

- every member with unpaid bills: a reminder;
- a branch with members unpaid for ``dues_unpaid_warning_months`` or more: a warning to its secretaries;
- a member unpaid for ``dues_lapse_months`` consecutive months: a warning to the branch and the college
  ("按自行脱党处理的审查" is decided by people; nothing changes automatically).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count, F, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.models import User
from dangjian.accounts.recipients import secretary_users, upper_organizers
from dangjian.core.models import Organization
from dangjian.dues.models import Bill
from dangjian.kit.dates import add_months
from dangjian.policy import get_policy
from dangjian.workbench.services import notify, reminder_claim


def send_dues_reminders(*, today: date) -> dict[str, int]:
    policy = get_policy()
    month = today.replace(day=1)
    tag = f"{month:%Y-%m}"
    unpaid = (
        Bill.objects.filter(paid_amount__lt=F("amount"), month__lte=month)
        .values("person_id")
        .annotate(n=Count("id"), owed=Sum(F("amount") - F("paid_amount")))
        .order_by()
    )
    owed = {r["person_id"]: (r["n"], r["owed"]) for r in unpaid}
    users = {u.person_id: u for u in User.objects.filter(person_id__in=list(owed), is_active=True)}
    sent = {"members": 0, "branches": 0, "lapses": 0}
    link = reverse("dues:me")
    for person_id, (count, amount) in owed.items():
        user = users.get(person_id)
        if user is None or not reminder_claim(f"dues:unpaid:{person_id}:{tag}"):
            continue
        title = _("您有 %(n)s 个月的党费未交，共 %(a)s 元") % {"n": count, "a": amount}
        body = _("请按月交纳党费；如有困难可向支部申请减免。")
        notify([user], "dues_unpaid", title, body, link)
        if settings.EMAIL_URL and user.email:
            send_mail(title, body, None, [user.email], fail_silently=True)
        sent["members"] += 1

    # Branches with members unpaid for several months.
    long_unpaid = [pid for pid, (n, _a) in owed.items() if n >= policy.dues_unpaid_warning_months]
    by_branch: dict[int, int] = defaultdict(int)
    for org_id in Bill.objects.filter(person_id__in=long_unpaid, month=month).values_list(
        "organization_id", flat=True
    ):
        by_branch[org_id] += 1
    branches = Organization.objects.in_bulk(list(by_branch))
    for org_id, n in by_branch.items():
        org = branches[org_id]
        if not reminder_claim(f"dues:branch:{org_id}:{tag}"):
            continue
        notify(
            secretary_users(org),
            "dues_branch_unpaid",
            _("%(org)s 有 %(n)s 名党员 %(m)s 个月以上未交党费")
            % {"org": org.name, "n": n, "m": policy.dues_unpaid_warning_months},
            "",
            reverse("dues:org", args=[org_id]) + f"?month={tag}",
        )
        sent["branches"] += 1

    # Consecutive months unpaid up to this month: every one of the last N months billed and unpaid.
    first = add_months(month, -(policy.dues_lapse_months - 1))
    lapsed = (
        Bill.objects.filter(month__gte=first, month__lte=month, paid_amount__lt=F("amount"))
        .values("person_id", "organization_id")
        .annotate(n=Count("id"))
        .filter(n__gte=policy.dues_lapse_months)
        .order_by()
    )
    for row in lapsed:
        if not reminder_claim(f"dues:lapse:{row['person_id']}:{tag}"):
            continue
        org = Organization.objects.get(pk=row["organization_id"])
        name = Bill.objects.filter(person_id=row["person_id"]).values_list("person__name", flat=True).first()
        notify(
            secretary_users(org) + upper_organizers(org),
            "dues_lapse",
            _("%(name)s 已连续 %(n)s 个月未交纳党费") % {"name": name, "n": policy.dues_lapse_months},
            _(
                "党员无正当理由连续6个月不交纳党费的，按自行脱党处理的审查：请支部了解情况、谈心谈话并按程序处理。"
            ),
            reverse("dues:person", args=[row["person_id"]]),
        )
        sent["lapses"] += 1
    return sent
