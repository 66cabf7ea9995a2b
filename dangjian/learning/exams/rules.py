"""The rules of a paper, as pure functions of plain values: what a valid question is, drawing a paper
from a bank by the quiz's rules (reproducible from a seed), and grading a response.

Grading table (DOMAIN.md §6; the common rule of Party-knowledge exams):

=========  ==========================================================================
单选题      right only when the one chosen option is the right one
多选题      all or nothing: right only when exactly the right options are chosen (a missing
           or an extra option scores zero — no partial credit)
判断题      right only when the chosen answer (正确/错误) is the right one
填空题      right when the text matches one accepted answer after normalising: full-width to
           half-width (NFKC), surrounding and repeated spaces, upper/lower case
=========  ==========================================================================
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from dangjian.kit.errors import RuleViolation

SINGLE, MULTIPLE, TRUE_FALSE, FILL = "single", "multiple", "true_false", "fill"
CHOICE_KINDS = (SINGLE, MULTIPLE, TRUE_FALSE)
TRUE_FALSE_OPTIONS = ("正确", "错误")
MAX_OPTIONS = 8


@dataclass(frozen=True)
class BankQuestion:
    """What the draw needs of a question."""

    id: int
    kind: str
    topic: str
    options: int  # how many options (0 for a 填空题)


@dataclass(frozen=True)
class PaperRule:
    kind: str
    topic: str  # "" for any topic
    count: int
    points: Decimal

    def matches(self, q: BankQuestion) -> bool:
        return q.kind == self.kind and (not self.topic or q.topic == self.topic)


@dataclass(frozen=True)
class Drawn:
    """A question of the paper: ``order`` lists the question's option indexes as shown."""

    question_id: int
    points: Decimal
    order: tuple[int, ...]


def normalise(text: Any) -> str:
    """Full-width to half-width, spaces trimmed and collapsed, case folded."""
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).split()).casefold()


def question_errors(kind: str, options: Sequence[str], answer: Sequence[Any]) -> dict[str, str]:
    """Why a question cannot be saved, by field ({} when it can)."""
    errors: dict[str, str] = {}
    if kind == FILL:
        if not [a for a in answer if normalise(a)]:
            errors["answer"] = _("填空题至少需要一个参考答案")
        return errors
    if kind == TRUE_FALSE:
        if list(answer) not in ([0], [1]):
            errors["answer"] = _("判断题请选择“正确”或“错误”")
        return errors
    if kind not in (SINGLE, MULTIPLE):
        return {"kind": _("请选择题型")}
    filled = [o for o in options if str(o).strip()]
    if len(filled) < 2:
        errors["options"] = _("选择题至少需要两个选项")
    elif len(filled) > MAX_OPTIONS:
        errors["options"] = _("选择题最多 %(n)s 个选项") % {"n": MAX_OPTIONS}
    elif len({normalise(o) for o in filled}) < len(filled):
        errors["options"] = _("选项不能重复")
    right = list(answer)
    if not right:
        errors["answer"] = _("请指定正确答案")
    elif any(not isinstance(i, int) or not 0 <= i < len(filled) for i in right):
        errors["answer"] = _("正确答案应为已填写的选项")
    elif kind == SINGLE and len(right) > 1:
        errors["answer"] = _("单选题只能有一个正确答案")
    elif len(set(right)) < len(right):
        errors["answer"] = _("正确答案不能重复")
    return errors


def _filling_order(rules: Sequence[PaperRule]) -> list[int]:
    """Rules naming a topic take their questions before the “any topic” rules of the same type take
    from what is left: so whether a paper can be filled never depends on the random choices."""
    return sorted(range(len(rules)), key=lambda i: (rules[i].topic == "", i))


def rule_shortfalls(bank: Iterable[BankQuestion], rules: Sequence[PaperRule]) -> list[str]:
    """The rules the bank cannot fill, in the rules' order."""
    pool = sorted(bank, key=lambda q: q.id)
    taken: set[int] = set()
    short: dict[int, str] = {}
    for i in _filling_order(rules):
        rule = rules[i]
        matching = [q.id for q in pool if q.id not in taken and rule.matches(q)]
        if rule.count > len(matching):
            short[i] = _("第 %(n)s 条组卷规则需要 %(c)s 道题，题库中符合条件的在用试题只有 %(h)s 道") % {
                "n": i + 1,
                "c": rule.count,
                "h": len(matching),
            }
        taken.update(matching[: rule.count])
    return [short[i] for i in sorted(short)]


def draw(bank: Iterable[BankQuestion], rules: Sequence[PaperRule], seed: int) -> list[Drawn]:
    """The paper for ``seed``: each rule's questions at random among the matching ones not yet taken,
    options shuffled per question (判断题 keep 正确, 错误). The same bank, rules and seed give the same
    paper; a rule the bank cannot fill is refused."""
    shortfalls = rule_shortfalls(bank := list(bank), rules)
    if shortfalls:
        raise RuleViolation(shortfalls[0], code="bank_too_small")
    rng = random.Random(seed)
    pool = sorted(bank, key=lambda q: q.id)
    taken: set[int] = set()
    parts: dict[int, list[Drawn]] = {}
    for i in _filling_order(rules):
        rule = rules[i]
        matching = [q for q in pool if q.id not in taken and rule.matches(q)]
        parts[i] = []
        for q in rng.sample(matching, rule.count):
            taken.add(q.id)
            order = list(range(q.options))
            if q.kind != TRUE_FALSE:
                rng.shuffle(order)
            parts[i].append(Drawn(q.id, rule.points, tuple(order)))
    return [d for i in range(len(rules)) for d in parts[i]]


def shown_answer(kind: str, answer: Sequence[Any], order: Sequence[int]) -> list[Any]:
    """The right answer in the attempt's option order (positions as shown)."""
    if kind == FILL:
        return list(answer)
    return sorted(order.index(i) for i in answer)


def is_correct(kind: str, answer: Sequence[Any], response: Any) -> bool:
    """Whether a response is right (the table above); no response is wrong."""
    if response is None:
        return False
    if kind == FILL:
        given = normalise(response)
        return bool(given) and given in {normalise(a) for a in answer}
    if not isinstance(response, list) or any(not isinstance(i, int) for i in response):
        return False
    if kind in (SINGLE, TRUE_FALSE):
        return len(response) == 1 and [response[0]] == list(answer)
    return sorted(set(response)) == sorted(answer) and len(set(response)) == len(response)


def percent(score: Decimal, total: Decimal) -> Decimal:
    if total <= 0:
        return Decimal("0")
    return (score * 100 / total).quantize(Decimal("0.1"))


def passed(score: Decimal, total: Decimal, pass_mark: int) -> bool:
    return total > 0 and score * 100 >= total * pass_mark


MAX_FILL_LENGTH = 200


def response_error(kind: str, options: int, response: Any) -> str:
    """Why a response cannot be saved for a question of ``kind`` ("" when it can; ``None`` clears)."""
    if response is None:
        return ""
    if kind == FILL:
        if not isinstance(response, str) or len(response) > MAX_FILL_LENGTH:
            return _("填空题的答案应为不超过 %(n)s 个字的文字") % {"n": MAX_FILL_LENGTH}
        return ""
    if not isinstance(response, list) or any(
        isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < options for i in response
    ):
        return _("请从题目给出的选项中选择")
    if kind != MULTIPLE and len(response) > 1:
        return _("该题只能选择一个答案")
    if len(set(response)) < len(response):
        return _("选项不能重复选择")
    return ""


LETTERS = "ABCDEFGH"
TRUE_WORDS = {"正确", "对", "是", "√", "t", "true", "y"}
FALSE_WORDS = {"错误", "错", "否", "×", "f", "false", "n"}


def parse_answer(kind: str, raw: str) -> list[Any] | None:
    """The answer as typed on a form or in a spreadsheet: letters (“A”, “AC”, “A,C”) for choice
    questions, 正确/错误 for 判断题, accepted answers separated by “|” or new lines for 填空题;
    ``None`` when it cannot be read."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if kind == FILL:
        return [part.strip() for part in text.replace("\n", "|").split("|") if part.strip()]
    if kind == TRUE_FALSE:
        word = text.casefold()
        if word in TRUE_WORDS:
            return [0]
        if word in FALSE_WORDS:
            return [1]
        return None
    letters = [c for c in text.upper() if c not in " ,，、;；"]
    if any(c not in LETTERS for c in letters):
        return None
    return sorted({LETTERS.index(c) for c in letters})


def answer_text(kind: str, answer: Sequence[Any]) -> str:
    """The answer as people write it (the inverse of ``parse_answer``)."""
    if kind == FILL:
        return " | ".join(str(a) for a in answer)
    if kind == TRUE_FALSE:
        return TRUE_FALSE_OPTIONS[answer[0]] if list(answer) in ([0], [1]) else ""
    return "".join(LETTERS[i] for i in answer if isinstance(i, int) and 0 <= i < len(LETTERS))
