"""``Registry[T]``: an ordered, typed list of contributions, filled once at start-up.

Modules add to a registry from their ``contributions.py`` (loaded by :func:`dangjian.hooks.autodiscover`
from ``HooksConfig.ready()``); the one consumer of each registry reads :meth:`Registry.all`. A key may be
added once: a second, different item under the same key is a programming error, not a silent override.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(
        self, name: str, *, key: Callable[[T], str], order: Callable[[T], int] | None = None
    ) -> None:
        self.name = name
        self._key = key
        self._order = order
        self._items: dict[str, T] = {}

    def add(self, item: T) -> T:
        key = self._key(item)
        known = self._items.get(key)
        if known is not None and known != item:
            raise ImproperlyConfigured(f"{self.name}: {key!r} is contributed twice")
        self._items[key] = item
        return item

    def all(self) -> list[T]:
        """In contribution order, or by ``order`` then key when the registry has an order."""
        items = list(self._items.values())
        if self._order is not None:
            order = self._order
            items.sort(key=lambda item: (order(item), self._key(item)))
        return items

    def get(self, key: str) -> T:
        return self._items[key]

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)

    @contextmanager
    def contributed(self, *items: T) -> Iterator[None]:
        """Add items for the length of a ``with`` block (tests)."""
        keys = [self._key(item) for item in items if self._key(item) not in self._items]
        for item in items:
            self.add(item)
        try:
            yield
        finally:
            for key in keys:
                self._items.pop(key, None)

    @contextmanager
    def only(self, *items: T) -> Iterator[None]:
        """Hold nothing but ``items`` for the length of a ``with`` block (tests that must not see what the
        installed modules contribute)."""
        saved = dict(self._items)
        self._items.clear()
        try:
            for item in items:
                self.add(item)
            yield
        finally:
            self._items.clear()
            self._items.update(saved)
