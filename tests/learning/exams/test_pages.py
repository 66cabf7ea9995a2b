"""The exam pages: the bank (filters, new, edit, retire, Excel), quizzes (new, publish, results), a
member's side (我的测试, start twice → one attempt, answer, hand in, the graded paper). Outsiders get
404 on every object; list and result pages keep their query count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.learning.exams import selectors, services
from dangjian.learning.exams.models import Attempt, Question, Quiz
from tests.learning.exams.conftest import as_person, make_bank, make_quiz

pytestmark = pytest.mark.django_db


def test_the_bank_lists_and_filters_in_a_fixed_number_of_queries(
    world, college_organizer, login, django_assert_max_num_queries
) -> None:
    make_bank(world.cs, singles=30, multiples=10, true_false=10, fills=10)
    client = login(college_organizer)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("exams:bank"), {"topic": "theory"})
    assert page.status_code == 200
    assert "多选题0" in page.content.decode() and "单选题1" not in page.content.decode()


def test_a_question_is_added_from_the_form_and_a_bad_one_is_refused(world, college_organizer, login) -> None:
    client = login(college_organizer)
    base = {
        "organization": world.cs.pk,
        "kind": "single",
        "topic": "charter",
        "difficulty": 1,
        "text": "党的最高领导机关是？",
    }
    refused = client.post(reverse("exams:question_new"), {**base, "options": "甲\n乙\n丙", "answer": "AB"})
    assert refused.status_code == 200 and "单选题只能有一个正确答案" in refused.content.decode()
    assert not Question.objects.exists()
    done = client.post(reverse("exams:question_new"), {**base, "options": "甲\n乙\n丙", "answer": "B"})
    assert done.status_code == 302
    question = Question.objects.get()
    assert (question.options, question.answer) == (["甲", "乙", "丙"], [1])
    assert AuditEvent.objects.filter(action="learning.question_create").count() == 1


def test_a_question_is_edited_and_retired(world, college_organizer, login) -> None:
    question = make_bank(world.cs, singles=1, multiples=0, true_false=0, fills=0)[0]
    client = login(college_organizer)
    page = client.get(reverse("exams:question_edit", args=[question.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("exams:question_edit", args=[question.pk]),
        {
            "kind": "single",
            "topic": "theory",
            "difficulty": 2,
            "text": "新题干",
            "options": "一\n二",
            "answer": "A",
            "expected_status": question.version,
        },
    )
    assert response.status_code == 302
    question.refresh_from_db()
    response = client.post(
        reverse("exams:question_retire", args=[question.pk]), {"expected_status": question.version}
    )
    assert response.status_code == 302
    assert Question.objects.get(pk=question.pk).is_active is False


def test_outsiders_get_404_on_every_exam_object(world, bank, quiz, outsider_organizer, login) -> None:
    attempt, _ = services.attempt_start(actor=None, scope=as_person(world.member), quiz=quiz)
    client = login(outsider_organizer)
    question = bank[0]
    for name, args, method in [
        ("exams:question_edit", [question.pk], "get"),
        ("exams:question_edit", [question.pk], "post"),
        ("exams:question_retire", [question.pk], "post"),
        ("exams:quiz", [quiz.pk], "get"),
        ("exams:quiz_edit", [quiz.pk], "post"),
        ("exams:quiz_publish", [quiz.pk], "post"),
        ("exams:quiz_export", [quiz.pk], "get"),
        ("exams:start", [quiz.pk], "post"),
        ("exams:attempt", [attempt.pk], "get"),
        ("exams:attempt", [attempt.pk], "post"),
        ("exams:attempt_submit", [attempt.pk], "post"),
        ("exams:import", [world.cs.pk], "get"),
    ]:
        assert getattr(client, method)(reverse(name, args=args)).status_code == 404, name
    assert Question.objects.filter(is_active=True).count() == len(bank)
    assert Attempt.objects.get().is_open


def test_a_quiz_is_created_with_its_rules_and_published(world, bank, college_organizer, login) -> None:
    client = login(college_organizer)
    form = {
        "organization": world.cs.pk,
        "title": "七一测试",
        "opens_at": "2026-07-01T08:00",
        "closes_at": "2026-07-10T20:00",
        "time_limit": 20,
        "attempt_limit": 1,
        "pass_mark": 60,
        "rule1_kind": "single",
        "rule1_topic": "",
        "rule1_count": 99,
        "rule1_points": 5,
    }
    refused = client.post(reverse("exams:quiz_new"), form)
    assert "第 1 条组卷规则需要 99 道题" in refused.content.decode()
    assert not Quiz.objects.exists()
    response = client.post(
        reverse("exams:quiz_new"),
        {**form, "rule1_count": 5, "rule2_kind": "fill", "rule2_count": 2, "rule2_points": 10},
    )
    quiz = Quiz.objects.get()
    assert response.status_code == 302 and quiz.rules[1] == {
        "kind": "fill",
        "topic": "",
        "count": 2,
        "points": "10",
    }
    client.post(reverse("exams:quiz_publish", args=[quiz.pk]), {"expected_status": quiz.version})
    assert Quiz.objects.get().is_published


def test_a_member_starts_answers_and_hands_in_and_sees_the_answers_only_then(
    world, quiz, member_user, login
) -> None:
    client = login(member_user)
    mine = client.get(reverse("exams:mine"))
    assert "党章测试" in mine.content.decode()
    first = client.post(reverse("exams:start", args=[quiz.pk]))
    second = client.post(reverse("exams:start", args=[quiz.pk]))  # a double click
    attempt = Attempt.objects.get()
    assert first["Location"] == second["Location"] == reverse("exams:attempt", args=[attempt.pk])
    page = client.get(first["Location"]).content.decode()
    assert "解析" not in page and "正确答案" not in page and "参考答案" not in page and "共产主义" not in page
    item = attempt.items.filter(kind="single").first()
    client.post(first["Location"], {f"q{item.position}": [str(item.answer[0])], "save": "1"})
    item.refresh_from_db()
    assert item.response == item.answer
    client.post(first["Location"], {f"q{item.position}": [str(item.answer[0])], "submit": "1"})
    attempt.refresh_from_db()
    assert attempt.status == "graded" and attempt.score == 10
    page = client.get(first["Location"]).content.decode()
    assert "解析" in page and "正确答案" in page and "共产主义" in page


def test_the_results_page_keeps_its_query_count(
    world, quiz, school_admin, login, django_assert_max_num_queries
) -> None:
    for person in (world.member, world.secretary):
        attempt, _ = services.attempt_start(actor=None, scope=as_person(person), quiz=quiz)
        services.attempt_submit(actor=None, scope=as_person(person), attempt=attempt)
    client = login(school_admin)
    with django_assert_max_num_queries(16):
        page = client.get(reverse("exams:quiz", args=[quiz.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and world.cs_branch.name in text and world.member.name in text
    lines = {line.org.pk: line for line in selectors.results_by_child(quiz, world.cs)}
    assert lines[world.cs_branch.pk].people == 2 and lines[world.cs_branch.pk].passed == 0
    export = client.get(reverse("exams:quiz_export", args=[quiz.pk]))
    assert export.status_code == 200
    assert AuditEvent.objects.filter(action="learning.quiz_export").exists()


def test_the_bank_exports_to_excel(world, bank, college_organizer, login) -> None:
    response = login(college_organizer).get(reverse("exams:bank_export"))
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="learning.question_export").exists()


def test_the_quiz_list_and_my_quizzes_keep_their_query_count(
    world, bank, member_user, school_admin, login, django_assert_max_num_queries
) -> None:
    for n in range(8):
        make_quiz(world.cs if n % 2 else world.cs_branch, attempt_limit=3)
    scope = as_person(world.member)
    for quiz in Quiz.objects.all()[:4]:
        attempt, _ = services.attempt_start(actor=None, scope=scope, quiz=quiz)
        services.attempt_submit(actor=None, scope=scope, attempt=attempt)
    member, admin = login(member_user), login(school_admin)
    with django_assert_max_num_queries(12):
        mine = member.get(reverse("exams:mine"))
    assert mine.content.decode().count("党章测试") == 8
    with django_assert_max_num_queries(12):
        assert admin.get(reverse("exams:quizzes")).status_code == 200
