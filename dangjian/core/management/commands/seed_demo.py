"""manage.py seed_demo --size small|university [--seed N] [--if-empty]: the fictional 示范大学."""

from __future__ import annotations

import time
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Model

from dangjian import hooks
from dangjian.core.demo.generator import SIZES, generate
from dangjian.core.models import Organization, OrgCounts
from dangjian.core.services.counters import counters_rebuild
from dangjian.hooks.seeding import seeding_order
from dangjian.kit.planner import analyze


def project_models() -> list[type[Model]]:
    """Every table of the platform's own apps (history and many-to-many tables included)."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model.__module__.startswith("dangjian.") and model._meta.managed and not model._meta.proxy
    ]


class Command(BaseCommand):
    help = "Load the demo university 示范大学 (fictional people with valid fictional ID numbers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--size", choices=[*sorted(SIZES), "province"], default="small")
        parser.add_argument(
            "--seed", type=int, default=2026, help="random seed: the same seed gives the same data"
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="province: processes encrypting ID numbers (default: the CPU count)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing when organizations already exist"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Organization.objects.exists() and options["size"] != "province":  # province resumes by stage
            if options["if_empty"]:
                self.stdout.write(
                    "数据库中已有数据，跳过演示数据加载。 (database not empty: demo data not loaded)"
                )
                return
            raise CommandError("数据库中已有党组织数据，演示数据只能加载到空数据库。 (database is not empty)")
        start = time.perf_counter()
        if options["size"] == "province":
            from dangjian.core.demo.province import generate as generate_province

            try:
                counts = generate_province(log=self.stdout.write, workers=options["workers"])
            except RuntimeError as exc:
                raise CommandError(str(exc)) from None
        else:
            counts = generate(size=options["size"], seed=options["seed"])
            self._stage("core", start)
            for seeder in seeding_order(hooks.seeders.all()):  # every module's demo, in the order they need
                began = time.perf_counter()
                counts.update(seeder.seed(options["seed"]))
                self._stage(seeder.name, began)
        # The seeds write people and memberships in bulk (the province one in SQL): count them once.
        began = time.perf_counter()
        counts["counter rows"] = counters_rebuild()
        self._stage("counters", began)
        # Statistics for the first pages' plans, not guesses (the province seed analysed its own tables).
        began = time.perf_counter()
        analyze(*(project_models() if options["size"] != "province" else [OrgCounts]))  # at once
        self._stage("analyze", began)
        elapsed = time.perf_counter() - start
        summary = ", ".join(f"{k} {v}" for k, v in counts.items())
        self.stdout.write(
            self.style.SUCCESS(f"示范大学 ({options['size']}) loaded in {elapsed:.1f} s: {summary}")
        )

    def _stage(self, name: str, began: float) -> None:
        """One line per stage, so a slow seeder names itself."""
        self.stdout.write(f"  {name}: {time.perf_counter() - began:.1f} s")
