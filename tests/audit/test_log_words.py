"""The audit log in words: actions, field names and values; the action filter a grouped list."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from dangjian import audit, hooks
from dangjian.audit.models import AuditEvent
from dangjian.audit.vocabulary import ChangeLine, Vocabulary
from dangjian.core import services
from dangjian.core.models import Person


def _record(actor, action, target=None, org=None, changes=None) -> AuditEvent:
    with transaction.atomic():
        return audit.record(actor=actor, action=action, target=target, org=org, changes=changes)


def test_a_status_change_of_a_person_reads_as_words(world, school_admin) -> None:
    event = _record(
        school_admin,
        "person.political_status",
        target=world.member,
        org=world.cs_branch,
        changes={"political_status": {"before": "activist", "after": "candidate"}, "reason": "支部大会通过"},
    )
    vocabulary = Vocabulary()
    assert vocabulary.action_label(event.action) == "变更政治面貌"
    status_label = str(Person._meta.get_field("political_status").verbose_name)
    choices = dict(Person._meta.get_field("political_status").flatchoices)
    assert vocabulary.lines_of(event) == [
        ChangeLine(status_label, str(choices["activist"]), str(choices["candidate"]), transition=True),
        ChangeLine("原因", value="支部大会通过"),
    ]


def test_a_two_item_list_of_a_model_field_is_a_transition_in_choice_labels() -> None:
    lines = Vocabulary().change_lines(
        action="orglife.meeting_close",
        target_type="orglife.meeting",
        changes={"status": ["minuted", "closed"], "people": [3, 4]},
    )
    assert lines[0].transition and (lines[0].before, lines[0].after) == ("已记录纪要", "已归档")
    assert lines[1] == ChangeLine("人员", value="3、4")


def test_before_and_after_snapshots_show_only_what_differs() -> None:
    lines = Vocabulary().change_lines(
        action="recruitment.step_resubmit",
        target_type="recruitment.case",
        changes={
            "before": {"done_on": "2026-01-01", "data": {}},
            "after": {"done_on": "2026-01-05", "data": {}},
        },
    )
    assert lines == [ChangeLine("日期", "2026-01-01", "2026-01-05", transition=True)]


def test_a_module_value_map_may_be_a_callable_read_once(django_assert_num_queries, db) -> None:
    calls = []

    def names():
        calls.append(1)
        return {"talk": "谈话"}

    group = hooks.AuditActions(
        key="test_area", label="测试", actions={"test.step": "测试步骤"}, values={"step": names}
    )
    with hooks.audit_actions.contributed(group):
        vocabulary = Vocabulary()
        for _ in range(3):
            assert vocabulary.change_lines(action="test.step", target_type="", changes={"step": "talk"}) == [
                ChangeLine("step", value="谈话")
            ]
    assert calls == [1]


def test_unknown_codes_and_keys_still_render_as_they_are(world, login, school_admin) -> None:
    _record(None, "legacy.thing_done", org=world.cs, changes={"flavour": "vanilla", "ok": True})
    page = login(school_admin).get(reverse("audit:log")).content.decode()
    assert "<code>legacy.thing_done</code>" in page
    assert "flavour" in page and "vanilla" in page and "是" in page


def test_the_log_page_shows_the_action_and_changes_in_words(world, login, school_admin) -> None:
    services.organization_update(actor=None, org=world.cs_branch, short_name="计教一")
    page = login(school_admin).get(reverse("audit:log")).content.decode()
    assert "修改党组织" in page
    assert "<code>organization.update</code>" not in page
    assert "short_name" not in page  # the field's verbose_name instead


def test_the_action_filter_is_a_grouped_list_and_a_group_filters_all_its_codes(
    world, login, school_admin
) -> None:
    services.organization_update(actor=None, org=world.cs_branch, short_name="计教一")
    _record(None, "audit.export", org=world.cs)
    client = login(school_admin)
    response = client.get(reverse("audit:log"))
    html = response.content.decode()
    assert '<optgroup label="组织与人员">' in html
    assert '<option value="orglife.meeting_close">结束会议</option>' in html
    by_group = client.get(reverse("audit:log"), {"action": "@core"})
    core_codes = set(hooks.audit_actions.get("core").actions)
    shown = {e.action for e in by_group.context["page"]}
    assert "organization.update" in shown and shown <= core_codes
    by_code = client.get(reverse("audit:log"), {"action": "audit.export"})
    assert [e.action for e in by_code.context["page"]] == ["audit.export"]


def test_a_typed_code_that_is_no_choice_gets_a_chinese_error(world, login, school_admin) -> None:
    response = login(school_admin).get(reverse("audit:log"), {"action": "organization"})
    assert response.context["form"].errors["action"] == ["请从列表中选择一种操作。"]


def test_the_log_page_queries_stay_bounded_with_many_kinds_of_events(
    world, login, school_admin, django_assert_max_num_queries
) -> None:
    for i in range(60):
        _record(
            None,
            ["person.political_status", "orglife.meeting_close", "recruitment.step", "legacy.x"][i % 4],
            target=world.member,
            org=world.cs_branch,
            changes={"political_status": ["activist", "candidate"], "step": "talk", "n": i},
        )
    client = login(school_admin)
    with django_assert_max_num_queries(9):
        response = client.get(reverse("audit:log"))
    assert len(response.context["rows"]) == 50


def test_a_key_named_as_a_reverse_relation_reads_as_plain_words(world, school_admin) -> None:
    # "positions" is a reverse relation of Person: it has no label or choices, and must not break the log.
    event = _record(
        school_admin, "person.note", target=world.member, org=world.cs_branch, changes={"positions": 3}
    )
    assert Vocabulary().lines_of(event) == [ChangeLine("positions", value="3")]
