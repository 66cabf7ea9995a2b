"""阅读关注度 fixtures: published articles and a helper that sends a beacon as a client would."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from dangjian.news.models import Article


def beacon(client: Client, article: Article | int, kind: str = "view", **data: Any) -> Any:
    pk = article if isinstance(article, int) else article.pk
    return client.post(reverse("news:beacon", args=[pk]), {"kind": kind, **data})
