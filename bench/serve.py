"""gunicorn on a free loopback port for the benches that go through the real HTTP stack (bench.orglife's
check-in, bench.learning's quiz): the same settings as production (gthread, DEBUG off, persistent
database connections), against the bench's database."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """Start gunicorn with ``env`` (its DATABASE_URL gets ``conn_max_age``) and wait for /healthz.
    BENCH_GUNICORN_WORKERS and BENCH_GUNICORN_THREADS size it (default: 2 workers a CPU, 8 threads)."""
    url = env["DATABASE_URL"]
    workers = os.environ.get("BENCH_GUNICORN_WORKERS", str(max(2, (os.cpu_count() or 2) * 2)))
    process = subprocess.Popen(
        [
            os.path.join(os.path.dirname(sys.executable), "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            workers,
            "--threads",
            os.environ.get("BENCH_GUNICORN_THREADS", "8"),
            "--log-level",
            "warning",
        ],
        # Persistent connections, as in production (one per gunicorn thread; see docs/deployment.md).
        env={**env, "DATABASE_URL": url + ("&" if "?" in url else "?") + "conn_max_age=600"},
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise RuntimeError("gunicorn did not start")
