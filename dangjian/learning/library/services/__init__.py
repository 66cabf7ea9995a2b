"""Writes of the 学习库, by what they change: materials uploaded and published by organizers
(MANAGE_TRAINING where they publish), courses and their lessons, a reader's progress — which, when the
last lesson is done (and the quiz passed where there is one), completes the course and credits its hours
once in the ledger — and study plans. Every change is audited in its transaction.

Callers use ``from dangjian.learning.library import services`` and ``services.<verb>``; the files hold
the code."""

from dangjian.learning.library.services._common import may_publish
from dangjian.learning.library.services.courses import (
    MAX_COURSE_HOURS,
    MAX_LESSON_HOURS,
    course_create,
    course_publish,
    course_update,
    lesson_add,
    lesson_move,
    lesson_remove,
)
from dangjian.learning.library.services.materials import (
    EXTENSIONS,
    material_create,
    material_publish,
    material_update,
    max_bytes,
)
from dangjian.learning.library.services.plans import PLAN_STATUSES, plan_create, plan_reminders_send
from dangjian.learning.library.services.progress import (
    course_complete,
    course_quiz_passed,
    courses_after_quiz,
    progress_report,
)

__all__ = [
    "EXTENSIONS",
    "MAX_COURSE_HOURS",
    "MAX_LESSON_HOURS",
    "PLAN_STATUSES",
    "course_complete",
    "course_create",
    "course_publish",
    "course_quiz_passed",
    "course_update",
    "courses_after_quiz",
    "lesson_add",
    "lesson_move",
    "lesson_remove",
    "material_create",
    "material_publish",
    "material_update",
    "max_bytes",
    "may_publish",
    "plan_create",
    "plan_reminders_send",
    "progress_report",
]
