"""党员学习's periodic jobs, where the worker's autodiscovery looks (an installed app's ``tasks`` module):
the monthly study reminder, the study plans' reminders and closing quiz attempts past their deadline."""

from dangjian.learning.exams.tasks import close_due_attempts
from dangjian.learning.ledger.tasks import send_study_reminders
from dangjian.learning.library.tasks import send_plan_reminders

__all__ = ["close_due_attempts", "send_plan_reminders", "send_study_reminders"]
