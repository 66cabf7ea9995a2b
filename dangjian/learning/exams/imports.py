"""An organization's question bank from Excel: one question a row (题型, 专题, 难度, 题干, 选项 A–F, 答案,
解析). A dry run first (row by row, nothing written, each refusal in Chinese), then all rows or none. A
row whose 题干 is already in the bank updates that question. The pages and the job are the one import
flow of ``spreadsheets``; the kind is declared in ``contributions.py``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from dangjian.accounts.requests import scope_of
from dangjian.accounts.roles import Permission
from dangjian.accounts.scope import resolve_scope
from dangjian.core.models import Organization
from dangjian.hooks import ImportSubject
from dangjian.kit.errors import DomainError
from dangjian.learning.exams import rules, services
from dangjian.learning.exams.models import Question, QuestionKind, QuestionTopic
from dangjian.spreadsheets.spec import Column, ImportSpec, ScopedContext

JOB_KIND = "question_import"  # the kind of its jobs, stored on them: never renamed
OPTION_KEYS = ("option_a", "option_b", "option_c", "option_d", "option_e", "option_f")


@dataclass
class BankContext(ScopedContext):
    organization: Organization = field(default=None)  # type: ignore[assignment]
    existing: dict[str, Question] = field(default_factory=dict)


def _prefetch(rows: list[dict[str, Any]], ctx: BankContext) -> None:
    texts = [str(r.get("text") or "").strip() for r in rows]
    ctx.existing = {
        q.text: q
        for q in Question.objects.filter(organization=ctx.organization, text__in=texts, is_active=True)
    }


def _validate(values: dict[str, Any], ctx: BankContext) -> dict[str, str]:
    if not ctx.scope.covers(Permission.MANAGE_TRAINING, ctx.organization.path):
        return {"text": _("您不能管理“%(o)s”的题库") % {"o": ctx.organization.name}}
    kind = values.get("kind") or ""
    try:
        difficulty = int(str(values.get("difficulty") or "1").strip())
    except ValueError:
        return {"difficulty": _("难度应为 1、2 或 3")}
    answer = rules.parse_answer(kind, str(values.get("answer") or ""))
    if answer is None:
        return {
            "answer": _("无法识别答案“%(a)s”：选择题填字母，判断题填“正确”或“错误”")
            % {"a": values.get("answer")}
        }
    options = [str(values.get(k) or "").strip() for k in OPTION_KEYS]
    while options and not options[-1]:
        options.pop()
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) and "" in options:
        return {"option_a": _("选项应从 A 起依次填写，中间不能空缺")}
    try:
        values["option_list"], values["answer_list"] = services.clean_question(
            kind=kind,
            topic=values.get("topic") or "",
            difficulty=difficulty,
            text=str(values.get("text") or ""),
            options=options,
            answer=answer,
        )
    except DomainError as exc:
        return {exc.field or "text": exc.message}
    values["difficulty_value"] = difficulty
    values["text"] = str(values.get("text") or "").strip()
    return {}


def _find(values: dict[str, Any], ctx: BankContext) -> tuple[Question | None, str]:
    return ctx.existing.get(values["text"]), ""


def _fields(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": values["kind"],
        "topic": values["topic"],
        "difficulty": values["difficulty_value"],
        "text": values["text"],
        "options": values["option_list"],
        "answer": values["answer_list"],
        "explanation": str(values.get("explanation") or "").strip(),
    }


def _unchanged(values: dict[str, Any], existing: Question) -> bool:
    return all(getattr(existing, k) == v for k, v in _fields(values).items())


def _apply(values: dict[str, Any], existing: Question | None, ctx: BankContext) -> Question:
    if existing is not None:
        return services.question_update(
            actor=ctx.actor, scope=ctx.scope, question=existing, **_fields(values)
        )
    return services.question_create(
        actor=ctx.actor, scope=ctx.scope, organization=ctx.organization, **_fields(values)
    )


QUESTIONS = ImportSpec(
    name="题库",
    columns=(
        Column(
            "kind",
            "题型",
            required=True,
            kind="choice",
            choices={str(label): value for value, label in QuestionKind.choices},
            example="单选题",
        ),
        Column(
            "topic",
            "专题",
            required=True,
            kind="choice",
            choices={str(label): value for value, label in QuestionTopic.choices},
            example="党章党规",
        ),
        Column("difficulty", "难度", example="1", help="1 易、2 中、3 难；不填为 1"),
        Column("text", "题干", required=True, example="党的最高领导机关是？"),
        Column("option_a", "选项A", example="党的全国代表大会和它所产生的中央委员会"),
        Column("option_b", "选项B", example="中央政治局"),
        Column("option_c", "选项C", example="中央纪律检查委员会"),
        Column("option_d", "选项D", example="中央书记处"),
        Column("option_e", "选项E"),
        Column("option_f", "选项F"),
        Column(
            "answer",
            "答案",
            required=True,
            example="A",
            help="选择题填字母(多选如 ACD)；判断题填正确或错误；填空题多个答案用|分隔",
        ),
        Column("explanation", "解析", example="见《中国共产党章程》第十条"),
    ),
    natural_key="text",
    validate=_validate,  # type: ignore[arg-type]
    find=_find,  # type: ignore[arg-type]
    unchanged=_unchanged,
    apply=_apply,  # type: ignore[arg-type]
    prefetch=_prefetch,  # type: ignore[arg-type]
    instructions=(
        "每行一道题：单选题、多选题至少填两个选项并指定答案；判断题和填空题不填选项。",
        "题干与题库中在用试题相同的行更新该题；确认导入时全部行一起写入，任何一行出错都不会写入任何数据。",
    ),
)


def context(user: Any, params: dict[str, Any]) -> BankContext:
    organization = Organization.objects.get(pk=params["org_id"])
    return BankContext(actor=user, scope=resolve_scope(user), organization=organization)


def subject(request: HttpRequest, org_id: Any) -> ImportSubject:
    """The organization whose bank is imported: one where the user manages training (else 404)."""
    try:
        org = Organization.objects.filter(scope_of(request).q(Permission.MANAGE_TRAINING)).get(pk=int(org_id))
    except (Organization.DoesNotExist, TypeError, ValueError):
        raise Http404 from None
    return ImportSubject(
        name=org.name,
        title=_("导入题库：%(n)s") % {"n": org.name},
        back_url=reverse("exams:bank"),
        back_label=_("题库"),
        org_path=org.path,
    )


def may_import(request: HttpRequest) -> bool:
    return scope_of(request).has(Permission.MANAGE_TRAINING)
