"""The platform's extension points: what a module may contribute, one frozen dataclass each.

Each point has exactly one consumer, named in its docstring. Hooks sit below every app, so the types
of the platform (``Scope``, ``Person``, ``Permission``) appear here as ``Any``; the consumers pass the
real objects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.http import HttpRequest

Scope = Any  # dangjian.accounts.scope.Scope
Context = dict[str, Any]


@dataclass(frozen=True)
class NavSection:
    """A heading of the menu (consumer: ``web.navigation``): the entries whose ``group`` is ``key``.

    The platform declares "mine" (我的), "stats" (统计) and "system" (系统); each module declares its own.
    """

    key: str
    label: Any  # a lazy translation
    order: int


@dataclass(frozen=True)
class NavEntry:
    """One entry of the menu (consumer: ``web.navigation``).

    Shown when the scope holds ``permission`` (if given) and ``visible(request, scope)`` (if given)
    says yes; with neither, shown to everyone signed in. ``group`` is the key of its ``NavSection``
    (empty: above every section, as 工作台). ``tab`` puts the entry in the phone's bottom tab bar: the
    first shown entry of each tab key (by ``order``) takes that tab, labelled ``tab_label`` or its label.
    """

    label: Any  # a lazy translation
    url_name: str
    icon: str
    order: int
    group: str = ""
    permission: Any = None  # dangjian.accounts.roles.Permission
    visible: Callable[[HttpRequest, Scope], bool] | None = None
    tab: str = ""
    tab_label: Any = None


@dataclass(frozen=True)
class TodoItem:
    source: str  # the app, e.g. "core"
    title: str
    link: str
    severity: str = "info"  # "info" | "warning" | "danger"
    count: int = 1
    due: Any = None


Questions = Mapping[str, Any]  # name -> a QuerySet whose rows are counted


@dataclass(frozen=True)
class TodoProvider:
    """The user's open items from one area (consumer: ``workbench.todos.todos_for``).

    Most to-dos are "how many are waiting": such a provider gives ``ask(user, scope)``, the querysets to
    count by name, and ``answer(user, scope, counts)``, the items those counts make; the to-do centre
    counts every provider's questions in one query (``kit.counting.count_together``), so the 工作台's
    query count does not grow with the modules. A provider that must read rows gives ``items`` instead
    (an ``answer`` may also read a few rows, when a count alone cannot say the item).
    """

    name: str
    items: Callable[[Any, Scope], list[TodoItem]] | None = None
    ask: Callable[[Any, Scope], Questions] | None = None
    answer: Callable[[Any, Scope, Mapping[str, int]], list[TodoItem]] | None = None

    def __post_init__(self) -> None:
        if (self.items is None) == (self.ask is None) or (self.ask is None) != (self.answer is None):
            raise ValueError(f"to-do provider {self.name}: give either items, or ask and answer")


@dataclass(frozen=True)
class DashboardTile:
    """A card on the 工作台 (consumer: ``web.views.home``); ``context`` returns None to hide it.

    A tile that needs a count gives ``ask(request, scope)``, the querysets to count by name: the 工作台
    counts them in the to-dos' one statement, and ``context`` reads each with
    ``kit.counting.recall_count(scope, "tile.<key>:<name>", qs)`` (which counts on its own elsewhere).
    """

    key: str
    template: str
    order: int
    context: Callable[[HttpRequest, Scope], Context | None]
    charts: bool = False  # the tile draws an ECharts chart: the page loads the library
    ask: Callable[[HttpRequest, Scope], Questions] | None = None


@dataclass(frozen=True)
class PersonPanel:
    """A piece of the person page (consumer: ``core.views_people.person_detail``).

    ``slot`` "actions" renders in the header's button row, "cards" as a card below the person's data;
    ``context(request, scope, person)`` returns None to draw nothing. A ``lazy`` card is fetched when it
    comes into view (``core:person_card``), so the person page's queries do not grow with the modules.
    """

    key: str
    template: str
    order: int
    context: Callable[[HttpRequest, Scope, Any], Context | None]
    slot: str = "actions"
    lazy: bool = False

    def __post_init__(self) -> None:
        if self.lazy and self.slot != "cards":
            raise ValueError(f"person panel {self.key}: only a card can be lazy")


@dataclass(frozen=True)
class Badge:
    label: str
    color: str = "warning"  # a Tabler colour name


@dataclass(frozen=True)
class PersonBadges:
    """Badges beside names in the people list (consumer: ``core.views_people.person_list_view``).

    ``badges(person_ids)`` answers for one page of people in one query.
    """

    key: str
    badges: Callable[[list[int]], dict[int, Badge]]
    order: int = 50


@dataclass(frozen=True)
class DemoSeeder:
    """Demo data of one module (consumer: ``manage.py seed_demo``), run after the seeders in ``after``.

    The organizations and people of the demo university ("core") always come first.
    """

    name: str
    seed: Callable[[int], dict[str, int]]
    after: tuple[str, ...] = ()
    # ``seed_demo --size province`` (PostgreSQL): the module's year of data for the province data set, as
    # set-based resumable stages; called with a log function, returns counts. None: the module has none.
    province: Callable[[Callable[[str], None]], dict[str, int]] | None = None


@dataclass(frozen=True)
class PeriodicTask:
    """A Celery beat entry (consumer: ``config.celery``): ``task`` is the task's dotted name."""

    name: str
    task: str
    schedule: Any  # celery.schedules.crontab or seconds


@dataclass(frozen=True)
class ApiRouter:
    """A django-ninja router (consumer: ``api.root``): ``router`` is "dotted.module:attribute"."""

    router: str
    prefix: str = "/"
    order: int = 50


@dataclass(frozen=True)
class UrlMount:
    """A module's pages under ``prefix`` (consumer: ``config.urls``): ``urls`` is its urls module."""

    prefix: str
    urls: str
    order: int = 50


@dataclass(frozen=True)
class Finding:
    """One case a warning source found on a day (consumer: the 预警 centre of ``insights``).

    ``key`` names the case within its source and stays the same while the case lasts ("person:12",
    "org:7:term"), so that a nightly run updates the one open warning instead of raising another.
    ``organization_id`` is the organization that must act (a branch, a college): the warning is seen
    by whoever's scope holds it. ``rule`` names the rule broken with its source; ``summary`` is one
    line for the list; ``url`` opens the data (a path).
    """

    key: str
    organization_id: int
    summary: str
    rule: str
    level: str = "warning"  # "notice" 提示 | "warning" 预警 | "serious" 严重
    person_id: int | None = None
    url: str = ""
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class WarningSource:
    """Something that needs attention (consumer: the 预警 centre of ``insights``).

    ``findings(today)`` answers every case in the whole tree, set-based (a few queries whatever the
    size); the centre stores them as warnings, updates those still found and marks the others cleared.
    ``count(scope)`` is one query (kept for a source without findings); ``url_name`` is the module's
    own page for the cases.
    """

    code: str
    label: Any
    count: Callable[[Scope], int]
    url_name: str
    severity: str = "warning"
    permission: Any = None
    tags: tuple[str, ...] = field(default_factory=tuple)
    findings: Callable[[Any], Any] | None = None  # (today: date) -> Iterable[Finding]


@dataclass(frozen=True)
class LastContact:
    """The last day each person was in touch with their branch by one kind of contact (consumer: the
    失联 warning of ``insights``, DOMAIN §9): organizational life attended, dues paid.

    ``last_dates()`` answers ``(person id, last date)`` for everyone it has a date for, set-based (one
    query with GROUP BY, iterated); the consumer takes the latest over every contributor.
    """

    key: str
    label: Any  # a lazy translation: "参加组织生活", "交纳党费"
    last_dates: Callable[[], Iterable[tuple[int, date]]]


@dataclass(frozen=True)
class Reading:
    """One organization's value of an indicator for a period: ``value`` (None: nothing to measure),
    and where it is a ratio, its ``numerator`` and ``denominator`` (so that a college's value is the
    sum of its branches' numerators over the sum of their denominators, not a mean of means)."""

    value: float | None
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class Indicator:
    """A named measure of an organization over a period (consumer: ``insights``' indices).

    ``readings(start, end)`` answers ``{branch id: Reading}`` for every active branch it can measure,
    set-based; a college's reading is rolled up from its branches'. ``unit`` is "ratio" (0–1),
    "count", "hours" or "score"; ``better`` "higher" or "lower". ``url_name`` is the module's page
    that lists the data behind the value (called with the organization's id).
    """

    code: str
    label: Any
    source: Any  # the module's name, a lazy translation
    readings: Callable[[Any, Any], Mapping[int, Reading]]  # (start: date, end: date)
    unit: str = "ratio"
    better: str = "higher"
    description: Any = ""
    url_name: str = ""
    rollup: str = "ratio"  # "ratio" (Σnum/Σden) | "sum" | "mean"
    order: int = 50


@dataclass(frozen=True)
class ReportSection:
    """A module's own section of the 体检报告 (consumer: ``insights.reports``), beside the indicator
    sections: what no single number tells — the 组织生活 compliance matrix, the study hours' spread
    against the target, the 发展党员 funnel.

    ``context(org, start, end, today)`` answers the template's context for the organization's subtree
    over the period, or ``None`` to draw nothing, in a few queries (at most five) whatever the size of the
    subtree. The template renders in the page and in the A4 PDF alike: plain tables, no script.
    """

    key: str
    label: Any
    template: str
    context: Callable[[Any, date, date, date], Mapping[str, Any] | None]
    order: int = 50


@dataclass(frozen=True)
class PersonIndicator:
    """An objective fact about a member's year, shown beside the member where people judge them
    (民主评议's proposals, the 体检报告): consumer ``appraisal``.

    ``values(person_ids, year)`` answers ``{person id: (value, text)}`` in one or two queries, the
    text as shown ("28.5/32 学时"); ``ok`` says whether the value meets the rule (None: no rule).
    """

    code: str
    label: Any
    values: Callable[[Any, int], Mapping[int, tuple[Any, str, bool | None]]]
    order: int = 50


@dataclass(frozen=True)
class ImportSubject:
    """The one record an import page works on (a 党校 class), as ``ImportKind.subject`` finds it."""

    name: str  # in the jobs' titles instead of the file's name ("导入学员预检：<name>")
    title: str  # the page's title
    back_url: str  # the page the import page links back to (a path) …
    back_label: str  # … and the link's text
    org_path: str = ""  # the scope the jobs work in


@dataclass(frozen=True)
class ImportKind:
    """One kind of Excel import (consumer: ``spreadsheets``: its pages and its one job runner).

    The flow is the same for every kind: download the template, upload a file (a dry-run job that
    writes nothing and answers row by row), review, then commit (a second job on the same file: all rows
    in one transaction, or only the valid ones when ``valid_rows``). The kind's own pages are URLs of
    its module pointing at ``spreadsheets.views`` with ``{"kind": key}``, or the shared import page
    ``/imports/<name>/`` (``core:import``) for a kind with a ``name``.

    Who may import is the kind's: ``may_import(request)``, and for a kind about one record,
    ``subject(request, id)`` (answering 404 outside the scope). What a commit writes is audited by
    the module's services that the spec's ``apply`` calls.
    """

    key: str  # the kind of its jobs ("people_import"): stored on every job, so never renamed
    title: Any  # a lazy translation, "导入人员": the page's title and the jobs' ("<title>预检：<file>")
    spec: Callable[[], Any]  # -> spreadsheets.spec.ImportSpec, built per use (columns may follow data)
    context: Callable[[Any, dict[str, Any]], Any]  # (user, the job's params) -> what the rules get
    may_import: Callable[[HttpRequest], bool]  # the user may open the pages (else 404)
    template_name: str  # the template download's file name
    upload_url: str  # the URL names of its pages: upload (the import page), template, commit
    template_url: str
    commit_url: str
    name: str = ""  # its argument on the shared import page (core:import <name>)
    # A kind about one record (a class): the URL argument naming it, also kept in the jobs' params
    # ("class_id"), and (request, that id) -> ImportSubject, raising Http404 outside the scope.
    subject_param: str = ""
    subject: Callable[[HttpRequest, Any], ImportSubject] | None = None
    back_url: str = ""  # URL name of the page the import page links back to (without a subject) …
    back_label: Any = None  # … and the link's text (default "返回")
    valid_rows: bool = True  # a file with errors may be committed for its valid rows only
    updates: bool = True  # rows may update or leave existing records (else only new ones)
    # values of a row -> the timing rules it did not meet: reported, never blocking
    warnings: Callable[[dict[str, Any]], list[str]] | None = None
    dry_run_note: Any = None  # what the page says of the dry run, when not the usual


@dataclass(frozen=True)
class SearchHit:
    title: str
    url: str
    subtitle: str = ""


@dataclass(frozen=True)
class SearchProvider:
    """One kind of thing the header's search finds (consumer: ``web.views.search``).

    ``search(scope, text, limit)`` answers at most ``limit`` hits inside the scope, in a bounded number
    of queries (one or two); the kind is searched when the scope holds ``permission`` (if given) and
    ``visible(scope)`` (if given) says yes.
    """

    key: str
    label: Any  # a lazy translation: the heading of its hits
    search: Callable[[Scope, str, int], list[SearchHit]]
    order: int = 50
    permission: Any = None
    visible: Callable[[Scope], bool] | None = None

    def serves(self, scope: Scope) -> bool:
        if self.permission is not None and not scope.has(self.permission):
            return False
        return self.visible is None or self.visible(scope)


@dataclass(frozen=True)
class EncryptedField:
    """A module's column encrypted with ``core.crypto`` (consumer: ``core.services.field_keys``, which
    re-encrypts every listed column when the field key is rotated). ``model`` is "app_label.Model"."""

    model: str
    field: str


@dataclass(frozen=True)
class LoginNote:
    """A line on the login page about where the visitor is going (consumer: ``accounts.views.login_view``).

    ``note(next_path)`` answers a sentence (a meeting's check-in: "签到：主题党日 …") or None.
    """

    key: str
    note: Callable[[str], str | None]


ValueLabels = Mapping[Any, Any] | Callable[[], Mapping[Any, Any]]


@dataclass(frozen=True)
class AuditActions:
    """The audit action codes one area writes, in words (consumer: the audit log, ``audit.vocabulary``).

    ``actions`` maps every code the area passes to ``audit.record`` to a lazy label; the log's action
    filter lists them under ``label``. What the recorded changes hold is named from the target model
    (a field's ``verbose_name``, its choices' labels); ``fields`` names the keys that are no field of it
    ({key: lazy label}) and ``values`` says the values that no choices say ({key: {value: label}}, or a
    callable answering that mapping: called once per page, only when such a key is shown).
    """

    key: str
    label: Any  # a lazy translation: the group in the action filter, "组织生活"
    actions: Mapping[str, Any]
    fields: Mapping[str, Any] = field(default_factory=dict)
    values: Mapping[str, ValueLabels] = field(default_factory=dict)
    order: int = 50
