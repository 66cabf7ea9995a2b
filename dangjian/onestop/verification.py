"""What the public verification page and API say about a proof: valid or withdrawn, the kind, the issuing
organization, the date, the serial and the name partly masked — nothing else about the person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from dangjian.onestop.models import Proof
from dangjian.onestop.rules import RequestKind, mask_name


@dataclass(frozen=True)
class Verification:
    valid: bool
    serial: str
    kind: str
    kind_label: str
    issuer: str
    issued_on: date
    name: str  # masked
    withdrawn_on: date | None


def verification_of(proof: Proof) -> Verification:
    return Verification(
        valid=proof.withdrawn_at is None,
        serial=proof.serial,
        kind=proof.kind,
        kind_label=str(RequestKind(proof.kind).label),
        issuer=str(proof.facts.get("issuer") or proof.issuing_org.name),
        issued_on=timezone.localdate(proof.issued_at),
        name=mask_name(str(proof.facts.get("name", ""))),
        withdrawn_on=timezone.localdate(proof.withdrawn_at) if proof.withdrawn_at else None,
    )
