"""The paper rules without a database: the draw (reproducible from its seed, never more than the bank
holds, no question twice, options a permutation), the grading table per type, answers as typed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dangjian.kit.errors import RuleViolation
from dangjian.learning.exams import rules
from dangjian.learning.exams.rules import BankQuestion, PaperRule

KINDS = ["single", "multiple", "true_false", "fill"]
TOPICS = ["charter", "history", "theory"]

banks = st.lists(
    st.tuples(st.sampled_from(KINDS), st.sampled_from(TOPICS), st.integers(2, 6)), min_size=0, max_size=40
).map(
    lambda items: [
        BankQuestion(n + 1, kind, topic, 0 if kind == "fill" else 2 if kind == "true_false" else opts)
        for n, (kind, topic, opts) in enumerate(items)
    ]
)
paper_rules = st.lists(
    st.builds(
        PaperRule,
        st.sampled_from(KINDS),
        st.sampled_from(["", *TOPICS]),
        st.integers(1, 8),
        st.just(Decimal("2")),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(bank=banks, paper=paper_rules, seed=st.integers(0, 2**62))
def test_a_draw_is_reproducible_bounded_and_has_no_duplicates(bank, paper, seed) -> None:
    if rules.rule_shortfalls(bank, paper):
        with pytest.raises(RuleViolation):
            rules.draw(bank, paper, seed)
        return
    drawn = rules.draw(bank, paper, seed)
    assert drawn == rules.draw(list(reversed(bank)), paper, seed)  # the bank's order does not matter
    ids = [d.question_id for d in drawn]
    assert len(ids) == len(set(ids)) == sum(r.count for r in paper) <= len(bank)
    by_id = {q.id: q for q in bank}
    for rule_, start in zip(paper, [sum(r.count for r in paper[:i]) for i in range(len(paper))], strict=True):
        for d in drawn[start : start + rule_.count]:
            assert rule_.matches(by_id[d.question_id])
            assert sorted(d.order) == list(range(by_id[d.question_id].options))


def test_different_seeds_give_different_papers_and_shuffled_options() -> None:
    bank = [BankQuestion(n, "single", "charter", 4) for n in range(1, 41)]
    paper = [PaperRule("single", "", 10, Decimal("1"))]
    papers = {tuple(d.question_id for d in rules.draw(bank, paper, seed)) for seed in range(20)}
    orders = {d.order for seed in range(20) for d in rules.draw(bank, paper, seed)}
    assert len(papers) > 15 and len(orders) > 10


def test_true_false_options_keep_their_order() -> None:
    bank = [BankQuestion(n, "true_false", "charter", 2) for n in range(1, 6)]
    assert {d.order for d in rules.draw(bank, [PaperRule("true_false", "", 5, Decimal("1"))], 7)} == {(0, 1)}


def test_a_rule_asking_for_more_than_the_bank_holds_is_named() -> None:
    bank = [BankQuestion(1, "single", "charter", 4), BankQuestion(2, "single", "history", 4)]
    paper = [PaperRule("single", "", 1, Decimal("1")), PaperRule("single", "history", 2, Decimal("1"))]
    assert rules.rule_shortfalls(bank, paper) == [
        "第 2 条组卷规则需要 2 道题，题库中符合条件的在用试题只有 1 道"
    ]


@pytest.mark.parametrize(
    ("kind", "answer", "response", "right"),
    [
        ("single", [2], [2], True),
        ("single", [2], [1], False),
        ("single", [2], [2, 1], False),
        ("single", [2], None, False),
        ("single", [2], [], False),
        # 多选题: all or nothing
        ("multiple", [0, 2], [0, 2], True),
        ("multiple", [0, 2], [2, 0], True),
        ("multiple", [0, 2], [0], False),
        ("multiple", [0, 2], [0, 1, 2], False),
        ("multiple", [0, 2], [0, 0, 2], False),
        ("true_false", [0], [0], True),
        ("true_false", [0], [1], False),
        ("fill", ["共产主义"], "共产主义", True),
        ("fill", ["共产主义"], "  共产主义 ", True),
        ("fill", ["Communism"], "ＣＯＭＭＵＮＩＳＭ", True),  # full-width, other case
        ("fill", ["马克思 列宁主义"], "马克思　　列宁主义", True),  # full-width spaces, repeated
        ("fill", ["两", "2"], "２", True),
        ("fill", ["共产主义"], "社会主义", False),
        ("fill", ["共产主义"], "", False),
        ("fill", ["共产主义"], None, False),
    ],
)
def test_grading_table(kind, answer, response, right) -> None:
    assert rules.is_correct(kind, answer, response) is right


@pytest.mark.parametrize(
    ("kind", "options", "answer", "field", "message"),
    [
        ("single", ["甲"], [0], "options", "选择题至少需要两个选项"),
        ("multiple", ["甲", "乙"], [], "answer", "请指定正确答案"),
        ("single", ["甲", "乙", "丙"], [0, 1], "answer", "单选题只能有一个正确答案"),
        ("single", ["甲", "乙"], [3], "answer", "正确答案应为已填写的选项"),
        ("fill", [], ["  "], "answer", "填空题至少需要一个参考答案"),
        ("true_false", [], [], "answer", "判断题请选择“正确”或“错误”"),
    ],
)
def test_bad_questions_are_refused_with_a_reason(kind, options, answer, field, message) -> None:
    assert rules.question_errors(kind, options, answer) == {field: message}


@pytest.mark.parametrize(
    ("kind", "raw", "parsed"),
    [
        ("single", "B", [1]),
        ("multiple", "a,c、D", [0, 2, 3]),
        ("multiple", "ＡＣ", [0, 2]),
        ("single", "Z", None),
        ("true_false", "正确", [0]),
        ("true_false", "错", [1]),
        ("true_false", "也许", None),
        ("fill", "两| 2 |二", ["两", "2", "二"]),
    ],
)
def test_answers_as_typed(kind, raw, parsed) -> None:
    assert rules.parse_answer(kind, raw) == parsed
    if parsed:
        assert rules.parse_answer(kind, rules.answer_text(kind, parsed)) == parsed


@pytest.mark.parametrize(
    ("kind", "response", "ok"),
    [
        ("single", [1], True),
        ("single", [1, 2], False),
        ("single", [4], False),
        ("single", [True], False),
        ("multiple", [0, 3], True),
        ("multiple", [0, 0], False),
        ("fill", "x" * 200, True),
        ("fill", "x" * 201, False),
        ("fill", [1], False),
        ("single", None, True),
    ],
)
def test_responses_are_checked_before_they_are_saved(kind, response, ok) -> None:
    assert (rules.response_error(kind, 4, response) == "") is ok


def test_pass_mark_boundary() -> None:
    assert rules.passed(Decimal("60"), Decimal("100"), 60)
    assert not rules.passed(Decimal("59.5"), Decimal("100"), 60)
    assert rules.percent(Decimal("1"), Decimal("3")) == Decimal("33.3")


def test_an_any_topic_rule_never_takes_what_a_topic_rule_needs() -> None:
    bank = [BankQuestion(1, "single", "history", 4), BankQuestion(2, "single", "charter", 4)]
    paper = [PaperRule("single", "", 1, Decimal("1")), PaperRule("single", "charter", 1, Decimal("1"))]
    for seed in range(30):
        drawn = rules.draw(bank, paper, seed)
        assert [d.question_id for d in drawn] == [1, 2]  # the paper keeps the rules' order
