"""The rotating signed codes: a code names its object while fresh, a printed code always; forged,
altered, other-salt and stale codes are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dangjian.kit import rotating_codes as rc

SALT = "tests.kit.codes"
NOW = datetime(2026, 11, 24, 6, 30, tzinfo=UTC)  # a multiple of 30 s: the step starts here
ROTATE, VALID = 30, 90


def _read(token: str, at: datetime, salt: str = SALT) -> int:
    return rc.read_code(token, salt=salt, rotate_seconds=ROTATE, valid_seconds=VALID, now=at)


@pytest.mark.parametrize(
    ("seconds_after", "ok"),
    [(-31, False), (-30, True), (0, True), (119, True), (120, True), (121, False)],
)
def test_a_code_is_accepted_for_valid_plus_one_rotation_after_its_step(seconds_after, ok) -> None:
    token = rc.make_code(7, salt=SALT, rotate_seconds=ROTATE, now=NOW)
    at = NOW + timedelta(seconds=seconds_after)
    if ok:
        assert _read(token, at) == 7
    else:
        with pytest.raises(rc.CodeExpired):
            _read(token, at)


def test_a_printed_code_names_its_object_at_any_time() -> None:
    token = rc.make_printed(9, salt=SALT)
    assert _read(token, NOW + timedelta(days=400)) == 9


@pytest.mark.parametrize("token", ["", "forged", "a:b:c", None, "0" * 80])
def test_a_forged_code_is_invalid(token) -> None:
    with pytest.raises(rc.CodeInvalid):
        _read(token, NOW)


def test_an_altered_code_is_invalid() -> None:
    token = rc.make_code(7, salt=SALT, rotate_seconds=ROTATE, now=NOW)
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    with pytest.raises(rc.CodeInvalid):
        _read(altered, NOW)


def test_another_salts_code_is_invalid() -> None:
    token = rc.make_code(7, salt="tests.kit.other", rotate_seconds=ROTATE, now=NOW)
    with pytest.raises(rc.CodeInvalid):
        _read(token, NOW)
    with pytest.raises(rc.CodeInvalid):
        _read(rc.make_printed(7, salt="tests.kit.other"), NOW)


def test_the_code_changes_with_the_step_and_not_within_it() -> None:
    first = rc.make_code(7, salt=SALT, rotate_seconds=ROTATE, now=NOW)
    same = rc.make_code(7, salt=SALT, rotate_seconds=ROTATE, now=NOW + timedelta(seconds=29))
    next_ = rc.make_code(7, salt=SALT, rotate_seconds=ROTATE, now=NOW + timedelta(seconds=30))
    assert first == same != next_


@pytest.mark.parametrize(("offset", "left"), [(0, 30), (1, 29), (29, 1), (30, 30)])
def test_seconds_to_next(offset, left) -> None:
    assert rc.seconds_to_next(rotate_seconds=ROTATE, now=NOW + timedelta(seconds=offset)) == left


def test_a_zero_rotation_is_treated_as_one_second() -> None:
    token = rc.make_code(3, salt=SALT, rotate_seconds=0, now=NOW)
    assert rc.read_code(token, salt=SALT, rotate_seconds=0, valid_seconds=0, now=NOW) == 3
