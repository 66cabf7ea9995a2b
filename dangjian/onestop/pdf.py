"""The printed proof: an A4 PDF with the facts of the snapshot, the issuing organization, the serial and
a QR code that opens the public verification page."""

from __future__ import annotations

from datetime import date

import segno
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from dangjian.kit import pdf
from dangjian.onestop.models import Proof
from dangjian.onestop.verification import verification_of


def verify_url(request: HttpRequest | None, proof: Proof) -> str:
    path = reverse("proofs:verify", args=[proof.code])
    return request.build_absolute_uri(path) if request is not None else path


def qr_data_uri(url: str) -> str:
    return segno.make(url, error="m").png_data_uri(scale=4, border=2)


def _dates(facts: dict[str, object]) -> dict[str, date]:
    """The snapshot's ISO dates as dates, so the printed text reads "2005 年 7 月 1 日"."""
    return {
        key: date.fromisoformat(str(facts[key]))
        for key in ("joined_on", "full_on", "issued_on")
        if facts.get(key)
    }


def render_proof(request: HttpRequest | None, proof: Proof) -> bytes:
    url = verify_url(request, proof)
    return pdf.render_pdf(
        "onestop/proof_pdf.html",
        {
            "proof": proof,
            "facts": proof.facts,
            "dates": _dates(proof.facts),
            "check": verification_of(proof),
            "verify_url": url,
            "qr": qr_data_uri(url),
        },
    )


def proof_response(request: HttpRequest, proof: Proof) -> HttpResponse:
    return pdf.pdf_response(render_proof(request, proof), f"{proof.serial}.pdf", inline=False)
