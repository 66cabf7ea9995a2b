"""The shared integrity helpers: expected state on transitions, link rules."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from dangjian.hooks import links
from dangjian.kit.errors import StaleState
from dangjian.kit.transitions import expect_state


def test_expected_state_matches_passes_and_none_means_the_system() -> None:
    expect_state("requested", "requested")
    expect_state("requested", None)
    expect_state("requested", ("requested", "branch_approved"))


@pytest.mark.parametrize("expected", ["branch_approved", "", ("a", "b")])
def test_other_expected_state_is_refused_as_stale(expected) -> None:
    with pytest.raises(StaleState) as exc:
        expect_state("requested", expected)
    assert exc.value.status == 409
    assert exc.value.code == "stale"
    assert "已由他人处理" in exc.value.message


def test_expected_state_tag_renders_the_hidden_field() -> None:
    html = Template('{% load web_extras %}{% expected_state "requested" %}').render(Context({}))
    assert html == '<input type="hidden" name="expected_status" value="requested">'


def test_may_open_asks_the_registered_rule() -> None:
    links.link_rule("tests:thing")(lambda request, obj: obj == "mine")
    request = RequestFactory().get("/")
    tpl = Template('{% load web_extras %}{% may_open "tests:thing" obj as ok %}{{ ok }}')
    assert tpl.render(Context({"request": request, "obj": "mine"})) == "True"
    assert tpl.render(Context({"request": request, "obj": "theirs"})) == "False"


def test_a_link_without_a_rule_is_a_programming_error() -> None:
    with pytest.raises(LookupError):
        links.may_open(RequestFactory().get("/"), "tests:unknown", None)


def test_export_url_carries_the_live_filters_without_the_page() -> None:
    request = RequestFactory().get("/people/?q=dt&political_status=full&page=3")
    html = Template('{% load web_extras %}{% export_url "core:person_export" %}').render(
        Context({"request": request})
    )
    assert html == "/people/export.xlsx?q=dt&amp;political_status=full"
