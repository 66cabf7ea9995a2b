"""Every audit action code the code base writes has words (``hooks.audit_actions``).

The codes are collected from the source: every ``action="x.y"`` keyword, and the f-strings that build
one (``f"transfer.{action}"`` from a parameter of the enclosing function, whose callers pass literals;
``f"orglife.plan_{'approve' if … else 'return'}"``). A code this scan cannot resolve fails too, so a
new way of naming actions has to be taught here rather than slip through.
"""

from __future__ import annotations

import ast
from pathlib import Path

import dangjian
from dangjian.audit.vocabulary import Vocabulary

ROOT = Path(dangjian.__file__).parent


def _sources() -> dict[Path, ast.Module]:
    return {
        path: ast.parse(path.read_text(encoding="utf-8"))
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts
    }


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _literals_passed(trees: dict[Path, ast.Module], function: str, position: int, name: str) -> set[str]:
    found: set[str] = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _call_name(node) == function):
                continue
            if position < len(node.args):
                value: ast.expr | None = node.args[position]
            else:
                value = next((k.value for k in node.keywords if k.arg == name), None)
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(value.value)
    return found


def _expand(
    node: ast.expr, trees: dict[Path, ast.Module], parents: dict[ast.AST, ast.AST], where: str
) -> set[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _expand(node.body, trees, parents, where) | _expand(node.orelse, trees, parents, where)
    if isinstance(node, ast.FormattedValue):
        return _expand(node.value, trees, parents, where)
    if isinstance(node, ast.JoinedStr):
        results = {""}
        for part in node.values:
            results = {r + p for r in results for p in _expand(part, trees, parents, where)}
        return results
    if isinstance(node, ast.Name):  # a parameter of the enclosing function: what its callers pass
        scope = parents.get(node)
        while scope is not None and not isinstance(scope, ast.FunctionDef):
            scope = parents.get(scope)
        if scope is not None:
            params = [a.arg for a in scope.args.posonlyargs + scope.args.args]
            if node.id in params:
                passed = _literals_passed(trees, scope.name, params.index(node.id), node.id)
                if passed:
                    return passed
    raise AssertionError(f"{where}: cannot tell which audit action {ast.unparse(node)!r} names")


def written_action_codes() -> dict[str, str]:
    trees = _sources()
    codes: dict[str, str] = {}
    for path, tree in trees.items():
        parents = _parents(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                value = keyword.value
                if keyword.arg != "action" or not isinstance(value, ast.Constant | ast.JoinedStr):
                    continue
                where = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
                for code in _expand(value, trees, parents, where):
                    if "." in code:  # argparse's action="store_true" is no audit action
                        codes.setdefault(code, where)
    return codes


def test_the_scan_finds_the_actions_written_every_way() -> None:
    codes = written_action_codes()
    assert {"orglife.meeting_close", "transfer.approve", "orglife.plan_return", "audit.export"} <= set(codes)
    assert len(codes) > 100


def test_every_audit_action_written_has_words() -> None:
    vocabulary = Vocabulary()
    missing = {code: where for code, where in written_action_codes().items() if not vocabulary.knows(code)}
    assert missing == {}, "audit actions without a label in any contributions (hooks.audit_actions)"


def test_no_code_is_labelled_twice() -> None:
    seen: dict[str, str] = {}
    for group in Vocabulary().groups:
        for code in group.actions:
            assert code not in seen, f"{code} is labelled by {seen[code]} and {group.key}"
            seen[code] = group.key
