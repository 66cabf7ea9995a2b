"""The demo: requests in every state and proofs, one withdrawn."""

from __future__ import annotations

from django.core.management import call_command

from dangjian.onestop.models import Proof, Request
from dangjian.onestop.rules import RequestStatus


def test_the_demo_has_requests_in_every_state_and_a_withdrawn_proof(db):
    call_command("seed_demo", size="small", seed=2026)
    assert set(Request.objects.values_list("status", flat=True)) == set(RequestStatus.values)
    assert Request.objects.filter(rated_at__isnull=False).exists()
    assert Proof.objects.filter(withdrawn_at__isnull=False).count() == 1
    assert Proof.objects.filter(withdrawn_at__isnull=True).count() >= 1
