"""Local fake 统一身份认证 providers for tests: a CAS server and an OIDC provider, each an http.server in
a thread on 127.0.0.1 (no network beyond this machine). The libraries talk to them over real HTTP."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt

CAS_NS = "http://www.yale.edu/tp/cas"


@dataclass
class FakeCas:
    """Tickets are ``ST-<user>``; ``attributes`` are returned with every success."""

    base_url: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    validated: list[str] = field(default_factory=list)

    def respond(self, path: str, query: dict[str, list[str]]) -> tuple[int, str, str]:
        if path != "/cas/p3/serviceValidate":
            return 404, "text/plain", "not found"
        ticket = query.get("ticket", [""])[0]
        self.validated.append(ticket)
        if not ticket.startswith("ST-"):
            body = f'<cas:authenticationFailure code="INVALID_TICKET">{ticket}</cas:authenticationFailure>'
        else:
            attrs = "".join(f"<cas:{k}>{v}</cas:{k}>" for k, v in self.attributes.items())
            body = (
                f"<cas:authenticationSuccess><cas:user>{ticket[3:]}</cas:user>"
                f"<cas:attributes>{attrs}</cas:attributes></cas:authenticationSuccess>"
            )
        return 200, "text/xml", f'<cas:serviceResponse xmlns:cas="{CAS_NS}">{body}</cas:serviceResponse>'


@dataclass
class FakeOidc:
    """Authorization codes are ``code-<number>``; the id_token is signed HS256 with the client secret."""

    client_id: str
    client_secret: str
    claim: str = "preferred_username"
    base_url: str = ""
    nonces: dict[str, str] = field(default_factory=dict)

    def respond(self, path: str, form: dict[str, list[str]], headers: Any) -> tuple[int, str, str]:
        if path == "/oidc/token":
            code = form.get("code", [""])[0]
            if form.get("client_secret", [""])[0] != self.client_secret or not code.startswith("code-"):
                return 400, "application/json", json.dumps({"error": "invalid_grant"})
            number = code[5:]
            now = int(time.time())
            id_token = jwt.encode(
                {
                    "iss": self.base_url,
                    "aud": self.client_id,
                    "sub": f"sub-{number}",
                    "iat": now,
                    "exp": now + 300,
                    "nonce": self.nonces.get(code, ""),
                },
                self.client_secret,
                algorithm="HS256",
            )
            token = {"access_token": f"at-{number}", "id_token": id_token, "token_type": "Bearer"}
            return 200, "application/json", json.dumps(token)
        if path == "/oidc/userinfo":
            number = headers.get("Authorization", "").removeprefix("Bearer at-")
            return 200, "application/json", json.dumps({"sub": f"sub-{number}", self.claim: number})
        return 404, "text/plain", "not found"


@contextmanager
def serving(provider: FakeCas | FakeOidc) -> Iterator[str]:
    """Serve ``provider`` on a free local port for the duration; yields its base URL."""

    class Handler(BaseHTTPRequestHandler):
        def _send(self, status: int, content_type: str, body: str) -> None:
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if isinstance(provider, FakeCas):
                self._send(*provider.respond(url.path, parse_qs(url.query)))
            else:
                self._send(*provider.respond(url.path, parse_qs(url.query), self.headers))

        def do_POST(self) -> None:
            url = urlparse(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = parse_qs(self.rfile.read(length).decode())
            assert isinstance(provider, FakeOidc)
            self._send(*provider.respond(url.path, form, self.headers))

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield provider.base_url
    finally:
        server.shutdown()
        server.server_close()
