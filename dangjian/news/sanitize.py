"""The one sanitiser of article bodies (``nh3``, the ammonia binding): an allow-list of tags and
attributes, links with ``rel="noopener noreferrer"``, only http(s)/mailto links and images from this site
(a path) or https. Whatever is not on the list goes, with the content of script and style elements."""

from __future__ import annotations

import html as htmllib

import nh3

TAGS = frozenset(
    {
        "p",
        "br",
        "strong",
        "b",
        "em",
        "i",
        "u",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "blockquote",
        "a",
        "img",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "caption",
    }
)
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def _allowed_attribute(tag: str, name: str, value: str) -> str | None:
    """Images come from this site (a path such as /media/…) or over https, never ``data:`` or another
    scheme; protocol-relative ``//host`` is a host, so it must say https."""
    if tag == "img" and name == "src":
        v = value.strip()
        if (v.startswith("/") and not v.startswith("//")) or v.lower().startswith("https://"):
            return v
        return None
    return value


def clean_html(html: str) -> str:
    """``html`` with nothing executable left: the body as stored and shown."""
    return nh3.clean(
        html or "",
        tags=set(TAGS),
        attributes={k: set(v) for k, v in ATTRIBUTES.items()},
        url_schemes=set(LINK_SCHEMES),
        link_rel="noopener noreferrer",
        attribute_filter=_allowed_attribute,
        strip_comments=True,
    ).strip()


def plain_text(html: str, limit: int = 200) -> str:
    """The text of ``html`` without any tag (a summary when none was written)."""
    text = nh3.clean(html or "", tags=set(), strip_comments=True)
    text = " ".join(htmllib.unescape(text).split())
    return text[:limit]
