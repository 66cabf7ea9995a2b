"""Forms of the question bank and quiz pages; the rules stay in the services and ``exams.rules``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.scope import Scope
from dangjian.kit.state_forms import StateForm
from dangjian.learning.exams import rules
from dangjian.learning.exams.models import QuestionKind, QuestionTopic
from dangjian.learning.exams.selectors import bank_owners_for

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
RULE_ROWS = 4


class OwnerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class QuestionForm(StateForm):
    organization = OwnerChoice(label=_("所属党组织"), queryset=None, empty_label=None)  # type: ignore[arg-type]
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    topic = forms.ChoiceField(label=_("专题"), choices=QuestionTopic.choices)
    difficulty = forms.TypedChoiceField(
        label=_("难度"), choices=[(1, _("易")), (2, _("中")), (3, _("难"))], coerce=int
    )
    text = forms.CharField(label=_("题干"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    options = forms.CharField(
        label=_("选项"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("单选题、多选题每行一个选项(依次为 A、B、C……)；判断题、填空题不填"),
    )
    answer = forms.CharField(
        label=_("答案"),
        max_length=1000,
        help_text=_(
            "选择题填字母，如 A 或 ACD；判断题填“正确”或“错误”；填空题填参考答案，多个可接受答案用“|”分隔"
        ),
    )
    explanation = forms.CharField(
        label=_("解析"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, scope: Scope, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organization"]
        else:
            del self.fields["expected_status"]
            self.fields["organization"].queryset = bank_owners_for(scope)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind", "")
        data["option_list"] = [
            line.strip() for line in (data.get("options") or "").splitlines() if line.strip()
        ]
        parsed = rules.parse_answer(kind, data.get("answer") or "")
        if parsed is None:
            self.add_error("answer", _("无法识别答案：选择题填字母，判断题填“正确”或“错误”"))
        data["answer_list"] = parsed or []
        return data


class QuizForm(StateForm):
    organization = OwnerChoice(label=_("组织单位"), queryset=None, empty_label=None)  # type: ignore[arg-type]
    title = forms.CharField(label=_("测试名称"), max_length=120)
    opens_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("截止时间"), widget=DATETIME)
    time_limit = forms.IntegerField(label=_("答题时限（分钟）"), min_value=1, max_value=600)
    attempt_limit = forms.IntegerField(label=_("可答次数"), min_value=1, max_value=20, initial=1)
    pass_mark = forms.IntegerField(label=_("及格线（%）"), min_value=0, max_value=100, initial=60)

    def __init__(self, *args: Any, scope: Scope, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for n in range(1, RULE_ROWS + 1):
            self.fields[f"rule{n}_kind"] = forms.ChoiceField(
                label=_("规则 %(n)s：题型") % {"n": n},
                choices=[("", _("(不使用)")), *QuestionKind.choices],
                required=n == 1,
            )
            self.fields[f"rule{n}_topic"] = forms.ChoiceField(
                label=_("规则 %(n)s：专题") % {"n": n},
                choices=[("", _("不限专题")), *QuestionTopic.choices],
                required=False,
            )
            self.fields[f"rule{n}_count"] = forms.IntegerField(
                label=_("规则 %(n)s：题数") % {"n": n}, min_value=1, max_value=200, required=False
            )
            self.fields[f"rule{n}_points"] = forms.DecimalField(
                label=_("规则 %(n)s：每题分值") % {"n": n},
                min_value=0,
                max_value=100,
                decimal_places=1,
                required=False,
            )
        if editing:
            del self.fields["organization"]
        else:
            del self.fields["expected_status"]
            self.fields["organization"].queryset = bank_owners_for(scope)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        paper = []
        for n in range(1, RULE_ROWS + 1):
            kind = data.get(f"rule{n}_kind")
            if not kind:
                continue
            count, points = data.get(f"rule{n}_count"), data.get(f"rule{n}_points")
            if count is None:
                self.add_error(f"rule{n}_count", _("请填写题数"))
            if points is None:
                self.add_error(f"rule{n}_points", _("请填写每题分值"))
            paper.append(
                {"kind": kind, "topic": data.get(f"rule{n}_topic") or "", "count": count, "points": points}
            )
        data["paper"] = paper
        return data


def quiz_initial(quiz: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {
        k: getattr(quiz, k)
        for k in ("title", "opens_at", "closes_at", "time_limit", "attempt_limit", "pass_mark")
    }
    for n, rule in enumerate(quiz.rules[:RULE_ROWS], start=1):
        initial.update(
            {
                f"rule{n}_kind": rule["kind"],
                f"rule{n}_topic": rule["topic"],
                f"rule{n}_count": rule["count"],
                f"rule{n}_points": rule["points"],
            }
        )
    initial["expected_status"] = quiz.version
    return initial
