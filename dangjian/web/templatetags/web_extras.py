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

    from dangjian.core.transitions import FIELD

    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, value)


@register.simple_tag(takes_context=True)
def may_open(context: Any, url_name: str, obj: Any) -> bool:
    """``{% may_open "orglife:plan" plan as ok %}``: the view's own access rule (core.links)."""
    from dangjian.core.links import may_open as rule

    request = context.get("request")
    return request is not None and rule(request, url_name, obj)
