"""manage.py check_consistency: the denormalised columns agree with their sources; the tree is sound."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F, Q

from dangjian.core.models import Membership, MembershipType, Organization, PoliticalStatus
from dangjian.core.services.counters import counters_repair


def consistency_problems() -> list[str]:
    problems: list[str] = []
    wrong_status = Membership.objects.filter(
        Q(membership_type=MembershipType.FULL) & ~Q(person__political_status=PoliticalStatus.FULL)
        | Q(membership_type=MembershipType.PROBATIONARY)
        & ~Q(person__political_status=PoliticalStatus.PROBATIONARY)
    ).values_list("person_id", flat=True)
    problems += [
        f"person {pk}: political_status disagrees with the membership type" for pk in wrong_status[:100]
    ]
    wrong_org = Membership.objects.exclude(person__organization_id=F("organization_id")).values_list(
        "person_id", flat=True
    )
    problems += [f"person {pk}: organization differs from the membership's branch" for pk in wrong_org[:100]]
    from dangjian.core.models import Person

    orphans = Person.objects.filter(
        political_status__in=[PoliticalStatus.FULL, PoliticalStatus.PROBATIONARY], membership__isnull=True
    ).values_list("pk", flat=True)
    problems += [f"person {pk}: a Party member without a membership record" for pk in orphans[:100]]
    tree = Organization.objects.find_problems()
    labels = ("bad characters", "bad step length", "orphans", "wrong depth", "wrong numchild")
    for label, ids in zip(labels, tree, strict=False):
        if ids:
            problems.append(f"org tree: {label}: {list(ids)[:20]}")
    return problems


class Command(BaseCommand):
    help = (
        "Check that political status, memberships and the org tree agree, and that the counter table "
        "(OrgCounts) matches people and memberships (drift is reported and repaired); exit 1 listing any "
        "problem."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        problems = consistency_problems()
        repaired = counters_repair(actor=None)
        if repaired:  # repaired, but a drift means a writer skipped the counters: say so
            problems.append(f"counters: {len(repaired)} organization(s) drifted, repaired: {repaired[:20]}")
        for line in problems:
            self.stdout.write(line)
        if problems:
            raise CommandError(f"{len(problems)} 个一致性问题 (consistency problems)")
        self.stdout.write(self.style.SUCCESS("数据一致 (consistent)"))
