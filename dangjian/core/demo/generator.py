"""Builds 示范大学 in memory and writes it with bulk inserts (with simple-history rows).

Sizes: ``small`` (6 colleges, ~40 branches, ~800 people) for the demo and tests; ``university``
(≈60 院系党组织, ≈1,000 branches, ≈30,000 members, ≈80,000 people) for benchmarks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import RoleAssignment, User
from dangjian.accounts.roles import Role
from dangjian.core.demo.names import COLLEGES, DEFAULT_MAJORS, MAJORS
from dangjian.core.demo.people import PersonFactory
from dangjian.core.models import (
    Cadre,
    CadreRank,
    DemocraticParty,
    DemocraticPartyMembership,
    Membership,
    MembershipType,
    Organization,
    OrgCategory,
    OrgKind,
    Person,
    PersonType,
    PoliticalStatus,
    Position,
    PositionTitle,
)
from dangjian.kit.bulk import copy_insert
from dangjian.kit.dates import add_months, add_years

DEMO_PASSWORD = "demo12345"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEP = 4


@dataclass(frozen=True)
class Size:
    colleges: int
    branches: tuple[int, int]  # per college
    members: tuple[int, int]  # per ordinary branch
    non_members: tuple[int, int]


SIZES = {
    "small": Size(colleges=6, branches=(5, 7), members=(8, 20), non_members=(6, 12)),
    "university": Size(colleges=58, branches=(15, 19), members=(24, 36), non_members=(40, 60)),
}

NON_MEMBER_STATUSES = (
    [PoliticalStatus.MASSES] * 50
    + [PoliticalStatus.APPLICANT] * 22
    + [PoliticalStatus.ACTIVIST] * 20
    + [PoliticalStatus.CANDIDATE] * 8
)
COMMITTEE_EXTRA = (
    PositionTitle.ORGANIZATION,
    PositionTitle.PUBLICITY,
    PositionTitle.DISCIPLINE,
    PositionTitle.YOUTH,
)


def segment(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 36)
        out = ALPHABET[r] + out
    return out.rjust(STEP, "0")


@dataclass
class BranchSpec:
    org: Organization
    person_type: str
    members: int
    non_members: int
    full_share: float = 0.85
    committee: bool | None = None  # None: by size
    major: str = ""
    demo: bool = False


@dataclass
class Build:
    rng: random.Random
    today: date
    orgs: list[Organization] = field(default_factory=list)
    branches: list[BranchSpec] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    cadres: list[Cadre] = field(default_factory=list)
    parties: list[DemocraticPartyMembership] = field(default_factory=list)
    demo: dict[str, Any] = field(default_factory=dict)

    def add_org(
        self, parent: Organization | None, kind: str, name: str, code: str, **extra: Any
    ) -> Organization:
        siblings = [
            o
            for o in self.orgs
            if o.depth == (parent.depth + 1 if parent else 1)
            and (parent is None or o.path.startswith(parent.path))
        ]
        path = (parent.path if parent else "") + segment(len(siblings) + 1)
        org = Organization(
            path=path, depth=len(path) // STEP, numchild=0, kind=kind, name=name, code=code, **extra
        )
        if parent is not None:
            parent.numchild += 1
        self.orgs.append(org)
        return org

    def term_start(self, kind: str) -> date:
        years = 5 if kind == OrgKind.COMMITTEE else 3
        return self.today - timedelta(days=self.rng.randrange(30, years * 365 - 200))


def _plan(build: Build, size: Size) -> None:
    rng, today = build.rng, build.today
    root = build.add_org(
        None,
        OrgKind.COMMITTEE,
        "中共示范大学委员会",
        "SCHOOL",
        short_name="学校党委",
        unit="示范大学",
        category="",
        established_on=date(1952, 10, 1),
        term_started_on=add_years(today, -2),
    )
    build.demo["root"] = root
    colleges = list(COLLEGES[: size.colleges])
    for index, (cname, code) in enumerate(colleges):
        kind = OrgKind.COMMITTEE if index < 2 or rng.random() < 0.8 else OrgKind.GENERAL_BRANCH
        label = "委员会" if kind == OrgKind.COMMITTEE else "总支部委员会"
        college = build.add_org(
            root,
            kind,
            f"中共示范大学{cname}{label}",
            code,
            short_name=f"{cname}{OrgKind(kind).label}",
            unit=cname,
            category=OrgCategory.MIXED,
            established_on=date(1990, 1, 1) + timedelta(days=index * 97),
            term_started_on=build.term_start(kind),
        )
        if index == 0:
            _plan_demo_college(build, college, cname)
            continue
        if index == 1:
            build.demo["other_college"] = college
        n_branches = rng.randint(*size.branches)
        majors = MAJORS.get(code, DEFAULT_MAJORS)
        for b in range(n_branches):
            if b < max(2, n_branches // 3):
                name, ptype, cat, bcode = (
                    f"{cname}教工第{b + 1}党支部",
                    PersonType.STAFF,
                    OrgCategory.STAFF,
                    f"T{b + 1}",
                )
            elif b % 3:
                name, ptype, cat, bcode = (
                    f"{cname}本科生第{b + 1}党支部",
                    PersonType.STUDENT,
                    OrgCategory.STUDENT,
                    f"S{b + 1}",
                )
            else:
                name, ptype, cat, bcode = (
                    f"{cname}研究生第{b + 1}党支部",
                    PersonType.STUDENT,
                    OrgCategory.STUDENT,
                    f"P{b + 1}",
                )
            branch = build.add_org(
                college,
                OrgKind.BRANCH,
                name,
                f"{code}-{bcode}",
                unit=cname,
                category=cat,
                established_on=date(2005, 9, 1),
                term_started_on=build.term_start(OrgKind.BRANCH),
            )
            build.branches.append(
                BranchSpec(
                    branch,
                    ptype,
                    rng.randint(*size.members),
                    rng.randint(*size.non_members),
                    major=rng.choice(majors),
                )
            )
    _plan_office_and_retired(build, root, size)


def _plan_demo_college(build: Build, college: Organization, cname: str) -> None:
    """计算机学院: the demo logins' college, with the deliberate rule-check cases."""
    today = build.today
    build.demo["college"] = college
    specs = [
        ("T1", "教工第一党支部", PersonType.STAFF, 12, 8, add_years(today, -1), True, True),
        ("T2", "教工第二党支部", PersonType.STAFF, 3, 5, add_years(today, -1), None, False),  # 2 full members
        ("T3", "教工第三党支部", PersonType.STAFF, 9, 4, add_years(today, -2), False, False),  # no committee
        ("S1", "本科生第一党支部", PersonType.STUDENT, 55, 30, add_months(today, -8), True, False),  # > 50
        (
            "S2",
            "本科生第二党支部",
            PersonType.STUDENT,
            18,
            20,
            add_months(today, -37),
            None,
            False,
        ),  # overdue
        (
            "P1",
            "研究生第一党支部",
            PersonType.STUDENT,
            16,
            10,
            add_months(today, -34),
            None,
            False,
        ),  # < 3 months
    ]
    for code, name, ptype, members, non_members, started, committee, demo in specs:
        cat = OrgCategory.STAFF if ptype == PersonType.STAFF else OrgCategory.STUDENT
        branch = build.add_org(
            college,
            OrgKind.BRANCH,
            f"{cname}{name}",
            f"CS-{code}",
            unit=cname,
            category=cat,
            established_on=date(2008, 9, 1),
            term_started_on=started,
        )
        spec = BranchSpec(
            branch, ptype, members, non_members, committee=committee, demo=demo, major="计算机科学与技术"
        )
        if code == "T2":
            spec.full_share = 0.67  # 2 of 3
        build.branches.append(spec)


def _plan_office_and_retired(build: Build, root: Organization, size: Size) -> None:
    rng = build.rng
    office = build.add_org(
        root,
        OrgKind.COMMITTEE,
        "中共示范大学机关委员会",
        "JG",
        short_name="机关党委",
        unit="学校机关",
        category=OrgCategory.OFFICE,
        term_started_on=build.term_start("committee"),
    )
    retired = build.add_org(
        root,
        OrgKind.COMMITTEE,
        "中共示范大学离退休工作委员会",
        "LT",
        short_name="离退休党委",
        unit="离退休工作处",
        category=OrgCategory.RETIRED,
        term_started_on=build.term_start("committee"),
    )
    for i, dept in enumerate(
        ("党委办公室", "组织部", "宣传部", "学生工作部", "教务处", "科研处", "财务处", "人事处")[
            : max(3, size.branches[0] - 1)
        ]
    ):
        branch = build.add_org(
            office,
            OrgKind.BRANCH,
            f"{dept}党支部",
            f"JG-{i + 1}",
            unit=dept,
            category=OrgCategory.OFFICE,
            term_started_on=build.term_start("branch"),
        )
        build.branches.append(BranchSpec(branch, PersonType.STAFF, rng.randint(*size.members), 4))
    for i in range(max(3, size.branches[0] - 1)):
        branch = build.add_org(
            retired,
            OrgKind.BRANCH,
            f"离退休第{i + 1}党支部",
            f"LT-{i + 1}",
            unit="离退休工作处",
            category=OrgCategory.RETIRED,
            term_started_on=build.term_start("branch"),
        )
        build.branches.append(
            BranchSpec(branch, PersonType.RETIRED, rng.randint(*size.members), 2, full_share=1.0)
        )


def _joined_on(build: Build, person: Person, full: bool) -> date:
    rng, today = build.rng, build.today
    earliest = add_years(person.birth_date, 19)
    if not full:
        return today - timedelta(days=rng.randrange(20, 330))
    latest = today - timedelta(days=800)  # full members: over a year of standing after probation
    if earliest >= latest:
        earliest = latest - timedelta(days=30)
    return earliest + timedelta(days=rng.randrange(max(1, (latest - earliest).days)))


def _people(build: Build, factory: PersonFactory) -> None:
    rng = build.rng
    for spec in build.branches:
        org = spec.org
        unit = org.unit
        branch_members: list[tuple[Person, Membership]] = []
        full_count = round(spec.members * spec.full_share)
        for i in range(spec.members):
            full = i < full_count
            person = factory.make(
                person_type=spec.person_type,
                organization=org,
                unit=unit,
                major=spec.major,
                status=PoliticalStatus.FULL if full else PoliticalStatus.PROBATIONARY,
            )
            if spec.person_type == PersonType.STUDENT and full:
                person.birth_date = min(person.birth_date, date(2003, 6, 1))
            joined = _joined_on(build, person, full)
            membership = Membership(
                person=person,
                organization=org,
                joined_on=joined,
                membership_type=MembershipType.FULL if full else MembershipType.PROBATIONARY,
                full_on=add_years(joined, 1) if full else None,
            )
            build.people.append(person)
            build.memberships.append(membership)
            branch_members.append((person, membership))
        for _ in range(spec.non_members):
            status = rng.choice(NON_MEMBER_STATUSES)
            person = factory.make(
                person_type=spec.person_type, organization=org, unit=unit, major=spec.major, status=status
            )
            build.people.append(person)
            if (
                status == PoliticalStatus.MASSES
                and spec.person_type == PersonType.STAFF
                and rng.random() < 0.15
            ):
                build.parties.append(
                    DemocraticPartyMembership(
                        person=person, party=rng.choice(DemocraticParty.values), joined_on=date(2015, 1, 1)
                    )
                )
        _committee(build, spec, branch_members)


def _committee(build: Build, spec: BranchSpec, members: list[tuple[Person, Membership]]) -> None:
    full = [p for p, m in members if m.membership_type == MembershipType.FULL]
    if not full:
        return
    started = spec.org.term_started_on or build.today
    build.positions.append(
        Position(person=full[0], organization=spec.org, title=PositionTitle.SECRETARY, started_on=started)
    )
    wants_committee = spec.committee if spec.committee is not None else len(full) >= 7
    if wants_committee:
        extra = min(len(full) - 1, build.rng.choice((2, 2, 4)))
        for person, title in zip(full[1 : 1 + extra], COMMITTEE_EXTRA, strict=False):
            build.positions.append(
                Position(person=person, organization=spec.org, title=title, started_on=started)
            )
    if spec.demo:
        build.demo["secretary"] = full[0]
        build.demo["member"] = full[-1]
    if len(members) >= 40:
        _groups(build, spec, members)


def _groups(build: Build, spec: BranchSpec, members: list[tuple[Person, Membership]]) -> None:
    half = len(members) // 2
    for n, chunk in enumerate((members[:half], members[half:]), start=1):
        group = build.add_org(
            spec.org,
            OrgKind.GROUP,
            f"第{n}党小组",
            f"{spec.org.code}-G{n}",
            unit=spec.org.unit,
            category=spec.org.category,
        )
        for _person, membership in chunk:
            membership.group = group
        build.positions.append(
            Position(
                person=chunk[-1][0],
                organization=group,
                title=PositionTitle.GROUP_LEADER,
                started_on=spec.org.term_started_on or build.today,
            )
        )


def _college_leaders(build: Build) -> None:
    """The school and each college committee get a committee of five; the 书记 is a cadre whose
    双重组织生活 is at the branch holding their membership."""
    by_org: dict[str, list[Membership]] = {}
    for m in build.memberships:
        by_org.setdefault(m.organization.path, []).append(m)
    taken: set[int] = set()
    titles = (
        PositionTitle.SECRETARY,
        PositionTitle.DEPUTY_SECRETARY,
        PositionTitle.ORGANIZATION,
        PositionTitle.PUBLICITY,
        PositionTitle.DISCIPLINE,
    )
    for org in build.orgs:
        if org.depth > 2 or org.kind == OrgKind.BRANCH:
            continue
        staff_branches = [
            b.org
            for b in build.branches
            if b.org.path.startswith(org.path) and b.person_type != PersonType.STUDENT
        ]
        candidates = [
            m
            for b in staff_branches
            for m in by_org.get(b.path, [])[2:]
            if m.membership_type == MembershipType.FULL and id(m) not in taken
        ]
        chosen = build.rng.sample(candidates, min(len(titles), len(candidates)))
        for membership, title in zip(chosen, titles, strict=False):
            taken.add(id(membership))
            build.positions.append(
                Position(
                    person=membership.person,
                    organization=org,
                    title=title,
                    started_on=org.term_started_on or build.today,
                )
            )
        if chosen:
            leader = chosen[0]
            build.cadres.append(
                Cadre(
                    person=leader.person,
                    post="党委书记",
                    unit=org.unit or "示范大学",
                    rank=CadreRank.UNIVERSITY if org.depth == 1 else CadreRank.DIVISION,
                    is_leading=True,
                    dual_life_branch=leader.organization,
                    started_on=org.term_started_on,
                )
            )


def _save(build: Build) -> None:
    """Bulk inserts (COPY on PostgreSQL) in dependency order, with simple-history rows; related objects
    get their ids as their targets are saved."""
    copy_insert(Organization, build.orgs, history=True)
    copy_insert(Person, build.people, history=True)
    copy_insert(Membership, build.memberships, history=True)
    copy_insert(Position, build.positions, history=True)
    copy_insert(Cadre, build.cadres)
    copy_insert(DemocraticPartyMembership, build.parties)


def _users(build: Build) -> list[tuple[str, str]]:
    return demo_users(build.demo)


def demo_users(demo: dict[str, Any]) -> list[tuple[str, str]]:
    """The demo accounts: ``demo`` names the root, a college, another college, a secretary and a member."""
    password = make_password(DEMO_PASSWORD)
    # Accounts without a person record carry a name, shown wherever the platform names who acted.
    accounts = [
        ("school_admin", None, [(Role.SCHOOL_ADMIN, demo["root"])], False, "赵敏"),
        ("college_organizer", None, [(Role.COLLEGE_ORGANIZER, demo["college"])], False, "孙丽"),
        ("branch_secretary", demo["secretary"], [], False, ""),
        ("member", demo["member"], [], False, ""),
        ("outsider_organizer", None, [(Role.COLLEGE_ORGANIZER, demo["other_college"])], False, "周强"),
        ("auditor", None, [(Role.AUDIT_ADMIN, None)], False, "吴静"),
        ("sysadmin", None, [(Role.SYSTEM_ADMIN, None)], True, "郑磊"),
        ("secadmin", None, [(Role.SECURITY_ADMIN, None)], False, "冯涛"),
    ]
    for username, person, roles, staff, name in accounts:
        user = User.objects.create(
            username=username, password=password, person=person, is_staff=staff, first_name=name
        )
        for role, org in roles:
            RoleAssignment.objects.create(user=user, role=role, organization=org)
    return [(a[0], DEMO_PASSWORD) for a in accounts]


def build_plan(*, size: str, seed: int, today: date) -> Build:
    """Everything to insert, in memory; driven only by random.Random(seed) and ``today``."""
    rng = random.Random(seed)
    build = Build(rng=rng, today=today)
    _plan(build, SIZES[size])
    _people(build, PersonFactory(rng))
    _college_leaders(build)
    return build


def generate(*, size: str, seed: int) -> dict[str, int]:
    build = build_plan(size=size, seed=seed, today=timezone.localdate())
    with transaction.atomic():
        _save(build)
        _users(build)
    return {
        "organizations": len(build.orgs),
        "branches": sum(1 for o in build.orgs if o.kind == OrgKind.BRANCH),
        "people": len(build.people),
        "members": len(build.memberships),
        "positions": len(build.positions),
    }
