"""学习库 pages for readers: the library (search, topic and kind), a material's reader or player (its file
served with byte ranges, so a phone can seek in audio and video), courses with their lessons ticked off,
and the progress a page reports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.kit.access_rules import ALLOWED, access_rule, person, signed_in, within
from dangjian.kit.errors import DomainError
from dangjian.kit.paginator import CappedPaginator
from dangjian.learning.library import rules, selectors, services
from dangjian.learning.library.models import Material, MaterialKind, Topic

P = Permission
# Readers: whoever the material or course is published to (the demo member and secretary of the sample's
# college), and organizers who manage training where it was published.
READER = within(Permission.MANAGE_TRAINING, member=ALLOWED, branch_secretary=ALLOWED)
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "mp4": "video/mp4",
}
CHUNK = 64 * 1024


def _choice(request: HttpRequest, key: str, values: list[str]) -> str:
    value = request.GET.get(key, "")
    return value if value in values else ""


@access_rule(signed_in())
@login_required
def library(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    reader = selectors.reader_for(scope, timezone.localdate())
    query = request.GET.get("q", "").strip()[:60]
    topic = _choice(request, "topic", Topic.values)
    kind = _choice(request, "kind", MaterialKind.values)
    page = CappedPaginator(
        selectors.material_list(scope, reader, query=query, topic=topic, kind=kind), 20
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/library/materials.html",
        {
            "page": page,
            "q": query,
            "topic": topic,
            "kind": kind,
            "topics": Topic.choices,
            "kinds": MaterialKind.choices,
            "query_string": urlencode({"q": query, "topic": topic, "kind": kind}),
            "can_create": scope.has(P.MANAGE_TRAINING),
            "title": _("学习库"),
        },
    )


@access_rule(READER)
@login_required
def material_detail(request: HttpRequest, material_id: int) -> HttpResponse:
    """The reader (an article's text, a document to open) or the player; opened from a course's lesson
    (``?lesson=``) it reports the reader's progress in that lesson."""
    scope = scope_of(request)
    reader = selectors.reader_for(scope, timezone.localdate())
    material = selectors.get_material_for(scope, reader, material_id)
    lesson = None
    percent = 0
    if request.GET.get("lesson") and reader.person_id is not None:
        lesson = selectors.get_lesson_for(scope, reader, request.GET["lesson"])
        if lesson.material_id != material.pk:
            raise Http404
        percent = selectors.progress_of(reader.person_id, [lesson]).get(lesson.pk, 0)
    can_manage = services.may_publish(scope, material.organization)
    return render(
        request,
        "learning/library/material.html",
        {
            "m": material,
            "lesson": lesson,
            "percent": percent,
            "paragraphs": [p for p in material.body.replace("\r\n", "\n").split("\n\n") if p.strip()],
            "can_manage": can_manage,
            # The 修改记录 names the organizers who edited it: for those who manage it, not its readers.
            "history": selectors.material_history(material) if can_manage else None,
            "title": material.title,
        },
    )


def _chunks(handle: Any, length: int) -> Iterator[bytes]:
    try:
        while length > 0:
            data = handle.read(min(CHUNK, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def ranged_file_response(request: HttpRequest, material: Material) -> HttpResponseBase:
    """The material's file inline: whole (200) or the one byte range asked for (206 with Content-Range);
    a range it cannot serve answers 416 with the file's size."""
    stored = material.file
    try:
        size = stored.size
    except OSError:
        raise Http404 from None
    extension = stored.name.rsplit(".", 1)[-1].lower()
    content_type = CONTENT_TYPES.get(extension, "application/octet-stream")
    try:
        wanted = rules.parse_range(request.headers.get("Range"), size)
    except rules.RangeNotSatisfiable:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    handle = stored.storage.open(stored.name, "rb")
    response: HttpResponseBase
    if wanted is None:
        response = FileResponse(handle, content_type=content_type, filename=material.file_name or "file")
    else:
        handle.seek(wanted.start)
        response = StreamingHttpResponse(
            _chunks(handle, wanted.length), status=206, content_type=content_type
        )
        response["Content-Range"] = wanted.content_range(size)
        response["Content-Length"] = str(wanted.length)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@access_rule(READER)
@login_required
def material_file(request: HttpRequest, material_id: int) -> HttpResponseBase:
    scope = scope_of(request)
    material = selectors.get_material_for(
        scope, selectors.reader_for(scope, timezone.localdate()), material_id
    )
    if not material.has_file:
        raise Http404
    return ranged_file_response(request, material)


@access_rule(signed_in())
@login_required
def course_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    reader = selectors.reader_for(scope, timezone.localdate())
    topic = _choice(request, "topic", Topic.values)
    page = CappedPaginator(selectors.course_list(scope, reader, topic=topic), 20).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "learning/library/courses.html",
        {
            "page": page,
            "topic": topic,
            "topics": Topic.choices,
            "query_string": urlencode({"topic": topic}),
            "can_create": scope.has(P.MANAGE_TRAINING),
            "title": _("网上课程"),
        },
    )


@access_rule(READER)
@login_required
def course_detail(request: HttpRequest, course_id: int) -> HttpResponse:
    scope = scope_of(request)
    reader = selectors.reader_for(scope, timezone.localdate())
    course = selectors.get_course_for(scope, reader, course_id)
    lessons = list(selectors.lessons_of(course, reader.person_id))
    completed = (
        reader.person_id is not None and course.completions.filter(person_id=reader.person_id).exists()
    )
    return render(
        request,
        "learning/library/course.html",
        {
            "course": course,
            "lessons": lessons,
            "done": sum(1 for lesson in lessons if getattr(lesson, "is_done", False)),
            "completed": completed,
            "can_manage": services.may_publish(scope, course.organization),
            "title": course.title,
        },
    )


@access_rule(person())
@login_required
@require_POST
def lesson_progress(request: HttpRequest, lesson_id: int) -> JsonResponse:
    """What the reader or player reports (``percent``, or ``position`` and ``duration`` in seconds); a
    refused report answers 400 with the reason and writes nothing."""
    scope = scope_of(request)
    reader = selectors.reader_for(scope, timezone.localdate())
    if reader.person_id is None:
        raise Http404
    lesson = selectors.get_lesson_for(scope, reader, lesson_id)
    try:
        progress, completion = services.progress_report(
            actor=request.user,
            person_id=reader.person_id,
            lesson=lesson,
            percent=_number(request.POST.get("percent")),
            position=_number(request.POST.get("position")),
            duration=_number(request.POST.get("duration")),
        )
    except DomainError as error:
        return JsonResponse({"code": error.code, "message": error.message}, status=400)
    return JsonResponse(
        {"percent": progress.percent, "done": progress.done, "completed": completion is not None}
    )


def _number(value: str | None) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)
    except ValueError:
        raise rules.ProgressRefused(_("进度应为数字"), code="progress_invalid") from None
