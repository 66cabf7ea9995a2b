"""The matrix's walk: it finds every view, and a view without a declaration stands out."""

from __future__ import annotations

import pytest

from dangjian.accounts.roles import Permission
from dangjian.kit.access_rules import (
    ALLOWED,
    NOT_FOUND,
    Kind,
    Persona,
    access_rule,
    rule_of,
    within,
)
from tests.access.matrix import walk


@pytest.mark.urls("tests.access.undeclared_urls")
def test_a_view_without_a_declaration_is_listed_without_a_rule() -> None:
    (target,) = [t for t in walk() if t.name == "forgotten"]
    assert target.rule is None


def test_every_api_operation_is_walked_with_its_methods() -> None:
    targets = {t.name: t for t in walk()}
    assert targets["api:create_person"].methods == ("POST",)
    assert targets["api:list_people"].methods == ("GET",)
    assert targets["api:create_token"].csrf_exempt  # no session, so no CSRF to check


def test_a_declaration_travels_with_the_view_and_names_real_personas() -> None:
    @access_rule(within(Permission.VIEW_DUES, member=ALLOWED))
    def view() -> None: ...

    rule = rule_of(view)
    assert rule is not None and rule.kind is Kind.WITHIN and rule.overrides == {"member": ALLOWED}
    assert {p.value for p in Persona} >= {"member", "sysadmin"}
    with pytest.raises(ValueError):
        within(Permission.VIEW_DUES, somebody=NOT_FOUND)
