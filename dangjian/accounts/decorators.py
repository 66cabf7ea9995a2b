"""``@requires(Permission.X)``: a view runs only for users whose scope holds the permission somewhere."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from dangjian.accounts.roles import Permission


def requires(perm: Permission) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.scope.has(perm):  # type: ignore[attr-defined]
                raise Http404
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
