"""Where an audit entry belongs: the evaluation and the region its target is part of.

Entries carry both ids (denormalised) so that an evaluation's or a region's log is one indexed
query. Writers do not pass them: `scope_of` derives them from the target, the way pretix's
`log_action` derives the event, by one path per model in `PATHS`. `audit` stands below the apps
whose models it names, so the table names models by label and follows relations by field name
instead of importing them; `tests/audit/test_scopes.py` walks every path through the models'
metadata and checks that it ends at an Evaluation or a Region. A target missing from the table
is refused loudly (`UnknownAuditTarget`) inside the writer's transaction, so nothing is written
with a guessed scope.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models

# A path of field names from the target, e.g. "item.evaluation"; SELF is the target itself.
SELF = "self"


@dataclass(frozen=True)
class Paths:
    """How to reach a target's evaluation and region; None: the target has none."""

    evaluation: str | None = None
    region: str | None = None


@dataclass(frozen=True)
class Scope:
    evaluation_id: int | None
    region_id: int | None


# Every model an entry may be about. Programme-wide objects (cycles, tokens, FAQ entries, rank
# analyses, the map's boundary files) belong to no region; a person is handled by `_person_region`.
PATHS: dict[str, Paths] = {
    "regions.region": Paths(region=SELF),
    "accounts.rolegrant": Paths(region="region"),
    "evaluations.cycle": Paths(),
    "evaluations.assessorassignment": Paths(region="region"),
    "evaluations.evaluation": Paths(evaluation=SELF, region="region"),
    "evaluations.itemvalue": Paths(evaluation="evaluation", region="evaluation.region"),
    "evidence.evidence": Paths(evaluation="item.evaluation", region="item.evaluation.region"),
    "evidence.fieldvisit": Paths(evaluation="evaluation", region="evaluation.region"),
    "masterplans.masterplan": Paths(region="region"),
    "masterplans.program": Paths(region="masterplan.region"),
    "masterplans.programyear": Paths(region="program.masterplan.region"),
    "reviews.clarificationrequest": Paths(evaluation="evaluation", region="evaluation.region"),
    "reports.assessorreport": Paths(evaluation="evaluation", region="evaluation.region"),
    "reports.recommendation": Paths(evaluation="evaluation", region="evaluation.region"),
    # The evaluation the region reports in (the current one), not the recommendation's own.
    "reports.recommendationfollowup": Paths(evaluation="evaluation", region="evaluation.region"),
    "results.rankanalysis": Paths(),
    "help.question": Paths(evaluation="evaluation", region="region"),
    "help.faqentry": Paths(),
    "help.checklistdismissal": Paths(),
    "api.personalaccesstoken": Paths(),
    "mentoring.visit": Paths(evaluation="evaluation", region="evaluation.region"),
    "discussions.thread": Paths(evaluation="evaluation", region="evaluation.region"),
    "discussions.post": Paths(evaluation="thread.evaluation", region="thread.evaluation.region"),
    "discussions.datarequest": Paths(
        evaluation="thread.evaluation", region="thread.evaluation.region"
    ),
    # The region copied from the practice's evaluation when it was shared.
    "library.goodpractice": Paths(evaluation="evaluation", region="region"),
    "regions.boundaryfile": Paths(),
}


class UnknownAuditTarget(TypeError):
    """An entry about a model whose evaluation and region `PATHS` does not say."""


def person_label() -> str:
    return settings.AUTH_USER_MODEL.lower()


def scope_of(target: models.Model, *, actor: models.Model | None) -> Scope:
    """The evaluation and region an entry about `target`, written by `actor`, belongs to."""
    label = target._meta.label_lower
    if label == person_label():
        return Scope(evaluation_id=None, region_id=_person_region(target, actor))
    paths = PATHS.get(label)
    if paths is None:
        raise UnknownAuditTarget(
            f"audit entries about {label} need a row in cityeval/audit/scopes.py PATHS "
            "(which evaluation and region they belong to)"
        )
    return Scope(
        evaluation_id=follow(target, paths.evaluation), region_id=follow(target, paths.region)
    )


def follow(target: models.Model, path: str | None) -> int | None:
    """The id at the end of `path`; the last step reads the foreign key's id, not the row."""
    if path is None:
        return None
    if path == SELF:
        return int(target.pk)
    *steps, last = path.split(".")
    current: models.Model | None = target
    for step in steps:
        current = getattr(current, step)
        if current is None:
            return None
    assert current is not None
    field = current._meta.get_field(last)
    if not isinstance(field, models.ForeignKey):
        raise UnknownAuditTarget(f"{path}: {last} is not a foreign key of {current._meta.label}")
    value = getattr(current, field.attname)
    return None if value is None else int(value)


def _person_region(person: models.Model, actor: models.Model | None) -> int | None:
    """A person's entries go to the one region all their scoped roles are in (so that region's
    log shows who was invited or deactivated there), unless the person acts on their own
    account: a profile or password change is theirs, not the region's."""
    if actor is not None and getattr(actor, "pk", None) == person.pk:
        return None
    grants = person.grants.exclude(region=None)  # type: ignore[attr-defined]
    regions = set(grants.values_list("region_id", flat=True))
    return regions.pop() if len(regions) == 1 else None
