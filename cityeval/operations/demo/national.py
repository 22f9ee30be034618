"""The national-scale data set: every regency and city (514) evaluated in three published cycles.

It exists to measure the platform at the size of the whole country (`bench/bench_pages.py`) and
to hold query counts constant as the number of regions grows (tests build it at two sizes). It
reuses the demonstration's builders (regions, frameworks, OPDs, masterplans, item values,
people) and ends each cycle through the real paths: the scoring engine scores the verified
values into result snapshots and `publish_cycle`, the publication service, publishes them (with
its audit entries). Deterministic for a seed: the same seed gives the same regions, values and
results.

It is built into an empty database only: it refuses when cycles already exist, because mixing it
with the normal demonstration (whose running cycle it does not have) would give neither.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.test.utils import override_settings

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.evaluations.models import AssessorAssignment, Cycle, EvaluationStatus
from cityeval.frameworks.models import FrameworkNode, FrameworkVersion
from cityeval.frameworks.services import import_shipped
from cityeval.operations.demo.build import (
    FRAMEWORK_REF,
    create_cycle,
    fill_cycle,
    finalise_cycle,
    moment_in,
    team_regions,
)
from cityeval.operations.demo.opds import TYPICAL_OPDS
from cityeval.operations.demo.people import DEMO_PASSWORD, KUKAR, SECOND_REGION, create_demo_people
from cityeval.operations.demo.programs import create_demo_masterplans
from cityeval.operations.demo.values import RegionTrajectory, item_difficulty
from cityeval.regions.models import OPD, Region
from cityeval.regions.peers import rebuild_automatic_peer_groups
from cityeval.regions.services import assign_cohort, load_regions
from cityeval.reports.services import publish_cycle

NATIONAL_YEARS = [2018, 2019, 2020]
# The first wave of 2017 as in the program; every other region joins in 2018, so that each
# region has a result in each of the three cycles.
FIRST_COHORT = 2017
FIRST_COHORT_SIZE = 25
MAIN_COHORT = 2018
REGIONS_PER_TEAM = 10  # a team of assessors (one lead, two members) evaluates ten regions
MEMBERS_PER_TEAM = 2
# Every region passes these states (the demo's `fill_cycle` gives finalised evaluations their
# verified values); publication then moves them all to published through the service.
FINALISED = EvaluationStatus.FINALISED

QUIET_MAIL = "django.core.mail.backends.dummy.EmailBackend"

Progress = Callable[[str, int], None]


class NationalDataExists(Exception):
    """The database already holds cycles; the national data set is built into an empty one."""


@dataclass(frozen=True)
class NationalSummary:
    regions: int
    cycles: int
    evaluations: int
    item_values: int
    snapshots: int
    published: int
    assessors: int


def steps_of(cycles: int = len(NATIONAL_YEARS)) -> int:
    """How many times `build_national` reports progress (for a progress bar's total)."""
    return 3 + 3 * cycles


def build_national(
    *, seed: int = 2017, regions: int | None = None, progress: Progress | None = None
) -> NationalSummary:
    """Build the national data set; `regions` limits it to that many regions (tests use this).

    Kutai Kartanegara and Kota Semarang, the demo people's regions, are always among them.
    """
    existing = Cycle.objects.count()
    if existing:
        raise NationalDataExists(
            f"the database already holds {existing} cycle(s); the national data set is built "
            "into an empty database (use a fresh CITYEVAL_DATA_DIR or DATABASE_URL)"
        )
    step = progress or (lambda label, n: None)
    rng = random.Random(seed)
    # Publishing three past cycles must not e-mail their coordinators and assessors 1,500 times.
    with override_settings(EMAIL_BACKEND=QUIET_MAIL), transaction.atomic():
        load_regions(source_dir=settings.NODE_MODULES / "idn-area-data" / "data")
        import_shipped()
        members = _members(rng, regions)
        step("regions and frameworks", 1)
        cohorts = _assign_cohorts(members, rng)
        rebuild_automatic_peer_groups()
        _create_opds(members)
        create_demo_masterplans(members, NATIONAL_YEARS, rng)
        step("cohorts, peer groups, OPDs and masterplans", 1)
        users = create_demo_people()
        admin = next(u for u in users if u.username == "admin")
        teams = _assessor_teams(members, users)
        step("people and assessor teams", 1)
        version = FrameworkVersion.objects.get_by_ref(FRAMEWORK_REF)
        indicators = list(
            FrameworkNode.objects.filter(version=version).exclude(kind="group").order_by("sequence")
        )
        difficulty = {node.code: item_difficulty(rng) for node in indicators}
        trajectories = {
            region.code: RegionTrajectory(
                random.Random(f"{seed}:{region.code}"), cohorts[region.code], NATIONAL_YEARS
            )
            for region in members
        }
        statuses = {region.code: FINALISED for region in members}
        values = snapshots = published = 0
        for year in NATIONAL_YEARS:
            cycle = create_cycle(version, year, closed=True)
            values += fill_cycle(
                cycle, members, statuses, indicators, difficulty, trajectories, rng
            )
            _assign_teams(cycle, teams)
            step(f"cycle {year}: item values", 1)
            snapshots += finalise_cycle(cycle, admin)
            step(f"cycle {year}: results", 1)
            published += publish_cycle(cycle=cycle, user=admin)
            # The service stamps today; the data set's past cycles were published in their year.
            cycle.evaluations.update(published_at=moment_in(cycle, 260))
            step(f"cycle {year}: publication", 1)
    return NationalSummary(
        regions=len(members),
        cycles=len(NATIONAL_YEARS),
        evaluations=len(members) * len(NATIONAL_YEARS),
        item_values=values,
        snapshots=snapshots,
        published=published,
        assessors=sum(len(team) for team, _regions in teams),
    )


def _members(rng: random.Random, limit: int | None) -> list[Region]:
    everyone = list(Region.objects.order_by("code"))
    if limit is None or limit >= len(everyone):
        return everyone
    fixed = [r for r in everyone if r.code in (KUKAR, SECOND_REGION)]
    if limit < len(fixed):
        raise ValueError(f"the national data set needs at least {len(fixed)} regions")
    others = [r for r in everyone if r.code not in (KUKAR, SECOND_REGION)]
    chosen = fixed + rng.sample(others, limit - len(fixed))
    return sorted(chosen, key=lambda r: r.code)


def _assign_cohorts(members: list[Region], rng: random.Random) -> dict[str, int]:
    codes = [r.code for r in members]
    size = min(FIRST_COHORT_SIZE, len(codes) // 4)
    first = set(rng.sample(codes, size))
    cohorts = {code: FIRST_COHORT if code in first else MAIN_COHORT for code in codes}
    for year in (FIRST_COHORT, MAIN_COHORT):
        assign_cohort(year=year, region_codes=[c for c, y in cohorts.items() if y == year])
    return cohorts


def _create_opds(members: list[Region]) -> None:
    """The typical OPDs of every region, in one bulk insert (the database is empty of them)."""
    OPD.objects.bulk_create(
        [
            OPD(region=region, code=code, short_name=short, name=name)
            for region in members
            for code, short, name in TYPICAL_OPDS
        ],
        batch_size=2000,
    )


Team = tuple[list[User], list[Region]]  # (lead first, then members), the regions it evaluates


def _assessor_teams(members: list[Region], demo_users: list[User]) -> list[Team]:
    """The demo assessors keep their ten regions; generated teams share out the rest.

    Generated assessors have no e-mail address: publishing 1,500 results must not send them
    thousands of notifications. They share the demo password (hashed once: hashing is slow on
    purpose, and a hundred hashes would take most of a minute).
    """
    demo = [u for u in demo_users if u.username in ("asesor.ketua", "asesor.anggota")]
    demo.sort(key=lambda u: u.username != "asesor.ketua")
    covered = team_regions(members)
    teams: list[Team] = [(demo, covered)]
    rest = [r for r in members if r not in covered]
    chunks = [rest[i : i + REGIONS_PER_TEAM] for i in range(0, len(rest), REGIONS_PER_TEAM)]
    password = make_password(DEMO_PASSWORD)
    people = User.objects.bulk_create(
        [
            User(
                username=f"asesor.tim{number:03d}.{position}",
                full_name=(
                    f"Ketua Tim Asesor {number:03d}"
                    if position == 0
                    else f"Anggota {position} Tim Asesor {number:03d}"
                ),
                password=password,
            )
            for number in range(1, len(chunks) + 1)
            for position in range(1 + MEMBERS_PER_TEAM)
        ]
    )
    RoleGrant.objects.bulk_create([RoleGrant(user=user, role=Role.ASSESSOR) for user in people])
    size = 1 + MEMBERS_PER_TEAM
    for number, regions in enumerate(chunks):
        teams.append((people[number * size : (number + 1) * size], regions))
    return teams


def _assign_teams(cycle: Cycle, teams: list[Team]) -> None:
    AssessorAssignment.objects.bulk_create(
        [
            AssessorAssignment(cycle=cycle, region=region, user=user, is_lead=position == 0)
            for team, regions in teams
            for region in regions
            for position, user in enumerate(team)
        ],
        batch_size=2000,
    )
