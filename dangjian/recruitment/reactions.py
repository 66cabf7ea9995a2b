"""How 发展党员 reacts to what happens elsewhere (domain events, connected in ``contributions.py``).

Each reaction goes through this module's own services, so it is checked and audited like a click.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.accounts.scope import Scope
from dangjian.core.models import Organization, Person
from dangjian.hooks.events import TrainingPass, TrainingReaction
from dangjian.kit.errors import DomainError
from dangjian.recruitment import services
from dangjian.recruitment.selectors import open_cases_of

TRAINING_STEP = "training"  # step 11 “开展集中培训”


def on_membership_moved(
    sender: Any, *, actor: Any, person: Person, to_branch: Organization, on: date, **kwargs: Any
) -> None:
    """An open case (e.g. a probationer's) follows the member to the new branch; its dates stay. As the
    platform itself (``Scope.system()``): core checked the move, which may cross colleges."""
    services.case_follow_member(actor=actor, scope=Scope.system(), person=person, branch=to_branch, on=on)


def on_training_passed(
    sender: Any, *, actor: Any, scope: Scope, passes: list[TrainingPass], today: date, **kwargs: Any
) -> dict[int, TrainingReaction]:
    """Step 11 on each passed development target's open case, each in its own savepoint, with the scope
    of whoever closed the class (step 11 is the committee above's: a class organizer outside it records
    nothing, and the class page says why per person)."""
    cases = open_cases_of([p.person_id for p in passes], step_done=TRAINING_STEP)
    reactions: dict[int, TrainingReaction] = {}
    for passed in passes:
        case = cases.get(passed.person_id)
        if case is None:
            continue
        if case.step_done:  # type: ignore[attr-defined]
            reactions[passed.person_id] = TrainingReaction("already")
            continue
        try:
            with transaction.atomic():
                services.step_record(
                    actor=actor,
                    case=case,
                    code=TRAINING_STEP,
                    done_on=passed.done_on,
                    data=passed.data(),
                    resolution=passed.resolution,
                    today=today,
                    scope=scope,
                )
        except (DomainError, ValidationError) as exc:
            message = exc.message if isinstance(exc, DomainError) else "；".join(exc.messages)
            reactions[passed.person_id] = TrainingReaction("refused", str(message))
        else:
            reactions[passed.person_id] = TrainingReaction("recorded")
    return reactions
