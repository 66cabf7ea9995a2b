"""How a letter's writer is shown to whoever handles it: an anonymous member's letter says only 匿名来信 —
on the page, in the list, the API and the notices alike, all of which ask here — and a public writer's
contact is read back (decrypted) only for the letter's own page."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dangjian.core import crypto
from dangjian.mailbox.models import Letter


def writer_label(letter: Letter) -> str:
    if letter.anonymous:
        return _("匿名来信")
    if letter.author_id is None:
        name = letter.public_name or _("未署名")
        return _("%(name)s（社会公众）") % {"name": name}
    assert letter.author is not None
    return letter.author.name


def contact(letter: Letter) -> str:
    """The public writer's contact (phone or e-mail) for the handler's reply; "" for a member's letter."""
    if not letter.contact_encrypted:
        return ""
    return crypto.decrypt(letter.contact_encrypted)
