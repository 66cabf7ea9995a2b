"""The checks of a set of statistics figures (../shared/DOMAIN.md §7), as pure functions.

A return is checked before it is submitted and each failure names its cell: the sections of a table
that add up to a total (``figures.Section.sums_to``), the balance of the year (opening + increases −
decreases = closing), the closing equal to the members' total, last year's closing equal to this
year's opening, no negative figure, the parts not above their whole, and the children of an
organization adding up to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dangjian.reporting.figures import CHANGE_DECREASES, CHANGE_INCREASES, figures, tables

Figures = Mapping[str, int]


@dataclass(frozen=True)
class Failure:
    key: str  # the cell that fails (the total, when parts do not add up to it)
    code: str
    message: str


# Figures that are parts of another one without a section summing to it: (part, whole).
PARTS_OF = (
    ("new_female", "new_total"),
    ("new_minority", "new_total"),
    ("new_young", "new_total"),
    ("term_on_time", "term_due"),
    ("probation_cancelled", "dec_total"),
)
COLLEGE_ABOVE = ("edu_postgraduate", "edu_bachelor", "edu_junior_college")


def _label(key: str) -> str:
    figure = figures().get(key)
    return str(figure.label) if figure else key


def check(values: Figures, *, last_closing: int | None = None) -> list[Failure]:
    """Every failing check of one organization's figures (missing keys are 0)."""

    def v(key: str) -> int:
        return int(values.get(key) or 0)

    failures: list[Failure] = []
    for key, value in values.items():
        if value is not None and int(value) < 0:
            failures.append(Failure(key, "negative", _("“%(cell)s”不能为负数") % {"cell": _label(key)}))
    for table in tables():
        for section in table.sections:
            if not section.sums_to:
                continue
            total = sum(v(k) for k in section.keys)
            if total != v(section.sums_to):
                failures.append(
                    Failure(
                        section.sums_to,
                        "sum",
                        _("“%(table)s”中“%(section)s”各项之和 %(sum)s 不等于“%(cell)s” %(total)s")
                        % {
                            "table": table.title,
                            "section": section.title,
                            "sum": total,
                            "cell": _label(section.sums_to),
                            "total": v(section.sums_to),
                        },
                    )
                )
    if v("members_probationary") + v("members_full") != v("members_total"):
        failures.append(
            Failure(
                "members_total",
                "sum",
                _("预备党员 %(p)s 与正式党员 %(f)s 之和不等于党员总数 %(t)s")
                % {"p": v("members_probationary"), "f": v("members_full"), "t": v("members_total")},
            )
        )
    if sum(v(k) for k in COLLEGE_ABOVE) != v("edu_college_above"):
        failures.append(
            Failure(
                "edu_college_above",
                "sum",
                _("“大专及以上”应等于研究生、大学本科、大专之和 %(sum)s")
                % {"sum": sum(v(k) for k in COLLEGE_ABOVE)},
            )
        )
    for part, whole in PARTS_OF:
        if v(part) > v(whole):
            failures.append(
                Failure(
                    part,
                    "part",
                    _("“%(part)s” %(a)s 不能大于“%(whole)s” %(b)s")
                    % {"part": _label(part), "a": v(part), "whole": _label(whole), "b": v(whole)},
                )
            )
    increases = sum(v(k) for k, _l in CHANGE_INCREASES)
    decreases = sum(v(k) for k, _l in CHANGE_DECREASES)
    if v("opening") + increases - decreases != v("closing"):
        failures.append(
            Failure(
                "closing",
                "balance",
                _("年初 %(o)s + 增加 %(i)s − 减少 %(d)s = %(e)s，不等于年底党员数 %(c)s")
                % {
                    "o": v("opening"),
                    "i": increases,
                    "d": decreases,
                    "e": v("opening") + increases - decreases,
                    "c": v("closing"),
                },
            )
        )
    if v("closing") != v("members_total"):
        failures.append(
            Failure(
                "closing",
                "closing_total",
                _("年底党员数 %(c)s 不等于“党员基本情况”的党员总数 %(t)s")
                % {"c": v("closing"), "t": v("members_total")},
            )
        )
    if last_closing is not None and v("opening") != last_closing:
        failures.append(
            Failure(
                "opening",
                "opening",
                _("上年底党员数 %(o)s 不等于上年年报的年底党员数 %(c)s")
                % {"o": v("opening"), "c": last_closing},
            )
        )
    return failures


def check_children(
    parent: Figures, children: Sequence[Figures], *, own: Figures | None = None
) -> list[Failure]:
    """The parent's figures equal the sum of its children's (plus ``own``: the people held directly by
    the parent itself, e.g. members of a college committee's own branchless roll)."""
    failures: list[Failure] = []
    keys = set(parent) | {k for c in children for k in c} | set(own or {})
    for key in sorted(keys):
        total = sum(int(c.get(key) or 0) for c in children) + int((own or {}).get(key) or 0)
        if total != int(parent.get(key) or 0):
            failures.append(
                Failure(
                    key,
                    "rollup",
                    _("“%(cell)s” %(value)s 不等于下级组织之和 %(sum)s")
                    % {"cell": _label(key), "value": int(parent.get(key) or 0), "sum": total},
                )
            )
    return failures
