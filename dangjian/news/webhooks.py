"""The webhook adapter for group robots (企业微信 and 钉钉), off unless ``settings.NEWS_WEBHOOKS`` names
some: when a public article is published, one ``Delivery`` per robot is logged and sent after the commit;
a failed sending is retried by the periodic task with a growing wait, at most ``MAX_ATTEMPTS`` times.
Only public articles are pushed: a group robot's chat is not an audience the platform controls."""

from __future__ import annotations

import json
import logging
import urllib.request
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dangjian.news.models import Article, Audience, Delivery

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
KINDS = ("wecom", "dingtalk")


def message(kind: str, *, title: str, summary: str, url: str, image: str = "") -> dict[str, Any]:
    """The robot's message JSON: 企业微信 ``news`` (an article card), 钉钉 ``link``."""
    if kind == "wecom":
        card = {"title": title, "description": summary, "url": url}
        if image:
            card["picurl"] = image
        return {"msgtype": "news", "news": {"articles": [card]}}
    if kind == "dingtalk":
        return {
            "msgtype": "link",
            "link": {"title": title, "text": summary or title, "messageUrl": url, "picUrl": image},
        }
    raise ValueError(f"NEWS_WEBHOOKS: unknown kind {kind!r} (one of {', '.join(KINDS)})")


def _targets() -> list[tuple[str, str]]:
    return [(str(t["kind"]), str(t["url"])) for t in settings.NEWS_WEBHOOKS or [] if t.get("url")]


def queue_for(article: Article) -> int:
    """Log a delivery per configured robot for a just-published public article and send them after the
    commit (inside the publishing transaction). Returns how many were queued."""
    if article.audience != Audience.PUBLIC or not _targets():
        return 0
    rows = Delivery.objects.bulk_create(Delivery(article=article, kind=k, url=u) for k, u in _targets())
    ids = [d.pk for d in rows]

    def send() -> None:
        from dangjian.news.tasks import send_deliveries

        send_deliveries.delay(ids)

    transaction.on_commit(send)
    return len(ids)


def _post(url: str, payload: dict[str, Any]) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=settings.NEWS_WEBHOOK_TIMEOUT) as response:
        answer = json.loads(response.read(65536) or b"{}")
    # Both robots answer 200 with {"errcode": 0} on success and another errcode on refusal.
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}"[:300])


def public_url(article: Article) -> str:
    return settings.NEWS_SITE_URL.rstrip("/") + reverse("news:public_article", args=[article.pk])


def deliver(delivery: Delivery, *, now: datetime | None = None) -> bool:
    """Try one delivery once; record the outcome. True when sent."""
    now = now or timezone.now()
    article = delivery.article
    image = settings.NEWS_SITE_URL.rstrip("/") + article.cover.url if article.cover else ""
    try:
        _post(
            delivery.url,
            message(
                delivery.kind,
                title=article.title,
                summary=article.summary,
                url=public_url(article),
                image=image,
            ),
        )
    except Exception as exc:  # any failure of a remote robot is logged and retried
        delivery.attempts += 1
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:300]
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.state = Delivery.State.FAILED
            delivery.next_try_at = None
        else:
            delivery.next_try_at = now + timedelta(minutes=5 * 2 ** (delivery.attempts - 1))
        delivery.save(update_fields=["attempts", "last_error", "state", "next_try_at"])
        logger.warning("news webhook %s failed (attempt %s): %s", delivery.pk, delivery.attempts, exc)
        return False
    delivery.attempts += 1
    delivery.state = Delivery.State.SENT
    delivery.sent_at = now
    delivery.next_try_at = None
    delivery.save(update_fields=["attempts", "state", "sent_at", "next_try_at"])
    return True


def due(now: datetime | None = None) -> list[Delivery]:
    """Deliveries to try now: new ones not sent after their commit, and failed ones whose wait is over."""
    now = now or timezone.now()
    return list(
        Delivery.objects.select_related("article")
        .filter(state=Delivery.State.PENDING, attempts__lt=MAX_ATTEMPTS)
        .exclude(next_try_at__gt=now)
        .order_by("pk")[:200]
    )
