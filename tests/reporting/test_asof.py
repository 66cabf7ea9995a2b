"""The as-of rule: the latest version by 24:00 of the day; a loaded record rolled back by its dates; a
record created by work after the day did not exist."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from dangjian.reporting.asof import (
    Version,
    end_of_day,
    membership_rollback,
    organization_rollback,
    version_at,
)

SH = ZoneInfo("Asia/Shanghai")


def at(y: int, m: int, d: int, h: int = 12) -> datetime:
    return datetime(y, m, d, h, tzinfo=SH)


def test_end_of_day_is_midnight_after_the_day_in_the_schools_zone() -> None:
    assert end_of_day(date(2025, 12, 31)) == datetime(2026, 1, 1, 0, 0, tzinfo=SH)


def test_the_latest_version_written_by_the_end_of_the_day_holds() -> None:
    versions = [
        Version(at(2025, 3, 1), 1, "+", {"org": "A"}),
        Version(at(2025, 12, 31, 23), 1, "~", {"org": "B"}),
        Version(at(2026, 1, 1, 0), 1, "~", {"org": "C"}),
    ]
    assert version_at(versions, date(2025, 12, 30)) == {"org": "A"}
    assert version_at(versions, date(2025, 12, 31)) == {"org": "B"}
    assert version_at(versions, date(2026, 1, 1)) == {"org": "C"}


def test_a_record_deleted_by_the_day_is_gone() -> None:
    versions = [Version(at(2025, 3, 1), 1, "+", {}), Version(at(2025, 6, 1), 1, "-", {})]
    assert version_at(versions, date(2025, 12, 31)) is None


def test_a_record_created_by_a_person_after_the_day_did_not_exist_then() -> None:
    versions = [Version(at(2026, 3, 1), 7, "+", {"joined_on": date(2010, 1, 1)})]
    assert version_at(versions, date(2025, 12, 31), membership_rollback) is None


def test_a_loaded_record_counts_in_its_first_state_rolled_back_by_its_dates() -> None:
    values = {
        "joined_on": date(2024, 6, 1),
        "full_on": date(2025, 6, 1),
        "membership_type": "full",
        "standing": "deceased",
        "standing_since": date(2026, 2, 1),
    }
    versions = [Version(at(2026, 3, 1), None, "+", values)]
    assert version_at(versions, date(2023, 12, 31), membership_rollback) is None  # not yet joined
    in_2024 = version_at(versions, date(2024, 12, 31), membership_rollback)
    assert in_2024 is not None
    assert in_2024["membership_type"] == "probationary"
    assert in_2024["standing"] == "normal"
    in_2025 = version_at(versions, date(2025, 12, 31), membership_rollback)
    assert in_2025 is not None
    assert (in_2025["membership_type"], in_2025["standing"]) == ("full", "normal")
    assert version_at(versions, date(2026, 2, 1), membership_rollback)["standing"] == "deceased"  # type: ignore[index]


def test_a_loaded_organization_established_later_did_not_exist_and_one_dissolved_later_was_active() -> None:
    values = {"established_on": date(2025, 9, 1), "is_active": False, "dissolved_on": date(2026, 7, 1)}
    versions = [Version(at(2026, 8, 1), None, "+", values)]
    assert version_at(versions, date(2024, 12, 31), organization_rollback) is None
    assert version_at(versions, date(2025, 12, 31), organization_rollback)["is_active"] is True  # type: ignore[index]
