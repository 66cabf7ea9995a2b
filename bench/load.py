"""Load test (`make load`, issue 19): N virtual users log in as demo personas and click through the site.

    python -m bench.load --base-url http://127.0.0.1:8001 --users 200 --duration 300
    python -m bench.load --serve postgres://postgres@127.0.0.1:5432/dangjian_load   # `make load`

With ``--serve DATABASE_URL`` it first makes the site itself: migrates that PostgreSQL database, seeds the
demo university into it when it is empty (`seed_demo --size university --if-empty`), and starts gunicorn
(gthread, 4 workers × 4 threads: two cores) with DEBUG off, DEMO_MODE=1 (the demo personas, no TOTP) and
throwaway keys; REDIS_URL is passed through when set. It stops gunicorn at the end.

Each virtual user (VU) logs in with its own session (the CSRF token read from the login form) as one of
the demo personas — many VUs share a login, as colleagues share a role — then loops a weighted mix of
requests with a think time between them: list pages, a detail page, the header's search, the meeting
check-in screen (secretaries) or the scan page and its check-in POST (members), the dues pages. Before
the run one VU per persona finds the URLs it can open (ids scraped from its list pages); the run then
counts any response other than 200/302 — or a timeout, or a refused connection — as an error.

Prints, per request type and overall, the count, the errors, and p50/p95/p99 latency in ms; exits 1 on any
error. Standard library only (threads + http.client): no dependency of its own. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from statistics import quantiles
from urllib.parse import urlencode, urlsplit

DEMO_PASSWORD_DEFAULT = "demo12345"  # dangjian.core.demo.generator.DEMO_PASSWORD
# Persona → share of the VUs. The people who use the site most: members and branch secretaries.
PERSONAS = {"member": 45, "branch_secretary": 30, "college_organizer": 20, "school_admin": 5}
# Request type → weight in each VU's loop (types a persona cannot open are skipped for it).
MIX = {"list": 30, "detail": 20, "search": 15, "checkin": 15, "dues": 20}
SEARCH_WORDS = ("王", "李", "张", "刘", "陈", "zw", "l", "计算机", "支部", "党员")
OK_STATUSES = (200, 302)


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    timings: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    samples: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float, error: str = "") -> None:
        with self.lock:
            self.timings[kind].append(seconds)
            if error:
                self.errors[kind] += 1
                if len(self.samples) < 20:
                    self.samples.append(f"{kind}: {error}")


class Client:
    """One browser: a keep-alive connection and its own cookies (sent over plain http too: the load run
    talks to gunicorn directly, where production has TLS in front)."""

    def __init__(self, base_url: str, timeout: float) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.timeout = timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, Location, body) of one request; a dropped keep-alive connection is reopened once."""
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt == 2:
                    raise
                continue
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            if response.headers.get("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return response.status, response.headers.get("Location", ""), text
        raise AssertionError("unreachable")

    def login(self, username: str, password: str) -> None:
        status, _location, page = self.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"login form: HTTP {status}")
        form = {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password}
        status, location, _page = self.request("POST", "/accounts/login/", form)
        if status != 302 or "/accounts/login" in location:
            raise RuntimeError(f"login of {username} refused: HTTP {status}")

    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")


def _links(page: str, pattern: str, limit: int = 20) -> list[str]:
    return list(dict.fromkeys(re.findall(pattern, page)))[:limit]


def discover(base_url: str, username: str, password: str, timeout: float) -> dict[str, list[str]]:
    """The URLs of each request type this persona can open (200), found by browsing as it."""
    client = Client(base_url, timeout)
    client.login(username, password)
    candidates: dict[str, list[str]] = {
        "list": ["/", "/people/", "/orgs/", "/orglife/meetings/", "/transfers/", "/learning/"],
        "search": [f"/search/?{urlencode({'q': w})}" for w in SEARCH_WORDS],
        "dues": ["/dues/me/", "/dues/"],
        "detail": [],
        "checkin": [],
    }
    _status, _loc, people = client.request("GET", "/people/")
    candidates["detail"] += _links(people, r'href="(/people/\d+/)"')
    _status, _loc, orgs = client.request("GET", "/orgs/")
    candidates["detail"] += _links(orgs, r'href="(/orgs/\d+/)"', 5)
    _status, _loc, meetings = client.request("GET", "/orglife/meetings/")
    meeting_pages = _links(meetings, r'href="(/orglife/meetings/\d+/)"', 10)
    candidates["detail"] += meeting_pages
    candidates["checkin"] += [f"{m}check-in/" for m in meeting_pages]
    status, location, dues = client.request("GET", "/dues/")
    if status == 302:  # an organizer's /dues/ opens their own organization's page
        candidates["dues"].append(location)
        dues = client.request("GET", location)[2]
    candidates["dues"] += _links(dues, r'href="(/dues/org/\d+/)"', 5)
    found: dict[str, list[str]] = {}
    for kind, urls in candidates.items():
        found[kind] = [u for u in urls if client.request("GET", u)[0] == 200]
    return found


def scan_pages(args: argparse.Namespace, secretary: str, member: str) -> tuple[list[str], list[str]]:
    """The scan pages (``/orglife/c/<token>/``) of the secretary's meetings, read from their printable
    sheets, that the member can open; and those where the member's check-in POST is accepted (a meeting
    open for check-in now — outside its window the scan page refuses with 400, which is not a fault)."""
    secretary_client = Client(args.base_url, args.timeout)
    secretary_client.login(secretary, args.password)
    _s, _l, meetings = secretary_client.request("GET", "/orglife/meetings/")
    pages: list[str] = []
    for meeting in _links(meetings, r'href="(/orglife/meetings/\d+/)"', 10):
        _s, _l, sheet = secretary_client.request("GET", f"{meeting}check-in/print/")
        pages += _links(sheet, r"https?://[^/]+(/orglife/c/[^/\"'<\s]+/)", 1)
    client = Client(args.base_url, args.timeout)
    client.login(member, args.password)
    readable = [p for p in pages if client.request("GET", p)[0] == 200]
    postable = [
        p for p in readable if client.request("POST", p, {"csrfmiddlewaretoken": client.csrf()})[0] == 200
    ]
    return readable, postable


def virtual_user(
    args: argparse.Namespace,
    username: str,
    urls: dict[str, list[str]],
    postable: set[str],
    stats: Stats,
    stop_at: float,
) -> None:
    rng = random.Random()
    client = Client(args.base_url, args.timeout)
    start = time.perf_counter()
    try:
        client.login(username, args.password)
        stats.add("login", time.perf_counter() - start)
    except Exception as exc:  # the VU is lost: counted, and it stops
        stats.add("login", time.perf_counter() - start, f"{username}: {exc}")
        return
    kinds = [k for k in MIX if urls.get(k)]
    weights = [MIX[k] for k in kinds]
    while time.time() < stop_at:
        time.sleep(rng.uniform(args.think_min, args.think_max))
        if time.time() >= stop_at:
            break
        kind = rng.choices(kinds, weights)[0]
        url = rng.choice(urls[kind])
        form = None
        if url in postable and rng.random() < 0.5:
            form = {"csrfmiddlewaretoken": client.csrf()}  # the member's check-in (a repeat is a no-op)
        start = time.perf_counter()
        try:
            status, _loc, _page = client.request("POST" if form else "GET", url, form)
            error = "" if status in OK_STATUSES else f"HTTP {status} {url}"
        except Exception as exc:
            error = f"{exc.__class__.__name__} {url}"
        stats.add(kind + ("-post" if form else ""), time.perf_counter() - start, error)


def report(stats: Stats, elapsed: float) -> int:
    def line(name: str, values: list[float], errors: int) -> str:
        ms = sorted(v * 1000 for v in values)
        cuts = quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
        return (
            f"{name:<14}{len(ms):>8}{errors:>8}{cuts[49]:>9.0f}{cuts[94]:>9.0f}{cuts[98]:>9.0f}{ms[-1]:>9.0f}"
        )

    print(f"{'type':<14}{'count':>8}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    every: list[float] = []
    total_errors = 0
    for kind in sorted(stats.timings):
        every += [t for t in stats.timings[kind]]
        total_errors += stats.errors[kind]
        print(line(kind, stats.timings[kind], stats.errors[kind]))
    print(line("all", every, total_errors))
    print(
        f"{len(every)} requests in {elapsed:.0f} s = {len(every) / elapsed:.1f} req/s; {total_errors} errors"
    )
    for sample in stats.samples:
        print("  error:", sample)
    return 1 if total_errors else 0


def serve(database_url: str, port: int) -> subprocess.Popen[bytes]:
    """Migrate and seed (when empty) ``database_url``, then start gunicorn on it; answers the process."""
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "DEMO_MODE": "1",
            "SECURE_SSL_REDIRECT": "0",  # plain HTTP on the loopback; production sits behind HTTPS
            "SECRET_KEY": env.get("SECRET_KEY") or secrets.token_urlsafe(40),
            "FIELD_ENCRYPTION_KEY": env.get("FIELD_ENCRYPTION_KEY") or "load-test-only-" + "k" * 32,
            "LOG_LEVEL": "WARNING",
        }
    )
    base, name = database_url.rsplit("/", 1)
    exists = subprocess.run(
        ["psql", f"{base}/postgres", "-tAqc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", f"{base}/postgres", "-qc", f'CREATE DATABASE "{name}"'], check=True)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=root, env=env, check=True)
    subprocess.run(
        [*manage, "seed_demo", "--size", "university", "--if-empty"], cwd=root, env=env, check=True
    )
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    server = subprocess.Popen(
        [gunicorn, "config.wsgi:application", "--worker-class", "gthread", "--workers", "4", "--threads", "4"]
        + ["--bind", f"127.0.0.1:{port}", "--timeout", "60"],
        cwd=root,
        env=env,
    )
    for _ in range(60):
        try:
            if Client(f"http://127.0.0.1:{port}", 5).request("GET", "/healthz")[0] == 200:
                return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise RuntimeError("gunicorn did not answer /healthz")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8001")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=int, default=300, help="seconds")
    parser.add_argument(
        "--ramp",
        type=float,
        default=120,
        help="seconds over which the VUs log in (a login hashes a password)",
    )
    parser.add_argument("--think-min", type=float, default=2.0)
    parser.add_argument("--think-max", type=float, default=8.0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--password", default=DEMO_PASSWORD_DEFAULT)
    parser.add_argument("--serve", default="", metavar="DATABASE_URL", help="start gunicorn on this database")
    args = parser.parse_args()
    if not args.serve:
        return run(args)
    server = serve(args.serve, urlsplit(args.base_url).port or 8001)
    try:
        return run(args)
    finally:
        server.terminate()
        server.wait(timeout=30)


def run(args: argparse.Namespace) -> int:
    urls = {p: discover(args.base_url, p, args.password, args.timeout) for p in PERSONAS}
    urls["member"]["checkin"], postable = scan_pages(args, "branch_secretary", "member")
    print(f"check-in: {len(urls['member']['checkin'])} scan pages, {len(postable)} open for a check-in POST")
    for persona, kinds in urls.items():
        print(persona, {k: len(v) for k, v in kinds.items()})
    stats = Stats()
    names = random.Random(0).choices(list(PERSONAS), list(PERSONAS.values()), k=args.users)
    start = time.time()
    stop_at = start + args.ramp + args.duration
    threads = []
    for i, name in enumerate(names):
        thread = threading.Thread(
            target=virtual_user, args=(args, name, urls[name], set(postable), stats, stop_at), daemon=True
        )
        threads.append(thread)
        thread.start()
        time.sleep(args.ramp / max(args.users, 1))
        if i == 0:
            print(f"{args.users} VUs starting over {args.ramp:.0f} s, then {args.duration} s of load")
    for thread in threads:
        thread.join()
    return report(stats, time.time() - start)


if __name__ == "__main__":
    sys.exit(main())
