"""The one test world: two regions, their people and three cycles, built through the real services.

Who is in it (persona names are the keys of `World.people`, `World.tokens` and `World.client`):

| persona          | who                                                                        |
|------------------|----------------------------------------------------------------------------|
| anonymous        | nobody signed in (no user, no token)                                       |
| admin            | program admin (ministry program team)                                      |
| national_viewer  | viewer without a region (reads the nation)                                 |
| lead_a           | lead assessor of the team assigned to region A in every cycle               |
| member_a         | assessor in A's team, not its lead                                          |
| assessor_b       | assessor of another team (lead of region B's team)                          |
| coordinator_a    | coordinator of region A                                                     |
| contributor_a    | contributor of A's health office (Dinkes); holds the running items 0-9      |
| contributor_a2   | contributor of another OPD of A (PUPR); holds the running items 10-19       |
| viewer_a         | regional viewer of A                                                        |
| coordinator_b    | the same region roles for region B                                          |
| contributor_b    |                                                                             |
| viewer_b         |                                                                             |

Region A is Kabupaten Kutai Kartanegara (64.02), region B Kota Semarang (33.74); both take part
in three cycles of the G100SC 2022 framework:

- `published_cycle` (2023, annual): A's evaluation reviewed, finalised and published with a
  recommendation (`published`, `recommendation`); B's finalised but not yet published
  (`finalised_b`), so that the cycle holds a result nobody outside the ministry may read yet.
- `review_cycle` (2024 Tahap I): both submitted and under document review; A is waiting for the
  answer to a clarification request (`reviewing`, `clarification`, a field visit `visit` with a
  photo `photo`); `review_item` is an item of A pending a verdict; B is in the document review
  (`reviewing_b`).
- `running_cycle` (2024 Tahap II): both in self-assessment (`running`, `running_b`); `item` is a
  Dinkes item of A with a file (`evidence_file`) and a link (`evidence_link`), `other_item` an
  item of A's PUPR office, `item_b` an item of B.

Also: a masterplan of A with one program (`masterplan`, `program`), an API token per signed-in
persona (`tokens`, read-write), and `invited` (a person invited by the admin to A, not yet
active) for the people pages.

Build it with `build_world()` inside a database that allows writes; `tests/conftest.py` offers it
as the function-scoped fixture `world` and the session-scoped `shared_world` (built once, for
read-mostly tests that roll back what they change, such as the URL × persona matrix). Set-up
writes values directly only where the service under test is not the point (bulk self values,
verified values); every workflow step goes through its service.
"""

from __future__ import annotations

import functools
import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.accounts.services import invite_user
from cityeval.api.models import TokenScope
from cityeval.api.services import create_token
from cityeval.evaluations.models import (
    Cycle,
    Evaluation,
    EvaluationStatus,
    ItemValue,
    ReviewStatus,
    Round,
)
from cityeval.evaluations.services import Deadlines, assign_assessor, open_cycle, submit_evaluation
from cityeval.evidence.models import Evidence, FieldVisit, FieldVisitPhoto, VisitKind
from cityeval.evidence.samples import tiny_pdf, tiny_png
from cityeval.evidence.services import add_file_evidence, add_link_evidence
from cityeval.evidence.visit_services import VisitData, add_visit_photo, record_field_visit
from cityeval.frameworks.loader import load_framework_file
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.schema import FrameworkDocument
from cityeval.frameworks.services import shipped_files, store_document
from cityeval.masterplans.models import Masterplan, Program
from cityeval.masterplans.services import (
    MasterplanData,
    ProgramData,
    create_masterplan,
    create_program,
)
from cityeval.regions.models import OPD, Cohort, PeerGroup, Region
from cityeval.regions.services import load_regions
from cityeval.reports.editing import add_recommendation
from cityeval.reports.models import Priority, Recommendation
from cityeval.reports.scores import as_text, score_evaluation
from cityeval.reports.services import finalise_evaluation, publish_evaluation
from cityeval.results.models import ResultSnapshot
from cityeval.reviews.models import ClarificationRequest
from cityeval.reviews.services import (
    bulk_accept,
    flag_item,
    request_clarification,
    start_field_visit,
    start_review,
)

REGION_A = "64.02"  # Kabupaten Kutai Kartanegara
REGION_B = "33.74"  # Kota Semarang
FRAMEWORK_REF = "G100SC@2022"

PERSONAS = (
    "anonymous",
    "admin",
    "national_viewer",
    "lead_a",
    "member_a",
    "assessor_b",
    "coordinator_a",
    "contributor_a",
    "contributor_a2",
    "viewer_a",
    "coordinator_b",
    "contributor_b",
    "viewer_b",
)


def signed_in(people: Mapping[str, User], persona: str, **kwargs: Any) -> Client:
    """A test client signed in as the persona of `people` ("anonymous": signed out)."""
    client = Client(**kwargs)
    if persona != "anonymous":
        client.force_login(people[persona])
    return client


@dataclass
class World:
    region_a: Region
    region_b: Region
    health: OPD  # Dinkes of A
    roads: OPD  # PUPR of A
    opd_b: OPD  # Dinkes of B
    people: dict[str, User]
    tokens: dict[str, str]  # persona -> plaintext read-write API token
    published_cycle: Cycle
    review_cycle: Cycle
    running_cycle: Cycle
    published: Evaluation
    finalised_b: Evaluation
    reviewing: Evaluation
    reviewing_b: Evaluation
    running: Evaluation
    running_b: Evaluation
    review_item: ItemValue  # of `reviewing`, pending a verdict
    item: ItemValue
    other_item: ItemValue
    item_b: ItemValue
    evidence_file: Evidence
    evidence_link: Evidence
    visit: FieldVisit
    photo: FieldVisitPhoto
    clarification: ClarificationRequest
    recommendation: Recommendation
    masterplan: Masterplan
    program: Program
    invited: User

    def client(self, persona: str, **kwargs: Any) -> Client:
        """A test client signed in as the persona (anonymous: signed out)."""
        return signed_in(self.people, persona, **kwargs)

    def bearer(self, persona: str) -> dict[str, str]:
        """Request headers that carry the persona's API token (none for anonymous)."""
        if persona == "anonymous":
            return {}
        return {"Authorization": f"Bearer {self.tokens[persona]}"}


@functools.cache
def shipped_document(name: str) -> FrameworkDocument:
    """A shipped framework file, parsed once per process (parsing is most of a world's time)."""
    return load_framework_file(settings.FRAMEWORKS_DIR / name)


def g100sc_2022() -> FrameworkDocument:
    return shipped_document("g100sc-2022.yaml")


def store_shipped() -> None:
    """Every shipped framework, stored as `import_shipped` stores them (parsed once)."""
    for path in shipped_files():
        store_document(document=shipped_document(path.name), source_file=str(path))


def load_test_regions() -> None:
    """The real region list (idn-area-data), as production loads it."""
    load_regions(source_dir=settings.NODE_MODULES / "idn-area-data" / "data")


def person(
    username: str,
    *grants: tuple[Role, Region | None, OPD | None],
    password: str | None = None,
    email: str | None = None,
    **fields: Any,
) -> User:
    """A user with role grants (role, region, OPD) and other fields of the user (`full_name`).
    No password unless a test signs in with one: the others use force_login."""
    user = User.objects.create_user(
        username,
        email=f"{username}@example.id" if email is None else email,
        password=password,
        **fields,
    )
    for role, region, opd in grants:
        RoleGrant.objects.create(user=user, role=role, region=region, opd=opd)
    return user


def open_test_cycle(
    year: int,
    regions: list[Region],
    admin: User,
    ref: str = FRAMEWORK_REF,
    *,
    round: Round = Round.ANNUAL,
    version: FrameworkVersion | None = None,
) -> Cycle:
    """A cycle of `regions` (framework `version`, else `ref`), self-assessment due in 30 days."""
    return open_cycle(
        year=year,
        round=round,
        framework_version=version or FrameworkVersion.objects.get_by_ref(ref),
        regions=regions,
        deadlines=Deadlines(self_assessment=timezone.localdate() + timedelta(days=30)),
        user=admin,
    )


def fill(evaluation: Evaluation, seed: int, *, verify: bool) -> None:
    """Give every item a deterministic self value (and the same verified value when `verify`)."""
    rng = random.Random(seed)
    items = list(
        ItemValue.objects.filter(evaluation=evaluation)
        .select_related("indicator")
        .order_by("indicator__sequence")
    )
    for item in items:
        high = 5 if item.indicator.kind == "maturity" else 100
        item.self_value = Decimal(rng.randint(1, high)) + Decimal(rng.choice(["0", "0.5", "0.25"]))
        item.self_value = min(item.self_value, Decimal(high))
        if verify:
            item.verified_value = item.self_value
            item.review_status = ReviewStatus.ACCEPTED
    ItemValue.objects.bulk_update(items, ["self_value", "verified_value", "review_status"])


def finish(evaluation: Evaluation, status: EvaluationStatus, seed: int) -> ResultSnapshot:
    """Verify, score with the real engine, store the snapshot and set the status (set-up for
    tests of what reads results; the workflow's own tests go through its services)."""
    fill(evaluation, seed, verify=True)
    scored = score_evaluation(evaluation)
    snapshot = ResultSnapshot.objects.create(
        evaluation=evaluation,
        framework_version=evaluation.cycle.framework_version,
        index=scored.score.index or Decimal(0),
        predicate=scored.score.predicate or "",
        node_indices={c: as_text(v) for c, v in scored.score.nodes.items()},
        tag_indices={c: as_text(v) for c, v in scored.score.tags.items()},
        missing=list(scored.score.missing),
        inputs={c: as_text(v) for c, v in scored.values.items()},
    )
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    return snapshot


def _people(a: Region, b: Region, health: OPD, roads: OPD, opd_b: OPD) -> dict[str, User]:
    return {
        "admin": person("admin", (Role.PROGRAM_ADMIN, None, None)),
        "national_viewer": person("national_viewer", (Role.VIEWER, None, None)),
        "lead_a": person("lead_a", (Role.ASSESSOR, None, None)),
        "member_a": person("member_a", (Role.ASSESSOR, None, None)),
        "assessor_b": person("assessor_b", (Role.ASSESSOR, None, None)),
        "coordinator_a": person("coordinator_a", (Role.COORDINATOR, a, None)),
        "contributor_a": person("contributor_a", (Role.CONTRIBUTOR, a, health)),
        "contributor_a2": person("contributor_a2", (Role.CONTRIBUTOR, a, roads)),
        "viewer_a": person("viewer_a", (Role.VIEWER, a, None)),
        "coordinator_b": person("coordinator_b", (Role.COORDINATOR, b, None)),
        "contributor_b": person("contributor_b", (Role.CONTRIBUTOR, b, opd_b)),
        "viewer_b": person("viewer_b", (Role.VIEWER, b, None)),
    }


def _cycle(
    year: int,
    round: Round,
    version: FrameworkVersion,
    regions: list[Region],
    people: dict[str, User],
) -> Cycle:
    admin = people["admin"]
    cycle = open_test_cycle(year, regions, admin, round=round, version=version)
    a, b = regions
    assign_assessor(cycle=cycle, region=a, assessor=people["lead_a"], is_lead=True, user=admin)
    assign_assessor(cycle=cycle, region=a, assessor=people["member_a"], is_lead=False, user=admin)
    assign_assessor(cycle=cycle, region=b, assessor=people["assessor_b"], is_lead=True, user=admin)
    return cycle


def _fill(evaluation: Evaluation) -> None:
    """Self values for every item (set-up only: saving values has its own tests)."""
    items = list(ItemValue.objects.filter(evaluation=evaluation).select_related("indicator"))
    for number, item in enumerate(items):
        maturity = item.indicator.kind == "maturity"
        item.self_value = Decimal(1 + number % 5) if maturity else Decimal(10 + number % 90)
        item.narrative = "Berjalan sesuai rencana."
    ItemValue.objects.bulk_update(items, ["self_value", "narrative"])


def _submitted_for_review(evaluation: Evaluation, coordinator: User, lead: User) -> Evaluation:
    _fill(evaluation)
    submit_evaluation(evaluation=evaluation, user=coordinator)
    # Submitting refreshes the items computed from the masterplan registry; a region without
    # a masterplan gets none, so those are filled again for the review to settle them.
    ItemValue.objects.filter(evaluation=evaluation, self_value__isnull=True).update(
        self_value=Decimal(0)
    )
    return start_review(evaluation=evaluation, user=lead)


def _reviewed(evaluation: Evaluation, coordinator: User, lead: User) -> None:
    """Submitted, every item accepted, interviews and field visit begun."""
    _submitted_for_review(evaluation, coordinator, lead)
    bulk_accept(evaluation=evaluation, items=evaluation.items.all(), user=lead)
    start_field_visit(evaluation=evaluation, user=lead)


def _items(evaluation: Evaluation) -> list[ItemValue]:
    return list(
        ItemValue.objects.filter(evaluation=evaluation, indicator__kind="maturity")
        .select_related("indicator", "evaluation")
        .order_by("indicator__sequence")
    )


def build_world() -> World:
    load_test_regions()
    store_document(document=g100sc_2022())
    version = FrameworkVersion.objects.get_by_ref(FRAMEWORK_REF)
    a = Region.objects.get(code=REGION_A)
    b = Region.objects.get(code=REGION_B)
    health = OPD.objects.create(
        region=a, code="DINKES", name="Dinas Kesehatan", short_name="Dinkes"
    )
    roads = OPD.objects.create(region=a, code="PUPR", name="Dinas PUPR", short_name="PUPR")
    opd_b = OPD.objects.create(region=b, code="DINKES", name="Dinas Kesehatan", short_name="Dinkes")
    people = _people(a, b, health, roads, opd_b)
    admin, lead = people["admin"], people["lead_a"]
    tokens = {
        name: create_token(user=user, name="uji", scope=TokenScope.READ_WRITE, expires_at=None)[1]
        for name, user in people.items()
    }

    masterplan = create_masterplan(
        region=a,
        user=people["coordinator_a"],
        data=MasterplanData(
            title="Masterplan Smart City 2020-2029", start_year=2020, end_year=2029
        ),
    )
    program = create_program(
        masterplan=masterplan,
        user=people["coordinator_a"],
        data=ProgramData(
            code="GOV-01",
            name="Layanan publik terpadu",
            element="GOV-PS",
            dimension="GOV",
            owner=health,
            budget=Decimal("1000000000"),
            start_year=2020,
            end_year=2024,
        ),
    )

    # 2023: published for both regions, with recommendations for A.
    published_cycle = _cycle(2023, Round.ANNUAL, version, [a, b], people)
    published = Evaluation.objects.get(cycle=published_cycle, region=a)
    finalised_b = Evaluation.objects.get(cycle=published_cycle, region=b)
    _reviewed(published, people["coordinator_a"], lead)
    recommendation = add_recommendation(
        evaluation=published,
        user=lead,
        dimension="GOV",
        text="Integrasikan layanan perizinan.",
        priority=Priority.HIGH,
    )
    finalise_evaluation(evaluation=published, user=lead)
    publish_evaluation(evaluation=published, user=admin)
    published.refresh_from_db()
    _reviewed(finalised_b, people["coordinator_b"], people["assessor_b"])
    finalise_evaluation(evaluation=finalised_b, user=people["assessor_b"])
    finalised_b.refresh_from_db()

    # 2024 Tahap I: under review; A waits for the answer to a clarification.
    review_cycle = _cycle(2024, Round.TAHAP_1, version, [a, b], people)
    reviewing = Evaluation.objects.get(cycle=review_cycle, region=a)
    reviewing_b = Evaluation.objects.get(cycle=review_cycle, region=b)
    _submitted_for_review(reviewing, people["coordinator_a"], lead)
    _submitted_for_review(reviewing_b, people["coordinator_b"], people["assessor_b"])
    asked, review_item = _items(reviewing)[:2]
    flag_item(item=asked, user=lead, question="Mohon lampirkan SK tim pelaksana.")
    visit = record_field_visit(
        evaluation=reviewing,
        user=lead,
        data=VisitData(
            kind=VisitKind.FIELD_VISIT,
            date=date(2024, 6, 12),
            place="Mal Pelayanan Publik Tenggarong",
            latitude=Decimal("-0.4217"),
            longitude=Decimal("116.9850"),
            findings="Layanan berjalan.",
        ),
    )
    photo = add_visit_photo(
        visit=visit,
        user=lead,
        upload=SimpleUploadedFile("loket.png", tiny_png(8, 6, (30, 120, 200)), "image/png"),
        caption="Loket layanan",
    )
    clarification = request_clarification(
        evaluation=reviewing, items=[asked], message="Mohon lengkapi bukti.", user=lead
    )
    reviewing.refresh_from_db()
    reviewing_b.refresh_from_db()
    review_item.refresh_from_db()

    # 2024 Tahap II: self-assessment, items shared between two OPDs of A.
    running_cycle = _cycle(2024, Round.TAHAP_2, version, [a, b], people)
    running = Evaluation.objects.get(cycle=running_cycle, region=a)
    running_b = Evaluation.objects.get(cycle=running_cycle, region=b)
    maturity = _items(running)
    ItemValue.objects.filter(pk__in=[i.pk for i in maturity[:10]]).update(opd=health)
    ItemValue.objects.filter(pk__in=[i.pk for i in maturity[10:20]]).update(opd=roads)
    item, other_item = maturity[0], maturity[10]
    item.refresh_from_db()
    other_item.refresh_from_db()
    evidence_file = add_file_evidence(
        item=item,
        user=people["contributor_a"],
        upload=SimpleUploadedFile(
            "sk-tim.pdf", tiny_pdf(["SK Tim Pelaksana Smart City"]), "application/pdf"
        ),
        description="SK tim pelaksana",
    )
    evidence_link = add_link_evidence(
        item=item,
        user=people["contributor_a"],
        url="https://kukarkab.go.id/layanan",
        description="Portal layanan",
    )

    invited = invite_user(
        actor=admin,
        username="calon_a",
        full_name="Calon Kontributor",
        email="calon@example.id",
        role=Role.CONTRIBUTOR,
        region=a,
        opd=health,
        site_url="http://testserver",
    )
    return World(
        region_a=a,
        region_b=b,
        health=health,
        roads=roads,
        opd_b=opd_b,
        people=people,
        tokens=tokens,
        published_cycle=published_cycle,
        review_cycle=review_cycle,
        running_cycle=running_cycle,
        published=published,
        finalised_b=finalised_b,
        reviewing=reviewing,
        reviewing_b=reviewing_b,
        running=running,
        running_b=running_b,
        review_item=review_item,
        item=item,
        other_item=other_item,
        item_b=_items(running_b)[0],
        evidence_file=evidence_file,
        evidence_link=evidence_link,
        visit=visit,
        photo=photo,
        clarification=clarification,
        recommendation=recommendation,
        masterplan=masterplan,
        program=program,
        invited=invited,
    )


# The team world ---------------------------------------------------------------------------
# A lighter world for the tests of one workflow step: the same two regions, people named by
# role alone (`lead`, `coordinator`, ...) and ONE open cycle (2024 Tahap I) in self-assessment.
# App conftests take it as `world` and add their step (submitted, in review, finalised ...).

TEAM_PASSWORD = "a-long-test-password-1"  # every team person has it, for tests that sign in
TEAM_PERSONAS = (
    "admin",
    "lead",  # lead assessor of Kutai Kartanegara's team
    "member",  # assessor in that team
    "stranger_assessor",  # lead assessor of Kota Semarang
    "coordinator",  # of Kutai Kartanegara
    "other_coordinator",  # of Kota Semarang
    "contributor",  # of Kutai Kartanegara's Dinkes
    "roads_contributor",  # of Kutai Kartanegara's PUPR
    "other_contributor",  # of Kota Semarang's Dinkes
    "viewer",  # regional viewer of Kutai Kartanegara
    "national_viewer",
    "anonymous",
)
API = "/api/v1"


class ApiClient:
    """A test client that sends one bearer token and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(API + path, params, headers=self.headers)

    def send(self, method: str, path: str, body: Any = None, *, raw: str | None = None) -> Any:
        data = raw if raw is not None else json.dumps(body)
        call = getattr(self.client, method)
        return call(API + path, data=data, content_type="application/json", headers=self.headers)

    def put(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.send("put", path, body, **kw)

    def post(self, path: str, body: Any = None, **kw: Any) -> Any:
        return self.send("post", path, body, **kw)

    def delete(self, path: str) -> Any:
        return self.client.delete(API + path, headers=self.headers)


def token_for(user: User, scope: TokenScope = TokenScope.READ_WRITE) -> str:
    """A new API token of the user (plaintext)."""
    return create_token(user=user, name="test", scope=scope, expires_at=None)[1]


@dataclass
class TeamWorld:
    cycle: Cycle  # 2024 Tahap I, self-assessment due in 30 days
    evaluation: Evaluation  # Kutai Kartanegara
    other: Evaluation  # Kota Semarang: another tenant
    health: OPD  # Dinkes of Kutai Kartanegara: the contributor's OPD
    roads: OPD  # Dinas PUPR of Kutai Kartanegara
    elsewhere: OPD  # Dinkes of Kota Semarang
    people: dict[str, User]
    kukar: Region
    semarang: Region

    def client(self, persona: str, **kwargs: Any) -> Client:
        """A test client signed in as the persona (anonymous: signed out)."""
        return signed_in(self.people, persona, **kwargs)

    def api(self, persona: str, scope: TokenScope = TokenScope.READ_WRITE) -> ApiClient:
        """An API client with a new token of the persona (none for anonymous)."""
        if persona == "anonymous":
            return ApiClient(None)
        return ApiClient(token_for(self.people[persona], scope))

    def items(self, evaluation: Evaluation | None = None) -> list[ItemValue]:
        """Every item of the evaluation (Kutai Kartanegara's by default) in framework order."""
        return list(
            ItemValue.objects.filter(evaluation=evaluation or self.evaluation)
            .select_related("indicator", "evaluation")
            .order_by("indicator__sequence")
        )

    def maturity_items(self) -> list[ItemValue]:
        """Filled items on the 1-5 scale."""
        return [i for i in self.items() if i.indicator.kind == "maturity" and i.self_value]

    def item(self, opd: OPD | None = None, evaluation: Evaluation | None = None) -> ItemValue:
        """The first maturity item (of `opd`, when given); the first ones are Dinkes's."""
        items = ItemValue.objects.filter(
            evaluation=evaluation or self.evaluation, indicator__kind="maturity"
        ).select_related("indicator", "evaluation__cycle")
        found = (items.filter(opd=opd) if opd else items).order_by("indicator__sequence").first()
        assert found is not None
        return found

    def fresh(self, item: ItemValue) -> ItemValue:
        return ItemValue.objects.select_related("indicator", "evaluation").get(pk=item.pk)

    def reload(self) -> Evaluation:
        self.evaluation.refresh_from_db()
        return self.evaluation

    def at(self, status: EvaluationStatus, evaluation: Evaluation | None = None) -> Evaluation:
        """Put an evaluation in a state (set-up only: the workflow's own tests cover it)."""
        target = evaluation or self.evaluation
        Evaluation.objects.filter(pk=target.pk).update(status=status)
        target.refresh_from_db()
        return target

    def set_status(self, status: EvaluationStatus, evaluation: Evaluation | None = None) -> None:
        self.at(status, evaluation)

    def verify(self, evaluation: Evaluation | None = None, seed: int = 1) -> dict[str, Decimal]:
        """Accept every item with a deterministic verified value; returns code -> value."""
        rng = random.Random(seed)
        values = {}
        items = self.items(evaluation)
        for item in items:
            high = 5 if item.indicator.kind == "maturity" else 100
            value = Decimal(rng.randint(1 if high == 5 else 0, high))
            item.self_value = item.verified_value = value
            item.review_status = ReviewStatus.ACCEPTED
            values[item.indicator.code] = value
        ItemValue.objects.bulk_update(items, ["self_value", "verified_value", "review_status"])
        return values


def team_people(
    kukar: Region, semarang: Region, health: OPD, roads: OPD, elsewhere: OPD
) -> dict[str, User]:
    """The team world's people (TEAM_PERSONAS) for Kutai Kartanegara, its Dinkes and PUPR, and
    Kota Semarang with its Dinkes (`elsewhere`)."""
    grants: dict[str, tuple[Role, Region | None, OPD | None]] = {
        "admin": (Role.PROGRAM_ADMIN, None, None),
        "lead": (Role.ASSESSOR, None, None),
        "member": (Role.ASSESSOR, None, None),
        "stranger_assessor": (Role.ASSESSOR, None, None),
        "coordinator": (Role.COORDINATOR, kukar, None),
        "other_coordinator": (Role.COORDINATOR, semarang, None),
        "contributor": (Role.CONTRIBUTOR, kukar, health),
        "roads_contributor": (Role.CONTRIBUTOR, kukar, roads),
        "other_contributor": (Role.CONTRIBUTOR, semarang, elsewhere),
        "viewer": (Role.VIEWER, kukar, None),
        "national_viewer": (Role.VIEWER, None, None),
    }
    return {name: person(name, grant, password=TEAM_PASSWORD) for name, grant in grants.items()}


def build_team_world(*, opd_items: int = 10, shipped: bool = False) -> TeamWorld:
    """The team world; Dinkes then PUPR hold `opd_items` maturity items each (0: none).
    `shipped` stores every shipped framework, not only G100SC 2022."""
    load_test_regions()
    if shipped:
        store_shipped()
    else:
        store_document(document=g100sc_2022())
    kukar = Region.objects.get(code=REGION_A)
    semarang = Region.objects.get(code=REGION_B)
    health = OPD.objects.create(
        region=kukar, code="DINKES", name="Dinas Kesehatan", short_name="Dinkes"
    )
    roads = OPD.objects.create(region=kukar, code="PUPR", name="Dinas PUPR", short_name="PUPR")
    elsewhere = OPD.objects.create(region=semarang, code="DINKES", name="Dinas Kesehatan")
    people = team_people(kukar, semarang, health, roads, elsewhere)
    admin = people["admin"]
    cycle = open_test_cycle(2024, [kukar, semarang], admin, round=Round.TAHAP_1)
    for who, region, lead in [
        ("lead", kukar, True),
        ("member", kukar, False),
        ("stranger_assessor", semarang, True),
    ]:
        assign_assessor(cycle=cycle, region=region, assessor=people[who], is_lead=lead, user=admin)
    world = TeamWorld(
        cycle=cycle,
        evaluation=Evaluation.objects.get(cycle=cycle, region=kukar),
        other=Evaluation.objects.get(cycle=cycle, region=semarang),
        health=health,
        roads=roads,
        elsewhere=elsewhere,
        people=people,
        kukar=kukar,
        semarang=semarang,
    )
    maturity = [i.pk for i in _items(world.evaluation)]
    ItemValue.objects.filter(pk__in=maturity[:opd_items]).update(opd=health)
    ItemValue.objects.filter(pk__in=maturity[opd_items : 2 * opd_items]).update(opd=roads)
    return world


def publish_last_year(world: TeamWorld) -> Evaluation:
    """Kutai Kartanegara's published 2023 evaluation with two recommendations (GOV, ENV)."""
    admin, lead = world.people["admin"], world.people["lead"]
    cycle = open_test_cycle(2023, [world.kukar], admin, version=world.cycle.framework_version)
    assign_assessor(cycle=cycle, region=world.kukar, assessor=lead, is_lead=True, user=admin)
    evaluation = Evaluation.objects.get(cycle=cycle)
    world.verify(evaluation)
    world.at(EvaluationStatus.FIELD_VISIT, evaluation)
    for dimension, text in [("GOV", "Integrasikan layanan."), ("ENV", "Perluas bank sampah.")]:
        add_recommendation(
            evaluation=evaluation, user=lead, dimension=dimension, text=text, priority=Priority.HIGH
        )
    finalise_evaluation(evaluation=evaluation, user=lead)
    publish_evaluation(evaluation=evaluation, user=admin)
    evaluation.refresh_from_db()
    return evaluation


RANKED_CODES = ["64.02", "64.71", "64.72", "33.74", "33.71", "33.72"]
PEERS = ["64.02", "64.72", "33.71"]


@dataclass
class Ranked:
    """A 2025 cycle of six regions in two provinces, finalised through the real services:
    Kalimantan Timur (Kutai Kartanegara 64.02, Balikpapan 64.71, Samarinda 64.72) and Jawa
    Tengah (Kota Semarang 33.74, Magelang 33.71, Surakarta 33.72); a hand-made peer group holds
    three of them across both provinces. Nothing is published: tests publish what they need."""

    world: TeamWorld
    cycle: Cycle
    evaluations: dict[str, Evaluation]  # region code -> evaluation
    peers: PeerGroup

    @property
    def admin(self) -> User:
        return self.world.people["admin"]


def rank_six(world: TeamWorld) -> Ranked:
    admin, lead = world.people["admin"], world.people["lead"]
    regions = list(Region.objects.filter(code__in=RANKED_CODES).order_by("code"))
    cycle = open_test_cycle(2025, regions, admin, version=world.cycle.framework_version)
    peers = PeerGroup.objects.create(code="uji", name="Kelompok uji")
    peers.regions.set([r for r in regions if r.code in PEERS])
    evaluations = {}
    for seed, region in enumerate(regions, start=3):
        assign_assessor(cycle=cycle, region=region, assessor=lead, is_lead=True, user=admin)
        evaluation = Evaluation.objects.get(cycle=cycle, region=region)
        world.verify(evaluation, seed=seed)
        world.at(EvaluationStatus.FIELD_VISIT, evaluation)
        finalise_evaluation(evaluation=evaluation, user=lead)
        evaluation.refresh_from_db()
        evaluations[region.code] = evaluation
    return Ranked(world, cycle, evaluations, peers)


@dataclass
class Finalised:
    world: TeamWorld
    snapshot: ResultSnapshot
    values: dict[str, Decimal]

    @property
    def index(self) -> Decimal:
        return self.snapshot.index


def finalise_team(world: TeamWorld) -> Finalised:
    """Kutai Kartanegara's 2024 evaluation, verified (self values all 5) and finalised."""
    values = world.verify()
    ItemValue.objects.filter(evaluation=world.evaluation).update(self_value=Decimal(5))
    world.at(EvaluationStatus.FIELD_VISIT)
    snapshot = finalise_evaluation(evaluation=world.evaluation, user=world.people["lead"])
    world.evaluation.refresh_from_db()
    return Finalised(world, snapshot, values)


def publish(finalised: Finalised) -> None:
    publish_evaluation(evaluation=finalised.world.evaluation, user=finalised.world.people["admin"])
    finalised.world.evaluation.refresh_from_db()


def add_result(
    cycle: Cycle, region: Region, index: Decimal, tags: dict[str, str] | None = None
) -> Evaluation:
    """Another region's published result in `cycle` (an evaluation row and its snapshot)."""
    evaluation, _ = Evaluation.objects.update_or_create(
        cycle=cycle, region=region, defaults={"status": EvaluationStatus.PUBLISHED}
    )
    ResultSnapshot.objects.create(
        evaluation=evaluation,
        framework_version=cycle.framework_version,
        index=index,
        tag_indices=tags or {},
    )
    return evaluation


# The national picture ------------------------------------------------------------------------


KUKAR, SEMARANG, SURABAYA, JAKPUS = "64.02", "33.74", "35.78", "31.71"
BANDUNG, DENPASAR, YOGYA = "32.73", "51.71", "34.71"


@dataclass
class Picture:
    """A small national picture: two cycles of G100SC with results whose indices tests choose.

    2024 (the current cycle; its self-assessment deadline has passed):
    - Kabupaten Kutai Kartanegara (64.02): published, 3.456 -> 3.46 (2023: 3.00, +0.46)
    - Kota Semarang (33.74): published, 3.4649 -> 3.46 (a tie with Kutai Kartanegara)
    - Kota Surabaya (35.78): published, 3.10 (2023: 3.50, -0.40)
    - Kota Jakarta Pusat (31.71): finalised, NOT published, 4.80 (it must not reach the public)
    - Kota Bandung (32.73): self-assessment, no override: overdue
    - Kota Denpasar (51.71): self-assessment, override in the future: not overdue
    - Kota Yogyakarta (34.71): submitted
    Statuses are set directly: the workflow is not under test here.
    """

    cycle: Cycle
    previous: Cycle
    people: dict[str, User]

    def evaluation(self, code: str, cycle: Cycle | None = None) -> Evaluation:
        return Evaluation.objects.get(cycle=cycle or self.cycle, region__code=code)

    def client(self, persona: str) -> Client:
        return signed_in(self.people, persona)


def result(
    evaluation: Evaluation,
    index: str,
    status: EvaluationStatus,
    *,
    predicate: str = "MAPAN",
    tags: dict[str, str] | None = None,
    quick_wins: dict[str, str] | None = None,
) -> ResultSnapshot:
    """A current snapshot with the chosen index, and verified values of quick-win items."""
    snapshot = ResultSnapshot.objects.create(
        evaluation=evaluation,
        framework_version=evaluation.cycle.framework_version,
        index=Decimal(index),
        predicate=predicate,
        tag_indices=tags or {},
    )
    for code, value in (quick_wins or {}).items():
        ItemValue.objects.filter(evaluation=evaluation, indicator__code=code).update(
            verified_value=Decimal(value)
        )
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    return snapshot


def build_national_picture() -> Picture:
    """The national picture (see `Picture`)."""
    load_test_regions()
    store_document(document=g100sc_2022())
    codes = [KUKAR, SEMARANG, SURABAYA, JAKPUS, BANDUNG, DENPASAR, YOGYA]
    regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
    first = Cohort.objects.create(year=2017, name="Angkatan 2017")
    Region.objects.filter(code__in=[KUKAR, SURABAYA]).update(cohort=first)
    group = PeerGroup.objects.create(code="metro", name="Kota metropolitan")
    group.regions.set([regions[SEMARANG], regions[SURABAYA]])
    kukar = regions[KUKAR]
    people = {
        "admin": person("admin", (Role.PROGRAM_ADMIN, None, None)),
        "national_viewer": person("national_viewer", (Role.VIEWER, None, None)),
        "assessor": person("assessor", (Role.ASSESSOR, None, None)),
        "coordinator": person("coordinator", (Role.COORDINATOR, kukar, None)),
        "viewer": person("viewer", (Role.VIEWER, kukar, None)),
    }
    admin = people["admin"]
    previous = open_test_cycle(2023, [regions[KUKAR], regions[SURABAYA]], admin)
    cycle = open_test_cycle(2024, list(regions.values()), admin)
    today = timezone.localdate()
    Cycle.objects.filter(pk=cycle.pk).update(self_assessment_deadline=today - timedelta(days=3))
    cycle.refresh_from_db()
    world = Picture(cycle=cycle, previous=previous, people=people)
    result(world.evaluation(KUKAR, previous), "3.00", EvaluationStatus.PUBLISHED)
    result(world.evaluation(SURABAYA, previous), "3.50", EvaluationStatus.PUBLISHED)
    result(
        world.evaluation(KUKAR),
        "3.456",
        EvaluationStatus.PUBLISHED,
        tags={"GOV": "3.5", "ECO": "2.004"},
        quick_wins={"QW-GOV": "4", "QW-ECO": "3"},
    )
    result(
        world.evaluation(SEMARANG),
        "3.4649",
        EvaluationStatus.PUBLISHED,
        tags={"GOV": "3.0", "ECO": "3.0"},
        quick_wins={"QW-GOV": "4", "QW-ECO": "2"},
    )
    result(
        world.evaluation(SURABAYA),
        "3.10",
        EvaluationStatus.PUBLISHED,
        tags={"GOV": "2.5"},
        quick_wins={"QW-GOV": "3"},
    )
    result(
        world.evaluation(JAKPUS),
        "4.80",
        EvaluationStatus.FINALISED,
        predicate="UNGGUL",
        tags={"GOV": "5"},
        quick_wins={"QW-GOV": "5"},
    )
    Evaluation.objects.filter(pk=world.evaluation(DENPASAR).pk).update(
        entry_deadline_override=today + timedelta(days=5)
    )
    Evaluation.objects.filter(pk=world.evaluation(YOGYA).pk).update(
        status=EvaluationStatus.SUBMITTED
    )
    return world


def stored_file(item: ItemValue, name: str = "sop-mpp.pdf") -> Any:
    """A PDF on an item, stored as the upload path stores it but without the upload service,
    which refuses a locked item (set-up for a closed or published evaluation)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cityeval.evidence.filetypes import EVIDENCE_TYPES
    from cityeval.evidence.models import Evidence, EvidenceKind
    from cityeval.evidence.samples import tiny_pdf
    from cityeval.evidence.uploads import stage_upload

    upload = SimpleUploadedFile(name, tiny_pdf([name]), "application/pdf")
    kind, staged = stage_upload(upload, EVIDENCE_TYPES)
    evidence = Evidence.objects.create(
        item=item,
        kind=EvidenceKind.FILE,
        original_name=name,
        stored_path=staged.stored_path,
        content_type=kind.content_type,
        size=staged.size,
        sha256=staged.sha256,
    )
    staged.commit()
    return evidence
