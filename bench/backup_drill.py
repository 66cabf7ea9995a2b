"""Backup and restore drill (`make drill`, issue 19) on PostgreSQL, at university size.

    python -m bench.backup_drill                   # seed a fresh source database, then the drill
    python -m bench.backup_drill --source-url URL  # dump an existing database instead (nothing is seeded)
    python -m bench.backup_drill --keep            # keep the restored database and the dump afterwards

The drill: seed `seed_demo --size university` → `pg_dump -Fc` → `createdb` a fresh database →
`pg_restore` → `manage.py check_consistency` and `manage.py verify_audit` (when the command exists) on the
restored database → the row count of every table compared with the source → gunicorn started on the
restored database: `/healthz`, the login page and, logged in as a demo persona, an authenticated page.
Prints the time of each step; exits 1 when any step fails. Databases are DRILL_DATABASE_URL's server with
the names h_faults_drill_src / h_faults_drill_restored (dropped at the end unless --keep). Not part of
`make test`: it takes minutes.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.load import DEMO_PASSWORD_DEFAULT, Client

SERVER = os.environ.get("DRILL_DATABASE_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
SOURCE, RESTORED = "h_faults_drill_src", "h_faults_drill_restored"
ROOT = Path(__file__).resolve().parent.parent
# Throwaway keys, the same for the source and the restore (the ID numbers are encrypted with the field key:
# a restore is readable only with the key of the backup — which is why docs/deployment.md backs it up).
KEYS = {"SECRET_KEY": secrets.token_urlsafe(40), "FIELD_ENCRYPTION_KEY": secrets.token_urlsafe(40)}
timings: list[tuple[str, float, str]] = []


class Step:
    """Time a block of the drill; ``note`` is printed beside its seconds."""

    def __init__(self, name: str) -> None:
        self.name, self.note = name, ""

    def __enter__(self) -> Step:
        print(f"→ {self.name} …", flush=True)
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        timings.append((self.name, time.perf_counter() - self.start, self.note))


def psql(sql: str, database: str = "postgres") -> str:
    return subprocess.run(
        ["psql", f"{SERVER}/{database}", "-tAq", "-c", sql], check=True, capture_output=True, text=True
    ).stdout.strip()


def env_for(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")}
    env.update(KEYS)
    env.update({"DATABASE_URL": database_url, "DEBUG": "0", "DEMO_MODE": "1", "LOG_LEVEL": "WARNING"})
    env["SECURE_SSL_REDIRECT"] = "0"  # gunicorn serves plain HTTP on the loopback
    return env


def manage(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env_for(database_url),
        capture_output=True,
        text=True,
    )


def table_counts(database: str) -> dict[str, int]:
    tables = psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", database).split()
    union = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM \"{t}\"" for t in tables)
    rows = psql(union, database).splitlines()
    return {name: int(count) for name, count in (line.split("|") for line in rows)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_and_browse(database_url: str) -> list[str]:
    """Start gunicorn on the restored database, open the site as a visitor and as a demo persona;
    answers the problems found (none: the site serves the restored data)."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=env_for(database_url),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    problems: list[str] = []
    try:
        for _ in range(60):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                    if response.status == 200:
                        break
            except OSError:
                time.sleep(0.5)
        else:
            return ["gunicorn did not answer /healthz within 30 s"]
        client = Client(f"http://127.0.0.1:{port}", timeout=60)
        status, _location, page = client.request("GET", "/accounts/login/")
        if status != 200:
            problems.append(f"login page: HTTP {status}")
        client.login("college_organizer", DEMO_PASSWORD_DEFAULT)
        for path in ("/", "/people/", "/orgs/"):
            status, location, page = client.request("GET", path)
            if status != 200:
                problems.append(f"{path}: HTTP {status} {location}")
        # The restored people are there: the college's list shows its members (pinyin-sorted names).
        if "/people/" not in page or "计算机" not in client.request("GET", "/orgs/")[2]:
            problems.append("the restored organisations are not on the pages")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source-url", default="", help="dump this database instead of seeding one")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    source_url = args.source_url or f"{SERVER}/{SOURCE}"
    source_db = source_url.rsplit("/", 1)[1]
    failures: list[str] = []
    psql(f'DROP DATABASE IF EXISTS "{RESTORED}"')
    if not args.source_url:
        psql(f'DROP DATABASE IF EXISTS "{SOURCE}"')
        psql(f'CREATE DATABASE "{SOURCE}"')
        with Step("migrate (source)"):
            manage(source_url, "migrate", "--no-input", "-v", "0").check_returncode()
        with Step("seed_demo --size university"):
            seeded = manage(source_url, "seed_demo", "--size", "university")
            seeded.check_returncode()
        print(seeded.stdout.strip().splitlines()[-1][:200])
    workdir = Path(tempfile.mkdtemp(prefix="h_faults_drill_"))
    dump = workdir / "dangjian.dump"
    with Step("pg_dump -Fc") as timer:
        subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", source_url], check=True)
        timer.note = f"{dump.stat().st_size / 1e6:.0f} MB"
    with Step("createdb + pg_restore"):
        psql(f'CREATE DATABASE "{RESTORED}"')
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={SERVER}/{RESTORED}", str(dump)],
            check=True,
        )
    restored_url = f"{SERVER}/{RESTORED}"
    with Step("check_consistency") as timer:
        checked = manage(restored_url, "check_consistency")
        timer.note = (checked.stdout.strip() or checked.stderr.strip()).splitlines()[-1][:80]
    if checked.returncode:
        failures.append("check_consistency: " + checked.stdout + checked.stderr)
    if "verify_audit" in manage(restored_url, "help", "--commands").stdout.split():
        with Step("verify_audit") as timer:
            verified = manage(restored_url, "verify_audit")
            timer.note = (verified.stdout.strip() or verified.stderr.strip() or "ok").splitlines()[-1][:80]
        if verified.returncode:
            failures.append("verify_audit: " + verified.stdout + verified.stderr)
    else:
        print("verify_audit: no such command in this version — skipped")
        timings.append(("verify_audit", 0.0, "not in this version: skipped"))
    with Step("row counts compared") as timer:
        before, after = table_counts(source_db), table_counts(RESTORED)
        differ = {
            t: (before.get(t), after.get(t))
            for t in before.keys() | after.keys()
            if before.get(t) != after.get(t)
        }
        timer.note = f"{len(before)} tables, {sum(before.values()):,} rows, {len(differ)} differ"
    if differ:
        failures.append(f"row counts differ: {differ}")
    with Step("gunicorn on the restore: login + pages") as timer:
        problems = serve_and_browse(restored_url)
        timer.note = "; ".join(problems) or "login page, /, /people/, /orgs/ 200"
    failures += problems

    print(f"\n{'step':<40}{'seconds':>9}  notes")
    for name, seconds, note in timings:
        print(f"{name:<40}{seconds:>9.1f}  {note}")
    if not args.keep:
        psql(f'DROP DATABASE IF EXISTS "{RESTORED}"')
        if not args.source_url:
            psql(f'DROP DATABASE IF EXISTS "{SOURCE}"')
        dump.unlink()
        workdir.rmdir()
    for failure in failures:
        print("FAILED:", failure[:2000])
    print("drill:", "FAILED" if failures else "OK")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
