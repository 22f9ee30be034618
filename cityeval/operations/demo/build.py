"""Builds the demonstration data set. Deterministic: the same seed gives the same data."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction

from cityeval.accounts.models import User
from cityeval.evaluations.models import (
    AssessorAssignment,
    Cycle,
    Evaluation,
    EvaluationStatus,
    ItemValue,
    ReviewStatus,
)
from cityeval.frameworks.convert import to_scoring
from cityeval.frameworks.models import FrameworkNode, FrameworkVersion
from cityeval.frameworks.services import import_shipped
from cityeval.masterplans.models import Masterplan
from cityeval.masterplans.shares import program_shares
from cityeval.operations.demo.discussions_demo import create_demo_discussions
from cityeval.operations.demo.evidence_demo import create_demo_evidence
from cityeval.operations.demo.help_demo import create_demo_help
from cityeval.operations.demo.jobs_demo import create_demo_jobs
from cityeval.operations.demo.library_demo import create_demo_library
from cityeval.operations.demo.mentoring_demo import create_demo_visit
from cityeval.operations.demo.opds import OPDS_BY_DIMENSION, create_typical_opds
from cityeval.operations.demo.people import KUKAR, SECOND_REGION, create_demo_people
from cityeval.operations.demo.programs import create_demo_masterplans
from cityeval.operations.demo.reports_demo import create_demo_reports
from cityeval.operations.demo.reviews_demo import create_demo_reviews
from cityeval.operations.demo.values import ItemPair, RegionTrajectory, draw_item, item_difficulty
from cityeval.regions.models import OPD, Region
from cityeval.regions.peers import rebuild_automatic_peer_groups
from cityeval.regions.services import assign_cohort, load_regions
from cityeval.results.models import ResultSnapshot
from cityeval.results.scaled import scaled_values
from cityeval.results.uncertainty import refresh_rank_intervals
from scoring.batch import score_regions

# The program's cohorts: 25 regions in 2017, 50 in 2018, 25 in 2019 (product.md).
COHORT_SIZES = {2017: 25, 2018: 50, 2019: 25}
FIXED_COHORTS = {KUKAR: 2018, SECOND_REGION: 2017}
DEMO_YEARS = [2018, 2019, 2020]
CURRENT_YEAR = 2020
FRAMEWORK_REF = "G100SC@2018"

# How the running cycle's evaluations are spread over the workflow, so every state is visible.
RUNNING_STATUS_SHARES = [
    (EvaluationStatus.SELF_ASSESSMENT, 0.30),
    (EvaluationStatus.SUBMITTED, 0.15),
    (EvaluationStatus.DOCUMENT_REVIEW, 0.15),
    (EvaluationStatus.CLARIFICATION, 0.10),
    (EvaluationStatus.FIELD_VISIT, 0.15),
    (EvaluationStatus.FINALISED, 0.15),
]
REVIEWED_STATES = {
    EvaluationStatus.DOCUMENT_REVIEW,
    EvaluationStatus.CLARIFICATION,
    EvaluationStatus.FIELD_VISIT,
    EvaluationStatus.FINALISED,
    EvaluationStatus.PUBLISHED,
}

Progress = Callable[[str, int], None]


@dataclass(frozen=True)
class DemoSummary:
    regions: int
    program_regions: int
    cycles: int
    evaluations: int
    item_values: int
    snapshots: int
    users: int


def build_demo(*, seed: int = 2017, progress: Progress | None = None) -> DemoSummary:
    step = progress or (lambda label, n: None)
    rng = random.Random(seed)
    with transaction.atomic():
        load_regions(source_dir=settings.NODE_MODULES / "idn-area-data" / "data")
        import_shipped()
        step("regions and frameworks", 1)
        cohorts = _assign_cohorts(rng)
        rebuild_automatic_peer_groups()
        members = list(Region.objects.in_program().order_by("code"))
        for region in members:
            create_typical_opds(region)
        planned = set(Masterplan.objects.values_list("region_id", flat=True))
        create_demo_masterplans([r for r in members if r.pk not in planned], DEMO_YEARS, rng)
        step("cohorts, OPDs and masterplans", 1)
        users = create_demo_people()
        version = FrameworkVersion.objects.get_by_ref(FRAMEWORK_REF)
        indicators = list(
            FrameworkNode.objects.filter(version=version).exclude(kind="group").order_by("sequence")
        )
        difficulty = {node.code: item_difficulty(rng) for node in indicators}
        trajectories = {
            region.code: RegionTrajectory(
                random.Random(f"{seed}:{region.code}"), cohorts[region.code], DEMO_YEARS
            )
            for region in members
        }
        admin = User.objects.get(username="admin")
        values = snapshots = evaluations = 0
        for year in DEMO_YEARS:
            cycle = create_cycle(version, year)
            participants = [r for r in members if cohorts[r.code] <= year]
            statuses = _statuses_for(year, participants, rng)
            created = fill_cycle(
                cycle, participants, statuses, indicators, difficulty, trajectories, rng
            )
            evaluations += len(participants)
            values += created
            _assign_assessors(cycle, participants, users)
            snapshots += finalise_cycle(cycle, admin)
            # What publishing does: the rank intervals of the cycle's published results.
            refresh_rank_intervals(cycle=cycle, user=admin)
            step(f"cycle {year}", 1)
        create_demo_reviews(rng=rng)
        create_demo_reports(rng=rng)
        create_demo_evidence(rng=rng)
        create_demo_help()
        create_demo_visit()
        create_demo_discussions()
        create_demo_library()
        create_demo_jobs()
        step("reviews, reports, evidence, help and the Kutai Kartanegara visit", 1)
    return DemoSummary(
        regions=Region.objects.count(),
        program_regions=len(members),
        cycles=len(DEMO_YEARS),
        evaluations=evaluations,
        item_values=values,
        snapshots=snapshots,
        users=len(users),
    )


def _assign_cohorts(rng: random.Random) -> dict[str, int]:
    codes = sorted(Region.objects.values_list("code", flat=True))
    free = [code for code in codes if code not in FIXED_COHORTS]
    chosen = dict(FIXED_COHORTS)
    pool = rng.sample(free, sum(COHORT_SIZES.values()) - len(FIXED_COHORTS))
    for year, size in COHORT_SIZES.items():
        fixed = sum(1 for y in FIXED_COHORTS.values() if y == year)
        for code in pool[: size - fixed]:
            chosen[code] = year
        pool = pool[size - fixed :]
    for year in COHORT_SIZES:
        assign_cohort(year=year, region_codes=[c for c, y in chosen.items() if y == year])
    return chosen


def create_cycle(version: FrameworkVersion, year: int, *, closed: bool = False) -> Cycle:
    # The running cycle's deadlines lie ahead of the day the demo is built, so that its
    # self-assessment is open; past (or `closed`) cycles keep dates in their own year.
    past = closed or year < CURRENT_YEAR
    start = date(year, 3, 1) if past else date.today() - timedelta(days=30)
    return Cycle.objects.create(
        year=year,
        framework_version=version,
        self_assessment_deadline=start + timedelta(days=60),
        review_deadline=start + timedelta(days=120),
        field_visit_deadline=start + timedelta(days=180),
        finalisation_deadline=start + timedelta(days=240),
    )


# The demo assessors' own regions show one evaluation in each stage of the running cycle, so
# that signing in as asesor.ketua shows work in every state.
TEAM_STAGES = [
    EvaluationStatus.SUBMITTED,
    EvaluationStatus.DOCUMENT_REVIEW,
    EvaluationStatus.CLARIFICATION,
    EvaluationStatus.FIELD_VISIT,
    EvaluationStatus.FINALISED,
]


def team_regions(participants: list[Region]) -> list[Region]:
    """Kutai Kartanegara and nine other regions: the demo assessor team's workload."""
    others = [r for r in participants if r.code != KUKAR]
    return [r for r in participants if r.code == KUKAR] + others[:9]


def _statuses_for(
    year: int, participants: list[Region], rng: random.Random
) -> dict[str, EvaluationStatus]:
    if year < CURRENT_YEAR:
        return {region.code: EvaluationStatus.PUBLISHED for region in participants}
    statuses: dict[str, EvaluationStatus] = {KUKAR: EvaluationStatus.SELF_ASSESSMENT}
    team = [r.code for r in team_regions(participants) if r.code != KUKAR]
    for code, status in zip(team, TEAM_STAGES, strict=False):
        statuses[code] = status
    order = [region.code for region in participants if region.code not in statuses]
    rng.shuffle(order)
    start = 0
    for status, share in RUNNING_STATUS_SHARES:
        count = round(share * len(order))
        for code in order[start : start + count]:
            statuses[code] = status
        start += count
    for code in order[start:]:
        statuses[code] = EvaluationStatus.FINALISED
    return statuses


def fill_cycle(
    cycle: Cycle,
    participants: list[Region],
    statuses: dict[str, EvaluationStatus],
    indicators: list[FrameworkNode],
    difficulty: dict[str, float],
    trajectories: dict[str, RegionTrajectory],
    rng: random.Random,
) -> int:
    rows: list[ItemValue] = []
    opds = {(o.region_id, o.code): o.pk for o in OPD.objects.filter(region__in=participants)}
    for region in participants:
        status = statuses[region.code]
        done = status in (EvaluationStatus.FINALISED, EvaluationStatus.PUBLISHED)
        evaluation = Evaluation.objects.create(
            cycle=cycle,
            region=region,
            status=status,
            submitted_at=(
                moment_in(cycle, 60) if status != EvaluationStatus.SELF_ASSESSMENT else None
            ),
            finalised_at=moment_in(cycle, 230) if done else None,
            published_at=moment_in(cycle, 260) if status == EvaluationStatus.PUBLISHED else None,
        )
        capability = trajectories[region.code].at(cycle.year)
        # Items computed from the masterplan take the registry's share, as the workflow does.
        shares = program_shares(region=region, year=cycle.year)
        # A region still in self-assessment has filled only part of its items.
        filled_share = rng.uniform(0.3, 0.8) if status == EvaluationStatus.SELF_ASSESSMENT else 1.0
        for node in indicators:
            pair = draw_item(rng, node, capability, difficulty[node.code])
            filled = rng.random() <= filled_share
            if node.data_source == "programs":
                share = shares.get(node.dimension)
                if share is not None:
                    pair, filled = ItemPair(share, share), True
            reviewed = status in REVIEWED_STATES and filled
            rows.append(
                ItemValue(
                    evaluation=evaluation,
                    indicator=node,
                    opd_id=opds.get((region.pk, _owner_code(node, rng))),
                    self_value=pair.self_value if filled else None,
                    verified_value=pair.verified_value if reviewed else None,
                    review_status=_review_status(pair, status, rng) if reviewed else "pending",
                    review_note=_review_note(pair) if reviewed else "",
                )
            )
    ItemValue.objects.bulk_create(rows, batch_size=2000)
    return sum(1 for row in rows if row.self_value is not None)


def moment_in(cycle: Cycle, days: int) -> datetime:
    """A moment `days` after the cycle's start (its self-assessment deadline minus 60 days)."""
    deadline = cycle.self_assessment_deadline or date(cycle.year, 5, 1)
    start = deadline - timedelta(days=60)
    return datetime.combine(start + timedelta(days=days), time(10), tzinfo=UTC)


def _owner_code(node: FrameworkNode, rng: random.Random) -> str:
    dimension = next((tag for tag in node.tags if tag in OPDS_BY_DIMENSION), "GOV")
    candidates = OPDS_BY_DIMENSION[dimension]
    # Most items go to the dimension's lead agency; some to the others.
    return candidates[0] if rng.random() < 0.6 else rng.choice(candidates)


def _review_status(pair: ItemPair, status: EvaluationStatus, rng: random.Random) -> str:
    if status == EvaluationStatus.CLARIFICATION and rng.random() < 0.08:
        return ReviewStatus.CLARIFICATION
    if pair.self_value != pair.verified_value:
        return ReviewStatus.ADJUSTED
    return ReviewStatus.ACCEPTED


def _review_note(pair: ItemPair) -> str:
    if pair.self_value == pair.verified_value:
        return ""
    return "Bukti dukung belum menunjukkan pemenuhan tingkat yang diklaim."


def _assign_assessors(cycle: Cycle, participants: list[Region], users: list[User]) -> None:
    """The demo assessors form the team of Kutai Kartanegara and a handful of other regions."""
    lead = next(u for u in users if u.username == "asesor.ketua")
    member = next(u for u in users if u.username == "asesor.anggota")
    team = team_regions(participants)
    AssessorAssignment.objects.bulk_create(
        [AssessorAssignment(cycle=cycle, region=r, user=lead, is_lead=True) for r in team]
        + [AssessorAssignment(cycle=cycle, region=r, user=member) for r in team]
    )


def finalise_cycle(cycle: Cycle, admin: User) -> int:
    """Score the finalised and published evaluations of a cycle and store their snapshots."""
    framework = to_scoring(cycle.framework_version)
    done = list(
        cycle.evaluations.filter(
            status__in=[EvaluationStatus.FINALISED, EvaluationStatus.PUBLISHED]
        ).select_related("region")
    )
    # The verified values as scaled integers straight from the database (no Decimal per value).
    values = scaled_values({e.pk: e.region.code for e in done})
    batch = score_regions(framework, values)
    position = {region: r for r, region in enumerate(values.regions)}
    snapshots = [
        ResultSnapshot(
            evaluation=evaluation,
            framework_version=cycle.framework_version,
            index=score.index if score.index is not None else Decimal(0),
            predicate=score.predicate or "",
            node_indices={k: _text(v) for k, v in score.nodes.items()},
            tag_indices={k: _text(v) for k, v in score.tags.items()},
            missing=list(score.missing),
            inputs={
                k: _text(v)
                for k, v in values.row(position[evaluation.region.code], with_missing=True).items()
            },
            created_by=admin,
        )
        for evaluation in done
        if (score := batch.regions[evaluation.region.code])
    ]
    ResultSnapshot.objects.bulk_create(snapshots)
    return len(snapshots)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)
