"""The plain rules of 阅读关注度: what a beacon may say (the seconds clamped, the kinds a page sends), who
the reader is (a person, a user, or an anonymous cookie hashed so it names no one), and the ratios the
pages show (reach, read-to-end rate, mean time on the page)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.crypto import salted_hmac

BEACON_KINDS = ("view", "leave", "share")
COOKIE_NAME = "dj_reader"
COOKIE_MAX_AGE = 365 * 24 * 3600
_COOKIE_SALT = "dangjian.news.attention.reader"


@dataclass(frozen=True)
class Reader:
    key: str
    person_id: int | None = None


def clamp_seconds(raw: object, limit: int) -> int:
    """The seconds a beacon reports, as a whole number within 0–``limit`` (``policy.news_read_max_seconds``;
    garbage: 0)."""
    try:
        value = int(float(str(raw)))
    except (TypeError, ValueError, OverflowError):
        return 0
    return max(0, min(limit, value))


def person_reader(person_id: int) -> Reader:
    return Reader(f"p{person_id}", person_id)


def user_reader(user_id: int) -> Reader:
    return Reader(f"u{user_id}")


def cookie_reader(cookie: str) -> Reader:
    """An anonymous public reader: a keyed hash of their random cookie (never stored as sent)."""
    return Reader("c" + salted_hmac(_COOKIE_SALT, cookie, algorithm="sha256").hexdigest()[:40])


def valid_cookie(value: str | None) -> bool:
    return (
        bool(value)
        and 16 <= len(value or "") <= 64
        and (value or "").replace("-", "").replace("_", "").isalnum()
    )


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


def percent(numerator: float, denominator: float) -> str:
    value = ratio(numerator, denominator)
    return "—" if value is None else f"{value * 100:.1f}%"
