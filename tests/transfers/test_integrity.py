"""Integrity of the transfer steps: the status the user saw travels with every step (a stale one is
refused and nothing happens), replays return the first result, every 回执 scan goes through the one
upload check, dates of things that happened are not in the future."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.accounts.services import api_token_create
from dangjian.kit.errors import RuleViolation, StaleState
from dangjian.transfers import services
from dangjian.transfers.models import GraduateKeep, Letter, Transfer, TransferEvent, TransferStatus

S = TransferStatus
STALE = "该事项已由他人处理"
PDF = b"%PDF-1.4\n%fake but well-formed enough\n"
# A fixed working morning in Shanghai: "today" and "tomorrow" must be the same day for the test's
# ``date.today()`` (the machine's zone) and the services' ``timezone.localdate()`` (Asia/Shanghai),
# which they are not between 16:00 and 24:00 UTC.
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
TOMORROW = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _a_working_morning():
    with time_machine.travel(NOW, tick=True):
        yield


def scope(user):
    return resolve_scope(user)


def api(user) -> Client:
    _token, raw = api_token_create(user=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def requested(world, member_user) -> Transfer:
    return services.transfer_start(
        scope=Scope.system(),
        actor=member_user,
        person=world.member,
        kind="out_national",
        reason="就业",
        external_org="某公司党委",
    )


@pytest.fixture
def letter_out(requested, branch_secretary, college_organizer) -> Transfer:
    """An outgoing transfer approved by both sending steps: its letter is out, the 回执 is awaited."""
    services.transfer_approve(actor=branch_secretary, scope=scope(branch_secretary), transfer=requested)
    return services.transfer_approve(
        actor=college_organizer, scope=scope(college_organizer), transfer=requested
    )


@pytest.fixture
def in_school_approved(world, member_user, branch_secretary, college_organizer) -> Transfer:
    t = services.transfer_start(
        scope=Scope.system(),
        actor=member_user,
        person=world.member,
        kind="in_school",
        reason="调动",
        to_college=world.fl,
    )
    services.transfer_approve(actor=branch_secretary, scope=scope(branch_secretary), transfer=t)
    return services.transfer_approve(actor=college_organizer, scope=scope(college_organizer), transfer=t)


# ---------------------------------------------------------------- expected state


def test_a_second_approval_with_the_same_seen_status_does_not_take_the_next_step(
    world, requested, college_organizer
) -> None:
    organizer = scope(college_organizer)
    services.transfer_approve(
        actor=college_organizer, scope=organizer, transfer=requested, expected_status="requested"
    )
    with pytest.raises(StaleState) as refused:
        services.transfer_approve(
            actor=college_organizer, scope=organizer, transfer=requested, expected_status="requested"
        )
    assert refused.value.status == 409 and refused.value.field == "expected_status"
    requested.refresh_from_db()
    assert requested.status == S.BRANCH_APPROVED and not Letter.objects.exists()


def test_a_step_without_the_seen_status_is_refused(world, requested, branch_secretary) -> None:
    with pytest.raises(StaleState):
        services.transfer_approve(
            actor=branch_secretary, scope=scope(branch_secretary), transfer=requested, expected_status=""
        )
    assert Transfer.objects.get().status == S.REQUESTED


def _stale_calls(world, users):
    """Each state-changing service called with a status the user no longer sees."""
    return {
        "reject": lambda t: services.transfer_reject(
            actor=users.college,
            scope=scope(users.college),
            transfer=t,
            reason="x",
            expected_status="requested",
        ),
        "withdraw": lambda t: services.transfer_withdraw(
            actor=users.member, scope=scope(users.member), transfer=t, expected_status="branch_approved"
        ),
        "complete": lambda t: services.transfer_complete(
            actor=users.college,
            scope=scope(users.college),
            transfer=t,
            receipt_on=date.today(),
            expected_status="branch_approved",
        ),
        "receipt_scan": lambda t: services.receipt_scan_attach(
            actor=users.college,
            scope=scope(users.college),
            transfer=t,
            scan=SimpleUploadedFile("r.pdf", PDF),
            expected_status="completed",
        ),
        "letter_issue": lambda t: services.letter_issue(
            actor=users.college, transfer=t, expected_status="requested"
        ),
        "letter_reissue": lambda t: services.letter_reissue(
            actor=users.college,
            scope=scope(users.college),
            letter=t.letters.get(),
            reason="过期",
            expected_status="voided",
        ),
    }


@pytest.mark.parametrize(
    "step", ["reject", "withdraw", "complete", "receipt_scan", "letter_issue", "letter_reissue"]
)
def test_every_step_refuses_a_stale_status_and_changes_nothing(
    step, world, letter_out, member_user, college_organizer
) -> None:
    from types import SimpleNamespace

    from dangjian.audit.models import AuditEvent

    users = SimpleNamespace(member=member_user, college=college_organizer)
    before = (TransferEvent.objects.count(), Letter.objects.count(), AuditEvent.objects.count())
    with pytest.raises(StaleState):
        _stale_calls(world, users)[step](letter_out)
    letter_out.refresh_from_db()
    assert letter_out.status == S.COLLEGE_APPROVED and not letter_out.receipt_scan
    assert (TransferEvent.objects.count(), Letter.objects.count(), AuditEvent.objects.count()) == before
    assert Letter.objects.get().voided_at is None


def test_accept_refuses_a_stale_status(world, in_school_approved, fl_organizer) -> None:
    with pytest.raises(StaleState):
        services.transfer_accept(
            actor=fl_organizer,
            scope=scope(fl_organizer),
            transfer=in_school_approved,
            branch=world.fl_branch,
            expected_status="branch_approved",
        )
    assert Transfer.objects.get().status == S.COLLEGE_APPROVED


def test_a_double_click_on_the_web_shows_the_stale_message_and_does_nothing(
    world, requested, login, college_organizer
) -> None:
    client = login(college_organizer)
    url = reverse("transfers:approve", args=[requested.pk])
    client.post(url, {"expected_status": "requested"})
    page = client.post(url, {"expected_status": "requested"}, follow=True).content.decode()
    assert STALE in page
    assert Transfer.objects.get().status == S.BRANCH_APPROVED and not Letter.objects.exists()
    assert TransferEvent.objects.filter(action="approve").count() == 1


def test_a_form_posted_after_someone_else_acted_shows_the_message(
    world, letter_out, login, college_organizer
) -> None:
    client = login(college_organizer)
    form = client.get(reverse("transfers:reject", args=[letter_out.pk])).content.decode()
    assert 'name="expected_status" value="college_approved"' in form
    services.transfer_complete(
        actor=college_organizer, scope=scope(college_organizer), transfer=letter_out, receipt_on=date.today()
    )
    page = client.post(
        reverse("transfers:reject", args=[letter_out.pk]),
        {"reason": "材料不全", "expected_status": "college_approved"},
    )
    assert page.status_code == 200 and STALE in page.content.decode()
    assert Transfer.objects.get().status == S.COMPLETED


def test_the_api_requires_the_seen_status_and_answers_409_when_it_is_gone(
    world, requested, branch_secretary
) -> None:
    client = api(branch_secretary)
    url = f"/api/v1/transfers/{requested.pk}/approve"
    missing = client.post(url, {}, content_type="application/json")
    assert missing.status_code == 422 and "expected_status" in str(missing.json())
    assert (
        client.post(url, {"expected_status": "requested"}, content_type="application/json").status_code == 200
    )
    again = client.post(url, {"expected_status": "requested"}, content_type="application/json")
    assert again.status_code == 409 and again.json()["code"] == "stale" and STALE in again.json()["message"]


def test_the_requester_withdraws_through_the_api(world, requested, member_user) -> None:
    client = api(member_user)
    url = f"/api/v1/transfers/{requested.pk}/withdraw"
    assert (
        client.post(url, {"expected_status": "requested"}, content_type="application/json").json()["status"]
        == "withdrawn"
    )
    assert (
        client.post(url, {"expected_status": "requested"}, content_type="application/json").status_code == 409
    )


def test_keeping_a_graduate_twice_from_the_same_page_is_stale(world, college_organizer) -> None:
    organizer = scope(college_organizer)
    services.graduate_keep(
        actor=college_organizer, scope=organizer, person=world.member, reason="", expected_status="none"
    )
    with pytest.raises(StaleState):
        services.graduate_keep(
            actor=college_organizer, scope=organizer, person=world.member, reason="", expected_status="none"
        )
    assert GraduateKeep.objects.count() == 1


# ---------------------------------------------------------------- replays return the first result


def test_the_same_start_again_returns_the_first_transfer(world, requested, member_user) -> None:
    again = services.transfer_start(
        scope=Scope.system(),
        actor=member_user,
        person=world.member,
        kind="out_national",
        reason="就业",
        external_org="某公司党委",
    )
    assert again.pk == requested.pk and TransferEvent.objects.filter(action="start").count() == 1
    with pytest.raises(RuleViolation, match="正在办理"):  # a different request is still refused
        services.transfer_start(
            scope=Scope.system(),
            actor=member_user,
            person=world.member,
            kind="out_national",
            reason="升学",
            external_org="某大学党委",
        )


def test_a_replayed_start_form_lands_on_the_same_page(world, login, member_user) -> None:
    client = login(member_user)
    data = {"kind": "in_school", "to_college": world.fl.pk, "reason": "调入外国语学院"}
    first = client.post(reverse("transfers:start", args=[world.member.pk]), data)
    second = client.post(reverse("transfers:start", args=[world.member.pk]), data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Transfer.objects.count() == 1


def test_a_replayed_start_through_the_api_gives_the_same_json(world, member_user) -> None:
    client = api(member_user)
    body = {"person_id": world.member.pk, "kind": "out_national", "reason": "x", "external_org": "某单位"}
    first = client.post("/api/v1/transfers", body, content_type="application/json")
    second = client.post("/api/v1/transfers", body, content_type="application/json")
    assert first.status_code == second.status_code == 201 and first.json() == second.json()


def test_a_replayed_incoming_letter_returns_the_first_record(world, login, branch_secretary) -> None:
    from tests.transfers.test_incoming import post_in

    first = post_in(login(branch_secretary), world)
    second = post_in(login(branch_secretary), world)
    assert second.status_code == 302 and second.url == first.url
    assert Transfer.objects.filter(kind="in").count() == 1


# ---------------------------------------------------------------- the one upload check


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("r.pdf", b"MZ\x90\x00this is a program", "不符"),
        ("r.pdf", b"", "空"),
        ("r.exe", b"MZ", "只能上传"),
    ],
)
def test_a_bad_receipt_scan_is_refused_with_the_transfer(
    name, content, message, world, letter_out, college_organizer
) -> None:
    with pytest.raises(RuleViolation, match=message) as refused:
        services.transfer_complete(
            actor=college_organizer,
            scope=scope(college_organizer),
            transfer=letter_out,
            receipt_on=date.today(),
            scan=SimpleUploadedFile(name, content),
            expected_status="college_approved",
        )
    assert refused.value.field == "scan"
    letter_out.refresh_from_db()
    assert letter_out.status == S.COLLEGE_APPROVED and not letter_out.receipt_scan


def test_an_oversized_receipt_scan_is_refused(world, letter_out, college_organizer) -> None:
    big = SimpleUploadedFile("r.pdf", PDF + b"0" * services.RECEIPT_SCAN_MAX_BYTES)
    with pytest.raises(RuleViolation, match="MB"):
        services.receipt_scan_attach(
            actor=college_organizer, scope=scope(college_organizer), transfer=letter_out, scan=big
        )


def test_a_good_scan_is_kept_under_its_base_name(world, letter_out, college_organizer) -> None:
    t = services.receipt_scan_attach(
        actor=college_organizer,
        scope=scope(college_organizer),
        transfer=letter_out,
        scan=SimpleUploadedFile("..\\..\\scans\\回执.pdf", PDF),
        expected_status="college_approved",
    )
    assert t.receipt_scan.name.rsplit("/", 1)[-1].startswith("回执") and ".." not in t.receipt_scan.name


def test_the_receipt_form_refuses_a_fake_pdf_on_the_page(world, letter_out, login, college_organizer) -> None:
    page = login(college_organizer).post(
        reverse("transfers:complete", args=[letter_out.pk]),
        {
            "expected_status": "college_approved",
            "receipt_on": date.today().isoformat(),
            "scan": SimpleUploadedFile("r.pdf", b"GIF89a not a pdf"),
        },
    )
    assert page.status_code == 200 and "不符" in page.content.decode()
    assert Transfer.objects.get().status == S.COLLEGE_APPROVED


def test_the_receipt_scan_api_checks_the_content(world, letter_out, college_organizer) -> None:
    response = api(college_organizer).post(
        f"/api/v1/transfers/{letter_out.pk}/receipt-scan",
        {"scan": SimpleUploadedFile("r.pdf", b"GIF89a"), "expected_status": "college_approved"},
    )
    assert response.status_code == 422 and response.json()["fields"].get("scan")


# ---------------------------------------------------------------- dates of things that happened


def test_a_receipt_cannot_be_dated_tomorrow(world, letter_out, college_organizer) -> None:
    with pytest.raises(RuleViolation, match="不能晚于今天") as refused:
        services.transfer_complete(
            actor=college_organizer, scope=scope(college_organizer), transfer=letter_out, receipt_on=TOMORROW
        )
    assert refused.value.code == "date_in_future" and refused.value.field == "receipt_on"


def test_an_acceptance_cannot_be_dated_tomorrow(world, in_school_approved, fl_organizer) -> None:
    with pytest.raises(RuleViolation, match="不能晚于今天"):
        services.transfer_accept(
            actor=fl_organizer,
            scope=scope(fl_organizer),
            transfer=in_school_approved,
            branch=world.fl_branch,
            on=TOMORROW,
        )


def test_a_graduate_keep_cannot_start_tomorrow(world, college_organizer) -> None:
    with pytest.raises(RuleViolation, match="不能晚于今天"):
        services.graduate_keep(
            actor=college_organizer,
            scope=scope(college_organizer),
            person=world.member,
            reason="",
            on=TOMORROW,
        )


@pytest.mark.parametrize(
    ("field", "value"),
    [("joined_on", TOMORROW.isoformat()), ("full_on", TOMORROW.isoformat()), ("full_on", "2019-01-01")],
)
def test_an_incoming_member_keeps_dates_that_already_happened(
    world, login, branch_secretary, field, value
) -> None:
    from tests.transfers.test_incoming import post_in

    page = post_in(login(branch_secretary), world, **{field: value})
    assert page.status_code == 200 and not Transfer.objects.exists()
    assert "不能晚于今天" in page.content.decode() or "不能早于入党日期" in page.content.decode()


def test_a_future_incoming_date_is_refused_for_a_returning_member_too(world, college_organizer) -> None:
    """A member who once left comes back: the original dates are checked even though the membership
    already exists (core only checks them for a new one)."""
    with pytest.raises(RuleViolation, match="不能晚于今天"):
        services.transfer_record_in(
            actor=college_organizer,
            scope=scope(college_organizer),
            branch=world.cs_branch,
            from_org_name="某单位党委",
            letter_serial="X-1",
            reason="",
            person_data={"id_number": ""},
            membership_type="full",
            joined_on=date(2019, 6, 1),
            full_on=TOMORROW,
        )


def test_the_service_refuses_a_start_outside_the_askers_scope(world, outsider_organizer) -> None:
    from dangjian.accounts.scope import resolve_scope
    from dangjian.kit.errors import NotFound

    with pytest.raises(NotFound):
        services.transfer_start(
            actor=outsider_organizer,
            scope=resolve_scope(outsider_organizer),
            person=world.member,
            kind="out_national",
            reason="毕业",
            external_org="某单位党委",
        )
    assert not Transfer.objects.filter(person=world.member).exists()
