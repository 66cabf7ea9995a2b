"""The branch confirms several members' declarations at once: row by row, against each row's state."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from dangjian.accounts.scope import Scope
from dangjian.audit.models import AuditEvent
from dangjian.core.models import Membership
from dangjian.dues import services
from dangjian.dues.billing import bills_generate
from dangjian.dues.models import Declaration, Entry
from tests import factories as f

URL = "dues:declarations_confirm"


def _declare(person, month: int = 11) -> Declaration:
    return services.declaration_submit(
        actor=None, scope=Scope.system(), person=person, months=[date(2026, month, 1)], method="cash"
    )


def _post(client, declarations, states=None):
    data: dict[str, object] = {"declaration": [d.pk for d in declarations]}
    for d in declarations:
        data[f"expected_status_{d.pk}"] = (states or {}).get(d.pk, "pending")
    return client.post(reverse(URL), data)


def test_the_queue_offers_a_tick_per_row_with_its_state(billed, login, branch_secretary) -> None:
    d = _declare(billed.member)
    html = login(branch_secretary).get(reverse("dues:declarations")).content.decode()
    assert f'name="declaration" value="{d.pk}"' in html
    assert f'name="expected_status_{d.pk}" value="pending"' in html
    assert "确认所选申报" in html


def test_secretary_confirms_two_declarations_at_once_audited_per_row(billed, login, branch_secretary) -> None:
    rows = [_declare(billed.member), _declare(billed.secretary)]
    before = AuditEvent.objects.filter(action="dues.declaration_decide").count()
    response = _post(login(branch_secretary), rows)
    assert response.status_code == 302
    assert set(Declaration.objects.values_list("status", flat=True)) == {"approved"}
    assert Entry.objects.filter(month=date(2026, 11, 1)).count() == 2
    assert AuditEvent.objects.filter(action="dues.declaration_decide").count() == before + 2


def test_a_row_changed_meanwhile_is_skipped_with_its_own_message(billed, login, branch_secretary) -> None:
    first, second = _declare(billed.member), _declare(billed.secretary)
    # A colleague refused the first one after the page was drawn.
    services.declaration_decide(
        actor=None, scope=Scope.system(), declaration=first, approve=False, note="未收到"
    )
    client = login(branch_secretary)
    response = _post(client, [first, second])
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("已确认 1 条申报" in m for m in messages)
    assert any("李晓红 的申报未确认" in m and "已由他人处理" in m for m in messages)
    first.refresh_from_db()
    assert first.status == "refused" and Entry.objects.filter(person=billed.member).count() == 0
    second.refresh_from_db()
    assert second.status == "approved"


def test_the_same_batch_posted_twice_has_one_effect(billed, login, branch_secretary) -> None:
    rows = [_declare(billed.member), _declare(billed.secretary)]
    client = login(branch_secretary)
    _post(client, rows)
    entries, events = Entry.objects.count(), AuditEvent.objects.count()
    response = _post(client, rows)
    assert response.status_code == 302
    assert (Entry.objects.count(), AuditEvent.objects.count()) == (entries, events)


def test_a_row_without_its_state_token_is_refused(billed, login, branch_secretary) -> None:
    d = _declare(billed.member)
    login(branch_secretary).post(reverse(URL), {"declaration": [d.pk]})
    d.refresh_from_db()
    assert d.status == "pending"


def test_outsider_is_refused_and_nothing_changes(billed, login, outsider_organizer) -> None:
    d = _declare(billed.member)
    events = AuditEvent.objects.count()
    assert _post(login(outsider_organizer), [d]).status_code == 404
    d.refresh_from_db()
    assert d.status == "pending" and AuditEvent.objects.count() == events


def test_a_batch_mixing_in_a_foreign_row_does_nothing(billed, login, branch_secretary) -> None:
    own, foreign = _declare(billed.member), _declare(billed.fl_member)
    assert _post(login(branch_secretary), [own, foreign]).status_code == 404
    assert set(Declaration.objects.values_list("status", flat=True)) == {"pending"}


def test_a_plain_member_cannot_confirm(billed, login, member_user) -> None:
    d = _declare(billed.member)
    assert _post(login(member_user), [d]).status_code in (403, 404)
    d.refresh_from_db()
    assert d.status == "pending"


def test_nothing_ticked_gets_a_chinese_message(billed, login, branch_secretary) -> None:
    response = login(branch_secretary).post(reverse(URL), {})
    assert any("请先勾选要确认的申报" in str(m) for m in response.wsgi_request._messages)


def test_queue_and_batch_have_bounded_queries(
    billed, login, branch_secretary, django_assert_max_num_queries
) -> None:
    for i in range(12):
        person = f.member(billed.cs_branch, f"党员{i}")
        services.assessment_set(
            actor=None, scope=Scope.system(), person=person, from_month=date(2026, 9, 1), category="student"
        )
    bills_generate(date(2026, 11, 1))
    rows = [_declare(m.person) for m in Membership.objects.filter(organization=billed.cs_branch)]
    assert len(rows) == 15
    client = login(branch_secretary)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("dues:declarations")).status_code == 200
    # Each row is one confirmation (lock, check, ledger, report refresh, audit): a fixed cost per row,
    # nothing that grows with the branch or the queue. Its two audit events cost 2 queries each for the
    # hash chain (lock the chain's head, move it on).
    for batch in (rows[:2], rows[2:]):
        with django_assert_max_num_queries(8 + 26 * len(batch)):
            _post(client, batch)
    assert Declaration.objects.filter(status="approved").count() == 15
