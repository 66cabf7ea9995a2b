"""Periodic work of the 书记信箱."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="dangjian.mailbox.tasks.auto_close_letters")
def auto_close_letters() -> str:
    """Nightly: close the replied letters whose writers did nothing for ``mailbox_auto_close_days``."""
    from dangjian.mailbox.services import letters_auto_close

    return f"{letters_auto_close()} letters closed"
