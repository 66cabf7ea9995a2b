"""学习库 pages: the library (search, topic and kind), a material's reader or player (its file served with
byte ranges, so a phone can seek in audio and video), courses with their lessons ticked off, the progress
a page reports, and the organizers' pages: new materials, courses, lessons, publishing, study plans with
their completion by organization and Excel."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_response
from dangjian.core.models import Organization
from dangjian.kit.access_rules import ALLOWED, access_rule, anywhere, person, signed_in, within
from dangjian.kit.errors import DomainError
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.learning.library import rules, selectors, services
from dangjian.learning.library.forms import CourseForm, LessonForm, MaterialForm, PlanForm
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


# ---------------------------------------------------------------- reading


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


# ---------------------------------------------------------------- organizers


def _publisher(request: HttpRequest) -> Any:
    scope = scope_of(request)
    if not scope.has(P.MANAGE_TRAINING):
        raise Http404
    return scope


@access_rule(anywhere(Permission.MANAGE_TRAINING))
@login_required
def material_new(request: HttpRequest) -> HttpResponse:
    scope = _publisher(request)
    form = MaterialForm(
        request.POST or None, request.FILES or None, organizations=selectors.publishers_for(scope)
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.material_create(
            actor=request.user,
            scope=scope,
            organization=d["organization"],
            title=d["title"],
            kind=d["kind"],
            topic=d["topic"],
            audiences=list(d["audiences"]),
            summary=d.get("summary") or "",
            body=d.get("body") or "",
            url=d.get("url") or "",
            upload=d.get("file"),
        ),
        success=_("已上传学习资料，发布后学员可见"),
        next_url=lambda m: reverse("learning:material", args=[m.pk]),
        context={"title": _("上传学习资料"), "multipart": True},
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def material_edit(request: HttpRequest, material_id: int) -> HttpResponse:
    scope = scope_of(request)
    material = selectors.get_managed_material(scope, material_id)
    initial = {k: getattr(material, k) for k in ("title", "topic", "audiences", "summary", "body", "url")}
    form = MaterialForm(request.POST or None, organizations=[], editing=True, initial=initial)
    return service_form_page(
        request,
        form,
        action=lambda d: services.material_update(
            actor=request.user,
            scope=scope,
            material=material,
            title=d["title"],
            topic=d["topic"],
            audiences=list(d["audiences"]),
            summary=d.get("summary") or "",
            body=d.get("body") or "",
            url=d.get("url") or "",
        ),
        success=_("已保存"),
        next_url=reverse("learning:material", args=[material.pk]),
        context={"title": _("修改学习资料：%(t)s") % {"t": material.title}},
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
@require_POST
def material_publish(request: HttpRequest, material_id: int) -> HttpResponse:
    scope = scope_of(request)
    material = selectors.get_managed_material(scope, material_id)
    publish = request.POST.get("published") != "0"
    try:
        services.material_publish(actor=request.user, scope=scope, material=material, published=publish)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已发布") if publish else _("已撤回发布"))
    return redirect("learning:material", material.pk)


@access_rule(anywhere(Permission.MANAGE_TRAINING))
@login_required
def course_new(request: HttpRequest) -> HttpResponse:
    scope = _publisher(request)
    form = CourseForm(
        request.POST or None,
        organizations=selectors.publishers_for(scope),
        quizzes=selectors.quizzes_for(scope),
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.course_create(
            actor=request.user,
            scope=scope,
            organization=d["organization"],
            title=d["title"],
            topic=d["topic"],
            hours=d["hours"],
            summary=d.get("summary") or "",
            quiz=d.get("quiz"),
        ),
        success=_("已创建课程，请添加课时"),
        next_url=lambda c: reverse("learning:course", args=[c.pk]),
        context={"title": _("新建网上课程")},
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def course_edit(request: HttpRequest, course_id: int) -> HttpResponse:
    scope = scope_of(request)
    course = selectors.get_managed_course(scope, course_id)
    form = CourseForm(
        request.POST or None,
        organizations=[],
        quizzes=selectors.quizzes_for(scope),
        editing=True,
        initial={
            "title": course.title,
            "topic": course.topic,
            "hours": course.hours,
            "summary": course.summary,
            "quiz": course.quiz_id,
        },
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.course_update(
            actor=request.user,
            scope=scope,
            course=course,
            title=d["title"],
            topic=d["topic"],
            hours=d["hours"],
            summary=d.get("summary") or "",
            quiz=d.get("quiz"),
        ),
        success=_("已保存"),
        next_url=reverse("learning:course", args=[course.pk]),
        context={
            "title": _("修改课程：%(t)s") % {"t": course.title},
            "course": course,
            "lessons": list(selectors.lessons_in_order(course)),
        },
        template="learning/library/course_edit.html",
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
@require_POST
def course_publish(request: HttpRequest, course_id: int) -> HttpResponse:
    scope = scope_of(request)
    course = selectors.get_managed_course(scope, course_id)
    publish = request.POST.get("published") != "0"
    try:
        services.course_publish(actor=request.user, scope=scope, course=course, published=publish)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已发布") if publish else _("已撤回发布"))
    return redirect("learning:course", course.pk)


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def lesson_new(request: HttpRequest, course_id: int) -> HttpResponse:
    scope = scope_of(request)
    course = selectors.get_managed_course(scope, course_id)
    form = LessonForm(request.POST or None, materials=selectors.material_choices(scope, course))
    return service_form_page(
        request,
        form,
        action=lambda d: services.lesson_add(
            actor=request.user, scope=scope, course=course, material=d["material"], hours=d["hours"]
        ),
        success=_("已添加课时"),
        next_url=reverse("learning:course", args=[course.pk]),
        context={"title": _("添加课时：%(t)s") % {"t": course.title}},
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
@require_POST
def lesson_remove(request: HttpRequest, lesson_id: int) -> HttpResponse:
    scope = scope_of(request)
    lesson = selectors.get_managed_lesson(scope, lesson_id)
    try:
        services.lesson_remove(actor=request.user, scope=scope, lesson=lesson)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已删除课时"))
    return redirect("learning:course", lesson.course_id)


def _wanted_position(request: HttpRequest, current: int) -> int | None:
    """Where the organizer asked the lesson to go: one up, one down, or a position typed in."""
    direction = request.POST.get("direction")
    if direction == "up":
        return current - 1
    if direction == "down":
        return current + 1
    try:
        wanted = int(request.POST.get("position", ""))
    except ValueError:
        return None
    return wanted if wanted >= 1 else None


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
@require_POST
def lesson_move(request: HttpRequest, lesson_id: int) -> HttpResponse:
    scope = scope_of(request)
    lesson = selectors.get_managed_lesson(scope, lesson_id)
    wanted = _wanted_position(request, lesson.position)
    if wanted is None:
        messages.error(request, _("请填写课时的新序号（从 1 开始的整数）"))
        return redirect("learning:course_edit", lesson.course_id)
    try:
        moved = services.lesson_move(actor=request.user, scope=scope, lesson=lesson, position=wanted)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("已将课时移到第 %(n)s 位") % {"n": moved.position})
    return redirect("learning:course_edit", lesson.course_id)


# ---------------------------------------------------------------- study plans


@access_rule(anywhere(Permission.MANAGE_TRAINING))
@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    scope = _publisher(request)
    page = CappedPaginator(
        selectors.plans_visible_to(scope).prefetch_related("courses").order_by("-deadline", "-id"), 30
    ).get_page(request.GET.get("page"))
    return render(request, "learning/library/plans.html", {"page": page, "title": _("学习计划")})


@access_rule(anywhere(Permission.MANAGE_TRAINING))
@login_required
def plan_new(request: HttpRequest) -> HttpResponse:
    scope = _publisher(request)
    form = PlanForm(
        request.POST or None,
        organizations=selectors.publishers_for(scope),
        courses=selectors.course_choices(scope),
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.plan_create(
            actor=request.user,
            scope=scope,
            organization=d["organization"],
            title=d["title"],
            deadline=d["deadline"],
            courses=list(d["courses"]),
            political_status=d.get("political_status") or "",
            today=timezone.localdate(),
        ),
        success=_("已下达学习计划"),
        next_url=lambda p: reverse("learning:study_plan", args=[p.pk]),
        context={"title": _("下达学习计划")},
    )


def _plan_org(request: HttpRequest, plan: Any) -> Organization:
    """The organization of the plan's subtree the page looks at (``?org=``), in the user's scope."""
    raw = request.GET.get("org")
    if not raw:
        return plan.organization  # type: ignore[no-any-return]
    scope = scope_of(request)
    try:
        org = Organization.objects.get(pk=int(raw), path__startswith=plan.organization.path)
    except (Organization.DoesNotExist, ValueError):
        raise Http404 from None
    if not scope.covers(P.MANAGE_TRAINING, org.path):
        raise Http404
    return org


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def plan_detail(request: HttpRequest, study_plan_id: int) -> HttpResponse:
    """The plan's completion in its organization (or one under it), per organization right under it;
    where none is under it, or with ``list=1``, its people one by one."""
    scope = scope_of(request)
    plan = selectors.get_plan_for(scope, study_plan_id)
    org = _plan_org(request, plan)
    courses = list(plan.courses.order_by("pk"))
    whole, lines = selectors.plan_rollup(plan, org)
    listing = not lines or request.GET.get("list") == "1"
    page = (
        CappedPaginator(selectors.plan_people_lines(plan, org), 50).get_page(request.GET.get("page"))
        if listing
        else None
    )
    return render(
        request,
        "learning/library/plan.html",
        {
            "plan": plan,
            "org": org,
            "courses": courses,
            "whole": whole,
            "lines": lines,
            "page": page,
            "query_string": urlencode({"org": org.pk, "list": 1}),
            "title": plan.title,
        },
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def plan_export(request: HttpRequest, study_plan_id: int) -> FileResponse:
    """The people of the plan (in ``?org=``) with the courses they finished (.xlsx, audited)."""
    scope = scope_of(request)
    plan = selectors.get_plan_for(scope, study_plan_id)
    org = _plan_org(request, plan)
    if not scope.covers(P.EXPORT, org.path):
        raise Http404
    total = plan.courses.count()
    finished, unfinished = _("已完成"), _("未完成")
    rows = (
        (
            p.staff_number or "",
            p.name,
            p.organization.name if p.organization else "",
            p.get_political_status_display(),
            p.finished,  # type: ignore[attr-defined]
            total,
            finished if p.finished >= total else unfinished,  # type: ignore[attr-defined]
        )
        for p in selectors.plan_people_lines(plan, org).iterator(chunk_size=2000)
    )
    headers = [
        _("工号/学号"),
        _("姓名"),
        _("所在党组织"),
        _("政治面貌"),
        _("已完成课程"),
        _("课程数"),
        _("状态"),
    ]
    return export_response(
        request,
        action="learning.plan_export",
        filename=f"study-plan-{plan.pk}-{org.pk}.xlsx",
        headers=headers,
        rows=rows,
        org=org,
        target=plan,
    )
