"""The 介绍信 as a PDF: the three-part A4 form (存根 / 介绍信 / 回执), and the 回执 of an incoming transfer;
rendered by ``kit.pdf`` (WeasyPrint with the system CJK font, Debian fonts-noto-cjk; see ARCHITECTURE.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from dangjian.core import crypto
from dangjian.kit.pdf import render_pdf, render_pdf_pages
from dangjian.transfers.models import Letter, Transfer


def letter_context(letter: Letter, *, show_id_number: bool) -> dict[str, Any]:
    """What a letter prints; the ID number in full only for a viewer who may see it, else masked as on
    every screen (PIPL)."""
    transfer = letter.transfer
    person = transfer.person
    membership = getattr(person, "membership", None)
    if show_id_number and person.id_number_encrypted:
        id_number = crypto.decrypt(person.id_number_encrypted)
    else:
        id_number = person.id_number_masked
    to_name = transfer.external_org or (transfer.to_college.name if transfer.to_college else "")
    return {
        "letter": letter,
        "transfer": transfer,
        "person": person,
        "age": person.age_on(letter.issued_on),
        "member_kind": membership.get_membership_type_display() if membership else "",
        "id_number": id_number,
        "from_name": transfer.from_org.name if transfer.from_org else "",
        "issuer_name": letter.issuing_org.name,
        "to_name": to_name,
        "printed_at": timezone.localtime(),
    }


LETTER = "transfers/letter_pdf.html"


def render_letter(letter: Letter, *, show_id_number: bool) -> bytes:
    return render_pdf(LETTER, letter_context(letter, show_id_number=show_id_number))


def render_letters(letters: list[Letter], *, show_id_number: Callable[[Letter], bool]) -> bytes:
    """Several letters in one PDF (one A4 page each); ``show_id_number`` is asked of each letter."""
    return render_pdf_pages(
        LETTER, [letter_context(letter, show_id_number=show_id_number(letter)) for letter in letters]
    )


def render_receipt(transfer: Transfer) -> bytes:
    """The 回执 of an incoming transfer, addressed to the sending organization."""
    return render_pdf("transfers/receipt_pdf.html", {"transfer": transfer, "today": timezone.localdate()})
