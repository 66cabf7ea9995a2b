"""Credit the study hours of 党课 and 集中学习 archived before the ledger counted them (or after the school
changed which kinds count): ``manage.py study_hours_backfill --since 2026-01-01``. Safe to run again:
each meeting's batch is kept in step, so a meeting already counted writes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from dangjian.orglife.meetings.study import tell_study
from dangjian.orglife.models import Meeting, MeetingStatus
from dangjian.policy import get_policy

CHUNK = 2000


class Command(BaseCommand):
    help = "Send the archived 党课 and 集中学习 since a date to the study-hour ledger (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", required=True, help="first meeting date, YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            since = date.fromisoformat(options["since"])
        except ValueError:
            raise CommandError("--since 应为 YYYY-MM-DD 格式的日期") from None
        ids = list(
            Meeting.objects.filter(
                date__gte=since, status=MeetingStatus.CLOSED, kind__in=get_policy().study_orglife_kinds
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(ids), CHUNK):
            with transaction.atomic():
                tell_study(None, list(Meeting.objects.filter(pk__in=ids[start : start + CHUNK])))
        self.stdout.write(f"{len(ids)} meetings sent to the study-hour ledger")
