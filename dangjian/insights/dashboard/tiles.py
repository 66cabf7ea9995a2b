"""What the 领导驾驶舱 draws: each comparison and trend as a tile — the chart's data (sent to the page in a
``json_script`` block) and the table beside it with the same numbers, each one linked to the page it
comes from when the viewer may open it (a child's name to its own dashboard or 评价指数 page, a value to
the indicator's data page, a warning count to the 预警 centre)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from dangjian import hooks
from dangjian.accounts.requests import scope_of
from dangjian.core.models import Organization
from dangjian.hooks.links import may_open
from dangjian.insights.dashboard.selectors import (
    COMMITTEE_KINDS,
    FUNNEL,
    RATES,
    Comparison,
    Trend,
    Value,
)
from dangjian.insights.periods import Period
from dangjian.insights.templatetags.insights_extras import indicator_value
from dangjian.insights.warnings import access as warnings_access


@dataclass(frozen=True)
class Cell:
    text: str
    url: str = ""


@dataclass
class Row:
    name: str
    url: str
    cells: list[Cell]
    rank: int | None = None


@dataclass
class Tile:
    key: str
    title: str
    note: str
    columns: list[str]
    rows: list[Row]
    chart: dict[str, Any]
    ranked: bool = True
    first_column: str = ""
    empty: bool = field(default=False)
    empty_text: str = ""

    @property
    def chart_id(self) -> str:
        return f"dash-{self.key}"

    @property
    def chart_data_id(self) -> str:
        return f"dash-{self.key}-data"


class Links:
    """The links of one viewer: drawn only where the page opens for them."""

    def __init__(self, request: HttpRequest, period: Period) -> None:
        self.request = request
        self.period = period
        self.scope = scope_of(request)

    def org(self, org: Organization) -> str:
        """A committee opens its own dashboard; a branch its 评价指数 page."""
        query = urlencode({"org": org.pk, "period": self.period.code})
        if org.kind in COMMITTEE_KINDS:
            return f"{reverse('insights:dashboard')}?{query}"
        return f"{reverse('insights:org', args=[org.pk])}?{urlencode({'period': self.period.code})}"

    def value(self, indicator: hooks.Indicator | None, org: Organization) -> str:
        if indicator is None or not indicator.url_name:
            return ""
        try:
            if not may_open(self.request, indicator.url_name, org):
                return ""
        except LookupError:
            pass  # the module guards the page itself; as on the 评价指数 page
        return reverse(indicator.url_name, args=[org.pk])

    def warnings(self, org: Organization) -> str:
        if not warnings_access.handles_for(self.scope, org):
            return ""
        key = "college" if org.kind in COMMITTEE_KINDS else "branch"
        return f"{reverse('insights:warnings')}?{urlencode({key: org.pk})}"


def _number(value: float | None, unit: str) -> float | None:
    """The number a chart draws: a ratio as a percentage."""
    if value is None:
        return None
    return round(value * 100, 1) if unit == "ratio" else round(value, 1)


def _ranked(
    pairs: list[tuple[Organization, float | None]], better: str
) -> list[tuple[Organization, int | None]]:
    """The children in the order of the ranking (the best first; no value last, unranked); equal values
    share a rank."""
    valued = sorted(
        (p for p in pairs if p[1] is not None),
        key=lambda p: (-(p[1] or 0) if better == "higher" else (p[1] or 0), p[0].path),
    )
    out: list[tuple[Organization, int | None]] = []
    previous: float | None = None
    rank = 0
    for i, (org, value) in enumerate(valued, start=1):
        if value != previous:
            rank, previous = i, value
        out.append((org, rank))
    out.extend((org, None) for org, value in pairs if value is None)
    return out


# A comparison of more children than this shows the first and the last of the ranking (half each): a
# province's 3,000 colleges are a ranking to read at its ends, not 3,000 bars (and 3,000 rows per tile
# made the page seconds long). The 运行状态矩阵图 lists every child, paginated.
MAX_SHOWN = 30


def _extremes(
    ranked: list[tuple[Organization, int | None]],
) -> tuple[list[tuple[Organization, int | None]], str]:
    """The rows a tile shows and, when it leaves some out, a sentence saying so."""
    if len(ranked) <= MAX_SHOWN:
        return ranked, ""
    valued = [r for r in ranked if r[1] is not None]
    half = MAX_SHOWN // 2
    shown = valued if len(valued) <= MAX_SHOWN else valued[:half] + valued[-half:]
    note = _("共 %(n)s 个下级组织，列出排名前 %(k)s 和后 %(k)s 的组织（无数据的 %(m)s 个未列出）。") % {
        "n": len(ranked),
        "k": half,
        "m": len(ranked) - len(valued),
    }
    return shown, note


def _name(org: Organization) -> str:
    return org.short_name or org.name


def _bar(
    label: str,
    unit: str,
    ranked: Sequence[tuple[Organization, int | None]],
    numbers: dict[int, float | None],
    links: Links,
) -> dict[str, Any]:
    shown = [(org, numbers[org.pk]) for org, rank in ranked if rank is not None]
    return {
        "kind": "bar",
        "label": label,
        "unit": "%" if unit == "ratio" else "",
        "names": [_name(org) for org, _n in shown],
        "values": [n for _org, n in shown],
        "urls": [links.org(org) for org, _n in shown],
    }


def rate_tile(code: str, indicator: hooks.Indicator, found: Comparison, links: Links) -> Tile:
    values = {c.pk: found.values.get(c.pk, {}).get(code) for c in found.children}
    plain = {pk: v.value if v else None for pk, v in values.items()}
    ranked, left_out = _extremes(_ranked([(c, plain[c.pk]) for c in found.children], indicator.better))
    rows = []
    for org, rank in ranked:
        value = plain[org.pk]
        drill = links.value(indicator, org) if value is not None else ""
        cells = [Cell(indicator_value(value, indicator.unit), drill), Cell(_fraction(values[org.pk]))]
        rows.append(Row(_name(org), links.org(org), cells, rank))
    numbers = {pk: _number(value, indicator.unit) for pk, value in plain.items()}
    label = str(indicator.label)
    return Tile(
        key=code.replace(".", "-"),
        title=label,
        note=" ".join(filter(None, [str(indicator.source), left_out])),
        columns=[_("数值"), _("分子 / 分母")],
        rows=rows,
        chart=_bar(label, indicator.unit, ranked, numbers, links),
        empty=all(value is None for value in plain.values()),
    )


def _fraction(v: Value | None) -> str:
    if v is None or not v.denominator:
        return "—"
    return f"{v.numerator or 0:g} / {v.denominator:g}"


def warnings_tile(found: Comparison, links: Links) -> Tile:
    counts = {c.pk: float(found.warnings.get(c.pk, 0)) for c in found.children}
    ranked, left_out = _extremes(_ranked([(c, counts[c.pk]) for c in found.children], "lower"))
    rows = [
        Row(_name(org), links.org(org), [Cell(f"{counts[org.pk]:g}", links.warnings(org))], rank)
        for org, rank in ranked
    ]
    label = _("待处理预警")
    return Tile(
        key="warnings",
        title=label,
        note=" ".join(
            filter(
                None, [_("待处理和处理中的预警，按所属下级组织统计（含其下属组织）；少者在前。"), left_out]
            )
        ),
        columns=[_("预警数")],
        rows=rows,
        chart=_bar(label, "count", ranked, dict(counts), links),
        empty=not any(counts.values()),
        empty_text=_("下级组织目前没有待处理的预警。"),
    )


def funnel_tile(indicators: dict[str, hooks.Indicator], found: Comparison, links: Links) -> Tile:
    codes = [c for c in FUNNEL if c in indicators]
    counts: dict[int, list[float | None]] = {
        org.pk: [(v.value if (v := found.values.get(org.pk, {}).get(code)) else None) for code in codes]
        for org in found.children
    }
    totals = {
        pk: (sum(x for x in got if x is not None) if any(x is not None for x in got) else None)
        for pk, got in counts.items()
    }
    ranked, left_out = _extremes(_ranked([(c, totals[c.pk]) for c in found.children], "higher"))
    rows = [
        Row(
            _name(org),
            links.org(org),
            [Cell(indicator_value(x, "count")) for x in counts[org.pk]]
            + [Cell(indicator_value(totals[org.pk], "count"))],
            rank,
        )
        for org, rank in ranked
    ]
    shown = [org for org, rank in ranked if rank is not None]
    labels = [_stage_label(indicators[c]) for c in codes]
    return Tile(
        key="funnel",
        title=_("发展党员各阶段人数"),
        note=" ".join(filter(None, [_("期末日各阶段人数，按合计排序。"), left_out])),
        columns=[*labels, _("合计")],
        rows=rows,
        chart={
            "kind": "stack",
            "label": _("发展党员各阶段人数"),
            "unit": "",
            "names": [_name(org) for org in shown],
            "urls": [links.org(org) for org in shown],
            "series": [
                {"name": labels[i], "values": [counts[org.pk][i] for org in shown]} for i in range(len(codes))
            ],
        },
        empty=not shown,
    )


def _stage_label(indicator: hooks.Indicator) -> str:
    return str(indicator.label).removesuffix("人数")


def trend_tiles(
    org: Organization, indicators: dict[str, hooks.Indicator], got: Trend, links: Links
) -> list[Tile]:
    """Two tiles over the 12 months: the rates (in %) and the funnel (people)."""
    months = [m.label for m in got.months]
    out = []
    for key, title, codes, unit in (
        ("trend-rates", _("各项比率近 12 个月趋势"), [c for c in RATES if c in indicators], "ratio"),
        ("trend-funnel", _("发展党员近 12 个月趋势"), [c for c in FUNNEL if c in indicators], "count"),
    ):
        labels = [str(indicators[c].label) if unit == "ratio" else _stage_label(indicators[c]) for c in codes]
        series = [[v.value if v else None for v in got.values[c]] for c in codes]
        urls = [links.value(indicators[c], org) for c in codes]
        rows = [
            Row(
                month,
                "",
                [
                    Cell(
                        indicator_value(series[j][i], unit),
                        urls[j] if series[j][i] is not None else "",
                    )
                    for j in range(len(codes))
                ],
            )
            for i, month in enumerate(months)
        ]
        out.append(
            Tile(
                key=key,
                title=title,
                note=_("按月统计，没有计算的月份显示“—”。"),
                columns=labels,
                rows=rows,
                chart={
                    "kind": "line",
                    "label": title,
                    "unit": "%" if unit == "ratio" else "",
                    "names": months,
                    "series": [
                        {"name": labels[j], "values": [_number(x, unit) for x in series[j]]}
                        for j in range(len(codes))
                    ],
                },
                ranked=False,
                first_column=_("月份"),
                empty=not any(x is not None for s in series for x in s),
            )
        )
    return out


def comparison_tiles(indicators: dict[str, hooks.Indicator], found: Comparison, links: Links) -> list[Tile]:
    tiles = [rate_tile(code, indicators[code], found, links) for code in RATES if code in indicators]
    tiles.append(funnel_tile(indicators, found, links))
    tiles.append(warnings_tile(found, links))
    return tiles
