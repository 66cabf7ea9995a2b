"""The figures of the 党内统计 (../shared/DOMAIN.md §7) and the tables they are handed in as.

This is the one catalogue: the engine computes every figure named here, the snapshot stores them under
these keys, the statistics pages and the annual return draw these tables, and ``rules.check`` knows
which rows add up to which. The keys are stable codes (English); labels go through gettext.

The 党龄 bands come from the policy (a school setting), so the catalogue is built on demand."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dangjian.core.models import Education, OrgCategory
from dangjian.core.stats import AGE_BANDS
from dangjian.policy import get_policy


@dataclass(frozen=True)
class Figure:
    key: str
    label: str | Promise
    # What a cell counts, for its explanation: "people" (a list of people) or "orgs" (organizations).
    counts: str = "people"


@dataclass(frozen=True)
class Section:
    title: str | Promise
    keys: tuple[str, ...]
    # The section's rows add up to this figure (e.g. the age bands to the members' total), or "".
    sums_to: str = ""


@dataclass(frozen=True)
class Table:
    key: str
    title: str | Promise
    sections: tuple[Section, ...]

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for s in self.sections for k in s.keys)


# Occupations of the statistics (DOMAIN §7), in the order of the table.
OCCUPATIONS: tuple[tuple[str, str | Promise], ...] = (
    ("worker", _("工人")),
    ("farmer", _("农牧渔民")),
    ("professional", _("专业技术人员")),
    ("manager", _("企事业单位管理人员")),
    ("official", _("党政机关工作人员")),
    ("student", _("学生")),
    ("other", _("其他职业")),
    ("retired", _("离退休人员")),
)
EDUCATIONS: tuple[tuple[str, str | Promise], ...] = (
    *((e.value, e.label) for e in Education),
    ("unknown", _("未填学历")),
)
CHANGE_INCREASES: tuple[tuple[str, str | Promise], ...] = (
    ("inc_recruited", _("发展党员")),
    ("inc_transfer_in", _("从校外转入")),
    ("inc_internal_in", _("校内调入")),
    ("inc_restored", _("恢复党籍")),
)
CHANGE_DECREASES: tuple[tuple[str, str | Promise], ...] = (
    ("dec_transfer_out", _("转出到校外")),
    ("dec_internal_out", _("校内调出")),
    ("dec_deceased", _("死亡")),
    ("dec_expelled", _("出党(开除、除名、自行脱党、退党)")),
    ("dec_suspended", _("停止党籍")),
    ("dec_cancelled", _("取消预备党员资格")),
    ("dec_other", _("其他减少")),
)


def age_band_key(index: int) -> str:
    low, high = AGE_BANDS[index][1], AGE_BANDS[index][2]
    if low is None:
        return f"age_le{high}"
    if high is None:
        return f"age_ge{low}"
    return f"age_{low}_{high}"


def party_age_bands() -> tuple[tuple[str, str, int | None, int | None], ...]:
    """(key, label, low, high) of each 党龄 band, whole years, both ends inclusive, None where open."""
    bounds = get_policy().statistics_party_age_bounds
    bands: list[tuple[str, str, int | None, int | None]] = []
    low = 0
    for high in bounds:
        if low == 0:
            bands.append((f"partyage_le{high}", f"≤{high}", None, high))
        else:
            bands.append((f"partyage_{low}_{high}", f"{low}–{high}", low, high))
        low = high + 1
    bands.append((f"partyage_ge{low}", f"≥{low}", low, None))
    return tuple(bands)


@cache
def _catalogue(bounds: tuple[int, ...], young: int) -> tuple[tuple[Table, ...], dict[str, Figure]]:
    figures: dict[str, Figure] = {}

    def add(key: str, label: str | Promise, counts: str = "people") -> str:
        figures[key] = Figure(key, label, counts)
        return key

    total = add("members_total", _("党员总数"))
    members = Table(
        "members",
        _("党员基本情况"),
        (
            Section(
                _("党员"),
                (total, add("members_probationary", _("预备党员")), add("members_full", _("正式党员"))),
            ),
            Section(_("性别"), (add("gender_male", _("男")), add("gender_female", _("女"))), sums_to=total),
            Section(
                _("民族"),
                (add("ethnic_han", _("汉族")), add("ethnic_minority", _("少数民族"))),
                sums_to=total,
            ),
            Section(
                _("学历"),
                tuple(add(f"edu_{code}", label) for code, label in EDUCATIONS),
                sums_to=total,
            ),
            Section(_("学历小计"), (add("edu_college_above", _("大专及以上")),)),
            Section(
                _("年龄"),
                tuple(add(age_band_key(i), band[0]) for i, band in enumerate(AGE_BANDS)),
                sums_to=total,
            ),
            Section(
                _("党龄"),
                (
                    add("partyage_probationary", _("预备党员(未计党龄)")),
                    *(add(key, label) for key, label, _low, _high in party_age_bands()),
                ),
                sums_to=total,
            ),
            Section(
                _("职业"),
                tuple(add(f"occ_{code}", label) for code, label in OCCUPATIONS),
                sums_to=total,
            ),
        ),
    )
    new_total = add("new_total", _("新发展党员"))
    new = Table(
        "new_members",
        _("新发展党员情况"),
        (
            Section(
                _("新发展党员"),
                (
                    new_total,
                    add("new_female", _("女")),
                    add("new_minority", _("少数民族")),
                    add("new_young", format_lazy(_("{age}岁及以下"), age=young)),
                ),
            ),
            Section(
                _("学历"),
                tuple(add(f"new_edu_{code}", label) for code, label in EDUCATIONS),
                sums_to=new_total,
            ),
            Section(
                _("职业"),
                tuple(add(f"new_occ_{code}", label) for code, label in OCCUPATIONS),
                sums_to=new_total,
            ),
        ),
    )
    inc_total = add("inc_total", _("增加合计"))
    dec_total = add("dec_total", _("减少合计"))
    changes = Table(
        "changes",
        _("党员增减变化"),
        (
            Section(_("年初"), (add("opening", _("上年底党员数")),)),
            Section(_("增加"), tuple(add(k, label) for k, label in CHANGE_INCREASES), sums_to=inc_total),
            Section(_("增加合计"), (inc_total,)),
            Section(_("减少"), tuple(add(k, label) for k, label in CHANGE_DECREASES), sums_to=dec_total),
            Section(_("减少合计"), (dec_total,)),
            Section(_("年末"), (add("closing", _("本年底党员数")),)),
            Section(
                _("预备党员"),
                (
                    add("probation_full", _("按期转正")),
                    add("probation_extended", _("延长预备期")),
                    add("probation_cancelled", _("取消预备党员资格")),
                ),
            ),
        ),
    )
    branches = add("org_branch", _("党支部"), "orgs")
    orgs = Table(
        "organizations",
        _("党组织情况"),
        (
            Section(
                _("党组织"),
                (
                    add("org_committee", _("党委"), "orgs"),
                    add("org_general_branch", _("党总支"), "orgs"),
                    branches,
                    add("org_group", _("党小组"), "orgs"),
                ),
            ),
            Section(
                _("党支部类别"),
                (
                    *(add(f"branch_{c.value}", c.label, "orgs") for c in OrgCategory),
                    add("branch_uncategorised", _("未分类"), "orgs"),
                ),
                sums_to=branches,
            ),
            Section(
                _("换届"),
                (
                    add("term_due", _("本年应换届"), "orgs"),
                    add("term_on_time", _("按期换届"), "orgs"),
                    add("term_overdue", _("年底已到期未换届"), "orgs"),
                ),
            ),
        ),
    )
    pipeline = Table(
        "pipeline",
        _("入党申请人和积极分子"),
        (
            Section(
                _("人数"),
                (
                    add("applicants", _("入党申请人")),
                    add("activists", _("入党积极分子")),
                    add("candidates", _("发展对象")),
                ),
            ),
        ),
    )
    data = Table(
        "data_checks",
        _("数据核查"),
        (
            Section(
                _("需核实的记录"),
                (
                    add("check_joined_under_age", _("入党时未满18岁")),
                    add("check_full_before_joined", _("转正日期早于入党日期")),
                    add("check_probation_overdue", _("预备期已满仍未转正")),
                ),
            ),
        ),
    )
    return (members, new, changes, orgs, pipeline, data), figures


def tables() -> tuple[Table, ...]:
    policy = get_policy()
    return _catalogue(policy.statistics_party_age_bounds, policy.statistics_young_age)[0]


def figures() -> dict[str, Figure]:
    policy = get_policy()
    return _catalogue(policy.statistics_party_age_bounds, policy.statistics_young_age)[1]


def figure_choices() -> list[tuple[str, str]]:
    """(key, "table · label") of every figure, for a designer's "pre-fill from the statistics" choice."""
    return [(k, f"{t.title} · {figures()[k].label}") for t in tables() for k in t.keys]
