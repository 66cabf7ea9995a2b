"""The start-up heap of a long-running process, frozen out of the garbage collector's full passes.

A worker holds about 400,000 objects from start-up alone (modules, settings, URL patterns, pypinyin's
dictionaries, the ORM's models) that live as long as it does. CPython's full (generation 2) collection
walks every one of them each time it runs, which happens every few requests; at province size it took
150–240 ms in the middle of a request, and made the p95 of pages whose median is 60–170 ms three to
five times their median. ``gc.freeze()`` moves what is alive now into a permanent generation the
collector no longer walks: the same passes then take 5–10 ms (docs/performance.md). Objects created
afterwards are collected as before; memory is unchanged (nothing is freed that would have been).
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> int:
    """Collect what start-up left behind, then freeze what is still alive; returns how many objects
    are frozen. Call once, after the application is loaded (``config/wsgi.py``)."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # import every URL module now, not in the first request  # noqa: B018
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()
