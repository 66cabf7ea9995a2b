"""The public 党建 news article page under readers (`python -m bench.news_public`, part of `make
bench-province`; issue 18, "Bad input, scope, scale": the public article page p95 ≤ 50 ms under 50
concurrent clients through gunicorn).

1. ``ARTICLES`` (200) published public articles of the school, each with a body of about 3,000
   characters, made once in bulk and reused by a rerun (they carry the title prefix ``TITLE``). The
   province seed has no news; the page's cost does not depend on how many articles there are (one
   row by key).
2. gunicorn on a free loopback port (bench.serve, production settings) with the "news" rate limit
   lifted for the run (every client comes from 127.0.0.1).
3. Readers: ``CLIENTS`` (50) threads, each a reader on a kept-alive connection who opens a random article,
   reads for 0.2–0.8 s and opens the next, for ``SECONDS`` (30) s. Target: p95 ≤ 50 ms, no error. A
   reader who never pauses is not a reader; on this machine's 2 cores, 50 clients that never pause
   measure the queue in front of gunicorn, so that figure (requests a second, p95) is printed beside it
   for information, from a 10 s run.

The database: BENCH_NEWS_SIZE=province (default: bench.run's province database) or university. Prints the
figures; asserts only correctness (no errors), never time.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
import time
from dataclasses import dataclass, field
from statistics import median, quantiles

from bench.serve import free_port, serve

SIZE = os.environ.get("BENCH_NEWS_SIZE", "province")
CLIENTS = int(os.environ.get("BENCH_NEWS_CLIENTS", "50"))
SECONDS = float(os.environ.get("BENCH_NEWS_SECONDS", "30"))
ARTICLES = 200
TITLE = "基准测试：公开新闻"
P95_LIMIT_MS = 50.0
PARAGRAPH = (
    "<p>学校党委深入学习贯彻党的二十大精神，围绕立德树人根本任务，推动党建工作与事业发展深度融合。"
    "各院系党组织结合实际开展主题党日、专题学习和志愿服务，党员先锋模范作用进一步彰显。</p>"
)


def prepare() -> list[int]:
    """The bench's articles (made once): their ids."""
    from django.utils import timezone

    from dangjian.core.models import Organization
    from dangjian.news.models import Article, Audience, Category, Status

    have = list(Article.objects.filter(title__startswith=TITLE).values_list("pk", flat=True))
    if len(have) >= ARTICLES:
        return have[:ARTICLES]
    school = Organization.objects.filter(depth=1).order_by("path").first()
    if school is None:
        raise SystemExit("no school: seed the bench database first (python -m bench.run)")
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            organization=school,
            audience=Audience.PUBLIC,
            title=f"{TITLE}第 {n + 1} 篇",
            summary="学校党委推动党建工作与事业发展深度融合。",
            body=PARAGRAPH * 30,
            category=Category.WORK,
            status=Status.PUBLISHED,
            publish_at=now,
            tags="党建,学习",
        )
        for n in range(len(have), ARTICLES)
    )
    return list(Article.objects.filter(title__startswith=TITLE).values_list("pk", flat=True))[:ARTICLES]


@dataclass
class Outcome:
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    seconds: float = 0.0


def load(port: int, ids: list[int], *, seconds: float, pause: tuple[float, float]) -> Outcome:
    """``CLIENTS`` readers for ``seconds``, each pausing ``pause`` seconds between two articles."""
    outcome, lock = Outcome(), threading.Lock()
    deadline = time.perf_counter() + seconds

    def reader(n: int) -> None:
        rng = random.Random(n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine: list[float] = []
        bad: list[str] = []
        time.sleep(rng.uniform(0, pause[1]))  # readers do not all arrive at once
        while time.perf_counter() < deadline:
            path = f"/news/{rng.choice(ids)}/"
            start = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                if response.status != 200 or TITLE.encode() not in body:
                    bad.append(f"{path}: {response.status}")
            except (OSError, http.client.HTTPException) as exc:
                bad.append(f"{path}: {exc!r}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            mine.append(time.perf_counter() - start)
            if pause[1]:
                time.sleep(rng.uniform(*pause))
        conn.close()
        with lock:
            outcome.latencies.extend(mine)
            outcome.errors.extend(bad)

    start = time.perf_counter()
    threads = [threading.Thread(target=reader, args=(n,)) for n in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcome.seconds = time.perf_counter() - start
    outcome.requests = len(outcome.latencies)
    return outcome


def _ms(values: list[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 0.0
    p95 = quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]
    return median(values) * 1000, p95 * 1000


def run(env: dict[str, str]) -> None:
    from bench import summary

    ids = prepare()
    limits = json.loads(env.get("RATE_LIMITS") or "{}")
    limits["news"] = {"ip": "10000000/m"}  # every reader is 127.0.0.1
    port = free_port()
    server = serve(port, {**env, "RATE_LIMITS": json.dumps(limits)})
    try:
        load(port, ids, seconds=3, pause=(0.0, 0.0))  # warm-up: every worker has loaded the page once
        readers = load(port, ids, seconds=SECONDS, pause=(0.2, 0.8))
        flood = load(port, ids, seconds=10, pause=(0.0, 0.0))
    finally:
        server.terminate()
        server.wait(timeout=30)
    med, p95 = _ms(readers.latencies)
    print(
        f"news: {CLIENTS} readers of {len(ids)} public articles via gunicorn for {readers.seconds:.0f} s: "
        f"{readers.requests} pages ({readers.requests / readers.seconds:.0f}/s), median {med:.1f} ms, "
        f"p95 {p95:.1f} ms (target ≤ {P95_LIMIT_MS:.0f} ms), errors {len(readers.errors)}"
    )
    fmed, fp95 = _ms(flood.latencies)
    print(
        f"  {CLIENTS} clients that never pause, 10 s: {flood.requests / flood.seconds:.0f} pages/s, "
        f"median {fmed:.1f} ms, p95 {fp95:.1f} ms (information: the queue in front of the workers)"
    )
    for line in (readers.errors + flood.errors)[:5]:
        print("   ", line)
    summary.add_page(
        "news",
        f"public article page, {CLIENTS} readers via gunicorn ({readers.requests / readers.seconds:.0f}/s)",
        kind="detail",
        median_ms=med,
        p95_ms=p95,
        queries=0,
    )
    summary.add_value(
        "news", "public article page errors", len(readers.errors) + len(flood.errors), 0, "errors"
    )
    assert not readers.errors and not flood.errors, "public article page errors"


if __name__ == "__main__":  # python -m bench.news_public: on bench.run's province (or university) database
    from bench.run import URLS, _env

    env = _env(URLS[SIZE])
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    run({**env, "DJANGO_SETTINGS_MODULE": "config.settings"})
