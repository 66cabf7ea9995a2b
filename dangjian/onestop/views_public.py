"""The public verification page of a proof (no sign-in, rate limited): valid or withdrawn, the kind, the
issuing organization, the date, the serial, the name partly masked. An unknown code answers 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from dangjian.kit.access_rules import access_rule, public
from dangjian.kit.ratelimit import rate_limited
from dangjian.onestop import selectors
from dangjian.onestop.verification import verification_of


@access_rule(public())
@rate_limited("proof_verify", methods=("GET", "HEAD"))
@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    proof = selectors.proof_by_code(code)
    if proof is None:
        return render(request, "onestop/verify_unknown.html", status=404)
    response = render(request, "onestop/verify.html", {"check": verification_of(proof)})
    response["Cache-Control"] = "no-store"  # a withdrawal shows at once
    return response
