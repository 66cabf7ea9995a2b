"""Every URL × every persona answers as its declaration says (dangjian/kit/access_rules.py).

One test over the demo data (``seed_demo --size small``): a view without a declaration fails it, and so does
a persona answered otherwise than declared. Writes are rolled back after each request. Mutating requests
are tried with a CSRF token (then the rule decides) and without one (then everyone is refused, 403).

``ACCESS_MATRIX_DUMP=path`` writes what every persona got (GET / POST) as a Markdown table: that is how
docs/access-matrix.md is made.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import call_command

from dangjian.kit.access_rules import Kind, Outcome, Persona, public
from tests.access import samples
from tests.access.matrix import Asked, acceptable, expected, observe, persona_clients, url_for, walk

pytestmark = pytest.mark.django_db(transaction=False)

# The 三权分立 trio and the only area each may work in.
TRIO = {
    Persona.AUDITOR: ("audit:",),
    Persona.SYSTEM_ADMIN: ("admin:",),
    Persona.SECURITY_ADMIN: ("accounts:security", "accounts:unlock"),
}
# Rules that grant by role: pages open to everyone signed in (their own account, notifications, module
# shells that show nothing without a person or a role) are checked for Party data instead.
# Public URLs whose secret is the guard: whoever holds the member's calendar link reads that calendar.
SECRET_URLS = {"orglife:calendar_feed"}
SCOPED = {Kind.ANYWHERE, Kind.WITHIN, Kind.OWN}

# Patterns with nothing to ask: the admin's catch-all (any unknown admin URL).
UNNAMED_OK = {"admin:None"}


def test_every_url_answers_every_persona_as_declared(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path
    settings.RATE_LIMITS_ENABLED = False
    # Each request is rolled back, the session's last-activity stamp too: on a slow machine a walk longer
    # than the idle timeout would log the personas out half-way (the timeouts have their own tests).
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 0
    settings.ADMIN_SESSION_IDLE_TIMEOUT_MINUTES = 0
    settings.DUES_PAYMENT_PROVIDER = "dangjian.dues.payments.FakeProvider"
    # sign-on on, so its pages answer as in a school that uses it (the providers are never reached)
    settings.CAS_SERVER_URL = "https://cas.example.edu.cn/cas/"
    settings.OIDC_RP_CLIENT_ID = "dangjian"
    settings.OIDC_RP_CLIENT_SECRET = "secret"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://idp.example.edu.cn/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://idp.example.edu.cn/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://idp.example.edu.cn/userinfo"
    call_command("seed_demo", size="small", seed=2026)
    place = samples.place()
    cache: dict[str, samples.Sample] = {}
    clients = persona_clients()
    problems: list[str] = []
    # 三权分立: what the three administrators may open, and that no page shows them a member's record
    allowed_to_trio: dict[Persona, list[str]] = {}
    rule_kinds: dict[str, Kind] = {}
    party_words = [place.member.name, place.branch.name]
    dump: list[str] = []
    for target in walk():
        if target.name in UNNAMED_OK:
            continue
        if target.rule is None:
            problems.append(f"{target.name}: no access declaration (@access(...) beside the view)")
            target.rule = public()  # still asked, so the dump shows what each persona gets
        try:
            kwargs, org_path = samples.resolve(target.name, target.keywords, place, cache)
        except LookupError as exc:
            problems.append(f"{target.name}: {exc}")
            continue
        query: dict[str, object] = {}
        if target.name in samples.QUERIES:
            query, org_path = samples.QUERIES[target.name](place)
        owner = samples.owner_of(target.name, target.keywords, cache)
        rule_kinds[target.name] = target.rule.kind
        url = url_for(target, kwargs) + (f"?{urlencode(query)}" if query else "")
        body_of = samples.API_BODIES.get(target.name)
        body = body_of(place) if body_of and target.api_path else None
        if body is not None and not org_path:
            org_path = place.branch.path  # the API's creates name the member's branch in their body
        row = []
        for pc in clients:
            got_by_method = {}
            for method in target.methods:
                want = expected(
                    target.rule, pc.persona, pc.scope, pc.has_person, Asked(org_path, owner, method)
                )
                got = observe(pc, method, url, body if method != "GET" else None, csrf=True, form=query)
                got_by_method[method] = got
                if method == "GET" and got == "allowed" and pc.persona in TRIO:
                    allowed_to_trio.setdefault(pc.persona, []).append(target.name)
                    leaked = [n for n in party_words if n.encode() in pc.extra["content"]]
                    if leaked and not target.name.startswith("audit:") and target.name not in SECRET_URLS:
                        problems.append(f"{target.name} shows {pc.persona.value} Party data: {leaked}")
                if got != "skip" and got not in acceptable(target.rule, want, pc.persona):
                    problems.append(
                        f"{target.name} {method} {url} as {pc.persona.value}: {got}, declared {want.value}"
                    )
            row.append(" / ".join(g for g in got_by_method.values() if g != "skip"))
        dump.append(f"| `{target.name}` | `{target.rule.describe()}` | " + " | ".join(row) + " |")
        if not target.csrf_exempt and any(m != "GET" for m in target.methods):
            for pc in (clients[0], next(c for c in clients if c.persona is Persona.SCHOOL_ADMIN)):
                for method in (m for m in target.methods if m != "GET"):
                    got = observe(pc, method, url, body, csrf=False)
                    if got not in ("skip", Outcome.FORBIDDEN.value, Outcome.LOGIN.value):
                        problems.append(f"{target.name} {method} without CSRF as {pc.persona.value}: {got}")
    for persona, own_area in TRIO.items():
        beyond = [
            name
            for name in allowed_to_trio.get(persona, [])
            if rule_kinds[name] in SCOPED and not name.startswith(own_area)
        ]
        if beyond:
            problems.append(f"{persona.value} opens pages beyond {own_area}: {beyond}")
    if os.environ.get("ACCESS_MATRIX_DUMP"):
        head = "| URL | rule | " + " | ".join(p.value for p in Persona) + " |"
        rule = "|" + "---|" * (len(Persona) + 2)
        Path(os.environ["ACCESS_MATRIX_DUMP"]).write_text(
            "\n".join([head, rule, *dump]) + "\n", encoding="utf-8"
        )
    assert not problems, f"{len(problems)} mismatches:\n" + "\n".join(problems[:400])
