"""督查 feedback, problem answers, pages, report and to-dos; outsiders get 404 on every mutating endpoint."""

from __future__ import annotations

import io
from datetime import date, time

import pytest
import time_machine
from django.urls import reverse

from dangjian.accounts.scope import Scope, resolve_scope
from dangjian.audit.models import AuditEvent
from dangjian.kit.errors import RuleViolation
from dangjian.orglife.meetings import services as meetings
from dangjian.orglife.models import (
    Assignment,
    AssignmentStatus,
    Draw,
    Feedback,
    Problem,
    ProblemStatus,
    Supervisor,
)
from dangjian.orglife.supervision import services as supervision
from dangjian.orglife.supervision.selectors import supervision_report
from dangjian.workbench.models import Notification
from dangjian.workbench.todos import todos_for
from tests import factories as f

SYSTEM = Scope.system()  # the platform itself: every check passes

TODAY = "2026-12-20 10:00 +0800"
GOOD = {"procedure": 20, "content": 18, "participation": 25, "records": 0}


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def _meeting(org, day: date, topic: str = "主题党日活动"):
    return meetings.meeting_create(
        actor=None, scope=SYSTEM, org=org, kind="theme_day", topic=topic, day=day, start_time=time(14, 30)
    )


@pytest.fixture
def fl_sup(world):
    """A supervisor from 外国语学院 with an account."""
    person = f.member(world.fl_branch, "督查员周")
    user = f.user_for(person, "fl_sup")
    return supervision.supervisor_add(actor=None, scope=SYSTEM, person=person), user


@pytest.fixture
def task(world, fl_sup):
    """A past CS meeting drawn for the FL supervisor."""
    m = _meeting(world.cs_branch, date(2026, 12, 10))
    draw = supervision.draw_run(
        actor=None,
        scope=SYSTEM,
        scope_org=world.cs,
        period_from=date(2026, 12, 1),
        period_to=date(2026, 12, 31),
        n=1,
        seed=5,
    )
    return Assignment.objects.get(draw=draw, meeting=m)


def _file(task, problems=("签到表未存档", "会议记录缺少决议"), **kw):
    return supervision.feedback_file(
        actor=None,
        scope=Scope(user_id=None, person_id=task.supervisor.person_id),
        assignment=task,
        scores=kw.pop("scores", GOOD),
        attended=kw.pop("attended", True),
        problems=list(problems),
        suggestions=kw.pop("suggestions", "加强记录"),
    )


# ---- feedback ------------------------------------------------------------------------------------


def test_feedback_scores_problems_deadline_audit_and_notice(world, task, branch_secretary) -> None:
    fb = _file(task)
    assert fb.total == 63 and fb.scores == GOOD
    task.refresh_from_db()
    assert task.status == AssignmentStatus.FILED
    problems = list(Problem.objects.filter(feedback=fb).order_by("pk"))
    assert [p.description for p in problems] == ["签到表未存档", "会议记录缺少决议"]
    assert all(p.rectify_by == date(2027, 1, 19) and p.status == ProblemStatus.OPEN for p in problems)
    assert AuditEvent.objects.filter(action="orglife.supervision_feedback", target_id=str(task.pk)).exists()
    assert Notification.objects.filter(recipient=branch_secretary, title__contains="2 个问题").exists()
    with pytest.raises(RuleViolation):
        _file(task)


@pytest.mark.parametrize(
    ("scores", "field"),
    [
        ({**GOOD, "procedure": 26}, "score_procedure"),  # over the maximum (25)
        ({**GOOD, "records": -1}, "score_records"),
        ({**GOOD, "content": "12.5"}, "score_content"),
        ({**GOOD, "content": True}, "score_content"),
        ({k: v for k, v in GOOD.items() if k != "participation"}, "score_participation"),
        ({**GOOD, "extra": 1}, "scores"),
    ],
)
def test_scores_are_checked_against_the_policy_items(world, task, scores, field) -> None:
    with pytest.raises(RuleViolation) as err:
        _file(task, scores=scores)
    assert err.value.field == field
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("score", [0, 25, "25"])
def test_score_boundaries_accepted(world, task, score) -> None:
    assert _file(task, scores={**GOOD, "procedure": score}).scores["procedure"] == int(score)


def test_policy_items_are_configurable(world, task, settings) -> None:
    settings.DANGJIAN_POLICY = {
        "orglife_supervision_items": [("procedure", "程序规范", 60), ("records", "记录完整", 40)]
    }
    assert _file(task, scores={"procedure": 60, "records": 40}).total == 100
    with pytest.raises(RuleViolation, match="0 到 60"):
        _file(task, scores={"procedure": 61, "records": 40})


def test_feedback_only_after_the_meeting_and_by_the_supervisor(world, fl_sup) -> None:
    m = _meeting(world.cs_branch, date(2026, 12, 28))
    draw = supervision.draw_run(
        actor=None,
        scope=SYSTEM,
        scope_org=world.cs,
        period_from=date(2026, 12, 21),
        period_to=date(2026, 12, 31),
        n=1,
    )
    task = Assignment.objects.get(draw=draw, meeting=m)
    with pytest.raises(RuleViolation, match="尚未开始"):
        _file(task)
    with pytest.raises(RuleViolation):
        supervision.feedback_file(
            actor=None,
            scope=Scope(user_id=None, person_id=world.member.pk),
            assignment=task,
            scores=GOOD,
            attended=False,
        )


# ---- problems ------------------------------------------------------------------------------------


def test_problem_answer_needs_text_and_date(world, task, branch_secretary) -> None:
    problem = _file(task).problems.first()
    scope = resolve_scope(branch_secretary)
    for text, day, field in [
        ("", date(2027, 1, 10), "rectification"),
        ("   ", date(2027, 1, 10), "rectification"),
        ("补齐签到表", None, "rectify_by"),
        ("补齐签到表", date(2026, 12, 19), "rectify_by"),  # before the feedback
    ]:
        with pytest.raises(RuleViolation) as err:
            supervision.problem_answer(
                actor=branch_secretary, scope=scope, problem=problem, rectification=text, rectify_by=day
            )
        assert err.value.field == field
    done = supervision.problem_answer(
        actor=branch_secretary,
        scope=scope,
        problem=problem,
        rectification="补齐签到表",
        rectify_by=date(2026, 12, 20),
    )
    assert done.status == ProblemStatus.ANSWERED and done.answered_by == branch_secretary
    assert AuditEvent.objects.filter(action="orglife.supervision_problem_answer").exists()
    with pytest.raises(RuleViolation):
        supervision.problem_answer(
            actor=branch_secretary,
            scope=scope,
            problem=problem,
            rectification="再答",
            rectify_by=date(2027, 1, 1),
        )


def test_only_the_branch_side_answers(world, task, outsider_organizer) -> None:
    problem = _file(task).problems.first()
    with pytest.raises(RuleViolation):
        supervision.problem_answer(
            actor=outsider_organizer,
            scope=resolve_scope(outsider_organizer),
            problem=problem,
            rectification="x",
            rectify_by=date(2027, 1, 1),
        )


# ---- pages ---------------------------------------------------------------------------------------


def test_organizer_builds_pool_draws_and_verifies(world, login, college_organizer, school_admin) -> None:
    client = login(school_admin)
    fl_person = f.member(world.fl_branch, "督查员吴", staff_number="T9001")
    assert client.post(reverse("orglife:sup_pool_add"), {"staff_number": "T9001"}).status_code == 302
    sup = Supervisor.objects.get(person=fl_person)
    assert sup.home_org == world.fl_branch and sup.available
    assert AuditEvent.objects.filter(action="orglife.supervisor_add").exists()
    page = client.post(reverse("orglife:sup_pool_add"), {"staff_number": "T9001"}).content.decode()
    assert "已在督查员库中" in page
    assert "督查员吴" in client.get(reverse("orglife:sup_pool")).content.decode()
    for d in (2, 9, 16):
        _meeting(world.cs_branch, date(2027, 1, d))
    response = client.post(
        reverse("orglife:sup_draw_new"),
        {"scope_org": world.cs.pk, "period_from": "2027-01-01", "period_to": "2027-01-31", "n": "2"},
    )
    draw = Draw.objects.get()
    assert response.url == reverse("orglife:sup_draw", args=[draw.pk])
    assert Assignment.objects.filter(draw=draw, supervisor=sup).count() == 2
    page = client.get(reverse("orglife:sup_draw", args=[draw.pk]) + "?verify=1").content.decode()
    assert "复核通过" in page and str(draw.seed) in page
    # The college organizer of CS sees its draws too; the form needs exactly one of n / rate.
    org_client = login(college_organizer)
    assert org_client.get(reverse("orglife:sup_draw", args=[draw.pk])).status_code == 200
    page = org_client.post(
        reverse("orglife:sup_draw_new"),
        {"scope_org": world.cs.pk, "period_from": "2027-01-01", "period_to": "2027-01-31"},
    ).content.decode()
    assert "二选一" in page and Draw.objects.count() == 1
    assert login(school_admin).get(reverse("orglife:sup_home")).url == reverse("orglife:sup_draws")


def test_supervisor_files_feedback_and_branch_answers(world, task, fl_sup, login, branch_secretary) -> None:
    _sup, user = fl_sup
    client = login(user)
    assert client.get(reverse("orglife:sup_home")).url == reverse("orglife:sup_tasks")
    page = client.get(reverse("orglife:sup_tasks")).content.decode()
    assert "填写反馈" in page and "主题党日活动" in page
    assert client.get(reverse("orglife:meeting", args=[task.meeting_id])).status_code == 200
    form = client.get(reverse("orglife:sup_feedback", args=[task.pk])).content.decode()
    assert "程序规范" in form and "满分 25" in form
    bad = client.post(
        reverse("orglife:sup_feedback", args=[task.pk]),
        {
            "score_procedure": "26",
            "score_content": "20",
            "score_participation": "20",
            "score_records": "20",
            "attended": "1",
        },
    )
    assert bad.status_code == 200 and not Feedback.objects.exists()
    response = client.post(
        reverse("orglife:sup_feedback", args=[task.pk]),
        {
            "score_procedure": "25",
            "score_content": "20",
            "score_participation": "20",
            "score_records": "15",
            "attended": "0",
            "problems": "签到表未存档\n\n会议记录缺少决议\n",
            "suggestions": "建议规范记录",
            "expected_status": "assigned",
        },
    )
    assert response.url == reverse("orglife:sup_assignment", args=[task.pk])
    fb = Feedback.objects.get()
    assert fb.total == 80 and not fb.attended and fb.problems.count() == 2
    detail = client.get(response.url).content.decode()
    assert "会议记录缺少决议" in detail and "80" in detail
    # The branch answers one problem.
    sec = login(branch_secretary)
    listing = sec.get(reverse("orglife:sup_problems")).content.decode()
    assert "签到表未存档" in listing and "答复整改" in listing
    problem = fb.problems.order_by("pk")[0]
    response = sec.post(
        reverse("orglife:sup_problem_answer", args=[problem.pk]),
        {"rectification": "已补齐签到表并存档", "rectify_by": "2026-12-20", "expected_status": "open"},
    )
    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.ANSWERED and problem.rectify_by == date(2026, 12, 20)
    assert Notification.objects.filter(recipient=user, title__contains="已答复督查问题").exists()
    missing = sec.post(
        reverse("orglife:sup_problem_answer", args=[fb.problems.latest("pk").pk]),
        {"rectification": "x"},
    )
    assert missing.status_code == 200 and Problem.objects.filter(status=ProblemStatus.OPEN).count() == 1


def test_college_sees_open_and_overdue_problems_and_todos(
    world, task, fl_sup, college_organizer, branch_secretary, login
) -> None:
    _file(task)
    titles = [i.title for i in todos_for(branch_secretary, resolve_scope(branch_secretary))]
    assert any("2 个督查问题待答复整改" in t for t in titles)
    with time_machine.travel("2027-02-01 10:00 +0800", tick=False):
        titles = [i.title for i in todos_for(college_organizer, resolve_scope(college_organizer))]
        assert any("2 个督查问题已超过整改时限" in t for t in titles)
        page = (
            login(college_organizer)
            .get(reverse("orglife:sup_problems") + "?status=open&overdue=1")
            .content.decode()
        )
        assert "签到表未存档" in page and "已逾期" in page


def test_supervisor_todo_lists_unfiled_tasks(world, task, fl_sup) -> None:
    _sup, user = fl_sup
    titles = [i.title for i in todos_for(user, resolve_scope(user))]
    assert any("1 项组织生活督查任务待反馈" in t for t in titles)
    _file(task)
    assert not [i for i in todos_for(user, resolve_scope(user)) if "督查任务" in i.title]


def test_lists_pin_their_queries(world, fl_sup, school_admin, login, django_assert_max_num_queries) -> None:
    _sup, user = fl_sup
    for i in range(8):
        person = f.member(world.fl_branch, f"督查员{i}")
        supervision.supervisor_add(actor=None, scope=SYSTEM, person=person)
    days = [date(2026, 12, d) for d in range(1, 13)]
    for d in days:
        _meeting(world.cs_branch, d)
        _meeting(world.cs_branch2, d)
    draw = supervision.draw_run(
        actor=None, scope=SYSTEM, scope_org=world.school, period_from=days[0], period_to=days[-1], n=20
    )
    for a in Assignment.objects.filter(draw=draw)[:10]:
        _file(a)
    client = login(school_admin)
    for name, args in [
        ("sup_pool", []),
        ("sup_draws", []),
        ("sup_draw", [draw.pk]),
        ("sup_problems", []),
        ("sup_report", []),
    ]:
        with django_assert_max_num_queries(14):
            assert client.get(reverse(f"orglife:{name}", args=args)).status_code == 200
    sup_client = login(user)
    with django_assert_max_num_queries(10):
        assert sup_client.get(reverse("orglife:sup_tasks")).status_code == 200


def test_form_pages_render(world, task, fl_sup, login, school_admin, branch_secretary) -> None:
    problem = _file(task).problems.order_by("pk")[0]
    admin = login(school_admin)
    for name in ("sup_pool_add", "sup_draw_new"):
        page = admin.get(reverse(f"orglife:{name}"))
        assert page.status_code == 200
    assert "随机种子" in admin.get(reverse("orglife:sup_draw_new")).content.decode()
    page = (
        login(branch_secretary).get(reverse("orglife:sup_problem_answer", args=[problem.pk])).content.decode()
    )
    assert "签到表未存档" in page and "整改完成日期" in page
    # A filed task's feedback form leads back to the task.
    assert login(fl_sup[1]).get(reverse("orglife:sup_feedback", args=[task.pk])).status_code == 302


# ---- report --------------------------------------------------------------------------------------


def test_report_sums_scores_and_problems_html_pdf_excel(world, task, school_admin, login) -> None:
    _file(task)
    report = supervision_report(world.cs, date(2026, 10, 1), date(2026, 12, 31))
    assert [r.name for r in report.rows] == [world.cs_branch.display_name]
    row = report.rows[0]
    assert (row.drawn, row.filed, row.problems, row.open_problems) == (1, 1, 2, 2)
    assert str(row.total_average) == "63.0" and [str(a) for a in row.item_averages] == [
        "20.0",
        "18.0",
        "25.0",
        "0.0",
    ]
    school = supervision_report(world.school, date(2026, 10, 1), date(2026, 12, 31))
    assert [r.name for r in school.rows] == [
        world.cs.display_name
    ]  # the school's report: one row per college
    client = login(school_admin)
    query = f"?org={world.cs.pk}&period_from=2026-10-01&period_to=2026-12-31"
    page = client.get(reverse("orglife:sup_report") + query).content.decode()
    assert "63.0" in page and "签到表未存档" in page
    pdf = client.get(reverse("orglife:sup_report_pdf") + query)
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("orglife:sup_report_xlsx") + query)
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[2][0] == world.cs_branch.display_name and rows[2][7] == 63.0
    assert [r[3] for r in book.worksheets[1].iter_rows(min_row=2, values_only=True)] == [
        "签到表未存档",
        "会议记录缺少决议",
    ]
    assert AuditEvent.objects.filter(action="orglife.supervision_report_export").count() == 2


def _cjk_font() -> bool:
    import shutil
    import subprocess

    if not shutil.which("fc-list"):
        return False
    return "CJK" in subprocess.run(["fc-list"], capture_output=True, text=True, check=False).stdout


@pytest.mark.skipif(not _cjk_font(), reason="needs the system CJK font (fonts-noto-cjk; make installs it)")
def test_report_pdf_has_the_chinese_text(world, task, school_admin, login) -> None:
    from pypdf import PdfReader

    _file(task)
    query = f"?org={world.cs.pk}&period_from=2026-10-01&period_to=2026-12-31"
    pdf = login(school_admin).get(reverse("orglife:sup_report_pdf") + query)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    for expected in ("组织生活督查反馈报告", "签到表未存档", world.cs_branch.display_name, "63.0"):
        assert expected in text, expected


# ---- outsiders -----------------------------------------------------------------------------------


def test_outsiders_get_404_on_every_mutating_endpoint(
    world, task, fl_sup, login, outsider_organizer, member_user, branch_secretary
) -> None:
    fb = _file(task)
    problem = fb.problems.first()
    cs_sup = supervision.supervisor_add(actor=None, scope=SYSTEM, person=world.member)
    other_person = f.member(world.cs_branch2, "另一督查员")
    other = f.user_for(other_person, "other_sup")
    supervision.supervisor_add(actor=None, scope=SYSTEM, person=other_person)
    nobody = supervision.supervisor_add(
        actor=None, scope=SYSTEM, person=f.member(world.fl_branch, "无账号督查员")
    )
    second = Assignment.objects.create(
        draw=task.draw, meeting=_meeting(world.cs_branch2, date(2026, 12, 11)), supervisor=nobody
    )
    posts = [
        ("sup_pool_add", [], {"staff_number": world.member.staff_number}),
        ("sup_pool_available", [cs_sup.pk], {"available": "0"}),
        ("sup_pool_remove", [cs_sup.pk], {}),
        (
            "sup_draw_new",
            [],
            {"scope_org": world.cs.pk, "period_from": "2026-12-01", "period_to": "2026-12-31", "n": "1"},
        ),
        ("sup_feedback", [second.pk], {**{f"score_{k}": v for k, v in GOOD.items()}, "attended": "1"}),
        ("sup_problem_answer", [problem.pk], {"rectification": "x", "rectify_by": "2027-01-01"}),
    ]
    outsiders = {
        "member": member_user,
        "other_supervisor": other,
        "supervisor_on_branch_side": fl_sup[1],
    }
    before = AuditEvent.objects.count()
    for who, user in outsiders.items():
        client = login(user)
        for name, args, data in posts:
            status = client.post(reverse(f"orglife:{name}", args=args), data).status_code
            assert status == 404, (who, name, status)
    # Another college's organizer may run draws, but not on this college's pool, feedback or problems.
    client = login(outsider_organizer)
    for name, args, data in posts:
        if name in ("sup_pool_add", "sup_draw_new"):
            continue
        assert client.post(reverse(f"orglife:{name}", args=args), data).status_code == 404, name
    page = client.post(reverse("orglife:sup_pool_add"), {"staff_number": world.member.staff_number})
    assert page.status_code == 200 and "本单位没有" in page.content.decode()
    client.post(reverse("orglife:sup_draw_new"), posts[3][2])
    assert Draw.objects.count() == 1
    for name, args in [("sup_draw", [task.draw_id]), ("sup_assignment", [task.pk])]:
        assert client.get(reverse(f"orglife:{name}", args=args)).status_code == 404
    assert AuditEvent.objects.count() == before
    assert Supervisor.objects.filter(pk=cs_sup.pk, available=True).exists()
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_pool_availability_and_removal(world, task, fl_sup, login, school_admin) -> None:
    sup, _user = fl_sup
    client = login(school_admin)
    pool = client.get(reverse("orglife:sup_pool")).content.decode()
    assert 'name="expected_status" value="available"' in pool
    client.post(
        reverse("orglife:sup_pool_available", args=[sup.pk]),
        {"available": "0", "expected_status": "available"},
    )
    sup.refresh_from_db()
    assert not sup.available
    client.post(reverse("orglife:sup_pool_remove", args=[sup.pk]), {"expected_status": "unavailable"})
    assert Supervisor.objects.filter(pk=sup.pk).exists()  # has a task: stays on record
    fresh = supervision.supervisor_add(actor=None, scope=SYSTEM, person=world.member)
    client.post(reverse("orglife:sup_pool_remove", args=[fresh.pk]), {"expected_status": "available"})
    assert not Supervisor.objects.filter(pk=fresh.pk).exists()
    assert AuditEvent.objects.filter(action="orglife.supervisor_remove").count() == 1
    with pytest.raises(RuleViolation):
        supervision.supervisor_add(
            actor=None, scope=SYSTEM, person=f.person("群众甲", organization=world.cs_branch)
        )


def test_submitting_the_draw_form_twice_draws_once(world, college_organizer, login) -> None:
    from datetime import date, time

    from dangjian.orglife.meetings import services as orglife
    from dangjian.orglife.models import Draw, Supervisor

    for day in (3, 10):
        orglife.meeting_create(
            actor=None,
            scope=SYSTEM,
            org=world.cs_branch2,
            kind="theme_day",
            topic="主题党日",
            day=date(2026, 12, day),
            start_time=time(9),
        )
    Supervisor.objects.create(person=world.fl_member, home_org=world.fl_branch)
    client = login(college_organizer)
    data = {
        "scope_org": world.cs.pk,
        "period_from": "2026-12-01",
        "period_to": "2026-12-31",
        "n": "1",
        "idempotency_key": "k" * 32,
    }
    first = client.post(reverse("orglife:sup_draw_new"), data)
    second = client.post(reverse("orglife:sup_draw_new"), data)
    assert first.status_code == second.status_code == 302 and first.url == second.url
    assert Draw.objects.count() == 1
