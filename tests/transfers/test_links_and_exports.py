"""No dead links (a button only when its page or step works for the viewer, the view asking the same
predicate), exports = the screen (the export link carries the live filters; the file holds the same rows),
and letters mask the ID number unless the viewer may see it."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.core import crypto
from dangjian.core.models import Person, PersonType
from dangjian.transfers import services
from dangjian.transfers.models import Letter, Transfer
from tests import factories as f


def scope(user):
    return resolve_scope(user)


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
    services.transfer_approve(actor=branch_secretary, scope=scope(branch_secretary), transfer=requested)
    return services.transfer_approve(
        actor=college_organizer, scope=scope(college_organizer), transfer=requested
    )


def _hrefs(page: str) -> set[str]:
    return set(re.findall(r'(?:href|action)="([^"]+)"', page))


def test_each_viewer_sees_only_the_buttons_that_work(
    world, requested, login, member_user, branch_secretary, fl_organizer
) -> None:
    detail = reverse("transfers:detail", args=[requested.pk])
    approve, reject, withdraw = (
        reverse(f"transfers:{name}", args=[requested.pk]) for name in ("approve", "reject", "withdraw")
    )
    member = _hrefs(login(member_user).get(detail).content.decode())
    assert withdraw in member and approve not in member and reject not in member
    secretary = _hrefs(login(branch_secretary).get(detail).content.decode())
    assert approve in secretary and reject in secretary and withdraw not in secretary


def test_every_drawn_link_opens_for_its_viewer(
    world, letter_out, login, member_user, branch_secretary, college_organizer
) -> None:
    detail = reverse("transfers:detail", args=[letter_out.pk])
    for user in (member_user, branch_secretary, college_organizer):
        client = login(user)
        for href in _hrefs(client.get(detail).content.decode()):
            if href.startswith("/transfers/") and not href.endswith(("/approve/", "/withdraw/")):
                assert client.get(href).status_code == 200, (user.username, href)


def test_a_step_page_the_viewer_cannot_take_is_not_found(
    world, letter_out, login, branch_secretary, college_organizer
) -> None:
    assert login(branch_secretary).get(reverse("transfers:complete", args=[letter_out.pk])).status_code == 404
    assert login(college_organizer).get(reverse("transfers:accept", args=[letter_out.pk])).status_code == 404
    assert (
        login(college_organizer).get(reverse("transfers:complete", args=[letter_out.pk])).status_code == 200
    )


def test_a_voided_letter_has_no_print_or_reissue_link_and_does_not_open(
    world, letter_out, login, college_organizer
) -> None:
    old = Letter.objects.get()
    services.letter_reissue(
        actor=college_organizer, scope=scope(college_organizer), letter=old, reason="过期"
    )
    client = login(college_organizer)
    hrefs = _hrefs(client.get(reverse("transfers:detail", args=[letter_out.pk])).content.decode())
    assert reverse("transfers:letter_pdf", args=[old.pk]) not in hrefs
    assert reverse("transfers:letter_reissue", args=[old.pk]) not in hrefs
    assert client.get(reverse("transfers:letter_pdf", args=[old.pk])).status_code == 404
    assert client.get(reverse("transfers:letter_reissue", args=[old.pk])).status_code == 404


def test_the_graduates_link_is_drawn_only_when_the_page_opens(
    world, login, branch_secretary, college_organizer
) -> None:
    graduates = reverse("transfers:graduates")
    assert graduates not in login(branch_secretary).get(reverse("transfers:list")).content.decode()
    assert graduates in login(college_organizer).get(reverse("transfers:list")).content.decode()


# ---------------------------------------------------------------- exports = the screen


def _export_link(page: str) -> str:
    return next(h for h in _hrefs(page) if h.startswith(reverse("transfers:export"))).replace("&amp;", "&")


def _rows(response) -> list[str]:
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.mark.parametrize(
    "query",
    ["", "kind=in_school", "kind=out_national&open=1", "status=completed", "since=2999-01-01", "org={cs}"],
)
def test_the_export_link_carries_the_filters_and_the_file_holds_the_screens_rows(
    query, world, letter_out, login, school_admin, member_user
) -> None:
    other = f.member(world.fl_branch, "周其他")
    services.transfer_start(
        scope=Scope.system(),
        actor=member_user,
        person=other,
        kind="in_school",
        reason="调动",
        to_college=world.cs,
    )
    client = login(school_admin)
    url = reverse("transfers:list") + "?" + "&".join(q for q in (query.format(cs=world.cs.pk), "page=1") if q)
    page = client.get(url).content.decode()
    link = _export_link(page)
    assert "page=" not in link
    screen = [name for name in ("李晓红", "周其他") if f">{name}</a>" in page]
    assert sorted(_rows(client.get(link))) == sorted(screen)


def test_the_export_holds_no_id_number(world, letter_out, login, college_organizer) -> None:
    number = crypto.decrypt(Person.objects.get(pk=world.member.pk).id_number_encrypted)
    response = login(college_organizer).get(reverse("transfers:export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert not any(number in c or number[-4:] in c for c in cells)


# ---------------------------------------------------------------- ID numbers on letters


def _pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_letter_shows_the_full_id_number_only_to_who_may_see_it(
    world, letter_out, login, branch_secretary, college_organizer
) -> None:
    person = Person.objects.get(pk=world.member.pk)
    number = crypto.decrypt(person.id_number_encrypted)
    url = reverse("transfers:letter_pdf", args=[Letter.objects.get().pk])
    organizer = _pdf_text(login(college_organizer).get(url).content)
    secretary = _pdf_text(login(branch_secretary).get(url).content)  # no PII permission
    assert number in organizer
    assert number not in secretary and person.id_number_masked in secretary


def test_the_graduates_zip_masks_the_id_number_when_its_requester_may_not_see_it(
    world, branch_secretary
) -> None:
    from dangjian.jobs.models import Job
    from dangjian.transfers.graduates import run_graduate_letters

    p = f.member(world.cs_branch2, "毕业生甲", person_type=PersonType.STUDENT, grade="2022")
    job = Job.objects.create(
        kind="graduate_letters",
        created_by=branch_secretary,
        title="t",
        params={
            "college": world.cs.pk,
            "rows": [{"person": p.pk, "name": p.name, "destination": "某单位党委"}],
        },
    )
    run_graduate_letters(job)
    archive = zipfile.ZipFile(io.BytesIO(Job.objects.get(pk=job.pk).result_file.read()))
    text = _pdf_text(archive.read("letters-all.pdf"))
    person = Person.objects.get(pk=p.pk)
    assert crypto.decrypt(person.id_number_encrypted) not in text and person.id_number_masked in text


def test_the_graduates_zip_of_an_organizer_carries_the_full_id_number(world, college_organizer) -> None:
    from dangjian.jobs.models import Job
    from dangjian.transfers.graduates import run_graduate_letters

    p = f.member(world.cs_branch2, "毕业生乙", person_type=PersonType.STUDENT, grade="2022")
    job = Job.objects.create(
        kind="graduate_letters",
        created_by=college_organizer,
        title="t",
        params={
            "college": world.cs.pk,
            "rows": [{"person": p.pk, "name": p.name, "destination": "某单位党委"}],
        },
    )
    run_graduate_letters(job)
    archive = zipfile.ZipFile(io.BytesIO(Job.objects.get(pk=job.pk).result_file.read()))
    person = Person.objects.get(pk=p.pk)
    assert crypto.decrypt(person.id_number_encrypted) in _pdf_text(archive.read("letters-all.pdf"))


def test_each_graduate_letter_asks_whether_its_requester_may_see_that_branchs_id_numbers(world) -> None:
    """The batch asks ``may_see_id_number`` per letter, as a single letter does: PII over one branch only
    shows the full number on that branch's letters and masks the others of the same batch."""
    from dangjian.accounts.roles import Role
    from dangjian.jobs.models import Job
    from dangjian.transfers.graduates import run_graduate_letters

    requester = f.user_for(None, "branch2_pii", (Role.COLLEGE_ORGANIZER, world.cs_branch2))
    seen = f.member(world.cs_branch2, "毕业生丙", person_type=PersonType.STUDENT, grade="2022")
    other = f.member(world.cs_branch, "毕业生丁", person_type=PersonType.STUDENT, grade="2022")
    job = Job.objects.create(
        kind="graduate_letters",
        created_by=requester,
        title="t",
        params={
            "college": world.cs.pk,
            "rows": [{"person": p.pk, "name": p.name, "destination": "某单位党委"} for p in (seen, other)],
        },
    )
    run_graduate_letters(job)
    archive = zipfile.ZipFile(io.BytesIO(Job.objects.get(pk=job.pk).result_file.read()))
    texts = {
        name: _pdf_text(archive.read(name)) for name in archive.namelist() if name.startswith("letters/")
    }
    (seen_text,) = (t for n, t in texts.items() if "毕业生丙" in n)
    (other_text,) = (t for n, t in texts.items() if "毕业生丁" in n)
    seen_p, other_p = Person.objects.get(pk=seen.pk), Person.objects.get(pk=other.pk)
    assert crypto.decrypt(seen_p.id_number_encrypted) in seen_text
    assert crypto.decrypt(other_p.id_number_encrypted) not in other_text
    assert other_p.id_number_masked in other_text


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("member_user", True),
        ("branch_secretary", True),
        ("college_organizer", True),
        ("outsider_organizer", False),
    ],
)
def test_the_start_page_and_the_api_ask_one_rule_of_who_may_start(
    world, login, who, allowed, request
) -> None:
    from django.urls import reverse as url

    from dangjian.hooks.links import may_open
    from dangjian.transfers import access
    from tests.transfers.test_api import client_for

    user = request.getfixturevalue(who)
    person = Person.objects.select_related("membership__organization").get(pk=world.member.pk)
    assert access.may_start(scope(user), person) is allowed
    page = login(user).get(url("transfers:start", args=[person.pk]))
    assert page.status_code == (200 if allowed else 404)
    assert may_open(page.wsgi_request, "transfers:start", person) is allowed
    api = client_for(user).post(
        "/api/v1/transfers",
        {"person_id": person.pk, "kind": "out_national", "reason": "x", "external_org": "某单位党委"},
        content_type="application/json",
    )
    assert api.status_code == (201 if allowed else 404)


def test_no_one_starts_a_transfer_of_someone_without_a_membership(world, school_admin) -> None:
    from dangjian.transfers import access

    outsider = f.person("无党籍者", organization=world.cs_branch)
    assert not access.may_start(scope(school_admin), outsider)


def test_the_letter_opens_in_the_browser_under_its_serial_on_the_page_and_the_api(
    world, letter_out, login, college_organizer
) -> None:
    from tests.transfers.test_api import client_for

    letter = Letter.objects.get()
    expected = f'inline; filename="letter-{letter.serial}.pdf"'
    page = login(college_organizer).get(reverse("transfers:letter_pdf", args=[letter.pk]))
    api = client_for(college_organizer).get(f"/api/v1/transfers/{letter_out.pk}/letter.pdf")
    for response in (page, api):
        assert response["Content-Type"] == "application/pdf" and response.content[:4] == b"%PDF"
        assert response["Content-Disposition"] == expected


def test_the_export_is_audited_with_its_filters_and_row_count(world, letter_out, login, school_admin) -> None:
    from dangjian.audit.models import AuditEvent

    response = login(school_admin).get(reverse("transfers:export") + "?kind=out_national&page=2")
    assert response["Content-Disposition"].endswith('filename="transfers.xlsx"')
    assert len(_rows(response)) == 1
    event = AuditEvent.objects.get(action="transfer.export")
    assert event.actor == school_admin
    assert event.changes == {"filters": {"kind": "out_national"}, "rows": 1}
