"""Performance targets live in `make bench` (bench/summary.py), never in `make test`: a test that reads a
clock to judge speed fails on a busy machine and passes on a fast one, and proves nothing either way.
Tests pin query counts instead (django_assert_max_num_queries)."""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
WALL_CLOCK = re.compile(r"\b(perf_counter|process_time|monotonic)\s*\(|\btime\.time\s*\(")
# Clocks used for what they are, not to time the code: a fake identity provider signs tokens with "now".
ALLOWED = {"accounts/fake_providers.py"}


def test_no_test_reads_a_clock_to_time_the_code() -> None:
    found = [
        f"{path.relative_to(TESTS)}:{n}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if path.relative_to(TESTS).as_posix() not in ALLOWED and path.name != Path(__file__).name
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WALL_CLOCK.search(line)
    ]
    assert not found, "tests must not time code (use `make bench`):\n" + "\n".join(found)
