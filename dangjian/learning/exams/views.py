"""随堂测试 pages: the question bank (list, new, edit, retire, Excel), quizzes (list, new, edit, publish,
results with per-question and per-organization lines, Excel), and a member's side — 我的测试, starting
or resuming an attempt, answering, handing in, the graded paper. (The bank's Excel import is the one
flow of ``spreadsheets``: ``exams.imports`` and ``contributions.py``.)"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_response
from dangjian.core.models import Person
from dangjian.kit.access_rules import access_rule, anywhere, own, person, within
from dangjian.kit.errors import DomainError, NotFound
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.transitions import posted_state
from dangjian.learning.exams import rules, selectors, services
from dangjian.learning.exams.forms import QuestionForm, QuizForm, quiz_initial
from dangjian.learning.exams.models import QuestionKind, QuestionTopic, Quiz

P = Permission


def _filters(request: HttpRequest) -> tuple[str, str]:
    topic = request.GET.get("topic", "")
    kind = request.GET.get("kind", "")
    return (topic if topic in QuestionTopic.values else ""), (kind if kind in QuestionKind.values else "")


# ---------------------------------------------------------------- the bank


@access_rule(anywhere(Permission.VIEW_TRAINING))
@login_required
def bank(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.has(P.VIEW_TRAINING):
        raise Http404
    topic, kind = _filters(request)
    retired = request.GET.get("retired") == "1"
    page = CappedPaginator(
        selectors.questions_visible_to(scope, topic=topic, kind=kind, retired=retired), 30
    ).get_page(request.GET.get("page"))
    for q in page:
        q.answer_text = rules.answer_text(q.kind, q.answer)  # type: ignore[attr-defined]
        q.can_manage = scope.covers(P.MANAGE_TRAINING, q.organization.path)  # type: ignore[attr-defined]
    owners = list(selectors.bank_owners_for(scope)[:50]) if scope.has(P.MANAGE_TRAINING) else []
    return render(
        request,
        "learning/exams/bank.html",
        {
            "page": page,
            "topic": topic,
            "kind": kind,
            "retired": retired,
            "topics": QuestionTopic.choices,
            "kinds": QuestionKind.choices,
            "query_string": f"topic={topic}&kind={kind}&retired={int(retired)}",
            "can_create": scope.has(P.MANAGE_TRAINING),
            "import_org": owners[0] if owners else None,
            "title": _("题库"),
        },
    )


@access_rule(anywhere(Permission.VIEW_TRAINING))
@login_required
def bank_export(request: HttpRequest) -> FileResponse:
    scope = scope_of(request)
    if not scope.has(P.VIEW_TRAINING):
        raise Http404
    topic, kind = _filters(request)
    qs = selectors.questions_visible_to(scope, topic=topic, kind=kind)
    rows = (
        (
            q.organization.name,
            q.get_kind_display(),
            q.get_topic_display(),
            q.difficulty,
            q.text,
            "\n".join(q.options) if q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else "",
            rules.answer_text(q.kind, q.answer),
            q.explanation,
        )
        for q in qs.iterator(chunk_size=1000)
    )
    return export_response(
        request,
        action="learning.question_export",
        filename="question-bank.xlsx",
        headers=[
            _("所属党组织"),
            _("题型"),
            _("专题"),
            _("难度"),
            _("题干"),
            _("选项"),
            _("答案"),
            _("解析"),
        ],
        rows=rows,
    )


def _question_values(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": d["kind"],
        "topic": d["topic"],
        "difficulty": d["difficulty"],
        "text": d["text"],
        "options": d["option_list"],
        "answer": d["answer_list"],
        "explanation": d.get("explanation") or "",
    }


@access_rule(anywhere(Permission.MANAGE_TRAINING))
@login_required
def question_new(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.has(P.MANAGE_TRAINING):
        raise Http404
    form = QuestionForm(request.POST or None, scope=scope)
    return service_form_page(
        request,
        form,
        action=lambda d: services.question_create(
            actor=request.user, scope=scope, organization=d["organization"], **_question_values(d)
        ),
        success=_("已添加试题"),
        next_url=reverse("exams:bank"),
        context={"title": _("添加试题")},
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def question_edit(request: HttpRequest, question_id: int) -> HttpResponse:
    scope = scope_of(request)
    question = selectors.get_question_for(scope, question_id, P.MANAGE_TRAINING)
    initial = {
        "kind": question.kind,
        "topic": question.topic,
        "difficulty": question.difficulty,
        "text": question.text,
        "options": "\n".join(question.options)
        if question.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)
        else "",
        "answer": rules.answer_text(question.kind, question.answer),
        "explanation": question.explanation,
    }
    form = QuestionForm(
        request.POST or None, scope=scope, editing=True, initial=initial, state=question.version
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.question_update(
            actor=request.user,
            scope=scope,
            question=question,
            expected_status=posted_state(request),
            **_question_values(d),
        ),
        success=_("已保存"),
        next_url=reverse("exams:bank"),
        context={"title": _("修改试题"), "history": selectors.question_history(question)},
        template="learning/exams/question_edit.html",
        state=question.version,
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
@require_POST
def question_retire(request: HttpRequest, question_id: int) -> HttpResponse:
    scope = scope_of(request)
    question = selectors.get_question_for(scope, question_id, P.MANAGE_TRAINING)
    try:
        services.question_retire(
            actor=request.user, scope=scope, question=question, expected_status=posted_state(request)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已停用试题，今后组卷不再抽到该题"))
    return redirect("exams:bank")


# ---------------------------------------------------------------- quizzes


@access_rule(anywhere(Permission.VIEW_TRAINING))
@login_required
def quiz_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.has(P.VIEW_TRAINING):
        raise Http404
    page = CappedPaginator(selectors.quizzes_visible_to(scope), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/exams/quizzes.html",
        {
            "page": page,
            "query_string": "",
            "can_create": scope.has(P.MANAGE_TRAINING),
            "title": _("随堂测试"),
        },
    )


def _quiz_values(d: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": d["title"],
        "opens_at": d["opens_at"],
        "closes_at": d["closes_at"],
        "time_limit": d["time_limit"],
        "attempt_limit": d["attempt_limit"],
        "pass_mark": d["pass_mark"],
        "rules": d["paper"],
    }


@access_rule(anywhere(Permission.MANAGE_TRAINING))
@login_required
def quiz_new(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    if not scope.has(P.MANAGE_TRAINING):
        raise Http404
    form = QuizForm(request.POST or None, scope=scope)
    return service_form_page(
        request,
        form,
        action=lambda d: services.quiz_create(
            actor=request.user, scope=scope, organization=d["organization"], **_quiz_values(d)
        ),
        success=_("已保存测试(草稿)，发布后成员可见"),
        next_url=lambda q: reverse("exams:quiz", args=[q.pk]),
        context={"title": _("新建测试")},
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def quiz_edit(request: HttpRequest, quiz_id: int) -> HttpResponse:
    scope = scope_of(request)
    quiz = selectors.get_quiz_for(scope, quiz_id, P.MANAGE_TRAINING)
    form = QuizForm(
        request.POST or None, scope=scope, editing=True, initial=quiz_initial(quiz), state=quiz.version
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.quiz_update(
            actor=request.user,
            scope=scope,
            quiz=quiz,
            expected_status=posted_state(request),
            **_quiz_values(d),
        ),
        success=_("已保存"),
        next_url=reverse("exams:quiz", args=[quiz.pk]),
        context={"title": _("修改测试：%(t)s") % {"t": quiz.title}},
        state=quiz.version,
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
@require_POST
def quiz_publish(request: HttpRequest, quiz_id: int) -> HttpResponse:
    scope = scope_of(request)
    quiz = selectors.get_quiz_for(scope, quiz_id, P.MANAGE_TRAINING)
    try:
        services.quiz_publish(
            actor=request.user, scope=scope, quiz=quiz, expected_status=posted_state(request)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已发布，范围内的党员可在“我的测试”中答题"))
    return redirect("exams:quiz", quiz.pk)


def _rule_lines(quiz: Quiz) -> list[dict[str, str]]:
    kinds, topics = dict(QuestionKind.choices), dict(QuestionTopic.choices)
    return [
        {
            "kind": str(kinds.get(r["kind"], r["kind"])),
            "topic": str(topics.get(r["topic"], "")) or _("不限专题"),
            "count": r["count"],
            "points": r["points"],
        }
        for r in quiz.rules
    ]


@access_rule(within(Permission.VIEW_TRAINING))
@login_required
def quiz_detail(request: HttpRequest, quiz_id: int) -> HttpResponse:
    scope = scope_of(request)
    quiz = selectors.get_quiz_for(scope, quiz_id)
    page = CappedPaginator(selectors.attempts_of(quiz), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "learning/exams/quiz.html",
        {
            "quiz": quiz,
            "rules": _rule_lines(quiz),
            "page": page,
            "query_string": "",
            "stats": selectors.question_stats(quiz)[:30],
            "lines": selectors.results_by_child(quiz, quiz.organization),
            "can_manage": scope.covers(P.MANAGE_TRAINING, quiz.organization.path),
            "title": quiz.title,
        },
    )


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


@access_rule(within(Permission.VIEW_TRAINING))
@login_required
def quiz_export(request: HttpRequest, quiz_id: int) -> FileResponse:
    scope = scope_of(request)
    quiz = selectors.get_quiz_for(scope, quiz_id)
    rows = (
        (
            a.person.staff_number or "",
            a.person.name,
            a.person.organization.name if a.person.organization else "",
            a.number,
            a.get_status_display(),
            _local(a.started_at),
            _local(a.submitted_at),
            a.score,
            a.total,
            (_("及格") if a.passed else _("不及格")) if a.passed is not None else "",
        )
        for a in selectors.attempts_of(quiz).iterator(chunk_size=1000)
    )
    headers = [
        _("工号/学号"),
        _("姓名"),
        _("所在党组织"),
        _("第几次"),
        _("状态"),
        _("开始时间"),
        _("交卷时间"),
        _("得分"),
        _("满分"),
        _("结果"),
    ]
    return export_response(
        request,
        action="learning.quiz_export",
        filename=f"quiz-{quiz.pk}.xlsx",
        headers=headers,
        rows=rows,
        org=quiz.organization,
        target=quiz,
    )


# ---------------------------------------------------------------- a member's side


def _person(request: HttpRequest) -> Person:
    person_id = scope_of(request).person_id
    if person_id is None:
        raise Http404
    return Person.objects.select_related("organization").get(pk=person_id)


@access_rule(person())
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    lines = selectors.my_quizzes(_person(request))
    return render(request, "learning/exams/mine.html", {"lines": lines, "title": _("我的测试")})


@access_rule(person())
@login_required
@require_POST
def start(request: HttpRequest, quiz_id: int) -> HttpResponse:
    """Start a paper, or go back to the open one (a second click lands on the same attempt)."""
    try:
        attempt, created = services.attempt_start(
            actor=request.user, scope=scope_of(request), quiz=Quiz(pk=quiz_id)
        )
    except NotFound:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("exams:mine")
    if not created:
        messages.info(request, _("继续未完成的答卷"))
    return redirect("exams:attempt", attempt.pk)


def _posted_answers(request: HttpRequest, attempt: Any) -> dict[int, Any]:
    answers: dict[int, Any] = {}
    for item in attempt.items.all():
        key = f"q{item.position}"
        if item.kind == QuestionKind.FILL:
            if key in request.POST:
                answers[item.position] = request.POST.get(key, "").strip() or None
            continue
        picked = request.POST.getlist(key)
        try:
            answers[item.position] = sorted({int(v) for v in picked}) or None
        except ValueError:
            answers[item.position] = picked  # refused by the service with the question's number
    return answers


@access_rule(own())
@login_required
def attempt(request: HttpRequest, attempt_id: int) -> HttpResponse:
    """The paper: answered and saved while open (a “save” per click or by the page's script as the
    member goes); the right answers and explanations appear once it is graded."""
    scope = scope_of(request)
    current = selectors.get_own_attempt(scope, attempt_id)
    if request.method == "POST":
        ajax = request.headers.get("X-Requested-With") == "fetch"
        try:
            services.attempt_save_answers(
                actor=request.user, scope=scope, attempt=current, answers=_posted_answers(request, current)
            )
            if "submit" in request.POST:
                services.attempt_submit(
                    actor=request.user,
                    scope=scope,
                    attempt=current,
                    expected_status=posted_state(request) or None,
                )
        except DomainError as exc:
            if ajax:
                return JsonResponse({"code": exc.code, "message": exc.message}, status=exc.status)
            messages.error(request, exc.message)
        else:
            if ajax:
                return JsonResponse({"saved": True})
            messages.success(request, _("已交卷") if "submit" in request.POST else _("答案已保存"))
        return redirect("exams:attempt", current.pk)
    if current.is_open:
        services.attempts_touch(actor=request.user, attempt=current)
        current.refresh_from_db()
    return render(
        request,
        "learning/exams/attempt.html",
        {
            "a": current,
            "quiz": current.quiz,
            "items": selectors.paper_of(current),
            "percent": rules.percent(current.score, current.total) if current.score is not None else None,
            "title": current.quiz.title,
        },
    )


@access_rule(own())
@login_required
@require_POST
def attempt_submit(request: HttpRequest, attempt_id: int) -> HttpResponse:
    scope = scope_of(request)
    current = selectors.get_own_attempt(scope, attempt_id)
    try:
        services.attempt_submit(
            actor=request.user, scope=scope, attempt=current, expected_status=posted_state(request) or None
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已交卷"))
    return redirect("exams:attempt", current.pk)
