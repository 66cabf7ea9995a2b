"""Run the same request many times at once (PostgreSQL, transactional tests): a double-click, a retry,
ten impatient taps. Used by the integrity tests of every module: identical parallel requests must
give exactly one transition.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.test import Client


def race(workers: list[Callable[[], Any]]) -> list[Any]:
    """Start every worker at the same moment; return what each returned or raised."""
    barrier = threading.Barrier(len(workers))
    results: list[Any] = []
    lock = threading.Lock()

    def run(work: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcome: Any = work()
        except Exception as exc:
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def parallel_posts(
    user: Any, url: str, data: dict[str, Any] | None = None, *, n: int = 10, json: bool = False
) -> list[Any]:
    """``n`` identical POSTs by ``user`` at once (web form or JSON API); the responses."""
    clients = []
    for _ in range(n):
        client = Client()
        client.force_login(user)
        clients.append(client)

    def post(client: Client) -> Any:
        if json:
            return client.post(url, data or {}, content_type="application/json")
        return client.post(url, data or {})

    return race([lambda c=c: post(c) for c in clients])
