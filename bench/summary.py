"""One summary table for `make bench`: each target, the figure, the ratio to its floor, pass or fail.

Every benchmark adds its rows here (``add_page``, ``add_seconds``, ``add_floor``, ``add_value``); each
row is also appended to var/bench/summary.jsonl, so the benchmarks of `make bench` (separate processes)
add up to one table: ``python -m bench.summary --size S`` prints it and writes it into
docs/performance.md between that size's SUMMARY markers (``bench.run`` starts a new file). Targets are
issue 20's, at province size. Nothing here is a test: a failing row is a figure to explain, not a red
build.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

# Issue 20's targets.
DETAIL_MAX_QUERIES = 8
DETAIL_P95_MS = 60.0
LIST_MAX_QUERIES = 12
LIST_P95_MS = 100.0
LIST_RAW_SLACK_MS = 30.0  # a list within 30 ms + 3× the hand-written SQL for its rows
LIST_RAW_FACTOR = 3.0
DASHBOARD_COLD_MS = 500.0
EXPORT_FLOOR_FACTOR = 2.0
IMPORT_FLOOR_FACTOR = 3.0


@dataclass(frozen=True)
class Row:
    area: str
    what: str
    figure: str
    target: str
    floor: str = ""
    ratio: str = ""
    ok: bool = True


# Issue 15: the root's statistics page and API once the snapshot exists.
STATISTICS_MAX_QUERIES, STATISTICS_P95_MS = 10, 50.0
# Issue 15: a school-level review page of a return (3,000 committees at province size).
REVIEW_MAX_QUERIES, REVIEW_P95_MS = 15, 150.0

ROWS: list[Row] = []
STORE = Path("var/bench/summary.jsonl")


def _keep(row: Row) -> Row:
    ROWS.append(row)
    STORE.parent.mkdir(parents=True, exist_ok=True)
    with STORE.open("a", encoding="utf-8") as store:
        store.write(json.dumps(asdict(row), ensure_ascii=False) + "\n")
    return row


def start_run() -> None:
    """A new summary: forget the rows of an earlier run."""
    ROWS.clear()
    STORE.unlink(missing_ok=True)


def load() -> list[Row]:
    """The rows every benchmark process of this run stored."""
    if not STORE.exists():
        return []
    return [Row(**json.loads(line)) for line in STORE.read_text(encoding="utf-8").splitlines() if line]


def add_page(
    area: str,
    what: str,
    *,
    kind: str,
    median_ms: float,
    p95_ms: float,
    queries: int,
    raw_ms: float | None = None,
    cold_ms: float | None = None,
) -> Row:
    """A page: ``kind`` is "detail" (≤ 8 queries, p95 ≤ 60 ms), "list" (≤ 12 queries, p95 ≤ 100 ms, median
    within 30 ms + 3× the raw SQL), "dashboard" (as a list, and cold ≤ 500 ms) or "statistics" (a page
    read from the statistics snapshot: ≤ 10 queries, p95 ≤ 50 ms) or "review" (the school's review page of a
    return: ≤ 15 queries, p95 ≤ 150 ms; issue 15)."""
    max_q, max_p95 = {
        "detail": (DETAIL_MAX_QUERIES, DETAIL_P95_MS),
        "statistics": (STATISTICS_MAX_QUERIES, STATISTICS_P95_MS),
        "review": (REVIEW_MAX_QUERIES, REVIEW_P95_MS),
    }.get(kind, (LIST_MAX_QUERIES, LIST_P95_MS))
    ok = queries <= max_q and p95_ms <= max_p95
    target = f"≤ {max_q} q, p95 ≤ {max_p95:.0f} ms"
    figure = f"{queries} q, p95 {p95_ms:.0f} ms (median {median_ms:.0f})"
    floor = ratio = ""
    if raw_ms is not None:
        ok = ok and median_ms <= LIST_RAW_SLACK_MS + LIST_RAW_FACTOR * raw_ms
        target += ", ≤ 30 ms + 3× raw"
        floor = f"{raw_ms:.1f} ms"
        ratio = f"{median_ms / raw_ms:.1f}×" if raw_ms > 0 else ""
    if kind == "dashboard" and cold_ms is not None:
        ok = ok and cold_ms <= DASHBOARD_COLD_MS
        target += f", cold ≤ {DASHBOARD_COLD_MS:.0f} ms"
        figure += f", cold {cold_ms:.0f} ms"
    row = Row(area, what, figure, target, floor, ratio, ok)
    return _keep(row)


def add_seconds(area: str, what: str, seconds: float, limit: float, detail: str = "") -> Row:
    """A duration against a limit in seconds."""
    figure = f"{seconds:.1f} s" + (f" ({detail})" if detail else "")
    row = Row(area, what, figure, f"≤ {limit:g} s", ok=seconds <= limit)
    return _keep(row)


def add_floor(
    area: str, what: str, seconds: float, floor_seconds: float, factor: float, detail: str = ""
) -> Row:
    """A duration against ``factor`` × its floor measured in the same run (the same rows with no per-row
    logic)."""
    ratio = seconds / floor_seconds if floor_seconds > 0 else float("inf")
    figure = f"{seconds:.1f} s" + (f" ({detail})" if detail else "")
    row = Row(
        area, what, figure, f"≤ {factor:g}× floor", f"{floor_seconds:.1f} s", f"{ratio:.1f}×", ratio <= factor
    )
    return _keep(row)


def add_value(area: str, what: str, value: float, limit: float, unit: str) -> Row:
    """Any other figure with an upper limit (queries, MB, tables never analysed)."""
    row = Row(area, what, f"{value:g} {unit}", f"≤ {limit:g} {unit}", ok=value <= limit)
    return _keep(row)


def machine() -> str:
    cpus = os.cpu_count() or 0
    try:
        mem_kb = int(
            next(
                line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
            ).split()[1]
        )
        mem = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        mem = "? GiB"
    try:
        pg = subprocess.run(
            ["psql", "--version"], capture_output=True, text=True, check=False
        ).stdout.split()[2]
    except OSError:
        pg = "?"
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    python = platform.python_version()
    return (
        f"{cpus} cores, {mem}, Python {python}, PostgreSQL {pg}, 1-min load average {load:.1f} when written"
    )


def table(rows: list[Row]) -> str:
    lines = [
        "| area | what | figure | target | floor / raw | ratio | pass |",
        "|---|---|---|---|---:|---:|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r.area} | {r.what} | {r.figure} | {r.target} | {r.floor} | {r.ratio} "
            f"| {'✓' if r.ok else '✗'} |"
        )
    return "\n".join(lines)


def print_table(rows: list[Row]) -> None:
    print()
    print(table(rows))
    failed = [r for r in rows if not r.ok]
    print(f"\n{len(rows) - len(failed)} of {len(rows)} targets met")


def write_doc(rows: list[Row], size: str, path: Path = Path("docs/performance.md")) -> None:
    """Replace this size's summary section of docs/performance.md (between its markers) with the table."""
    start, end = f"<!-- SUMMARY:{size}:START -->", f"<!-- SUMMARY:{size}:END -->"
    failed = sum(not r.ok for r in rows)
    block = "\n".join(
        [
            start,
            f"### `make bench` summary, {size} size — {now()}",
            "",
            f"Machine: {machine()}. **{len(rows) - failed} of {len(rows)} targets met.**",
            "",
            table(rows),
            end,
        ]
    )
    text = path.read_text() if path.exists() else "# Performance\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)


def now() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M")


def main() -> None:
    size = sys.argv[sys.argv.index("--size") + 1] if "--size" in sys.argv else "university"
    rows = load()
    print_table(rows)
    if rows and "--no-doc" not in sys.argv:
        write_doc(rows, size)
        print(f"docs/performance.md: {size} summary written")


if __name__ == "__main__":
    main()
