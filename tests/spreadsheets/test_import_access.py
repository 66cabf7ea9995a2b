"""Every kind of import the modules declare (``hooks.imports``), on its own pages: someone without the
permission gets 404 on the page, the upload, the template and the commit; nobody commits another
person's dry run; a record outside the scope (a class of another college) is 404 to an outsider."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from dangjian import hooks
from dangjian.jobs.models import Job
from tests.learning.conftest import make_class

DECLARED = {
    "people_import": "core:import",
    "member_import": "core:import",
    "position_import": "core:import",
    "org_import": "core:import",
    "dues_base_import": "core:import",
    "recruitment_import": "recruitment:import",
    "training_import": "learning:import",
    "question_import": "exams:import",
}


def test_each_module_declares_its_imports_with_their_pages() -> None:
    declared = {kind.key: kind.upload_url for kind in hooks.imports.all() if not kind.key.startswith("flow_")}
    assert declared == DECLARED


@pytest.fixture
def kwargs_of(world):
    """The URL arguments of a kind's pages: its name on the shared page, or a class (a bank) of the CS
    college."""
    training_class = make_class(world)

    def _kwargs(kind) -> dict:
        if kind.name:
            return {"name": kind.name}
        if kind.subject_param == "org_id":  # a question bank: the CS college's
            return {"org_id": world.cs.pk}
        return {kind.subject_param: training_class.pk} if kind.subject_param else {}

    return _kwargs


@pytest.mark.parametrize("key", sorted(DECLARED))
def test_an_outsider_is_refused_on_every_page(
    key, kwargs_of, login, school_admin, member_user, outsider_organizer
) -> None:
    kind = hooks.imports.get(key)
    kwargs = kwargs_of(kind)
    page, template = reverse(kind.upload_url, kwargs=kwargs), reverse(kind.template_url, kwargs=kwargs)
    owner = login(school_admin)
    assert owner.get(page).status_code == 200 and owner.get(template).status_code == 200
    checked = Job.objects.create(
        kind=key,
        title="预检",
        created_by=school_admin,
        params={
            "mode": "dry_run",
            **({kind.subject_param: kwargs[kind.subject_param]} if kind.subject else {}),
        },
        input_file="jobs/in/x.xlsx",
    )
    commit = reverse(
        kind.commit_url, kwargs={**kwargs, "job_id": checked.pk} if kind.subject else {"job_id": checked.pk}
    )
    refused = [login(member_user)] + ([login(outsider_organizer)] if kind.subject else [])
    for client in refused:
        assert client.get(page).status_code == 404
        assert client.post(page, {"file": SimpleUploadedFile("x.xlsx", b"PK\x03\x04")}).status_code == 404
        assert client.get(template).status_code == 404
    for client in (login(member_user), login(outsider_organizer)):
        assert client.post(commit, {"mode": "all"}).status_code == 404
    assert Job.objects.count() == 1  # nothing started
