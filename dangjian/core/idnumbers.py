"""Resident identity numbers (公民身份号码) per GB 11643-1999: checksum, birth date, gender."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CODES = "10X98765432"
_SHAPE = re.compile(r"^[1-9]\d{16}[\dX]$")


@dataclass(frozen=True)
class IdNumberInfo:
    number: str
    birth_date: date
    gender: str  # "male" | "female", the codes of core.models.Gender


def check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True))
    return _CHECK_CODES[total % 11]


def normalize_id_number(raw: str) -> str:
    return (raw or "").strip().replace(" ", "").upper()


def parse_id_number(raw: str, *, today: date | None = None) -> IdNumberInfo:
    """Validate an 18-character number and derive birth date and gender, or raise ValidationError."""
    number = normalize_id_number(raw)
    if re.fullmatch(r"\d{15}", number):
        raise ValidationError(_("这是15位旧身份证号码，请填写18位公民身份号码。"), code="legacy_15_digit")
    if not _SHAPE.match(number):
        raise ValidationError(_("身份证号码应为18位：前17位为数字，最后一位为数字或X。"), code="bad_shape")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="bad_birth_date") from None
    today = today or date.today()
    if birth > today or birth.year < 1900:
        raise ValidationError(_("身份证号码中的出生日期无效。"), code="bad_birth_date")
    if check_digit(number[:17]) != number[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对后重新填写。"), code="bad_checksum")
    gender = "male" if int(number[16]) % 2 == 1 else "female"
    return IdNumberInfo(number=number, birth_date=birth, gender=gender)


def mask_id_number(number: str) -> str:
    """``510104199001011234`` → ``5101**********1234``."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def make_id_number(region: str, birth: date, sequence: int, *, female: bool) -> str:
    """Build a valid fictional number (demo data and tests)."""
    seq = sequence % 1000
    if (seq % 2 == 1) == female:
        seq = (seq + 1) % 1000
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_digit(first17)
