"""The Redis cache that degrades to "no cache" when Redis is down (issue 19).

The cache only spares work: every value in it can be computed again. So when Redis cannot be reached
(refused, timed out — short socket timeouts in settings keep that from hanging a request), each call
answers what an empty cache would — ``get`` the default, ``add``/``set``/``touch``/``delete`` False,
``incr`` the delta (a counter that has just started, so a caller counting attempts lets the request
through rather than failing it) — and one warning a minute goes to the log instead of a 500 per page.
Sessions are in the database (Django's default engine), so nobody is logged out meanwhile.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

_warned_at = 0.0
_warn_lock = threading.Lock()


def _warn(operation: str, exc: Exception) -> None:
    """Log that the cache is unreachable, at most once per CACHE_DOWN_LOG_SECONDS per process."""
    global _warned_at
    interval = float(getattr(settings, "CACHE_DOWN_LOG_SECONDS", 60))
    with _warn_lock:
        now = time.monotonic()
        if _warned_at and now - _warned_at < interval:
            return
        _warned_at = now
    logger.warning("cache unreachable, serving without it (%s: %s)", operation, exc)


class ResilientRedisCache(RedisCache):
    """Django's RedisCache whose every operation answers like an empty cache while Redis is down."""

    def _degrade(self, operation: str, call: Callable[[], Any], fallback: Any) -> Any:
        try:
            return call()
        except UNREACHABLE as exc:
            _warn(operation, exc)
            return fallback

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        return self._degrade(
            "add", lambda: super(ResilientRedisCache, self).add(key, value, timeout, version), False
        )

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._degrade(
            "get", lambda: super(ResilientRedisCache, self).get(key, default, version), default
        )

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> Any:
        return self._degrade(
            "set", lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), False
        )

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        return self._degrade(
            "touch", lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._degrade("delete", lambda: super(ResilientRedisCache, self).delete(key, version), False)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._degrade("get_many", lambda: super(ResilientRedisCache, self).get_many(keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._degrade("has_key", lambda: super(ResilientRedisCache, self).has_key(key, version), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        return self._degrade(
            "incr", lambda: super(ResilientRedisCache, self).incr(key, delta, version), delta
        )

    def set_many(self, data: dict[Any, Any], timeout: Any = None, version: int | None = None) -> list[Any]:
        # Django's contract: the keys that failed to be stored — all of them.
        return self._degrade(
            "set_many", lambda: super(ResilientRedisCache, self).set_many(data, timeout, version), list(data)
        )

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._degrade(
            "delete_many", lambda: super(ResilientRedisCache, self).delete_many(keys, version), None
        )

    def clear(self) -> None:
        self._degrade("clear", lambda: super(ResilientRedisCache, self).clear(), None)
