"""The services: who may write to whom, the spam limits, double submits, the states (reply, transfer,
close, rate, the nightly close), and what the audit log keeps of an anonymous letter."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import NotFound, RuleViolation, StaleState
from dangjian.mailbox import services
from dangjian.mailbox.models import Letter, Reply, Transfer
from dangjian.workbench.models import Notification
from tests import factories as f
from tests.mailbox.conftest import SYSTEM, as_person, replied, write, write_public


def test_a_member_writes_to_each_organization_of_their_line(world):
    for org in (world.cs_branch, world.cs, world.school):
        letter = write(world.member, org)
        assert (letter.organization, letter.author, letter.status) == (org, world.member, "submitted")
        assert letter.due_on.isoformat() == "2026-12-07"  # Monday + 5 working days
        assert letter.tracking_code is None


@pytest.mark.parametrize("where", ["fl", "fl_branch", "cs_branch2", "cs_group"])
def test_writing_outside_ones_line_is_refused_and_nothing_stored(world, where):
    with pytest.raises(RuleViolation) as refused:
        write(world.member, getattr(world, where))
    assert "不在你的隶属关系线上" in refused.value.message
    assert not Letter.objects.exists()


def test_the_fourth_letter_of_a_day_is_refused(world):
    for _ in range(3):
        write(world.member, world.cs_branch)
    with pytest.raises(RuleViolation) as refused:
        write(world.member, world.cs)
    assert refused.value.code == "daily_cap" and "每人每天最多写 3 封信" in refused.value.message
    assert Letter.objects.count() == 3
    with time_machine.travel("2026-12-01 08:00 +0800", tick=False):
        write(world.member, world.cs)  # a new day
    assert Letter.objects.count() == 4


def test_the_public_letters_do_not_count_against_a_member(world):
    for _ in range(3):
        write_public(world.school)
    write(world.member, world.cs_branch)
    assert Letter.objects.count() == 4


def test_only_a_member_may_write_anonymously(world):
    applicant = f.person("周明", organization=world.cs_branch)  # an applicant: no membership
    with pytest.raises(RuleViolation, match="只有党员可以匿名写信"):
        write(applicant, world.cs_branch, anonymous=True)
    assert write(applicant, world.cs_branch).author == applicant


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subject", "  ", "请填写标题"),
        ("subject", "长" * 101, "标题不能超过 100 个字"),
        ("body", "", "请填写内容"),
        ("body", "长" * 2001, "内容不能超过 2000 个字"),
        ("category", "gossip", "请选择来信类别"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_stored(world, field, value, message):
    with pytest.raises(RuleViolation) as refused:
        write(world.member, world.cs_branch, **{field: value})
    assert message in refused.value.message and refused.value.field == field
    assert not Letter.objects.exists()


@pytest.mark.parametrize("contact", ["", "   ", "12345", "not-an-address", "1390000000"])
def test_a_public_writer_without_a_usable_contact_is_refused(world, contact):
    with pytest.raises(RuleViolation) as refused:
        write_public(world.school, contact=contact)
    assert refused.value.field == "contact" and "以便接收答复" in refused.value.message
    assert not Letter.objects.exists()


@pytest.mark.parametrize("contact", ["13900000000", "010-62751234", "parent@example.com"])
def test_a_public_letter_keeps_its_contact_encrypted_and_gets_a_tracking_code(world, contact):
    letter = write_public(world.cs, contact=contact)
    assert contact not in letter.contact_encrypted
    from dangjian.mailbox.presenting import contact as shown

    assert shown(letter) == contact
    assert len(letter.tracking_code) == 12 and letter.tracking_code.isalnum()
    assert letter.author is None and letter.status == "submitted"


def test_the_public_writes_only_to_the_school_or_a_college(world):
    with pytest.raises(RuleViolation, match="请选择学校党委或一个院系党组织"):
        write_public(world.cs_branch)
    assert not Letter.objects.exists()


def test_the_same_idempotency_key_makes_one_letter(world):
    first = write(world.member, world.cs_branch, idempotency_key="k" * 32)
    again = write(world.member, world.cs_branch, idempotency_key="k" * 32)
    assert first.pk == again.pk and Letter.objects.count() == 1
    public = write_public(world.school, idempotency_key="p" * 32)
    assert write_public(world.school, idempotency_key="p" * 32).pk == public.pk
    assert Letter.objects.count() == 2


def test_another_writers_key_is_refused(world, member_user):
    services.letter_write(
        actor=member_user,
        scope=as_person(world.member),
        organization=world.cs_branch,
        subject="s",
        body="b",
        category="other",
        idempotency_key="x" * 32,
    )
    with pytest.raises(RuleViolation, match="请刷新页面"):
        write_public(world.school, idempotency_key="x" * 32)


def test_a_reply_answers_the_letter_and_tells_the_writer(
    world, member_user, branch_secretary, django_capture_on_commit_callbacks
):
    letter = write(world.member, world.cs_branch)
    with django_capture_on_commit_callbacks(execute=True):
        services.letter_reply(
            actor=branch_secretary, scope=SYSTEM, letter=letter, body="已研究。", expected_status="submitted"
        )
    letter.refresh_from_db()
    assert letter.status == "replied" and letter.replied_at is not None
    assert Reply.objects.get().organization == world.cs_branch
    assert Notification.objects.filter(recipient=member_user, kind="mailbox").exists()
    event = AuditEvent.objects.get(action="mailbox.letter_reply")
    assert event.changes["status"] == ["submitted", "replied"] and event.actor_id == branch_secretary.pk


def test_a_stale_page_cannot_reply(world):
    letter = replied(write(world.member, world.cs_branch))
    letter = Letter.objects.get(pk=letter.pk)
    services.letter_close(actor=None, scope=SYSTEM, letter=letter, expected_status="replied")
    with pytest.raises(StaleState):
        services.letter_reply(actor=None, scope=SYSTEM, letter=letter, body="再答", expected_status="replied")
    with pytest.raises(RuleViolation, match="已办结"):
        services.letter_reply(actor=None, scope=SYSTEM, letter=letter, body="再答", expected_status="closed")


def test_a_letter_is_transferred_down_the_line_with_a_fresh_deadline(world, college_organizer):
    letter = write(world.member, world.cs)
    with time_machine.travel("2026-12-02 09:00 +0800", tick=False):
        services.letter_transfer(
            actor=college_organizer,
            scope=SYSTEM,
            letter=letter,
            to_org=world.cs_branch,
            reason="属支部事项",
            expected_status="submitted",
        )
    letter.refresh_from_db()
    assert (letter.organization, letter.status) == (world.cs_branch, "transferred")
    assert letter.due_on.isoformat() == "2026-12-09"
    assert Transfer.objects.get().from_org == world.cs


@pytest.mark.parametrize(
    ("to", "reason"), [("fl", "原因"), ("cs_branch2", "原因"), ("cs_group", "原因"), ("school", "")]
)
def test_a_transfer_off_the_line_or_without_a_reason_is_refused(world, to, reason):
    letter = write(world.member, world.cs_branch)
    with pytest.raises(RuleViolation):
        services.letter_transfer(
            actor=None,
            scope=SYSTEM,
            letter=letter,
            to_org=getattr(world, to),
            reason=reason,
            expected_status="submitted",
        )
    letter.refresh_from_db()
    assert letter.organization == world.cs_branch and not Transfer.objects.exists()


def test_the_writer_closes_and_rates_once(world, member_user):
    letter = replied(write(world.member, world.cs_branch))
    scope = as_person(world.member)
    services.letter_rate(actor=member_user, scope=scope, letter=letter, score=4, expected_status="replied")
    with pytest.raises(RuleViolation, match="你已评价过"):
        services.letter_rate(
            actor=member_user, scope=scope, letter=letter, score=5, expected_status="replied"
        )
    services.letter_close(actor=member_user, scope=scope, letter=letter, expected_status="replied")
    letter.refresh_from_db()
    assert (letter.status, letter.closed_how, letter.satisfaction) == ("closed", "writer", 4)


@pytest.mark.parametrize("score", [0, 6, "x"])
def test_a_score_outside_one_to_five_is_refused(world, score):
    letter = replied(write(world.member, world.cs_branch))
    with pytest.raises(RuleViolation, match="满意度应为 1 至 5 分"):
        services.letter_rate(
            actor=None, scope=as_person(world.member), letter=letter, score=score, expected_status="replied"
        )


def test_a_letter_not_yet_answered_cannot_be_closed_or_rated(world):
    letter = write(world.member, world.cs_branch)
    scope = as_person(world.member)
    with pytest.raises(RuleViolation):
        services.letter_close(actor=None, scope=scope, letter=letter, expected_status="submitted")
    with pytest.raises(RuleViolation):
        services.letter_rate(actor=None, scope=scope, letter=letter, score=5, expected_status="submitted")


def test_someone_elses_letter_is_not_found_for_close_and_rate(world):
    letter = replied(write(world.member, world.cs_branch))
    stranger = Scope(user_id=None, person_id=world.fl_member.pk)
    with pytest.raises(NotFound):
        services.letter_close(actor=None, scope=stranger, letter=letter, expected_status="replied")
    with pytest.raises(NotFound):
        services.letter_rate(actor=None, scope=stranger, letter=letter, score=5, expected_status="replied")


def test_the_holder_of_the_tracking_code_rates_and_closes_a_public_letter_once(world):
    letter = replied(write_public(world.cs))
    code = letter.tracking_code.lower()
    services.letter_public_rate(letter=letter, code=code, score=3, expected_status="replied")
    with pytest.raises(RuleViolation, match="你已评价过"):
        services.letter_public_rate(letter=letter, code=code, score=5, expected_status="replied")
    services.letter_public_close(letter=letter, code=code, expected_status="replied")
    with pytest.raises(RuleViolation, match="已办结"):
        services.letter_public_close(letter=letter, code=code, expected_status="replied")
    letter.refresh_from_db()
    assert (letter.status, letter.closed_how, letter.satisfaction) == ("closed", "writer", 3)


def test_a_wrong_code_or_a_members_letter_is_not_found_for_the_public_steps(world):
    public = replied(write_public(world.cs))
    member = replied(write(world.member, world.cs_branch))
    for letter, code in ((public, "AAAAAAAAAAAA"), (public, ""), (member, "")):
        with pytest.raises(NotFound):
            services.letter_public_rate(letter=letter, code=code, score=5, expected_status="replied")
        with pytest.raises(NotFound):
            services.letter_public_close(letter=letter, code=code, expected_status="replied")
    assert not Letter.objects.filter(rated_at__isnull=False).exists()
    assert not Letter.objects.filter(status="closed").exists()


def test_a_replied_letter_closes_itself_seven_days_after_the_reply(world):
    letter = replied(write(world.member, world.cs_branch))
    assert services.letters_auto_close(today=timezone.localdate() + timedelta(days=6)) == 0
    assert services.letters_auto_close(today=timezone.localdate() + timedelta(days=7)) == 1
    letter.refresh_from_db()
    assert (letter.status, letter.closed_how) == ("closed", "auto")
    assert services.letters_auto_close(today=timezone.localdate() + timedelta(days=8)) == 0


def test_an_anonymous_letter_is_audited_without_its_writer(world, member_user):
    letter = services.letter_write(
        actor=member_user,
        scope=as_person(world.member),
        organization=world.cs_branch,
        subject="匿名建议",
        body="内容",
        category="advice",
        anonymous=True,
    )
    replied(letter)
    services.letter_rate(
        actor=member_user, scope=as_person(world.member), letter=letter, score=3, expected_status="replied"
    )
    events = AuditEvent.objects.filter(
        target_id=str(letter.pk), action__in=["mailbox.letter_write", "mailbox.letter_rate"]
    )
    assert events.count() == 2
    for event in events:
        assert event.actor_id is None and event.ip is None
        assert world.member.name not in str(event.changes) and world.member.name not in event.actor_name
    named = services.letter_write(
        actor=member_user,
        scope=as_person(world.member),
        organization=world.cs,
        subject="署名建议",
        body="内容",
        category="advice",
    )
    event = AuditEvent.objects.get(target_id=str(named.pk), action="mailbox.letter_write")
    assert event.actor_id == member_user.pk  # a signed letter keeps who wrote it


def test_the_handlers_hear_of_a_new_letter_but_not_the_writer(
    world, branch_secretary, college_organizer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        write(world.member, world.cs_branch)
    notices = Notification.objects.filter(kind="mailbox")
    assert list(notices.values_list("recipient_id", flat=True)) == [branch_secretary.pk]
    assert "请在 2026-12-07 前回复" in notices.get().body
    with django_capture_on_commit_callbacks(execute=True):
        write(world.secretary, world.cs_branch)  # the secretary's own letter goes to the college
    assert notices.filter(recipient=college_organizer).count() == 1
    assert notices.filter(recipient=branch_secretary).count() == 1
