"""Rate limits: fixed windows counted in the cache (Redis in production), per user and per IP.

Each limit is named and configured in ``settings.RATE_LIMITS`` — ``{"login": {"user": "10/m", "ip":
"300/m"}, ...}`` — a rate being ``<count>/<period>`` with the period ``s``, ``m``, ``h`` or ``d``, optionally
with a number (``20/10m``); a missing or empty part means no limit on it. Views use the decorator::

    @rate_limited("login", user=lambda request: request.POST.get("username"))

and ninja endpoints call ``enforce_rate_limit(request, "login", user=payload.username)``, which raises
``RateLimited`` (the API answers it as 429 JSON). ``user`` names who is acting — the account typed into a
login form, or by default the signed-in user — and anonymous requests without one count by IP alone.

Two windows are counted per request (the user's and the IP's); either one full answers 429 with
``Retry-After``. A campus often sits behind one NAT address, so IP limits are generous and the tight limit
is per user. If the cache fails the request is served and a warning logged: a Redis outage must not
lock everyone out.
"""

from __future__ import annotations

import hashlib
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from dangjian.kit.errors import DomainError
from dangjian.kit.requests import client_ip, is_api

logger = logging.getLogger(__name__)

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_KEY_PREFIX = "ratelimit"


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int


def parse_rate(text: str) -> Rate:
    """``"10/m"`` → 10 per 60 seconds; ``"20/10m"`` → 20 per 600 seconds."""
    match = _RATE.match(text)
    if not match or int(match.group(1)) < 1:
        raise ImproperlyConfigured(f"RATE_LIMITS: “{text}” is not a rate such as 10/m, 300/h or 20/10m")
    count, multiple, unit = match.groups()
    return Rate(count=int(count), seconds=int(multiple or 1) * _UNIT_SECONDS[unit])


def limits_for(name: str) -> dict[str, Rate]:
    """The rates of one limit by part (``user``, ``ip``); an unknown name is a programming error."""
    configured = settings.RATE_LIMITS.get(name)
    if configured is None:
        raise ImproperlyConfigured(f"RATE_LIMITS has no limit named “{name}”")
    return {part: parse_rate(text) for part, text in configured.items() if text}


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__(wait_message(retry_after))
        self.retry_after = retry_after


def wait_message(seconds: int) -> str:
    return _("操作太频繁，请 %(seconds)s 秒后再试。") % {"seconds": seconds}  # the same msgid as 429.html


def rate_limit_hit(request: HttpRequest, name: str, *, user: object = None) -> int | None:
    """Count this request against the limit ``name``; the seconds to wait if it is over, else None."""
    rates = limits_for(name)
    if user is None:
        signed_in = getattr(request, "user", None)
        user = signed_in.pk if signed_in is not None and signed_in.is_authenticated else None
    who = {"user": user if user not in (None, "") else None, "ip": client_ip(request)}
    now = time.time()
    waits: list[int] = []
    try:
        for part, rate in rates.items():
            ident = who.get(part)
            if ident is None:
                continue
            wait = _count(name, part, str(ident), rate, now)
            if wait is not None:
                waits.append(wait)
    except Exception:  # Redis down or unreachable: serve the request, say so in the log
        logger.warning("rate limit %s not checked: the cache failed", name, exc_info=True)
        return None
    if not waits:
        return None
    logger.info("rate limit %s reached", name)
    return max(waits)


def _count(name: str, part: str, ident: str, rate: Rate, now: float) -> int | None:
    window = int(now // rate.seconds)
    # Hashed: no account names or addresses sit in the cache's key space.
    digest = hashlib.sha256(ident.strip().casefold().encode()).hexdigest()[:32]
    key = f"{_KEY_PREFIX}:{name}:{part}:{digest}:{window}"
    timeout = rate.seconds + 1
    if cache.add(key, 1, timeout):
        hits = 1
    else:
        try:
            hits = cache.incr(key)
        except ValueError:  # expired between add and incr: this request opens the window
            cache.add(key, 1, timeout)
            hits = 1
    if hits <= rate.count:
        return None
    return max(1, math.ceil((window + 1) * rate.seconds - now))


def enforce_rate_limit(request: HttpRequest, name: str, *, user: object = None) -> None:
    """For ninja endpoints: raise ``RateLimited`` (answered as 429 JSON) when the limit is reached."""
    wait = rate_limit_hit(request, name, user=user)
    if wait is not None:
        raise RateLimited(wait)


def rate_limited_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429 with Retry-After: the Chinese page, or the API's JSON under /api/."""
    response: HttpResponse
    if is_api(request):
        response = JsonResponse(
            {"code": RateLimited.code, "message": wait_message(retry_after), "fields": {}},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = render(request, "429.html", {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def rate_limited(
    name: str,
    *,
    user: Callable[[HttpRequest], object] | None = None,
    methods: tuple[str, ...] = ("POST",),
) -> Callable[[View], View]:
    """Limit a view by ``settings.RATE_LIMITS[name]``, counting only ``methods`` (a page's GET is free
    by default; pass ``methods=("GET",)`` for a feed). ``user`` picks who acts from the request."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in methods:
                wait = rate_limit_hit(request, name, user=user(request) if user else None)
                if wait is not None:
                    return rate_limited_response(request, wait)
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate
