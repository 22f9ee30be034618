"""What each persona SEES of a result and of the assessors' verdicts, on every surface.

The one policy (`cityeval.evaluations.visibility`): a result (index, predicate, ranks, dimension
indices) and a verdict (verified value, the assessors' reason) show to the ministry side (program
admin, national viewer, the region's assessor team) at any stage, and to everybody else only
once the evaluation is PUBLISHED; reopened is unpublished again. The region always reads the
clarification question it must answer.

The surfaces come from the URL conf: every route is either in RESULTS (called for every persona
in every state, its content searched for distinctive figures) or in NO_RESULTS (with why); a
route in neither fails `test_every_route_is_classified`, so a new page or export cannot be
forgotten. One world is built per state through the real services (submit, review with a
clarification and two adjusted values, field visit, finalise, publish, reopen).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from cityeval.accounts.models import Role, User
from cityeval.api.models import TokenScope
from cityeval.api.services import create_token
from cityeval.evaluations.models import Evaluation, ItemValue, ReviewStatus, Round
from cityeval.evaluations.services import (
    Deadlines,
    assign_assessor,
    assign_items,
    open_cycle,
    submit_evaluation,
)
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import store_document
from cityeval.regions.models import OPD, Region
from cityeval.reports.services import (
    finalise_evaluation,
    publish_evaluation,
    reopen_evaluation,
)
from cityeval.results.models import ResultSnapshot
from cityeval.reviews.services import (
    adjust_item,
    answer_clarification,
    bulk_accept,
    request_clarification,
    start_field_visit,
    start_review,
)
from tests.world import g100sc_2022, load_test_regions, person

STATES = ["review", "finalised", "published", "reopened"]
PERSONAS = [
    "anonymous",
    "admin",
    "national_viewer",
    "lead",  # the Kutai Kartanegara team's lead assessor
    "member",  # the same team's other assessor
    "stranger_assessor",  # Kota Semarang's team
    "coordinator",
    "contributor",  # of DINKES, the OPD of item A (item B is BAPPEDA's)
    "viewer",
    "other_coordinator",
    "other_contributor",
    "other_viewer",
]
MINISTRY = {"admin", "national_viewer", "lead", "member"}
REGION = {"coordinator", "contributor", "viewer"}

# Distinctive texts: they appear nowhere but where the review put them.
QUESTION = "PERTANYAANKLARIFIKASIQZ"
REASON_A = "ALASANDINKESQZ"
REASON_B = "ALASANBAPPEDAQZ"
VERIFIED_A = Decimal("87.31")
SECRETS = ("index", "verified", "reason_dinkes", "reason_bappeda")
ITEM_B_ONLY = {"reason_bappeda"}  # item B's verdict: outside a DINKES contributor's items


def sees(persona: str, state: str) -> bool:
    """The policy, written here on its own (not read from the code under test)."""
    return state == "published" or persona in MINISTRY


@dataclass
class World:
    state: str
    evaluation: Evaluation
    item_a: ItemValue
    item_b: ItemValue
    people: dict[str, User]
    tokens: dict[str, str]
    needles: dict[str, tuple[str, ...]]
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        if persona not in self.clients:
            client = Client()
            if persona != "anonymous":
                client.force_login(self.people[persona])
            self.clients[persona] = client
        return self.clients[persona]


# ----- the surfaces -----

Fetch = Callable[[World, str], str | None]  # the text a persona gets (None: not a 200)


def page(path: Callable[[World], str]) -> Fetch:
    def fetch(world: World, persona: str) -> str | None:
        response = world.client(persona).get(path(world))
        return _text(response) if response.status_code == 200 else None

    return fetch


def api(path: Callable[[World], str]) -> Fetch:
    def fetch(world: World, persona: str) -> str | None:
        token = world.tokens.get(persona)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        response = Client().get("/api/v1" + path(world), headers=headers)
        return _text(response) if response.status_code == 200 else None

    return fetch


def _text(response: Any) -> str:
    kind = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if kind.startswith("application/pdf"):
        return "PDF"  # a PDF of the scorecard always prints the index (see `needles_in`)
    if "spreadsheetml" in kind:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    text = content.decode("utf-8-sig")
    if kind.startswith("application/json"):
        text += json.dumps(json.loads(text), ensure_ascii=False)  # \u escapes undone
    return text


def ev(world: World) -> int:
    return world.evaluation.pk


def cycle(world: World) -> int:
    return world.evaluation.cycle_id


@dataclass(frozen=True)
class Surface:
    fetch: Fetch
    carries: frozenset[str]  # what the reference finds on it once the result is published
    reference: str  # a persona who sees everything the surface may show: the expected content


def surface(fetch: Fetch, *carries: str, reference: str = "admin") -> Surface:
    return Surface(fetch, frozenset(carries), reference)


def team(fetch: Fetch, *carries: str) -> Surface:
    """A page of the assessor team's own work (their lead sees what it may show)."""
    return surface(fetch, *carries, reference="lead")


RESULTS: dict[str, Surface] = {
    "evaluations/<int:pk>/": surface(page(lambda w: f"/evaluations/{ev(w)}/")),
    "evaluations/<int:pk>/items/": surface(page(lambda w: f"/evaluations/{ev(w)}/items/")),
    "evaluations/<int:pk>/items/<int:item_pk>/": surface(
        page(lambda w: f"/evaluations/{ev(w)}/items/{w.item_a.pk}/"), "verified", "reason_dinkes"
    ),
    "evaluations/<int:pk>/items/<int:item_pk>/history/": surface(
        page(lambda w: f"/evaluations/{ev(w)}/items/{w.item_a.pk}/history/"),
        "verified",
        "reason_dinkes",
    ),
    "evaluations/<int:pk>/log.csv": surface(
        page(lambda w: f"/evaluations/{ev(w)}/log.csv"), *SECRETS
    ),
    "evaluations/cycles/<int:pk>/": surface(page(lambda w: f"/evaluations/cycles/{cycle(w)}/")),
    "review/<int:pk>/": team(page(lambda w: f"/review/{ev(w)}/"), "verified"),
    "review/<int:pk>/items/<int:item_pk>/": team(
        page(lambda w: f"/review/{ev(w)}/items/{w.item_a.pk}/"), "verified", "reason_dinkes"
    ),
    "review/<int:pk>/changes/": surface(page(lambda w: f"/review/{ev(w)}/changes/")),
    "review/<int:pk>/clarification/": surface(page(lambda w: f"/review/{ev(w)}/clarification/")),
    "reports/<int:pk>/": surface(page(lambda w: f"/reports/{ev(w)}/"), "index"),
    "reports/<int:pk>/result/": surface(page(lambda w: f"/reports/{ev(w)}/result/"), "index"),
    "reports/<int:pk>/edit/": surface(page(lambda w: f"/reports/{ev(w)}/edit/")),
    "reports/<int:pk>/finalise/": team(page(lambda w: f"/reports/{ev(w)}/finalise/"), "index"),
    "reports/<int:pk>/follow-up/": surface(page(lambda w: f"/reports/{ev(w)}/follow-up/")),
    "reports/cycles/": surface(page(lambda w: "/reports/cycles/")),
    "scorecard/<int:pk>/": surface(page(lambda w: f"/scorecard/{ev(w)}/"), "index"),
    "scorecard/<int:pk>/simulate/": surface(page(lambda w: f"/scorecard/{ev(w)}/simulate/")),
    "scorecard/<int:pk>/pdf/": surface(page(lambda w: f"/scorecard/{ev(w)}/pdf/"), "index"),
    "data/": surface(page(lambda w: "/data/"), "index"),
    "data/<int:cycle_id>/results.xlsx": surface(
        page(lambda w: f"/data/{cycle(w)}/results.xlsx"), "index", "verified"
    ),
    "data/<int:cycle_id>/regions.csv": surface(
        page(lambda w: f"/data/{cycle(w)}/regions.csv"), "index"
    ),
    "data/<int:cycle_id>/items.csv": surface(
        page(lambda w: f"/data/{cycle(w)}/items.csv"), "verified"
    ),
    "data/<int:cycle_id>/results.json": surface(
        page(lambda w: f"/data/{cycle(w)}/results.json"), "index"
    ),
    "dashboard/": surface(page(lambda w: "/dashboard/"), "index"),
    "dashboard/public/": surface(page(lambda w: "/dashboard/public/"), "index"),
    "": surface(page(lambda w: "/")),
    "evaluations/": surface(page(lambda w: "/evaluations/")),
    "api/v1/evaluations": surface(api(lambda w: "/evaluations")),
    "api/v1/evaluations/<evaluation_id>": surface(
        api(lambda w: f"/evaluations/{ev(w)}"), *SECRETS[1:]
    ),
    "api/v1/items/<item_id>": surface(
        api(lambda w: f"/items/{w.item_a.pk}"), "verified", "reason_dinkes"
    ),
    "api/v1/cycles/<cycle_id>/results": surface(
        api(lambda w: f"/cycles/{cycle(w)}/results"), "index"
    ),
    # The library lists practices of published results only (their level is the published
    # verified value); the peer comparison prints published figures only.
    "pustaka/": surface(page(lambda w: "/pustaka/")),
    "pustaka/pembanding/<int:region_id>/": surface(
        page(lambda w: f"/pustaka/pembanding/{w.evaluation.region_id}/"), "index"
    ),
}

NO_RESULTS: dict[str, str] = {
    "admin/": "Django admin: staff accounts only, no program persona reaches it",
    "i18n/setlang/": "language switch",
    "i18n/choose/": "language switch of anonymous pages",
    "accounts/": "people, grants, sign-in and tokens: no evaluation content",
    "masterplan/": "the region's masterplan programs: no result or verdict",
    "evaluations/<int:pk>/submit/": "POST only",
    "evaluations/<int:pk>/refresh-programs/": "POST only",
    "evaluations/<int:pk>/items/assign/": "POST only",
    "evaluations/<int:pk>/workbook/": "offline workbook upload: self-assessment values only",
    "evaluations/<int:pk>/workbook.xlsx": "offline workbook: the items a person fills, no verdict",
    "evaluations/<int:pk>/workbook/confirm/": "POST only",
    "evaluations/<int:pk>/entry-exception/": "POST only",
    "evaluations/cycles/": "cycle list: years, rounds, counts",
    "evaluations/cycles/new/": "form to open a cycle",
    "evaluations/cycles/<int:pk>/assessors/": "POST only",
    "evidence/": "evidence files, links, visits and photos: the region's own material",
    "mentoring/": (
        "evaluation visits: plan, attendance, minutes and agreed actions, said in front of "
        "the region; no figure, rank or verified value"
    ),
    "review/": "the assessor's queue: regions and counts of items by review status",
    "review/<int:pk>/start/": "POST only",
    "review/<int:pk>/accept/": "POST only",
    "review/<int:pk>/clarify/": "POST only",
    "review/<int:pk>/field-visit/": "POST only",
    "reports/<int:pk>/propose/": "POST only",
    "reports/<int:pk>/recommendations/": "POST only",
    "reports/<int:pk>/publish/": "POST only",
    "reports/<int:pk>/reopen/": "POST only",
    "reports/cycles/<int:cycle_pk>/publish/": "POST only",
    "notifications/": "ones own notifications: event, region and cycle, no figure or verdict",
    "api/v1/openapi.json": "the API's schema",
    "api/v1/docs": "the API's documentation page",
    "api/v1/frameworks": "framework versions (public reference data)",
    "api/v1/regions": "regions (public reference data)",
    "api/v1/cycles": "cycles (names and dates)",
    "api/v1/items/<item_id>/": "writes (PUT/POST/DELETE) answering with the caller's own item",
    "api/v1/evidence/<evidence_id>": "DELETE only",
    "api/v1/evaluations/<evaluation_id>/submit": "POST only, answering with the status",
    "api/v1/": "the API's index and its 404 for unknown paths",
    "bantuan/": "help centre, glossary, FAQ (anonymised) and questions: no result or verdict",
    "help/": "redirect to bantuan/",
    "faq/": "redirect to bantuan/faq/",
    "discussions/": (
        "item discussions: what people of the region and its assessor team write to each other "
        "(internal threads never reach the team); no figure, rank or verified value"
    ),
    "pustaka/<int:pk>/": (
        "one good practice of a published result (narrative, files, the published level); "
        "taken off the list when the result is reopened (tests/library)"
    ),
    "pustaka/butir/": "the coordinator's share form: the item's own narrative and evidence",
    "pustaka/program/": "masterplan programs: names, dimensions, statuses, budget bands",
    "data/<int:cycle_id>/datapackage.json": "the open data's table schema: columns, no figures",
    "data/catalog.jsonld": "DCAT catalogue: titles and links of the published datasets",
    "dashboard/map/": "the admin's boundary file: its name, uploader and codes, no figure",
    "jobs/": "program admins only: batch titles and done/total, no figure or verdict",
    "dashboard/map/<int:pk>/remove/": "the admin's confirm page: the file's name and size",
    "dashboard/map/<int:pk>-<str:checksum>.json": "the map's geometry: shapes and codes, no figure",
    "evaluations/<int:pk>/workbook/preview/<int:job_id>/": "a workbook's preview: the uploader's "
    "own self-assessment values and the server's, no verdict",
}


def routes() -> Iterator[str]:
    def walk(resolver: URLResolver, prefix: str) -> Iterator[str]:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern, route)
            else:
                assert isinstance(pattern, URLPattern)
                yield route

    yield from walk(get_resolver(), "")


def classified(route: str) -> bool:
    if route in RESULTS:
        return True
    return any(route == key or (key and route.startswith(key)) for key in NO_RESULTS)


def test_every_route_is_classified() -> None:
    missing = sorted({route for route in routes() if not classified(route)})
    assert missing == [], f"routes in neither RESULTS nor NO_RESULTS: {missing}"
    stale = sorted(set(RESULTS) - set(routes()))
    assert stale == [], f"RESULTS names routes the URL conf no longer has: {stale}"


# ----- the world -----


def build(state: str) -> World:
    load_test_regions()
    store_document(document=g100sc_2022())
    kukar, semarang = Region.objects.get(code="64.02"), Region.objects.get(code="33.74")
    dinkes = OPD.objects.create(region=kukar, code="DINKES", name="Dinas Kesehatan")
    bappeda = OPD.objects.create(region=kukar, code="BAPPEDA", name="Bappeda")
    elsewhere = OPD.objects.create(region=semarang, code="DINKES", name="Dinas Kesehatan")
    people = {
        "admin": person("admin", (Role.PROGRAM_ADMIN, None, None)),
        "national_viewer": person("national_viewer", (Role.VIEWER, None, None)),
        "lead": person("lead", (Role.ASSESSOR, None, None)),
        "member": person("member", (Role.ASSESSOR, None, None)),
        "stranger_assessor": person("stranger_assessor", (Role.ASSESSOR, None, None)),
        "coordinator": person("coordinator", (Role.COORDINATOR, kukar, None)),
        "contributor": person("contributor", (Role.CONTRIBUTOR, kukar, dinkes)),
        "viewer": person("viewer", (Role.VIEWER, kukar, None)),
        "other_coordinator": person("other_coordinator", (Role.COORDINATOR, semarang, None)),
        "other_contributor": person("other_contributor", (Role.CONTRIBUTOR, semarang, elsewhere)),
        "other_viewer": person("other_viewer", (Role.VIEWER, semarang, None)),
    }
    admin, lead, coordinator = people["admin"], people["lead"], people["coordinator"]
    opened = open_cycle(
        year=2024,
        round=Round.TAHAP_1,
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[kukar, semarang],
        deadlines=Deadlines(self_assessment=timezone.localdate() + timedelta(days=30)),
        user=admin,
    )
    for user, region, is_lead in [
        (lead, kukar, True),
        (people["member"], kukar, False),
        (people["stranger_assessor"], semarang, True),
    ]:
        assign_assessor(cycle=opened, region=region, assessor=user, is_lead=is_lead, user=admin)
    evaluation = Evaluation.objects.get(cycle=opened, region=kukar)
    items = list(
        ItemValue.objects.filter(evaluation=evaluation)
        .select_related("indicator")
        .order_by("indicator__sequence")
    )
    entered = [i for i in items if i.indicator.data_source != "programs"]
    # A percentage (computed from the masterplan) so that its verified value is distinctive.
    item_a = next(i for i in items if i.indicator.kind == "percentage")
    item_b = entered[0]
    assign_items(evaluation=evaluation, items=[item_a], opd=dinkes, user=coordinator)
    assign_items(evaluation=evaluation, items=[item_b], opd=bappeda, user=coordinator)
    # Set-up only: saving self-assessments has its own tests.
    for item in entered:
        item.self_value = Decimal(3) if item.indicator.kind == "maturity" else Decimal(50)
    ItemValue.objects.bulk_update(entered, ["self_value"])

    submit_evaluation(evaluation=evaluation, user=coordinator)
    start_review(evaluation=evaluation, user=lead)
    request_clarification(evaluation=evaluation, items=[item_a], message=QUESTION, user=lead)
    answer_clarification(evaluation=evaluation, user=coordinator, answer="Sudah dilengkapi.")
    for item, value, reason in [(item_a, VERIFIED_A, REASON_A), (item_b, Decimal(4), REASON_B)]:
        item.refresh_from_db()
        adjust_item(
            item=item,
            user=lead,
            verified_value=value,
            reason=reason,
            expected_version=item.version,
        )
    bulk_accept(
        evaluation=evaluation,
        items=ItemValue.objects.filter(
            evaluation=evaluation,
            review_status__in=[ReviewStatus.PENDING, ReviewStatus.ANSWERED],
            self_value__isnull=False,
        ),
        user=lead,
    )
    for item in ItemValue.objects.filter(evaluation=evaluation, review_status=ReviewStatus.PENDING):
        # Items computed from a masterplan this region has not entered: nothing to accept.
        adjust_item(
            item=item,
            user=lead,
            verified_value=Decimal(0),
            reason="Tanpa data.",
            expected_version=item.version,
        )
    if state != "review":
        start_field_visit(evaluation=evaluation, user=lead)
        finalise_evaluation(evaluation=evaluation, user=lead)
    if state in ("published", "reopened"):
        publish_evaluation(evaluation=evaluation, user=admin)
    if state == "reopened":
        reopen_evaluation(evaluation=evaluation, user=admin, reason="Periksa ulang.")
    evaluation.refresh_from_db()
    needles = {
        "verified": ("87.31", "87,31"),
        "reason_dinkes": (REASON_A,),
        "reason_bappeda": (REASON_B,),
        "question": (QUESTION,),
    }
    snapshot = ResultSnapshot.objects.filter(evaluation=evaluation).order_by("-pk").first()
    if snapshot is not None:
        index = snapshot.index.quantize(Decimal("0.01"))
        needles["index"] = (str(index), str(index).replace(".", ","))
    tokens = {
        name: create_token(user=user, name="t", scope=TokenScope.READ, expires_at=None)[1]
        for name, user in people.items()
    }
    return World(state, evaluation, item_a, item_b, people, tokens, needles)


def needles_in(world: World, text: str | None) -> set[str]:
    if text is None:
        return set()
    if text == "PDF":
        return {"index"}
    return {
        name
        for name, forms in world.needles.items()
        if any(re.search(_standalone(form), text) for form in forms)
    }


def _standalone(form: str) -> str:
    # A figure counts only where no digit touches it: an index of 2.67 is not "shown" by the
    # timestamp 10:12:02.671234 of an audit row or an API field (a false alarm seen under xdist).
    return rf"(?<!\d){re.escape(form)}(?!\d)"


# ----- the table -----


@pytest.mark.django_db
@pytest.mark.parametrize("state", STATES)
def test_each_persona_sees_results_and_verdicts_only_as_the_policy_says(
    state: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Who gets the PDF is decided before it is drawn, and it draws the scorecard page's content
    # (a surface of its own in the table): a stand-in keeps 48 WeasyPrint runs out of it.
    monkeypatch.setattr(
        "cityeval.scorecards.pdf_views.render_scorecard_pdf", lambda *args: b"%PDF-1.7"
    )
    world = build(state)
    wrong = []
    for route, found in RESULTS.items():
        reference = needles_in(world, found.fetch(world, found.reference)) & set(SECRETS)
        if state == "published" and reference != found.carries:
            wrong.append(
                f"{route}: {found.reference} finds {sorted(reference)}, the table says "
                f"{sorted(found.carries)}"
            )
        for persona in [p for p in PERSONAS if p != found.reference]:
            text = found.fetch(world, persona)
            secrets = needles_in(world, text) & set(SECRETS)
            if not sees(persona, state):
                if secrets:
                    wrong.append(f"{route} × {persona} ({state}) shows {sorted(secrets)}")
                continue
            if text is None:
                continue  # who may open the page at all is the URL matrix's test
            expected = reference - (ITEM_B_ONLY if persona == "contributor" else set())
            if secrets != expected:
                wrong.append(
                    f"{route} × {persona} ({state}) shows {sorted(secrets)}, expected "
                    f"{sorted(expected)}"
                )
    assert wrong == [], "\n".join(wrong)


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["review", "published"])
def test_the_region_reads_the_clarification_question_of_its_items(state: str) -> None:
    world = build(state)
    item_page = RESULTS["evaluations/<int:pk>/items/<int:item_pk>/"].fetch
    history = RESULTS["evaluations/<int:pk>/items/<int:item_pk>/history/"].fetch
    for persona in sorted(REGION):
        assert "question" in needles_in(world, item_page(world, persona)), persona
        assert "question" in needles_in(world, history(world, persona)), persona


@pytest.mark.django_db
@pytest.mark.parametrize("state", ["review", "published"])
def test_a_contributor_reads_no_entry_of_another_opds_item(state: str) -> None:
    world = build(state)
    log = world.client("contributor").get(f"/evaluations/{world.evaluation.pk}/log.csv")
    assert log.status_code == 200
    rows = list(csv.reader(io.StringIO(log.content.decode("utf-8-sig"))))
    targets = {row[3] for row in rows[1:]}
    assert f"evaluations.itemvalue#{world.item_a.pk}" in targets
    assert f"evaluations.itemvalue#{world.item_b.pk}" not in targets
    coordinator = world.client("coordinator").get(f"/evaluations/{world.evaluation.pk}/log.csv")
    assert f"evaluations.itemvalue#{world.item_b.pk}" in coordinator.content.decode()
    history = world.client("contributor").get(
        f"/evaluations/{world.evaluation.pk}/items/{world.item_b.pk}/history/"
    )
    assert history.status_code == 404
