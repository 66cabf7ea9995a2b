"""Text checked against its column: stripped, and refused one character past the column's length."""

from __future__ import annotations

import pytest

from dangjian.core.models import Organization  # short_name: CharField("简称", max_length=60)
from dangjian.kit.errors import RuleViolation
from dangjian.kit.fields import within_max_length


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("", True),
        ("字" * 59, True),
        ("字" * 60, True),  # exactly the column's length
        ("字" * 61, False),
        ("  " + "字" * 60 + "  ", True),  # surrounding spaces are not stored, so not counted
    ],
)
def test_text_up_to_the_column_length_is_kept_stripped(value, ok) -> None:
    if ok:
        assert within_max_length(value, Organization, "short_name") == value.strip()
    else:
        with pytest.raises(RuleViolation) as exc:
            within_max_length(value, Organization, "short_name")
        assert exc.value.code == "too_long"
        assert exc.value.field == "short_name"
        assert exc.value.message == "简称不能超过 60 个字"


def test_the_error_names_the_form_field_and_label_given() -> None:
    with pytest.raises(RuleViolation) as exc:
        within_max_length("字" * 61, Organization, "short_name", field="abbr", label="组织简称")
    assert exc.value.field == "abbr"
    assert exc.value.message == "组织简称不能超过 60 个字"
