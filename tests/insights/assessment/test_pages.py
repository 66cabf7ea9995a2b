"""The pages of 述职评议考核: the committee's pages by stage, the reviewer's scoring page and the
secretary's 述职报告 (phone-sized forms), the published grade on the matrix and in the 体检报告;
outsiders answered 404 on every page and POST, and the assessment page in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.audit.models import AuditEvent
from dangjian.insights.assessment import services
from dangjian.insights.assessment.models import ReviewScore, Target
from dangjian.insights.models import IndexScore
from tests import factories as f
from tests.insights.assessment.conftest import (
    SYSTEM,
    YEAR,
    open_assessment,
    score_all,
    store_scores,
    target,
    to_reviewing,
)

pytestmark = pytest.mark.django_db


def test_the_organizer_opens_an_assessment_from_the_list(scored, login, college_organizer) -> None:
    client = login(college_organizer)
    page = client.get(reverse("insights:assessments"))
    assert page.status_code == 200
    new = reverse("insights:assessment_new", args=[scored.cs.pk])
    assert new in page.content.decode()
    response = client.post(
        new,
        {
            "year": YEAR,
            "indicator_weight": "0.3",
            "good_from": "92",
            "fairly_good_from": "82",
            "average_from": "65",
        },
    )
    assessment = Target.objects.get(organization=scored.cs_branch).assessment
    assert response.status_code == 302 and response["Location"] == reverse(
        "insights:assessment", args=[assessment.pk]
    )
    assert (assessment.indicator_weight, assessment.good_from) == (0.3, 92)
    detail = client.get(response["Location"]).content.decode()
    assert "计算机学院教工第一党支部" in detail and "85.0" in detail


def test_bands_out_of_order_are_shown_in_chinese_and_nothing_is_made(
    scored, login, college_organizer
) -> None:
    response = login(college_organizer).post(
        reverse("insights:assessment_new", args=[scored.cs.pk]),
        {
            "year": YEAR,
            "indicator_weight": "0.4",
            "good_from": "80",
            "fairly_good_from": "90",
            "average_from": "60",
        },
    )
    assert response.status_code == 200
    assert "从高到低" in response.content.decode()
    assert not Target.objects.exists()


def test_the_secretary_writes_the_report_on_the_target_page(scored, login, branch_secretary) -> None:
    assessment = open_assessment(scored)
    url = reverse("insights:assessment_target", args=[assessment.pk, target(assessment, scored.cs_branch).pk])
    client = login(branch_secretary)
    assert "提交述职报告" in client.get(url).content.decode()
    response = client.post(url, {"text": "抓党建工作的一年", "expected_status": "reporting"})
    assert response.status_code == 302
    assert target(assessment, scored.cs_branch).report == "抓党建工作的一年"
    # The list shows the secretary their own 述职, not the committee's page.
    listing = client.get(reverse("insights:assessments")).content.decode()
    committee_page = reverse("insights:assessment", args=[assessment.pk])
    assert f'href="{url}"' in listing and f'href="{committee_page}"' not in listing


def test_a_reviewer_scores_on_the_phone_page(scored, login, reviewer_b) -> None:
    assessment = to_reviewing(open_assessment(scored), "reviewer_b")
    url = reverse("insights:assessment_score", args=[assessment.pk])
    client = login(reviewer_b)
    assert "0–100" in client.get(url).content.decode()
    first = target(assessment, scored.cs_branch)
    response = client.post(url, {f"s{first.pk}": "91.5", "expected_status": "reviewing"})
    assert response.status_code == 302
    assert str(ReviewScore.objects.get(target=first).score) == "91.5"
    bad = client.post(url, {f"s{first.pk}": "120", "expected_status": "reviewing"})
    assert "评分须在 0 到 100 之间" in bad.content.decode()
    assert str(ReviewScore.objects.get(target=first).score) == "91.5"


def test_a_member_who_is_no_reviewer_gets_404_on_the_scoring_page(
    scored, login, member_user, reviewer_b
) -> None:
    assessment = to_reviewing(open_assessment(scored), "reviewer_b")
    url = reverse("insights:assessment_score", args=[assessment.pk])
    assert login(member_user).get(url).status_code == 404
    assert login(member_user).post(url, {"expected_status": "reviewing"}).status_code == 404


def test_outsiders_get_404_on_every_page_and_post(scored, login, outsider_organizer, reviewer_a) -> None:
    assessment = to_reviewing(open_assessment(scored), "reviewer_a")
    one = target(assessment, scored.cs_branch)
    client = login(outsider_organizer)
    pages = [
        reverse("insights:assessment", args=[assessment.pk]),
        reverse("insights:assessment_reviewers", args=[assessment.pk]),
        reverse("insights:assessment_grades", args=[assessment.pk]),
        reverse("insights:assessment_score", args=[assessment.pk]),
        reverse("insights:assessment_target", args=[assessment.pk, one.pk]),
        reverse("insights:assessment_new", args=[scored.cs.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"expected_status": "reviewing"}).status_code == 404, url
    for name in (
        "insights:assessment_advance",
        "insights:assessment_refresh",
        "insights:assessment_secretaries",
        "insights:assessment_publish",
    ):
        url = reverse(name, args=[assessment.pk])
        assert client.post(url, {"expected_status": "reviewing"}).status_code == 404, url
    assessment.refresh_from_db()
    assert assessment.stage == "reviewing"


def test_moving_on_by_button_with_the_stage_seen(scored, login, college_organizer, reviewer_a) -> None:
    assessment = open_assessment(scored)
    client = login(college_organizer)
    reviewers = reverse("insights:assessment_reviewers", args=[assessment.pk])
    client.post(reviewers, {"usernames": "reviewer_a", "expected_status": "reporting"})
    advance = reverse("insights:assessment_advance", args=[assessment.pk])
    client.post(advance, {"expected_status": "reporting"})
    client.post(advance, {"expected_status": "reporting"})  # a double click: refused as stale, once only
    assessment.refresh_from_db()
    assert assessment.stage == "reviewing"


def test_the_committee_grades_and_publishes(scored, login, college_organizer, reviewer_a) -> None:
    assessment = to_reviewing(open_assessment(scored), "reviewer_a")
    score_all(assessment, reviewer_a, 95)
    services.assessment_advance(actor=None, scope=SYSTEM, assessment=assessment, expected_status=None)
    first, second = target(assessment, scored.cs_branch), target(assessment, scored.cs_branch2)
    client = login(college_organizer)
    url = reverse("insights:assessment_grades", args=[assessment.pk])
    assert client.get(url).status_code == 200
    refused = client.post(
        url, {f"g{first.pk}": "poor", f"g{second.pk}": second.proposed_grade, "expected_status": "grading"}
    )
    assert "请填写调整理由" in refused.content.decode()
    client.post(
        url,
        {
            f"g{first.pk}": "poor",
            f"why{first.pk}": "发生违纪问题",
            f"g{second.pk}": second.proposed_grade,
            "expected_status": "grading",
        },
    )
    client.post(reverse("insights:assessment_publish", args=[assessment.pk]), {"expected_status": "grading"})
    first.refresh_from_db()
    assert first.grade == "poor" and first.assessment.stage == "published"


def test_the_published_grade_colours_the_matrix_and_enters_the_report(
    scored, login, school_admin, reviewer_a
) -> None:
    assessment = to_reviewing(open_assessment(scored), "reviewer_a")
    score_all(assessment, reviewer_a, 95)
    services.assessment_advance(actor=None, scope=SYSTEM, assessment=assessment, expected_status=None)
    services.assessment_publish(actor=None, scope=SYSTEM, assessment=assessment, expected_status=None)
    client = login(school_admin)
    matrix = client.get(reverse("insights:home"), {"org": scored.cs.pk, "period": "2025", "c": "assessment"})
    assert matrix.status_code == 200
    chart = matrix.context["chart"]
    assert chart["c"]["label"] == "述职评议考核得分"
    totals = {p["name"]: p["value"][2] for p in chart["points"]}
    assert totals["计算机学院教工第一党支部"] == target(assessment, scored.cs_branch).total
    report = client.get(reverse("insights:report", args=[scored.cs_branch.pk]), {"period": "2025"})
    assert "2025 年度述职评议考核" in report.content.decode()


def test_the_assessment_page_costs_the_same_for_two_or_eight_organizations(
    scored, login, college_organizer, django_assert_max_num_queries
) -> None:
    small = open_assessment(scored)
    client = login(college_organizer)
    url = reverse("insights:assessment", args=[small.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    for n in range(6):
        branch = f.org(scored.fl, "branch", f"外国语学院学生第{n}党支部", code=f"FL-S{n}")
        store_scores(branch, {"basic": 70})
    big = services.assessment_open(actor=None, scope=SYSTEM, org=scored.fl, year=YEAR)
    organizer = f.user_for(None, "fl_org", ("college_organizer", scored.fl))
    client = login(organizer)
    url = reverse("insights:assessment", args=[big.pk])
    client.get(url)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
    assert IndexScore.objects.count() >= 6


def test_a_secretary_reviewer_sees_no_box_for_their_own_organization(scored, login, branch_secretary) -> None:
    assessment = to_reviewing(open_assessment(scored), "branch_secretary")
    own, other = target(assessment, scored.cs_branch), target(assessment, scored.cs_branch2)
    client = login(branch_secretary)
    page = client.get(reverse("insights:assessment_score", args=[assessment.pk])).content.decode()
    assert "本人述职，不参与评分" in page
    assert f'name="s{own.pk}"' not in page and f'name="s{other.pk}"' in page
    url = reverse("insights:assessment_score", args=[assessment.pk])
    client.post(url, {f"s{own.pk}": "100", f"s{other.pk}": "80", "expected_status": "reviewing"})
    assert list(ReviewScore.objects.values_list("target_id", flat=True)) == [
        other.pk
    ]  # the own box is ignored


def test_the_committee_updates_who_reports_by_button(scored, login, college_organizer) -> None:
    assessment = open_assessment(scored)
    response = login(college_organizer).post(
        reverse("insights:assessment_secretaries", args=[assessment.pk]), {"expected_status": "reporting"}
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="assessment.secretaries_refresh").count() == 1
