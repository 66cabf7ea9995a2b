"""Pins for the integrity classes of issue 12, across every module — so the next module cannot bring
them back: export links carry the page's filters, stored files go through the one upload check,
state-changing services take the state the user saw.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from django.apps import apps
from django.db import models

ROOT = Path(__file__).resolve().parent.parent / "dangjian"


def _templates() -> list[Path]:
    return sorted(ROOT.glob("*/templates/**/*.html"))


def test_export_links_carry_the_live_filters() -> None:
    """An export link built by hand drops the page's search and filters (the file ≠ the screen)."""
    hand_built = re.compile(r"""href="\{%\s*url\s+['"][\w:]*export[\w:]*['"]""")
    offenders = [
        f"{path.relative_to(ROOT)}:{n}"
        for path in _templates()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if hand_built.search(line)
    ]
    assert offenders == [], "use {% export_url %} for export links: " + ", ".join(offenders)


def test_every_app_that_stores_files_checks_them_with_the_one_upload_check() -> None:
    """A FileField filled from a user's upload must pass core.uploads.checked_upload (type by content,
    size, empty, name). Job files are the spreadsheets reader's (it calls the same check)."""
    missing = []
    for model in apps.get_models():
        if not model.__module__.startswith("dangjian."):
            continue
        if not any(isinstance(f, models.FileField) for f in model._meta.get_fields()):
            continue
        app_dir = ROOT / model._meta.app_label
        sources = [
            p.read_text()
            for p in app_dir.rglob("*.py")
            if "migrations" not in p.parts and p.name not in ("models.py", "admin.py")
        ]
        if model._meta.app_label == "jobs":
            sources.append((ROOT / "spreadsheets" / "reader.py").read_text())
        if not any("checked_upload" in s for s in sources):
            missing.append(model._meta.label)
    assert missing == []


def _public_functions(path: Path) -> list[ast.FunctionDef]:
    tree = ast.parse(path.read_text())
    return [n for n in tree.body if isinstance(n, ast.FunctionDef) and not n.name.startswith("_")]


# Suffixes of service names that move something from one state to the next.
TRANSITION_SUFFIXES = (
    "_approve",
    "_reject",
    "_return",
    "_resubmit",
    "_confirm",
    "_decide",
    "_close",
    "_submit",
    "_cancel",
    "_withdraw",
    "_accept",
    "_complete",
    "_dissolve",
    "_reverse",
    "_correct",
    "_answer",
    "_notify",
    "_make_full",
    "_extend",
    "_end",
    "_remove",
    "_reissue",
    "_keep",
    "_handle",
    "_change_standing",
    "_start_new_term",
    "_record_step",
    "_set_available",
)

# Transition-shaped names that are not a user acting on a state the page showed — each with why.
NOT_A_USER_TRANSITION = {
    "accounts/services.py:totp_confirm": "the login flow's one-time code, not a record's state",
    "core/services.py:democratic_party_remove": "removing what is already gone is a no-op",
    "dues/services.py:declaration_submit": "a creation, guarded by its idempotency key",
    "dues/services.py:declarations_confirm": "a batch: each row passes its own expected state on",
    "onestop/services.py:request_submit": "a creation, guarded by its idempotency key",
    "jobs/services.py:job_cancel": "cancelling a finished or cancelled job changes nothing",
    "ledger/services.py:topic_person_remove": "removing a person no longer counted is a no-op",
    "library/services.py:course_complete": "the reader's progress completes it; a completion exists once",
    "library/services.py:lesson_remove": "removing a lesson already removed is a no-op",
    "mailbox/services.py:letters_auto_close": "the nightly close: each letter checked again under its lock",
    "news/services.py:subscription_cancel": "unsubscribing twice: the second finds nothing, a no-op",
    "volunteer/services.py:signup_cancel": "a second cancel finds no active sign-up under the lock: refused",
    "volunteer/services.py:signup_correct": "checks the hours the page showed (expected_hours, expect_state)",
}

SERVICE_FILES = ("services.py", "reconciliation.py", "supervision.py", "warnings.py")


def test_every_state_changing_service_takes_the_state_the_user_saw() -> None:
    """A double-click or a retry must not perform the next step: each transition service accepts
    ``expected_status`` and checks it under the row lock (core.transitions.expect_state)."""
    missing = []
    for path in sorted(ROOT.rglob("*.py")):
        # A services package (``library/services/courses.py``) is read file by file like a services.py.
        in_package = path.parent.name == "services" and path.name != "__init__.py"
        if "migrations" in path.parts or (path.name not in SERVICE_FILES and not in_package):
            continue
        for fn in _public_functions(path):
            if not fn.name.endswith(TRANSITION_SUFFIXES):
                continue
            key = f"{path.parent.name}/{path.name}:{fn.name}"
            if in_package:
                key = f"{path.parent.parent.name}/services.py:{fn.name}"
            names = {a.arg for a in fn.args.kwonlyargs + fn.args.args}
            if "expected_status" not in names and key not in NOT_A_USER_TRANSITION:
                missing.append(key)
            elif "expected_status" in names:
                body = "\n".join(ast.unparse(stmt) for stmt in fn.body)
                if "expect_state" not in body and "expected_status" not in body:
                    missing.append(key + " (takes expected_status but ignores it)")
    assert missing == []
