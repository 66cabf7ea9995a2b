"""Persona fixtures: a small school with two colleges and the six demo personas.

- school_admin: 校级管理员 at the school committee
- college_organizer: 院系组织员 of 计算机学院党委
- branch_secretary: secretary (by position) of 计算机学院教工第一党支部
- member: a full member of that branch
- outsider_organizer: 院系组织员 of 外国语学院党委 (another college)
- auditor: 审计管理员
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from dangjian.accounts.models import User
from dangjian.accounts.roles import Role
from dangjian.core import services
from dangjian.core.models import Organization, OrgCategory, OrgKind, Person, PositionTitle
from dangjian.jobs.models import Job
from tests import factories as f


@dataclass
class World:
    school: Organization
    cs: Organization
    cs_branch: Organization
    cs_branch2: Organization
    cs_group: Organization
    fl: Organization
    fl_branch: Organization
    secretary: Person
    member: Person
    fl_member: Person


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Every test starts with an empty cache, so rate-limit windows never carry over from another test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts and ends in the platform's language. The language middleware activates the
    chosen language for a request in the thread and nothing puts it back (the next request sets its
    own); so a test whose client chose English left English active for the code the next test calls
    outside a request — ``Vocabulary().action_label`` answered "Change political status"."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _no_otp_unless_marked(request: pytest.FixtureRequest, settings) -> None:
    if "otp" not in request.keywords:
        settings.OTP_REQUIRED_FOR_ADMIN_ROLES = False


@pytest.fixture
def world(db) -> World:
    school = f.org(
        None, OrgKind.COMMITTEE, "中共示范大学委员会", code="SCHOOL", term_started_on=date(2023, 1, 10)
    )
    cs = f.org(
        school,
        OrgKind.COMMITTEE,
        "中共示范大学计算机学院委员会",
        code="CS",
        short_name="计算机学院党委",
        term_started_on=date(2024, 3, 1),
    )
    cs_branch = f.org(
        cs, OrgKind.BRANCH, "计算机学院教工第一党支部", code="CS-T1", term_started_on=date(2024, 9, 1)
    )
    cs_branch2 = f.org(
        cs,
        OrgKind.BRANCH,
        "计算机学院本科生党支部",
        code="CS-S1",
        category=OrgCategory.STUDENT,
        term_started_on=date(2024, 9, 1),
    )
    cs_group = f.org(cs_branch, OrgKind.GROUP, "教工第一党小组", code="CS-T1-G1")
    fl = f.org(
        school,
        OrgKind.COMMITTEE,
        "中共示范大学外国语学院委员会",
        code="FL",
        short_name="外国语学院党委",
        term_started_on=date(2024, 3, 1),
    )
    fl_branch = f.org(
        fl, OrgKind.BRANCH, "外国语学院教工党支部", code="FL-T1", term_started_on=date(2024, 9, 1)
    )
    secretary = f.member(cs_branch, "王建国", joined_on=date(2005, 7, 1), full_on=date(2006, 7, 1))
    member = f.member(cs_branch, "李晓红", female=True)
    f.member(cs_branch, "张伟")
    fl_member = f.member(fl_branch, "赵敏", female=True)
    f.member(fl_branch, "钱进")
    f.member(fl_branch, "孙立")
    services.position_assign(
        actor=None,
        person=secretary,
        organization=cs_branch,
        title=PositionTitle.SECRETARY,
        started_on=date(2024, 9, 1),
    )
    return World(school, cs, cs_branch, cs_branch2, cs_group, fl, fl_branch, secretary, member, fl_member)


@pytest.fixture
def school_admin(world: World) -> User:
    return f.user_for(None, "school_admin", (Role.SCHOOL_ADMIN, world.school))


@pytest.fixture
def college_organizer(world: World) -> User:
    return f.user_for(None, "college_organizer", (Role.COLLEGE_ORGANIZER, world.cs))


@pytest.fixture
def branch_secretary(world: World) -> User:
    return f.user_for(world.secretary, "branch_secretary")


@pytest.fixture
def member_user(world: World) -> User:
    return f.user_for(world.member, "member")


@pytest.fixture
def outsider_organizer(world: World) -> User:
    return f.user_for(None, "outsider_organizer", (Role.COLLEGE_ORGANIZER, world.fl))


@pytest.fixture
def auditor(world: World) -> User:
    return f.user_for(None, "auditor", (Role.AUDIT_ADMIN, None))


@pytest.fixture
def login():
    def _login(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def import_file(login, django_capture_on_commit_callbacks):
    """Upload a file to an import page as ``user`` (a dry-run job); with ``commit``, then import it."""

    def _import(user, name: str, content: bytes, commit: str | None = None) -> Job:
        client = login(user)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                reverse("core:import", args=[name]), {"file": SimpleUploadedFile(f"{name}.xlsx", content)}
            )
        job = Job.objects.latest("id")
        if commit:
            with django_capture_on_commit_callbacks(execute=True):
                client.post(reverse("core:import_commit", args=[job.pk]), {"mode": commit})
            job = Job.objects.latest("id")
        return job

    return _import
