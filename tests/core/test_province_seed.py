"""The province data set generator (PostgreSQL), run at a tiny size: counts, names with pinyin, ID numbers,
every module's year of data, the demo logins' pages, resume."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client

from bench import modules as bench_modules
from dangjian.accounts.models import User
from dangjian.core import crypto
from dangjian.core.demo import province
from dangjian.core.demo.province_identities import fill_identities, id_number_for, phone_for
from dangjian.core.idnumbers import mask_id_number, parse_id_number
from dangjian.core.models import Membership, Organization, Person, Position
from dangjian.core.pinyin import name_initials
from dangjian.transfers import province_demo as transfers_demo

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the province generator is PostgreSQL SQL"
)


@pytest.fixture
def tiny(monkeypatch, db):
    from tests import factories as f

    f.ensure_the_25_steps()  # gone when a transactional test ran before (its flush)
    monkeypatch.setattr(province, "COMMITTEES", 3)
    monkeypatch.setattr(province, "BRANCHES_PER_COMMITTEE", 2)
    monkeypatch.setattr(province, "MEMBERS_PER_BRANCH", 8)
    monkeypatch.setattr(province, "NON_MEMBERS_PER_BRANCH", 4)
    monkeypatch.setattr(transfers_demo, "SHARE_PER_MILLE", 300)  # a few transfers among 48 members


def test_id_numbers_are_valid_unique_and_agree_with_birth_date_and_gender() -> None:
    birth = date(2003, 2, 28)
    numbers = {id_number_for(pk, birth, female=pk % 3 == 0) for pk in range(1, 5001)}
    assert len(numbers) == 5000
    for pk in (1, 2, 3, 449, 450, 4999):
        info = parse_id_number(id_number_for(pk, birth, female=pk % 3 == 0), today=date(2026, 1, 1))
        assert info.birth_date == birth and info.gender == ("female" if pk % 3 == 0 else "male")
    assert all(len(phone_for(pk)) == 11 and phone_for(pk).startswith("1") for pk in range(1, 100))


@postgresql_only
@pytest.mark.django_db(transaction=True, reset_sequences=True)  # ids from 1: the shares are by id
def test_generates_the_tree_people_members_secretaries_and_every_modules_year(tiny) -> None:
    lines: list[str] = []
    counts = province.generate(log=lines.append, workers=1)
    assert {k: counts[k] for k in ("organizations", "people", "members")} == {
        "organizations": 10,
        "people": 72,
        "members": 48,
    }
    assert Organization.objects.count() == 10 and Organization.objects.find_problems() == ([], [], [], [], [])
    assert Person.objects.count() == 72 and Membership.objects.count() == 48
    assert Position.objects.filter(title="secretary").count() == 6
    for p in Person.objects.all()[:10]:
        assert p.name_initials == name_initials(p.name) and len(p.name) == 2
    assert User.objects.filter(username__in=["school_admin", "branch_secretary", "member"]).count() == 3
    for key in (
        "dues_standards",
        "dues_entries",
        "dues_bills",
        "recruitment_cases",
        "recruitment_steps",
        "transfers",
        "transfer_letters",
        "training_classes",
        "training_enrolments",
        "training_certificates",
        "meetings",
        "attendees",
        "minutes",
    ):
        assert counts[key] > 0, key

    again: list[str] = []
    province.generate(log=again.append, workers=1)  # resumes: every stage is already there
    assert [line for line in again if line.startswith("  ") and "skipped" not in line] == []
    assert Person.objects.count() == 72


@postgresql_only
@pytest.mark.django_db(transaction=True, reset_sequences=True)  # ids from 1: the shares are by id
def test_every_person_has_an_id_number_stored_as_the_orm_would(tiny) -> None:
    province.generate(log=lambda line: None, workers=1)
    people = list(Person.objects.all())
    assert all(p.id_number_encrypted and p.phone for p in people)
    assert len({p.id_number_index for p in people}) == len(people)
    for p in people[:20]:
        number = crypto.decrypt(p.id_number_encrypted)
        info = parse_id_number(number)
        assert (info.birth_date, info.gender) == (p.birth_date, p.gender)
        assert p.id_number_index == crypto.blind_index(number)
        assert p.id_number_masked == mask_id_number(number)
    assert fill_identities(lambda line: None, workers=1)["rows"] == 0  # nothing left to do


@postgresql_only
@pytest.mark.django_db(transaction=True, reset_sequences=True)  # ids from 1: the shares are by id
def test_the_demo_logins_open_every_modules_main_pages(tiny) -> None:
    province.generate(log=lambda line: None, workers=1)
    roots = bench_modules.scope_roots()
    for username in ("school_admin", "college_organizer"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        org = roots[username]
        for area, label, _kind, path in bench_modules.pages(org, bench_modules._objects(org.path)):
            assert path is not None, (username, area, label)
            assert client.get(path).status_code == 200, (username, path)
