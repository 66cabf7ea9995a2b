"""Course pages for organizers: a new course, its edit form with the lessons' order (up, down, to a
position), publishing, and lessons added or removed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.kit.access_rules import access_rule, anywhere, within
from dangjian.kit.errors import DomainError
from dangjian.kit.form_pages import service_form_page
from dangjian.learning.access import organizer_scope
from dangjian.learning.library import selectors, services
from dangjian.learning.library.forms import CourseForm, LessonForm


@access_rule(anywhere(Permission.MANAGE_TRAINING))
@login_required
def course_new(request: HttpRequest) -> HttpResponse:
    scope = organizer_scope(request)
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
