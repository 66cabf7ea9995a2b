"""What the header's search finds among 发展党员 cases (``hooks.search``): the person's name, pinyin,
number, within the scope."""

from __future__ import annotations

from django.db.models import Case as DbCase
from django.db.models import Value, When
from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.hooks import SearchHit
from dangjian.recruitment.models import CaseStatus
from dangjian.recruitment.selectors import cases_visible_to, search_cases


def search_recruitment(scope: Scope, text: str, limit: int) -> list[SearchHit]:
    open_first = DbCase(When(status=CaseStatus.OPEN, then=Value(0)), default=Value(1))
    cases = search_cases(cases_visible_to(scope), text).order_by(open_first, "person__name_pinyin")[:limit]
    return [
        SearchHit(
            c.person.name,
            reverse("recruitment:case", args=[c.pk]),
            " · ".join(
                x
                for x in (
                    str(c.get_stage_display()),
                    c.branch.name,
                    "" if c.status == CaseStatus.OPEN else str(c.get_status_display()),
                )
                if x
            ),
        )
        for c in cases
    ]
