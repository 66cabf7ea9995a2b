"""What the access matrix puts in each URL: an object of the kind the URL names, from the demo data.

The sample lies in the demo member's branch where the demo has one there, else in the member's college,
else anywhere; its organization (``Sample.org_path``) is what a ``within`` rule is judged against. A URL
keyword with no resolver here fails the matrix: a new module adds its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.core.files.base import ContentFile
from django.db.models import Model, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.accounts.models import ApiToken, User
from dangjian.appraisal.models import Participant as AppraisalParticipant
from dangjian.appraisal.models import Round as AppraisalRound
from dangjian.core.models import Membership, Organization, Person, Position
from dangjian.dues.models import Declaration, Entry, MonthReport, Relief
from dangjian.insights.models import Alert, Assessment
from dangjian.insights.models import Target as AssessmentTarget
from dangjian.jobs.models import Job
from dangjian.learning.models import (
    Attempt,
    Course,
    Enrolment,
    Lesson,
    Material,
    Question,
    Quiz,
    StudyPlan,
    TopicTraining,
    TrainingClass,
)
from dangjian.mailbox.models import Letter as MailboxLetter
from dangjian.news.models import Article, FeedItem, FeedSource
from dangjian.news.models import Attachment as NewsAttachment
from dangjian.onestop.models import Proof as ServiceProof
from dangjian.onestop.models import Request as ServiceRequest
from dangjian.orglife.models import (
    AbsenceWarning,
    Assignment,
    CalendarFeed,
    Draw,
    LeaveRequest,
    Meeting,
    MeetingAttachment,
    Plan,
    Problem,
    Supervisor,
)
from dangjian.recruitment.models import Case, StepDefinition, StepDocument, StepRecord
from dangjian.returns.models import Assignment as ReturnAssignment
from dangjian.returns.models import Return, ReturnField, Row, RowFile
from dangjian.transfers.models import Letter, Transfer
from dangjian.volunteer.models import Activity as VolunteerActivity
from dangjian.volunteer.models import SignUp as VolunteerSignUp


@dataclass(frozen=True)
class Sample:
    value: Any
    org_path: str  # "" when the object belongs to no organization
    owner: str = ""  # the username the object belongs to, for ``own()`` rules


@dataclass
class Place:
    """The demo member and where they stand: the branch, its college, the school."""

    member: Person
    branch: Organization
    college: Organization


def place() -> Place:
    member = User.objects.select_related("person").get(username="member").person
    branch = member.organization
    return Place(member=member, branch=branch, college=Organization.objects.get_parent(branch))


def _nearest(place: Place, qs: QuerySet[Any], path_field: str) -> Model | None:
    for prefix in (place.branch.path, place.college.path, ""):
        obj = qs.filter(**{f"{path_field}__startswith": prefix}).order_by("pk").first()
        if obj is not None:
            return obj
    return None


def _path(obj: Model, path_field: str) -> str:
    value: Any = obj
    for part in path_field.split("__"):
        value = getattr(value, part)
    return str(value)


def _from(model: type[Model], path_field: str, **filters: Any) -> Callable[[Place], Sample]:
    def resolve(place: Place) -> Sample:
        obj = _nearest(place, model._default_manager.filter(**filters), path_field)
        if obj is None:
            raise LookupError(f"the demo has no {model.__name__}")
        return Sample(obj.pk, _path(obj, path_field))

    return resolve


def _school_wide(model: type[Model], **filters: Any) -> Callable[[Place], Sample]:
    """An object of the school as a whole (智能整理's feed sources and items): judged at the root."""

    def resolve(place: Place) -> Sample:
        obj = model._default_manager.filter(**filters).order_by("pk").first()
        if obj is None:
            raise LookupError(f"the demo has no {model.__name__}")
        root = Organization.objects.filter(depth=1).order_by("path").first()
        assert root is not None
        return Sample(obj.pk, root.path)

    return resolve


def _fellow(place: Place) -> Sample:
    """A member of the branch other than the demo member (so self-service does not blur scoping)."""
    fellow = (
        Person.objects.filter(membership__organization=place.branch)
        .exclude(pk=place.member.pk)
        .exclude(user__username__in=["branch_secretary"])
        .order_by("pk")
        .first()
    )
    assert fellow is not None
    return Sample(fellow.pk, place.branch.path)


def _membership(place: Place) -> Sample:
    person = _fellow(place).value
    membership = Membership.objects.filter(person_id=person).first()
    assert membership is not None
    return Sample(membership.pk, place.branch.path)


def _job(place: Place) -> Sample:
    """A job of the college organizer's (jobs belong to their creator)."""
    job = Job.objects.filter(created_by__username="college_organizer").order_by("pk").first()
    if job is None:
        job = Job.objects.create(
            kind="export", created_by=User.objects.get(username="college_organizer"), title="样例导出"
        )
    return Sample(job.pk, "", owner="college_organizer")


def _import_job(kind: str, **params: Any) -> Job:
    """An import of the college organizer's (committing one that is not a dry run shows the job)."""
    return Job.objects.create(
        kind=kind, created_by=User.objects.get(username="college_organizer"), title="样例导入", params=params
    )


def _import_of(kind: str) -> Callable[[Place], Sample]:
    return lambda place: Sample(_import_job(kind).pk, "", owner="college_organizer")


def _class_import(place: Place) -> tuple[dict[str, Any], str]:
    cls = _nearest(place, TrainingClass.objects.select_related("organizer"), "organizer__path")
    assert cls is not None
    job = _import_job("training_import", class_id=cls.pk)
    return {"class_id": cls.pk, "job_id": job.pk}, cls.organizer.path


def _bank_import(place: Place) -> tuple[dict[str, Any], str]:
    job = _import_job("question_import", org_id=place.branch.pk)
    return {"org_id": place.branch.pk, "job_id": job.pk}, place.branch.path


def _own_attempt(place: Place) -> Sample:
    """The demo member's attempt in progress (only its owner opens it)."""
    attempt = Attempt.objects.filter(person=place.member, status="open").order_by("pk").first()
    if attempt is None:
        raise LookupError("the demo has no attempt in progress for the member")
    return Sample(attempt.pk, "", owner="member")


def _token(place: Place) -> Sample:
    user = User.objects.get(username="member")
    token = ApiToken.objects.filter(user=user).first()
    if token is None:
        token = ApiToken.objects.create(
            user=user, name="样例", token_hash="0" * 64, expires_at=timezone.now() + timedelta(days=30)
        )
    return Sample(token.pk, "", owner="member")


def _calendar_token(place: Place) -> Sample:
    feed, _ = CalendarFeed.objects.get_or_create(
        user=User.objects.get(username="member"), defaults={"token": "sample-calendar-token"}
    )
    return Sample(feed.token, "")


def _feedback_task(place: Place) -> Sample:
    assignment = _nearest(
        place, Assignment.objects.select_related("supervisor__person__user"), "meeting__organization__path"
    )
    assert assignment is not None
    user = getattr(assignment.supervisor.person, "user", None)
    return Sample(assignment.pk, "", owner=user.username if user else "")


def _transfer(**filters: Any) -> Callable[[Place], Sample]:
    return _from(Transfer, "from_org__path", **filters)


def _incoming(place: Place) -> Sample:
    """A transfer into the member's college waiting to be accepted there, sent from another branch of the
    same college (so that no other college sees it as its sending side)."""
    transfer = (
        Transfer.objects.filter(to_college=place.college, status="college_approved").order_by("pk").first()
    )
    if transfer is None:
        raise LookupError("the demo has no transfer into the member's college")
    sibling = (
        Organization.objects.filter(path__startswith=place.college.path, kind="branch")
        .exclude(pk=place.branch.pk)
        .order_by("path")
        .first()
    )
    Transfer.objects.filter(pk=transfer.pk).update(from_org=sibling)
    return Sample(transfer.pk, place.college.path)


def _with_letter(place: Place) -> Sample:
    transfer = _nearest(place, Transfer.objects.filter(letters__isnull=False), "from_org__path")
    assert transfer is not None
    return Sample(transfer.pk, transfer.from_org.path)


def _non_member(place: Place) -> Sample:
    person = Person.objects.filter(organization=place.branch, membership__isnull=True).order_by("pk").first()
    assert person is not None
    return Sample(person.pk, place.branch.path)


def _incoming_placed(place: Place) -> Sample:
    """An incoming transfer (转入) placed in the member's branch, whose 回执 the branch prints."""
    transfer = _nearest(place, Transfer.objects.filter(kind="in", to_org__isnull=False), "to_org__path")
    if transfer is None:
        raise LookupError("the demo has no incoming transfer")
    return Sample(transfer.pk, transfer.to_org.path)


def _letter(place: Place) -> Sample:
    """A letter of a transfer out of the member's branch: the sending branch's to print."""
    letter = _nearest(place, Letter.objects.select_related("transfer__from_org"), "transfer__from_org__path")
    assert letter is not None
    return Sample(letter.pk, letter.transfer.from_org.path)


def _finished_job(place: Place) -> Sample:
    job = _import_job("export")
    job.status = "succeeded"
    job.result_file.save("sample.xlsx", ContentFile(b"sample"), save=True)
    return Sample(job.pk, "", owner="college_organizer")


def _relief(place: Place) -> Sample:
    relief = Relief.objects.create(
        person_id=_fellow(place).value,
        kind="reduce",
        monthly_amount=1,
        from_month="2026-10-01",
        to_month="2026-12-01",
        reason="样例",
        approver_org=place.college,
        requested_by=User.objects.get(username="branch_secretary"),
    )
    return Sample(relief.pk, place.college.path)


def _declaration(place: Place) -> Sample:
    declaration = Declaration.objects.create(
        person_id=_fellow(place).value,
        organization=place.branch,
        months=["2026-10-01"],
        amount=10,
        method="cash",
    )
    return Sample(declaration.pk, place.branch.path)


def _probationary_case(place: Place) -> Sample:
    case = _nearest(place, Case.objects.filter(status="open"), "branch__path")
    assert case is not None
    Case.objects.filter(pk=case.pk).update(stage="probationary")
    return Sample(case.pk, case.branch.path)


def _branch_step(place: Place) -> Sample:
    step = StepDefinition.objects.filter(actor="branch").order_by("number").first()
    assert step is not None
    return Sample(step.code, "")


def _totp_device(place: Place) -> Sample:
    device = TOTPDevice.objects.create(
        user=User.objects.get(username="sysadmin"), name="样例", confirmed=False
    )
    return Sample(device.pk, "")


def _school(place: Place) -> Sample:
    return Sample(None, Organization.objects.get_root_nodes().first().path)


def _case_record(place: Place) -> tuple[Case, StepRecord]:
    record = _nearest(place, StepRecord.objects.select_related("case__branch"), "case__branch__path")
    assert record is not None
    return record.case, record


def _return_assignment(**filters: Any) -> Callable[[Place], Sample]:
    """An assignment of the demo table (数据报送) to the member's branch (submitted, for the reviewer's
    buttons, when ``status`` says so)."""

    def resolve(place: Place) -> Sample:
        item = _nearest(place, ReturnAssignment.objects.filter(**filters), "organization__path")
        if item is None:
            raise LookupError("the demo has no return assignment")
        return Sample(
            item.pk, place.branch.path if item.organization_id == place.branch.pk else item.organization.path
        )

    return resolve


def _row_file(place: Place) -> Sample:
    """A file uploaded into the member's branch's row of the demo table."""
    row = _nearest(
        place, Row.objects.select_related("assignment__organization"), "assignment__organization__path"
    )
    assert row is not None
    item = RowFile(row=row, key="sample", name="样例.pdf", size=6)
    item.file.save("sample.pdf", ContentFile(b"%PDF-1"), save=True)
    return Sample(item.pk, row.assignment.organization.path)


def _material_file(place: Place) -> Sample:
    """A published PDF of the member's college (the demo ships no files)."""
    item = Material(
        organization=place.college,
        title="样例文档",
        kind="document",
        topic="charter",
        audiences=["member"],
        published=True,
        uid="sample",
        file_name="样例.pdf",
        file_size=13,
    )
    item.file.save("sample.pdf", ContentFile(b"%PDF-1 sample"), save=True)
    return Sample(item.pk, place.college.path)


def _alert(place: Place) -> Sample:
    """A warning of the member's branch (the demo's nightly run finds what the modules' sources find;
    one is made when they find nothing there)."""
    alert = Alert.objects.filter(organization=place.branch).order_by("pk").first()
    if alert is None:
        today = timezone.localdate()
        alert = Alert.objects.create(
            source="sample",
            key=f"person:{place.member.pk}",
            organization=place.branch,
            person=place.member,
            rule="样例",
            summary="样例预警",
            raised_on=today,
            last_seen_on=today,
        )
    return Sample(alert.pk, place.branch.path)


def _constant(value: Any) -> Callable[[Place], Sample]:
    return lambda place: Sample(value, "")


def _branch(place: Place) -> Sample:
    return Sample(place.branch.pk, place.branch.path)


def _college(place: Place) -> Sample:
    return Sample(place.college.pk, place.college.path)


def _service_request(place: Place) -> Sample:
    """智慧服务: a fellow member's open request to the member's branch (its secretary handles it)."""
    item = (
        ServiceRequest.objects.filter(handling_org=place.branch, status="submitted")
        .exclude(requester=place.member)
        .exclude(requester__user__username="branch_secretary")
        .order_by("pk")
        .first()
    )
    if item is None:
        raise LookupError("the demo has no request of a fellow member to the branch")
    return Sample(item.pk, place.branch.path)


def _own_closed_request(place: Place) -> Sample:
    """The demo member's own closed request, not yet rated (only they may rate it)."""
    item = (
        ServiceRequest.objects.filter(requester=place.member, status="done", rated_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if item is None:
        raise LookupError("the demo member has no closed request to rate")
    return Sample(item.pk, "", owner="member")


def _member_proof(place: Place) -> ServiceProof:
    proof = (
        ServiceProof.objects.select_related("issuing_org")
        .filter(person=place.member, withdrawn_at__isnull=True)
        .order_by("pk")
        .first()
    )
    if proof is None:
        raise LookupError("the demo member has no valid proof")
    return proof


def _proof(place: Place) -> Sample:
    """The demo member's valid proof, issued by their college's Party committee."""
    proof = _member_proof(place)
    return Sample(proof.pk, proof.issuing_org.path)


def _proof_code(place: Place) -> Sample:
    return Sample(_member_proof(place).code, "")


def _mailbox_letter(place: Place) -> Sample:
    """书记信箱: a fellow member's signed letter waiting at the member's branch (its secretary handles it)."""
    item = (
        MailboxLetter.objects.filter(organization=place.branch, status="submitted", anonymous=False)
        .exclude(author=place.member)
        .exclude(author__user__username="branch_secretary")
        .order_by("pk")
        .first()
    )
    if item is None:
        raise LookupError("the demo has no letter of a fellow member to the branch")
    return Sample(item.pk, place.branch.path)


def _own_letter(place: Place) -> Sample:
    """The demo member's own answered letter (only they may read, close or rate it)."""
    item = MailboxLetter.objects.filter(author=place.member, status="replied").order_by("pk").first()
    if item is None:
        raise LookupError("the demo member has no answered letter")
    return Sample(item.pk, "", owner="member")


# Keyword -> resolver; "url_name.keyword" entries win over the plain keyword.
RESOLVERS: dict[str, Callable[[Place], Sample]] = {
    "org_id": _branch,
    "person_id": _fellow,
    "membership_id": _membership,
    "position_id": _from(Position, "organization__path", ended_on__isnull=True),
    "job_id": _job,
    "core:import_commit.job_id": _import_of("people_import"),
    "recruitment:import_commit.job_id": _import_of("recruitment_import"),
    "orglife:sup_feedback.assignment_id": _feedback_task,
    "transfers:accept.transfer_id": _incoming,
    "api:accept.transfer_id": _incoming,
    "api:letter_pdf.transfer_id": _with_letter,
    "transfers:complete.transfer_id": _transfer(status="college_approved"),
    "api:complete.transfer_id": _transfer(status="college_approved"),
    "core:membership_admit.person_id": _non_member,
    "core:person_leave.person_id": _non_member,
    "core:person_card.key": _constant("appraisal"),
    "transfers:receipt_pdf.transfer_id": _incoming_placed,
    "letter_id": _letter,
    "jobs:result.job_id": _finished_job,
    "relief_id": _relief,
    "declaration_id": _declaration,
    "recruitment:cancel.case_id": _probationary_case,
    "recruitment:step_new.code": _branch_step,
    "token_id": _token,
    "name": _constant("people"),
    "insights:version_new.index": _constant("basic"),
    "insights:reports_send.org_id": _college,
    # 述职评议考核: a college assesses its branches (the demo: last year's, published)
    "insights:assessment_new.org_id": _college,
    "assessment_id": _from(Assessment, "organization__path"),
    "reporting:explain.key": _constant("members_total"),
    "reporting:explain_export.key": _constant("members_total"),
    "uidb64": _constant("MQ"),
    "token": _constant("not-a-valid-token"),
    "orglife:calendar_feed.token": _calendar_token,
    "provider_name": _constant("fake"),
    "report_id": _from(MonthReport, "organization__path"),
    "entry_id": _from(Entry, "organization__path"),
    "transfer_id": _transfer(),
    "year": _constant(2026),
    # the Django admin's own keywords (its rule does not look at the object)
    "object_id": _constant(1),
    "pk": _constant(1),
    "admin:otp_totp_totpdevice_config.pk": _totp_device,
    "admin:otp_totp_totpdevice_qrcode.pk": _totp_device,
    "id": _constant(1),
    "app_label": _constant("accounts"),
    "content_type_id": _constant(1),
    "recruitment:holiday_year.year": lambda p: Sample(2026, _school(p).org_path),
    "case_id": _from(Case, "branch__path"),
    "code": _constant("01"),
    "action": _constant("reset"),
    "orglife:plan_action.action": _constant("submit"),
    "meeting_id": _from(Meeting, "organization__path"),
    "plan_id": _from(Plan, "organization__path"),
    "supervisor_id": _from(Supervisor, "home_org__path"),
    "draw_id": _from(Draw, "scope_org__path"),
    "assignment_id": _from(Assignment, "meeting__organization__path"),
    "problem_id": _from(Problem, "feedback__assignment__meeting__organization__path"),
    "warning_id": _from(AbsenceWarning, "branch__path"),
    "alert_id": _alert,
    "class_id": _from(TrainingClass, "organizer__path"),
    "topic_id": _from(TopicTraining, "organizer__path"),
    "material_id": _from(Material, "organization__path", published=True),
    "learning:material_file.material_id": _material_file,
    "course_id": _from(Course, "organization__path", published=True),
    "lesson_id": _from(Lesson, "course__organization__path", course__published=True),
    "study_plan_id": _from(StudyPlan, "organization__path"),
    "question_id": _from(Question, "organization__path", is_active=True),
    "quiz_id": _from(Quiz, "organization__path", status="published"),
    "attempt_id": _own_attempt,
    "return_id": _from(Return, "designer__path"),
    "returns:annual_total.return_id": _from(Return, "designer__path", kind="annual"),
    "field_id": _from(ReturnField, "ret__designer__path"),
    "file_id": _row_file,
    "returns:fill.assignment_id": _return_assignment(),
    "returns:return.assignment_id": _return_assignment(status="submitted"),
    "returns:accept.assignment_id": _return_assignment(status="submitted"),
    "returns:remind_one.assignment_id": _return_assignment(),
    "returns:compare.assignment_id": _return_assignment(),
    # 民主评议: this year's round of the member's branch (in 民主测评; the member and the secretary take part)
    "round_id": _from(AppraisalRound, "branch__path", stage="rating"),
    # 智慧服务: a fellow's request to the branch; the member's own closed one to rate; the member's proof
    "request_id": _service_request,
    "onestop:rate.request_id": _own_closed_request,
    "onestop:request_new.kind": _constant("long_leave"),
    "proof_id": _proof,
    "proofs:verify.code": _proof_code,
    "api:verify_proof.code": _proof_code,
    # 书记信箱: a fellow's letter to the branch; the member's own answered letter
    "mailbox:letter.letter_id": _mailbox_letter,
    "mailbox:reply.letter_id": _mailbox_letter,
    "mailbox:transfer.letter_id": _mailbox_letter,
    "mailbox:close.letter_id": _mailbox_letter,
    "mailbox:own.letter_id": _own_letter,
    "mailbox:own_close.letter_id": _own_letter,
    "mailbox:rate.letter_id": _own_letter,
    # 智慧宣传: a published internal article of the member's college (its members read it, the organizers
    # of the college manage it); the public site's pages take a published public one.
    "article_id": _from(
        Article, "organization__path", status="published", audience="subtree", organization__kind="committee"
    ),
    "news:public_article.article_id": _from(
        Article, "organization__path", status="published", audience="public"
    ),
    "category": _constant("work"),
    # 智能整理: the school's feed sources and an item still waiting in the editors' queue
    "feed_source_id": _school_wide(FeedSource),
    "feed_item_id": _school_wide(FeedItem, status="new"),
    # 志愿服务: the branch's coming activity (its members see it and sign up; its organizers run it) and
    # a sign-up of the branch's past one (the organizers correct its hours).
    "activity_id": _from(
        VolunteerActivity,
        "organization__path",
        status="published",
        audience="subtree",
        organization__kind="branch",
    ),
    "signup_id": _from(VolunteerSignUp, "activity__organization__path", activity__status="finished"),
}


def _leave(place: Place) -> tuple[dict[str, Any], str]:
    leave = _nearest(
        place, LeaveRequest.objects.select_related("meeting__organization"), "meeting__organization__path"
    )
    assert leave is not None
    return {"meeting_id": leave.meeting_id, "leave_id": leave.pk}, leave.meeting.organization.path


def _enrolment(place: Place) -> tuple[dict[str, Any], str]:
    item = _nearest(
        place,
        Enrolment.objects.select_related("training_class__organizer"),
        "training_class__organizer__path",
    )
    assert item is not None
    return {"class_id": item.training_class_id, "enrolment_id": item.pk}, item.training_class.organizer.path


def _case_and_record(place: Place) -> tuple[dict[str, Any], str]:
    case, record = _case_record(place)
    return {"case_id": case.pk, "record_id": record.pk}, case.branch.path


def _returned_record(place: Place) -> tuple[dict[str, Any], str]:
    """A branch step the committee above returned for correction (the branch resubmits it)."""
    record = _nearest(
        place,
        StepRecord.objects.select_related("case__branch").filter(step__actor="branch"),
        "case__branch__path",
    )
    assert record is not None
    StepRecord.objects.filter(pk=record.pk).update(returned_at=timezone.now())
    return {"case_id": record.case_id, "record_id": record.pk}, record.case.branch.path


def _meeting_attachment(place: Place) -> tuple[dict[str, Any], str]:
    meeting = _nearest(place, Meeting.objects.select_related("organization"), "organization__path")
    assert meeting is not None
    item = MeetingAttachment(meeting=meeting, name="样例.txt", size=6)
    item.file.save("sample.txt", ContentFile(b"sample"), save=True)
    return {"meeting_id": meeting.pk, "attachment_id": item.pk}, meeting.organization.path


def _step_document(place: Place) -> tuple[dict[str, Any], str]:
    case, record = _case_record(place)
    doc = StepDocument(record=record, name="样例.txt", size=6)
    doc.file.save("sample.txt", ContentFile(b"sample"), save=True)
    return {"case_id": case.pk, "document_id": doc.pk}, case.branch.path


def _appraisal_participant(place: Place) -> tuple[dict[str, Any], str]:
    """A participant of the member's branch's round of this year (a fellow member, not the demo member)."""
    item = _nearest(
        place,
        AppraisalParticipant.objects.select_related("round__branch")
        .filter(round__stage="rating")
        .exclude(person=place.member),
        "round__branch__path",
    )
    assert item is not None
    return {"round_id": item.round_id, "participant_id": item.pk}, item.round.branch.path


def _assessment_target(place: Place) -> tuple[dict[str, Any], str]:
    """The member's branch as assessed by its college (its secretary wrote the 述职报告)."""
    item = _nearest(place, AssessmentTarget.objects.select_related("organization"), "organization__path")
    assert item is not None
    return {"assessment_id": item.assessment_id, "target_id": item.pk}, item.organization.path


def _news_attachment(audience: str) -> Callable[[Place], tuple[dict[str, Any], str]]:
    """An attachment of the article the news pages take (an internal one; the public site's: public)."""

    def resolve(place: Place) -> tuple[dict[str, Any], str]:
        article = _nearest(
            place,
            Article.objects.select_related("organization").filter(
                status="published",
                audience=audience,
                **({"organization__kind": "committee"} if audience == "subtree" else {}),
            ),
            "organization__path",
        )
        assert article is not None
        item = NewsAttachment(article=article, name="样例.pdf", size=9, content_type="application/pdf")
        item.file.save("sample.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        return {"article_id": article.pk, "attachment_id": item.pk}, article.organization.path

    return resolve


# URL name -> the keywords it needs that must belong together (a leave of *that* meeting).
TOGETHER: dict[str, Callable[[Place], tuple[dict[str, Any], str]]] = {
    "orglife:leave_decide": _leave,
    "orglife:attachment": _meeting_attachment,
    "learning:result": _enrolment,
    "learning:unenrol": _enrolment,
    "learning:step": _enrolment,
    "recruitment:resubmit": _returned_record,
    "recruitment:document_add": _case_and_record,
    "recruitment:document": _step_document,
    "learning:import_commit": _class_import,
    "exams:import_commit": _bank_import,
    "appraisal:handling": _appraisal_participant,
    "insights:assessment_target": _assessment_target,
    "news:attachment": _news_attachment("subtree"),
    "news:attachment_remove": _news_attachment("subtree"),
    "news:public_attachment": _news_attachment("public"),
    "api:news_attachment": _news_attachment("subtree"),
}


def _org_query(place: Place) -> tuple[dict[str, Any], str]:
    return {"org": place.branch.pk}, place.branch.path


def _cell_query(place: Place) -> tuple[dict[str, Any], str]:
    return {"org": place.branch.pk, "month": "2026-09"}, place.branch.path


def _at_school(place: Place) -> tuple[dict[str, Any], str]:
    return {}, _school(place).org_path


# URL name -> query parameters it needs (sent as the query string, and as the form on a POST).
QUERIES: dict[str, Callable[[Place], tuple[dict[str, Any], str]]] = {
    "orglife:meeting_new": _org_query,
    "orglife:plan_new": _org_query,
    "orglife:plan_copy": _org_query,
    "orglife:stats_cell": _cell_query,
    "orglife:stats_remind": _cell_query,
    "dues:generate_bills": _at_school,
    "recruitment:holidays": _at_school,
}


def resolve(
    url_name: str, keywords: list[str], place: Place, cache: dict[str, Sample]
) -> tuple[dict[str, Any], str]:
    """The URL's keyword values and the organization path its object lies in."""
    if url_name in TOGETHER:
        return TOGETHER[url_name](place)
    kwargs: dict[str, Any] = {}
    org_path = ""
    for keyword in keywords:
        key = f"{url_name}.{keyword}" if f"{url_name}.{keyword}" in RESOLVERS else keyword
        if key not in cache:
            if key not in RESOLVERS:
                raise LookupError(
                    f"no sample for <{keyword}> of {url_name}: add one to tests/access/samples.py"
                )
            cache[key] = RESOLVERS[key](place)
        kwargs[keyword] = cache[key].value
        org_path = cache[key].org_path or org_path
    return kwargs, org_path


def owner_of(url_name: str, keywords: list[str], cache: dict[str, Sample]) -> str:
    for keyword in keywords:
        key = f"{url_name}.{keyword}" if f"{url_name}.{keyword}" in cache else keyword
        if key in cache and cache[key].owner:
            return cache[key].owner
    return ""


def _fellow_id(place: Place) -> int:
    return int(_fellow(place).value)


# JSON bodies for the API's writes: valid in shape, so the refusal (or not) comes from the rule, not from
# the schema. Values need not make the action succeed.
API_BODIES: dict[str, Callable[[Place], dict[str, Any]]] = {
    "api:create_token": lambda p: {"username": "college_organizer", "password": "demo12345"},
    "api:create_person": lambda p: {
        "name": "样例人员",
        "gender": "male",
        "birth_date": "2000-01-01",
        "person_type": "student",
        "organization_id": p.branch.pk,
    },
    "api:update_person": lambda p: {"phone": "13800000000"},
    "api:admit_member": lambda p: {
        "person_id": _fellow_id(p),
        "organization_id": p.branch.pk,
        "membership_type": "probationary",
        "joined_on": "2026-07-01",
    },
    "api:change_standing": lambda p: {
        "expected_status": "normal",
        "standing": "flowing",
        "since": "2026-01-01",
    },
    "api:start_transfer": lambda p: {"person_id": _fellow_id(p), "kind": "out_province", "reason": "样例"},
    "api:approve": lambda p: {"expected_status": "x", "code": "x", "done_on": "2026-01-01"},
    "api:withdraw": lambda p: {"expected_status": "x", "code": "x", "done_on": "2026-01-01"},
    "api:reject": lambda p: {"expected_status": "x", "reason": "样例"},
    "api:accept": lambda p: {"expected_status": "x", "branch_id": p.branch.pk},
    "api:complete": lambda p: {"expected_status": "x", "receipt_on": "2026-01-01"},
    "api:record_step": lambda p: {"expected_status": "x", "code": "01", "done_on": "2026-01-01"},
    "api:check_in": lambda p: {"token": "not-a-valid-token"},
    "api:lesson_progress": lambda p: {"percent": 10},
    "api:save_answers": lambda p: {"answers": []},
    "api:submit_request": lambda p: {
        "kind": "long_leave",
        "details": {"start_on": "2026-12-07", "end_on": "2027-01-31", "reason": "样例"},
    },
    "api:mailbox_write": lambda p: {
        "organization_id": p.branch.pk,
        "category": "advice",
        "subject": "样例",
        "body": "样例",
    },
    "api:receipt_scan": lambda p: {
        "expected_status": "x",
        "scan": ContentFile(b"%PDF-1.4 sample", name="scan.pdf"),
    },
}
