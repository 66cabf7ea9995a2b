"""党校 pages: classes (list, new, edit, detail with the enrolment table), enrolling people, results,
closing a class, the certificate list and “my training”. (The Excel import of a class's enrolments is
the one flow of ``spreadsheets``: ``learning.imports`` and ``contributions.py``.)"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.audit.exports import export_response
from dangjian.kit.access_rules import access_rule, anywhere, signed_in, within
from dangjian.kit.errors import DomainError
from dangjian.kit.form_pages import service_form_page
from dangjian.kit.paginator import CappedPaginator
from dangjian.kit.transitions import posted_state, stale_message
from dangjian.learning import access, selectors, services
from dangjian.learning.forms import ClassForm, ResultForm
from dangjian.learning.ledger.selectors import rows_of
from dangjian.learning.library.selectors import assigned_courses, reader_for
from dangjian.learning.models import ClassKind, ClassStatus, TrainingClass
from dangjian.learning.tiles import year_hours

P = Permission


def _scope(request: HttpRequest) -> Any:
    return scope_of(request)


def _manageable(request: HttpRequest, class_id: int) -> TrainingClass:
    return selectors.get_class_for(_scope(request), class_id, P.MANAGE_TRAINING)


@access_rule(anywhere(Permission.VIEW_TRAINING))
@login_required
def class_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if not scope.has(P.VIEW_TRAINING):
        raise Http404
    kind = request.GET.get("kind", "") if request.GET.get("kind") in ClassKind.values else ""
    status = request.GET.get("status", "") if request.GET.get("status") in ClassStatus.values else ""
    page = CappedPaginator(selectors.class_list(scope, kind=kind, status=status), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "learning/classes.html",
        {
            "page": page,
            "kind": kind,
            "status": status,
            "kinds": ClassKind.choices,
            "statuses": ClassStatus.choices,
            "query_string": f"kind={kind}&status={status}",
            "can_create": scope.has(P.MANAGE_TRAINING),
            "title": _("党校培训"),
        },
    )


@access_rule(anywhere(Permission.MANAGE_TRAINING))
@login_required
def class_new(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if not scope.has(P.MANAGE_TRAINING):
        raise Http404
    if request.method == "POST":
        # A replay of the same form (its one-time key) answers as the first submission did, before the
        # form is validated.
        done = services.training_class_replayed(
            scope=scope, idempotency_key=request.POST.get("idempotency_key", "")[:64]
        )
        if done is not None:
            messages.success(request, _("已创建班次"))
            return redirect("learning:class", done.pk)
    form = ClassForm(request.POST or None, scope=scope)
    return service_form_page(
        request,
        form,
        action=lambda d: services.training_class_create(
            actor=request.user,
            scope=scope,
            organizer=d["organizer"],
            name=d["name"],
            kind=d["kind"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            days=d["days"],
            hours=d["hours"],
            place=d.get("place") or "",
            idempotency_key=d["idempotency_key"],
        ),
        success=_("已创建班次"),
        next_url=lambda c: reverse("learning:class", args=[c.pk]),
        context={"title": _("新建培训班次")},
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def class_edit(request: HttpRequest, class_id: int) -> HttpResponse:
    scope = _scope(request)
    training_class = _manageable(request, class_id)
    initial = {k: getattr(training_class, k) for k in services.EDITABLE}
    initial["expected_status"] = training_class.version
    form = ClassForm(request.POST or None, scope=scope, editing=True, initial=initial)
    return service_form_page(
        request,
        form,
        action=lambda d: services.training_class_update(
            actor=request.user,
            scope=scope,
            training_class=training_class,
            expected_status=posted_state(request),
            **{k: (d.get(k) or "") if k == "place" else d[k] for k in services.EDITABLE},
        ),
        success=_("已保存"),
        next_url=reverse("learning:class", args=[training_class.pk]),
        context={"title": _("修改班次：%(n)s") % {"n": training_class.name}},
    )


@access_rule(within(Permission.VIEW_TRAINING))
@login_required
def class_detail(request: HttpRequest, class_id: int) -> HttpResponse:
    scope = _scope(request)
    training_class = selectors.get_class_for(scope, class_id)
    page = CappedPaginator(selectors.enrolments_of(training_class), 100).get_page(request.GET.get("page"))
    manager = scope.covers(P.MANAGE_TRAINING, training_class.organizer.path)
    can_manage = training_class.is_open and manager
    return render(
        request,
        "learning/class.html",
        {
            "c": training_class,
            "page": page,
            "can_manage": can_manage,
            "can_retry": manager
            and not training_class.is_open
            and training_class.kind == ClassKind.CANDIDATE,
            "title": training_class.name,
        },
    )


@access_rule(within(Permission.VIEW_TRAINING))
@login_required
def class_export(request: HttpRequest, class_id: int) -> FileResponse:
    """The class roster with attendance, results and certificates (.xlsx), for whoever may export there."""
    scope = _scope(request)
    training_class = selectors.get_class_for(scope, class_id)
    if not access.may_export_class(request, training_class):
        raise Http404
    rows = (
        (
            e.person.staff_number or "",
            e.person.name,
            e.person.organization.name if e.person.organization else "",
            e.attended_hours,
            e.score,
            e.get_result_display(),
            e.certificate_number or "",
            e.get_step_status_display() if e.step_status else "",
            e.step_note,
        )
        for e in selectors.enrolments_of(training_class).iterator(chunk_size=1000)
    )
    headers = [
        _("工号/学号"),
        _("姓名"),
        _("所在党组织"),
        _("出勤学时"),
        _("考试成绩"),
        _("考试结果"),
        _("结业证书编号"),
        _("发展党员步骤"),
        _("步骤说明"),
    ]
    return export_response(
        request,
        action="learning.export",
        filename=f"training-class-{training_class.pk}.xlsx",
        headers=headers,
        rows=rows,
        org=training_class.organizer,
        target=training_class,
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def enrol(request: HttpRequest, class_id: int) -> HttpResponse:
    """Search people the class may take and enrol the ticked ones (each through the service). The same
    form posted again (a double click, a retry) answers as the first did: the people it enrolled are
    counted as enrolled, not refused."""
    scope = _scope(request)
    training_class = _manageable(request, class_id)
    if request.method == "POST":
        ids = {int(x) for x in request.POST.getlist("person") if x.isascii() and x.isdigit()}
        already = selectors.enrolled_among(training_class, ids)
        people = list(selectors.people_to_enrol(scope, training_class).filter(pk__in=ids))
        done, refused = len(already), []
        for person in people:
            try:
                services.enrolment_add(
                    actor=request.user, scope=scope, training_class=training_class, person=person
                )
                done += 1  # enrolled now, or a moment ago by the same form sent twice
            except DomainError as exc:
                refused.append(exc.message)
        if done:
            messages.success(request, _("已报名 %(n)s 人") % {"n": done})
        skipped = len(ids) - len(people) - len(already)
        if skipped > 0:  # not offered: wrong status or outside the organizer
            refused.insert(0, _("%(n)s 人不符合报名条件，未报名") % {"n": skipped})
        for message in refused[:20]:
            messages.error(request, message)
        if not ids:
            messages.error(request, _("请选择人员"))
        return redirect(
            reverse("learning:enrol", args=[training_class.pk]) + f"?q={request.GET.get('q', '')}"
        )
    query = request.GET.get("q", "").strip()
    candidates = list(selectors.people_to_enrol(scope, training_class, query)[:50])
    return render(
        request,
        "learning/enrol.html",
        {
            "c": training_class,
            "people": candidates,
            "q": query,
            "title": _("报名：%(n)s") % {"n": training_class.name},
        },
    )


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def enrolment_result(request: HttpRequest, class_id: int, enrolment_id: int) -> HttpResponse:
    scope = _scope(request)
    enrolment = _enrolment_of(request, class_id, enrolment_id)
    form = ResultForm(
        request.POST or None,
        initial={
            "attended_hours": enrolment.attended_hours,
            "score": enrolment.score,
            "result": enrolment.result,
            "expected_status": enrolment.version,
        },
    )
    return service_form_page(
        request,
        form,
        action=lambda d: services.enrolment_record(
            actor=request.user,
            scope=scope,
            enrolment=enrolment,
            attended_hours=d.get("attended_hours"),
            score=d.get("score"),
            result=d.get("result") or "",
            expected_status=posted_state(request),
        ),
        success=_("已保存 %(n)s 的成绩") % {"n": enrolment.person.name},
        next_url=reverse("learning:class", args=[class_id]),
        context={"title": _("出勤与成绩：%(n)s") % {"n": enrolment.person.name}},
    )


def _enrolment_of(request: HttpRequest, class_id: int, enrolment_id: int) -> Any:
    enrolment = selectors.get_enrolment_for(_scope(request), enrolment_id)
    if enrolment.training_class_id != class_id:
        raise Http404
    return enrolment


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
@require_POST
def enrolment_remove(request: HttpRequest, class_id: int, enrolment_id: int) -> HttpResponse:
    training_class = _manageable(request, class_id)
    enrolment = training_class.enrolments.select_related("person").filter(pk=enrolment_id).first()
    if enrolment is None:  # removed meanwhile (a double click, or someone else): nothing to do twice
        messages.error(request, stale_message())
        return redirect("learning:class", class_id)
    try:
        services.enrolment_remove(
            actor=request.user,
            scope=_scope(request),
            enrolment=enrolment,
            expected_status=posted_state(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已取消 %(n)s 的报名") % {"n": enrolment.person.name})
    return redirect("learning:class", class_id)


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
@require_POST
def enrolment_step(request: HttpRequest, class_id: int, enrolment_id: int) -> HttpResponse:
    """Record the development target's training step again after the close."""
    enrolment = _enrolment_of(request, class_id, enrolment_id)
    try:
        updated = services.enrolment_record_step(
            actor=request.user,
            scope=_scope(request),
            enrolment=enrolment,
            expected_status=posted_state(request),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        level = messages.SUCCESS if updated.step_status == "recorded" else messages.WARNING
        messages.add_message(request, level, f"{updated.person.name}：{updated.step_note}")
    return redirect("learning:class", class_id)


@access_rule(within(Permission.MANAGE_TRAINING))
@login_required
def class_close(request: HttpRequest, class_id: int) -> HttpResponse:
    scope = _scope(request)
    training_class = _manageable(request, class_id)
    if request.method == "POST":
        try:
            report = services.training_class_close(
                actor=request.user,
                scope=scope,
                training_class=training_class,
                expected_status=posted_state(request),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, report.summary())
        return redirect("learning:class", training_class.pk)
    counts = selectors.enrolments_of(training_class).order_by().values_list("result", flat=True)
    results = list(counts)
    return render(
        request,
        "learning/close.html",
        {
            "c": training_class,
            "enrolled": len(results),
            "passed": sum(1 for r in results if r == "pass"),
            "missing": sum(1 for r in results if not r),
            "title": _("结班：%(n)s") % {"n": training_class.name},
        },
    )


@access_rule(anywhere(Permission.VIEW_TRAINING))
@login_required
def certificates(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if not scope.has(P.VIEW_TRAINING):
        raise Http404
    page = CappedPaginator(selectors.certificates_visible_to(scope), 50).get_page(request.GET.get("page"))
    return render(request, "learning/certificates.html", {"page": page, "title": _("结业证书")})


@access_rule(signed_in())
@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    person_id = scope.person_id
    enrolments = list(selectors.enrolments_of_person(person_id))
    summary, total = selectors.training_and_total(person_id) if person_id else (None, None)
    year = year_hours(person_id) if person_id else None
    recent = list(rows_of(person_id, year.year)[:10]) if person_id and year else []
    today = timezone.localdate()
    assigned = assigned_courses(reader_for(scope, today), today) if person_id else []
    return render(
        request,
        "learning/me.html",
        {
            "enrolments": enrolments,
            "summary": summary,
            "year": year,
            "year_person": person_id,
            "recent": recent,
            "assigned": assigned,
            "today": today,
            "total": total,
            "title": _("我的学习"),
        },
    )
