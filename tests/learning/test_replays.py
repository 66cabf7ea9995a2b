"""A form sent twice (a double click, a retry) answers as the first did, before any other check."""

from __future__ import annotations

from django.urls import reverse

from dangjian.learning.models import ClassKind, Enrolment
from tests.learning.conftest import make_class


def test_the_same_enrol_form_twice_answers_as_the_first(school, login, college_organizer) -> None:
    training_class = make_class(school.world, ClassKind.ACTIVIST)
    client = login(college_organizer)
    url = reverse("learning:enrol", args=[training_class.pk])
    answers = []
    for _ in range(2):
        response = client.post(url, {"person": [school.activist.pk]}, follow=True)
        answers.append([str(m) for m in response.context["messages"]])
    assert answers[0] == answers[1] == ["已报名 1 人"]
    assert Enrolment.objects.filter(training_class=training_class).count() == 1
