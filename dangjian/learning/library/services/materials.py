"""Materials: uploaded (a checked file of the kind's types and size from settings), edited and published
or withdrawn by organizers who manage training where they are published. Every change audited."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangjian import audit
from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization
from dangjian.kit.errors import NotFound, RuleViolation
from dangjian.kit.uploads import checked_upload
from dangjian.learning.library.models import (
    Audience,
    Material,
    MaterialKind,
    Topic,
)
from dangjian.learning.library.services._common import _actor, may_publish

MB = 1024 * 1024
EXTENSIONS = {
    MaterialKind.DOCUMENT: ((".pdf",), "PDF"),
    MaterialKind.AUDIO: ((".mp3", ".m4a"), "MP3、M4A"),
    MaterialKind.VIDEO: ((".mp4",), "MP4"),
}


def max_bytes(kind: str) -> int:
    if kind == MaterialKind.DOCUMENT:
        return int(getattr(settings, "LEARNING_MAX_DOCUMENT_MB", 20)) * MB
    return int(getattr(settings, "LEARNING_MAX_MEDIA_MB", 200)) * MB


def _check_material(
    *, title: str, kind: str, topic: str, audiences: list[str], body: str, url: str, upload: Any
) -> None:
    if not title.strip():
        raise RuleViolation(_("请填写标题"), field="title")
    if kind not in MaterialKind.values:
        raise RuleViolation(_("请选择资料类型"), field="kind")
    if topic not in Topic.values:
        raise RuleViolation(_("请选择专题"), field="topic")
    if not audiences or any(a not in Audience.values for a in audiences):
        raise RuleViolation(_("请至少选择一类适用对象"), field="audiences")
    if kind == MaterialKind.ARTICLE and not body.strip():
        raise RuleViolation(_("文章需要填写正文"), field="body")
    if kind == MaterialKind.LINK and not url.startswith(("https://", "http://")):
        raise RuleViolation(_("外部链接需要填写以 http:// 或 https:// 开头的地址"), field="url")


def material_create(
    *,
    actor: Any,
    scope: Scope,
    organization: Organization,
    title: str,
    kind: str,
    topic: str,
    audiences: list[str],
    summary: str = "",
    body: str = "",
    url: str = "",
    upload: Any = None,
) -> Material:
    """A material of ``organization`` (unpublished until ``material_publish``); a document, audio or
    video comes with its checked file."""
    if not may_publish(scope, organization):
        raise NotFound(_("未找到该党组织"))
    _check_material(
        title=title, kind=kind, topic=topic, audiences=audiences, body=body, url=url, upload=upload
    )
    name = ""
    if kind in EXTENSIONS:
        if upload is None:
            raise RuleViolation(_("请上传文件"), field="file")
        extensions, label = EXTENSIONS[MaterialKind(kind)]
        name = checked_upload(upload, extensions=extensions, max_bytes=max_bytes(kind), kinds=label)
    with transaction.atomic():
        material = Material(
            title=title.strip()[:120],
            kind=kind,
            topic=topic,
            audiences=sorted(set(audiences), key=list(Audience.values).index),
            organization=organization,
            summary=summary.strip()[:300],
            body=body.strip() if kind == MaterialKind.ARTICLE else "",
            url=url.strip() if kind == MaterialKind.LINK else "",
            uid=uuid.uuid4().hex,
            created_by=_actor(actor),
        )
        if name:
            material.file_name = name[:200]
            material.file_size = upload.size
            material.file.save(name, upload, save=False)
        material._history_user = _actor(actor)  # type: ignore[attr-defined]  # simple-history's 修改记录
        material.save()
        audit.record(
            actor=actor,
            action="learning.material_create",
            target=material,
            org=organization,
            changes={"title": material.title, "kind": kind, "audiences": material.audiences},
        )
    return material


def material_update(
    *,
    actor: Any,
    scope: Scope,
    material: Material,
    title: str,
    topic: str,
    audiences: list[str],
    summary: str = "",
    body: str = "",
    url: str = "",
) -> Material:
    """Change a material's words (its kind, organization and file stay: a new file is a new material)."""
    _check_material(
        title=title, kind=material.kind, topic=topic, audiences=audiences, body=body, url=url, upload=None
    )
    with transaction.atomic():
        locked = (
            Material.objects.select_for_update().select_related("organization").filter(pk=material.pk).first()
        )
        if locked is None or not may_publish(scope, locked.organization):
            raise NotFound(_("未找到该学习资料"))
        fields = ("title", "topic", "audiences", "summary", "body", "url")
        before = {k: getattr(locked, k) for k in fields}
        locked.title, locked.topic = title.strip()[:120], topic
        locked.audiences = sorted(set(audiences), key=list(Audience.values).index)
        locked.summary = summary.strip()[:300]
        locked.body = body.strip() if locked.kind == MaterialKind.ARTICLE else ""
        locked.url = url.strip() if locked.kind == MaterialKind.LINK else ""
        after = {k: getattr(locked, k) for k in fields}
        if before == after:
            return locked
        locked._history_user = _actor(actor)  # type: ignore[attr-defined]
        locked.save()
        # The text itself is not copied into the log: it says the body changed.
        changes: dict[str, Any] = {k: [before[k], after[k]] for k in fields if before[k] != after[k]}
        if "body" in changes:
            changes["body"] = _("正文已修改")
        audit.record(
            actor=actor,
            action="learning.material_update",
            target=locked,
            org=locked.organization,
            changes=changes,
        )
    return locked


def material_publish(*, actor: Any, scope: Scope, material: Material, published: bool) -> Material:
    """Publish (readers see it) or withdraw a material; publishing twice changes nothing."""
    with transaction.atomic():
        locked = (
            Material.objects.select_for_update().select_related("organization").filter(pk=material.pk).first()
        )
        if locked is None or not may_publish(scope, locked.organization):
            raise NotFound(_("未找到该学习资料"))
        if locked.published == published:
            return locked
        locked.published = published
        if published and locked.published_at is None:
            locked.published_at = timezone.now()
        locked._history_user = _actor(actor)  # type: ignore[attr-defined]
        locked.save(update_fields=["published", "published_at", "updated_at"])
        audit.record(
            actor=actor,
            action="learning.material_publish" if published else "learning.material_withdraw",
            target=locked,
            org=locked.organization,
            changes={"published": [not published, published]},
        )
    return locked
