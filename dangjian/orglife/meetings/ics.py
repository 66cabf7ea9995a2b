"""The meetings as an iCalendar feed (RFC 5545), written by hand: CRLF line ends, TEXT escaping, lines
folded at 75 octets (never inside a UTF-8 character), UTC times (no VTIMEZONE needed)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from dangjian.orglife.models import Meeting, MeetingStatus

CRLF = "\r\n"
DOMAIN = "dangjian.orglife"


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma escaped; line breaks as ``\\n``."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """One content line folded into lines of at most 75 octets; each continuation starts with a space."""
    out: list[str] = []
    chunk, size, limit = "", 0, 75
    for char in line:
        n = len(char.encode("utf-8"))
        if size + n > limit:
            out.append(chunk)
            chunk, size, limit = " ", 1, 75
        chunk += char
        size += n
    out.append(chunk)
    return CRLF.join(out)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(meetings: Iterable[Meeting], *, name: str, link: str, now: datetime) -> str:
    """The VCALENDAR of ``meetings``; ``link`` is the absolute URL of a meeting page with ``{pk}``."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//dangjian//orglife//ZH",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for m in meetings:
        url = link.format(pk=m.pk)
        details = [m.organization.display_name, str(m.get_kind_display())]
        if m.speaker_label:
            details.append(m.speaker_label)
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{m.pk}@{DOMAIN}",
            f"DTSTAMP:{_utc(m.updated_at or now)}",
            f"DTSTART:{_utc(m.starts_at)}",
            f"DTEND:{_utc(m.ends_at)}",
            f"SUMMARY:{escape(f'{m.get_kind_display()}：{m.topic}')}",
            f"LOCATION:{escape(m.place)}" if m.place else "",
            f"DESCRIPTION:{escape(chr(10).join([*details, url]))}",
            f"URL:{url}",
            f"STATUS:{'CANCELLED' if m.status == MeetingStatus.CANCELLED else 'CONFIRMED'}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines if line)
