"""Workbench: ``notify(recipients, kind, title, body, link)`` and the to-do provider registry."""

from typing import Any


def notify(recipients: Any, kind: str, title: str, body: str = "", link: str = "") -> int:
    from dangjian.workbench.services import notify as _notify

    return _notify(recipients, kind, title, body, link)
