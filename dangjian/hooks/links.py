"""Links drawn only when the viewer may open them.

A page must not draw a link that answers 404 for its viewer. Each guarded URL name has one predicate
``(request, obj) -> bool``, registered by the module that owns the view; the view answers 404 when the
same predicate says no, and templates ask it through ``{% may_open "app:view" obj as ok %}``
(``web_extras``). A name without a rule is a programming error, not a silent "yes".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

LinkRule = Callable[[HttpRequest, Any], bool]

_RULES: dict[str, LinkRule] = {}


def link_rule(url_name: str) -> Callable[[LinkRule], LinkRule]:
    """Register the access rule of the view named ``url_name`` (e.g. ``"app:view"``)."""

    def register(rule: LinkRule) -> LinkRule:
        _RULES[url_name] = rule
        return rule

    return register


def may_open(request: HttpRequest, url_name: str, obj: Any) -> bool:
    try:
        rule = _RULES[url_name]
    except KeyError:
        raise LookupError(f"no link rule for {url_name!r}: register one with hooks.links.link_rule") from None
    return bool(rule(request, obj))
