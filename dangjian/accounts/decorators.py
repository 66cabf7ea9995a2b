"""``@requires(Permission.X)``: a view runs only for users whose scope holds the permission somewhere.

Without it the answer is 404, like any out-of-scope object: we never confirm that something exists.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.http import Http404, HttpRequest

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission

F = TypeVar("F", bound=Callable[..., Any])


def requires(perm: Permission) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not scope_of(request).has(perm):
                raise Http404
            return view(request, *args, **kwargs)

        return cast(F, wrapped)

    return decorator
