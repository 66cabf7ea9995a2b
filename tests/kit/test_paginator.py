"""The capped paginator: counts at most ``cap`` rows; a known total replaces the COUNT."""

from __future__ import annotations

import pytest

from dangjian.core.models import Organization
from dangjian.kit.paginator import CappedPaginator
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_past_the_cap_the_count_stops_and_says_so(monkeypatch) -> None:
    root = f.org(None, "committee", "学校党委")
    for n in range(3):
        f.org(root, "branch", f"支部{n}")
    monkeypatch.setattr(CappedPaginator, "cap", 2)
    paginator = CappedPaginator(Organization.objects.order_by("pk"), 1)
    assert paginator.count == 2
    assert paginator.capped


def test_a_known_total_is_used_without_counting(django_assert_num_queries) -> None:
    paginator = CappedPaginator(Organization.objects.order_by("pk"), 30, known_count=lambda: 1_014_000)
    with django_assert_num_queries(0):
        assert paginator.count == 1_014_000
    assert not paginator.capped
    assert paginator.num_pages == 33_800


def test_an_unknown_total_falls_back_to_counting() -> None:
    f.org(None, "committee", "学校党委")
    paginator = CappedPaginator(Organization.objects.order_by("pk"), 30, known_count=lambda: None)
    assert paginator.count == Organization.objects.count()
