"""The public verification of a proof: no sign-in, the facts a verifier needs and no more, 404 for an
unknown code, rate limited; the API says the same in JSON."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from dangjian.onestop import services
from tests.onestop.conftest import SYSTEM, issue


def _page(code: str):
    return Client().get(reverse("proofs:verify", args=[code]))


def test_a_valid_proof_shows_its_kind_issuer_date_and_masked_name(world):
    proof = issue(world.secretary)  # 王建国
    response = _page(proof.code)
    assert response.status_code == 200
    html = response.content.decode()
    assert "有效" in html and "党员身份证明" in html
    assert world.cs.name in html and "2026-11-30" in html and proof.serial in html
    assert "王*国" in html
    assert "王建国" not in html


def test_no_other_personal_data_is_shown(world):
    proof = issue(world.member)
    html = _page(proof.code).content.decode()
    member = world.member
    for private in [
        member.name,
        member.id_number_masked,
        member.phone,
        world.cs_branch.name,
        "2015-06-01",
        "女",
    ]:
        if private:
            assert private not in html, private


def test_a_withdrawn_proof_says_so(world):
    proof = issue(world.member)
    services.proof_withdraw(actor=None, scope=SYSTEM, proof=proof, reason="有误", expected_status="valid")
    html = _page(proof.code).content.decode()
    assert "已撤回" in html and "有误" not in html


def test_an_unknown_code_is_not_found(world):
    response = _page("no-such-code")
    assert response.status_code == 404
    assert "未找到该证明" in response.content.decode()


def test_verification_is_rate_limited(world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "proof_verify": {"ip": "3/m"}}
    proof = issue(world.member)
    answers = [_page(proof.code).status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_the_api_verifies_without_signing_in(world):
    proof = issue(world.secretary)
    response = Client().get(f"/api/v1/proofs/verify/{proof.code}")
    assert response.status_code == 200
    assert response.json() == {
        "valid": True,
        "serial": "DJ2026-000001",
        "kind": "proof_membership",
        "kind_label": "党员身份证明",
        "issuer": world.cs.name,
        "issued_on": "2026-11-30",
        "name": "王*国",
        "withdrawn_on": None,
    }


def test_the_api_answers_404_for_an_unknown_code_and_is_rate_limited(world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "proof_verify": {"ip": "2/m"}}
    client = Client()
    assert client.get("/api/v1/proofs/verify/nope").status_code == 404
    assert client.get("/api/v1/proofs/verify/nope").status_code == 404
    assert client.get("/api/v1/proofs/verify/nope").status_code == 429
