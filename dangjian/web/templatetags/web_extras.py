from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key, key) if isinstance(mapping, dict) else key


@register.simple_tag
def expected_state(value: Any) -> str:
    """The hidden field that tells the service which state the page showed (see core.transitions)."""
    from django.utils.html import format_html

    from dangjian.kit.transitions import FIELD

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, value)


@register.simple_tag(takes_context=True)
def may_open(context: Any, url_name: str, obj: Any) -> bool:
    """``{% may_open "app:view" obj as ok %}``: the view's own access rule (hooks.links)."""
    from dangjian.hooks.links import may_open as rule

    request = context.get("request")
    return request is not None and rule(request, url_name, obj)


@register.simple_tag(takes_context=True)
def export_url(context: Any, url_name: str, *args: Any) -> str:
    """The export link of a list page with the page's live filters (the same rows as the screen).

    ``{% export_url "core:person_export" %}`` → ``/people/export.xlsx?q=dt&political_status=full``;
    the page number is dropped (the file holds every matching row, not one page). Put the link inside
    the part that htmx swaps, so a new search or filter updates it.
    """
    from django.urls import reverse

    request = context.get("request")
    url = reverse(url_name, args=args)
    if request is None:
        return url
    params = request.GET.copy()
    for key in ("page", "partial"):
        params.pop(key, None)
    query = params.urlencode()
    return f"{url}?{query}" if query else url
