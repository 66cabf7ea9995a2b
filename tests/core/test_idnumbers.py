"""GB 11643 identity numbers: checksum, birth date, gender, the legacy 15-digit form."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.idnumbers import check_digit, make_id_number, mask_id_number, parse_id_number

GOOD = "11010519491231002X"  # the worked example of GB 11643-1999 (female, born 1949-12-31)


def test_standard_example_is_valid_and_gives_birth_date_and_gender() -> None:
    info = parse_id_number(GOOD)
    assert info.birth_date == date(1949, 12, 31)
    assert info.gender == "female"


def test_lowercase_x_and_spaces_are_normalised() -> None:
    assert parse_id_number(" 11010519491231002x ").number == GOOD


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("110105194912310021", "bad_checksum"),
        ("110105194913310025", "bad_birth_date"),  # month 13
        ("110105201902300020", "bad_birth_date"),  # 30 February
        ("110105209912310020", "bad_birth_date"),  # in the future
        ("110105491231002", "legacy_15_digit"),
        ("11010519491231002", "bad_shape"),
        ("01010519491231002X", "bad_shape"),
        ("1101051949123100XX", "bad_shape"),
        ("", "bad_shape"),
    ],
)
def test_invalid_numbers_are_refused_with_a_specific_code(number, code) -> None:
    with pytest.raises(ValidationError) as exc:
        parse_id_number(number, today=date(2026, 11, 24))
    assert exc.value.code == code


def test_legacy_number_message_asks_for_the_18_digit_form() -> None:
    with pytest.raises(ValidationError, match="18位"):
        parse_id_number("110105491231002")


def test_gender_comes_from_the_seventeenth_digit() -> None:
    male = make_id_number("510104", date(1990, 1, 1), 11, female=False)
    female = make_id_number("510104", date(1990, 1, 1), 11, female=True)
    assert parse_id_number(male).gender == "male"
    assert parse_id_number(female).gender == "female"


def test_mask_keeps_first_and_last_four() -> None:
    assert mask_id_number(GOOD) == "1101**********002X"


def test_check_digit_of_the_standard_example() -> None:
    assert check_digit(GOOD[:17]) == "X"


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=date(2020, 12, 31)),
    sequence=st.integers(min_value=0, max_value=999),
    female=st.booleans(),
)
def test_generated_numbers_round_trip(birth, sequence, female) -> None:
    info = parse_id_number(make_id_number("500103", birth, sequence, female=female))
    assert info.birth_date == birth
    assert info.gender == ("female" if female else "male")
