"""Expected state on every transition: the state the user saw travels with the request.

A page or API client sends the status it showed (``expected_status``); the service locks the row and
calls :func:`expect_state` before it changes anything. If the status differs, someone else (or the
user's own double-click, or a network retry) acted first and the request is refused with
:class:`~dangjian.kit.errors.StaleState` — it never performs the *next* step instead.

``expected=None`` means the caller is the system itself (a periodic task, a demo seeder, a chained
service) and states no expectation; views and API endpoints always pass what the user saw.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from django.utils.translation import gettext as _

from dangjian.kit.errors import StaleState

FIELD = "expected_status"


def stale_message() -> str:
    return _("该事项已由他人处理，请刷新页面后再操作。")


def expect_state(current: object, expected: object | Iterable[object] | None) -> None:
    """Refuse unless ``current`` is the state the user saw (or one of several, for a list)."""
    if expected is None:
        return
    if isinstance(expected, (list, tuple, set, frozenset)):
        allowed = {str(e) for e in expected}
    else:
        allowed = {str(expected)}
    if str(current) not in allowed:
        raise StaleState(stale_message(), field=FIELD)


def posted_state(request: HttpRequest) -> str:
    """The state the page showed, as posted by its form ("" when a page sends none).

    An empty value is a refusal, not a free pass: every form that changes state must send it.
    """
    return (request.POST.get(FIELD) or "").strip()
