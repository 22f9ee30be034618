"""`audited` derives an entry's evaluation and region from its target; no writer passes them.

The derived ids are compared, per target type, with the expression each service passed by hand
before `audited` existed, so the entries written stay the same.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.db import models, transaction

import cityeval
from cityeval.accounts.models import Role, RoleGrant
from cityeval.api.models import PersonalAccessToken
from cityeval.audit.log import Changes, audited
from cityeval.audit.models import AuditEntry
from cityeval.audit.scopes import PATHS, SELF, Scope, UnknownAuditTarget, scope_of
from cityeval.discussions.models import DataRequest, Post, Thread
from cityeval.evaluations.models import AssessorAssignment, Evaluation
from cityeval.help.models import ChecklistDismissal, FaqEntry, Question
from cityeval.library.models import GoodPractice
from cityeval.masterplans.models import ProgramYear
from cityeval.mentoring.models import Visit
from cityeval.regions.models import BoundaryFile, Province
from cityeval.reports.models import AssessorReport, RecommendationFollowUp
from cityeval.results.models import RankAnalysis
from tests.world import World

pytestmark = pytest.mark.django_db

PACKAGE = Path(cityeval.__file__).parent


# --- the source scan: every writer outside `audit` goes through `audited` ---------------------

# Writers that build entries themselves, and why.
BY_HAND = {
    # The demo writes thousands of evidence entries in one bulk insert, from ids it already holds.
    "operations/demo/evidence_demo.py": "bulk demo evidence",
    # A redacted copy of an entry for display, never saved.
    "evaluations/visibility.py": "redacted copy",
}


def _writes(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "cityeval.audit.log":
            found += [f"imports {a.name}" for a in node.names if a.name == "record"]
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else ""
        name = node.func.id if isinstance(node.func, ast.Name) else name
        scoped = {k.arg or "" for k in node.keywords} & {"evaluation_id", "region_id"}
        if name in {"record", "audited"} and scoped:
            found.append(f"line {node.lineno}: {name}(...) passes {sorted(scoped)} by hand")
        if name == "AuditEntry" or (
            name in {"create", "bulk_create"} and "AuditEntry" in ast.unparse(node.func)
        ):
            found.append(f"line {node.lineno}: builds an AuditEntry")
    return found


def test_no_writer_outside_audit_passes_the_scope_by_hand() -> None:
    offences = {}
    scanned = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith(("audit/", "locale/")) or relative in BY_HAND:
            continue
        scanned += 1
        found = _writes(ast.parse(path.read_text(encoding="utf-8")))
        if found:
            offences[relative] = found
    assert scanned > 100
    assert offences == {}


def test_the_scan_finds_a_hand_passed_scope() -> None:
    source = (
        "from cityeval.audit.log import record\n"
        "record(actor=u, action='x', target=t, region_id=1)\n"
        "audited(actor=u, action='x', target=t, evaluation_id=2)\n"
        "AuditEntry.objects.create(action='x')\n"
    )
    assert len(_writes(ast.parse(source))) == 4


def test_every_exception_to_the_scan_still_builds_entries_by_hand() -> None:
    for relative in BY_HAND:
        assert "AuditEntry(" in (PACKAGE / relative).read_text(encoding="utf-8"), relative


# --- the table: every path is a chain of foreign keys ending at an Evaluation or a Region ------


def _end_of(label: str, path: str) -> str:
    model: type[models.Model] = apps.get_model(label)
    if path == SELF:
        return model._meta.label_lower
    for step in path.split("."):
        field = model._meta.get_field(step)
        assert isinstance(field, models.ForeignKey), f"{label}: {path}: {step} is no foreign key"
        model = field.related_model
    return model._meta.label_lower


@pytest.mark.parametrize("label", sorted(PATHS))
def test_each_path_ends_at_an_evaluation_or_a_region(label: str) -> None:
    paths = PATHS[label]
    if paths.evaluation is not None:
        assert _end_of(label, paths.evaluation) == "evaluations.evaluation"
    if paths.region is not None:
        assert _end_of(label, paths.region) == "regions.region"


def test_an_unknown_target_is_refused_and_nothing_is_written(shared_world: World) -> None:
    province = Province.objects.first()
    assert province is not None
    before = AuditEntry.objects.count()
    with pytest.raises(UnknownAuditTarget, match=r"regions\.province"), transaction.atomic():
        audited(actor=shared_world.people["admin"], action="test.unknown", target=province)
    assert AuditEntry.objects.count() == before


# --- the derived ids equal what each service passed by hand before --------------------------

# label -> (a target from the world, the ids the services passed for it before `audited`).
Case = Callable[[World], tuple[models.Model, Scope]]


def _item(w: World) -> tuple[models.Model, Scope]:
    return w.item, Scope(w.item.evaluation_id, w.item.evaluation.region_id)


def _evaluation(w: World) -> tuple[models.Model, Scope]:
    return w.running, Scope(w.running.pk, w.running.region_id)


def _evidence(w: World) -> tuple[models.Model, Scope]:
    item = w.evidence_file.item
    return w.evidence_file, Scope(item.evaluation_id, item.evaluation.region_id)


def _field_visit(w: World) -> tuple[models.Model, Scope]:
    return w.visit, Scope(w.visit.evaluation_id, w.visit.evaluation.region_id)


def _clarification(w: World) -> tuple[models.Model, Scope]:
    evaluation = w.clarification.evaluation
    return w.clarification, Scope(evaluation.pk, evaluation.region_id)


def _recommendation(w: World) -> tuple[models.Model, Scope]:
    current = w.recommendation.evaluation
    return w.recommendation, Scope(current.pk, current.region_id)


def _report(w: World) -> tuple[models.Model, Scope]:
    return AssessorReport(evaluation=w.published), Scope(w.published.pk, w.published.region_id)


def _follow_up(w: World) -> tuple[models.Model, Scope]:
    # Reported in the next cycle's evaluation about the published one's recommendation.
    follow_up = RecommendationFollowUp(recommendation=w.recommendation, evaluation=w.running)
    return follow_up, Scope(w.running.pk, w.running.region_id)


def _question(w: World) -> tuple[models.Model, Scope]:
    question = Question(evaluation=w.running, region_id=w.running.region_id, text="?")
    return question, Scope(w.running.pk, w.running.region_id)


def _visit(w: World) -> tuple[models.Model, Scope]:
    visit = Visit(evaluation=w.reviewing, title="bimtek")
    return visit, Scope(w.reviewing.pk, w.reviewing.region_id)


def _masterplan(w: World) -> tuple[models.Model, Scope]:
    return w.masterplan, Scope(None, w.masterplan.region_id)


def _program(w: World) -> tuple[models.Model, Scope]:
    return w.program, Scope(None, w.program.masterplan.region_id)


def _program_year(w: World) -> tuple[models.Model, Scope]:
    year = ProgramYear(program=w.program, year=2024, progress=Decimal(50))
    return year, Scope(None, w.program.masterplan.region_id)


def _grant(w: World) -> tuple[models.Model, Scope]:
    grant = RoleGrant.objects.get(user=w.people["coordinator_a"])
    return grant, Scope(None, grant.region_id)


def _assignment(w: World) -> tuple[models.Model, Scope]:
    assignment = AssessorAssignment.objects.get(
        cycle=w.running_cycle, region=w.region_a, user=w.people["lead_a"]
    )
    return assignment, Scope(None, w.region_a.pk)


def _region(w: World) -> tuple[models.Model, Scope]:
    return w.region_a, Scope(None, w.region_a.pk)


def _new_thread(w: World) -> Thread:
    return Thread(item=w.item, evaluation=w.item.evaluation, created_by=w.people["coordinator_a"])


def _thread(w: World) -> tuple[models.Model, Scope]:
    evaluation = w.item.evaluation
    return _new_thread(w), Scope(evaluation.pk, evaluation.region_id)


def _post(w: World) -> tuple[models.Model, Scope]:
    thread = _new_thread(w)
    post = Post(thread=thread, author=w.people["coordinator_a"], body="?")
    return post, Scope(thread.evaluation_id, thread.evaluation.region_id)


def _data_request(w: World) -> tuple[models.Model, Scope]:
    thread = _new_thread(w)
    asked = DataRequest(thread=thread, from_opd=w.health, to_opd=w.roads, due_on=date(2030, 1, 1))
    return asked, Scope(thread.evaluation_id, thread.evaluation.region_id)


def _practice(w: World) -> tuple[models.Model, Scope]:
    # Shared from the published result; its region is the evaluation's, copied at sharing.
    evaluation = w.published
    practice = GoodPractice(evaluation=evaluation, region_id=evaluation.region_id, narrative="!")
    return practice, Scope(evaluation.pk, evaluation.region_id)


def _unscoped(build: Callable[[World], models.Model]) -> Case:
    return lambda w: (build(w), Scope(None, None))


CASES: dict[str, Case] = {
    "evaluations.itemvalue": _item,
    "evaluations.evaluation": _evaluation,
    "evidence.evidence": _evidence,
    "evidence.fieldvisit": _field_visit,
    "reviews.clarificationrequest": _clarification,
    "reports.recommendation": _recommendation,
    "reports.assessorreport": _report,
    "reports.recommendationfollowup": _follow_up,
    "help.question": _question,
    "mentoring.visit": _visit,
    "masterplans.masterplan": _masterplan,
    "masterplans.program": _program,
    "masterplans.programyear": _program_year,
    "accounts.rolegrant": _grant,
    "evaluations.assessorassignment": _assignment,
    "regions.region": _region,
    "evaluations.cycle": _unscoped(lambda w: w.running_cycle),
    "results.rankanalysis": _unscoped(lambda w: RankAnalysis(cycle=w.published_cycle)),
    "help.faqentry": _unscoped(lambda w: FaqEntry(program="G100SC", question="?", answer="!")),
    "help.checklistdismissal": _unscoped(
        lambda w: ChecklistDismissal(user=w.people["coordinator_a"], role="coordinator")
    ),
    "api.personalaccesstoken": _unscoped(
        lambda w: PersonalAccessToken.objects.filter(user=w.people["admin"]).get()
    ),
    "discussions.thread": _thread,
    "discussions.post": _post,
    "discussions.datarequest": _data_request,
    "library.goodpractice": _practice,
    "regions.boundaryfile": _unscoped(lambda w: BoundaryFile(original_name="batas.geojson")),
}


def test_every_row_of_the_table_has_a_case() -> None:
    assert set(CASES) == set(PATHS)


@pytest.mark.parametrize("label", sorted(CASES))
def test_the_derived_scope_is_the_one_passed_before(shared_world: World, label: str) -> None:
    target, expected = CASES[label](shared_world)
    assert target._meta.label_lower == label
    assert scope_of(target, actor=shared_world.people["admin"]) == expected


def test_an_entry_about_a_person_is_in_their_one_region(shared_world: World) -> None:
    w = shared_world
    coordinator = w.people["coordinator_a"]
    # Written by someone else (invited, invited again, deactivated): the person's region.
    assert scope_of(coordinator, actor=w.people["admin"]) == Scope(None, w.region_a.pk)
    # Their own profile or password: not the region's business, as before.
    assert scope_of(coordinator, actor=coordinator) == Scope(None, None)
    # No region, or roles in two regions: no region.
    assert scope_of(w.people["admin"], actor=coordinator) == Scope(None, None)
    RoleGrant.objects.create(user=coordinator, role=Role.VIEWER, region=w.region_b)
    assert scope_of(coordinator, actor=w.people["admin"]) == Scope(None, None)


def test_an_entry_written_through_audited_carries_the_derived_scope(shared_world: World) -> None:
    w = shared_world
    entry = audited(actor=w.people["lead_a"], action="test.scope", target=w.evidence_file)
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert (stored.evaluation_id, stored.region_id) == (w.item.evaluation_id, w.region_a.pk)


# --- Changes: the fields before and after ------------------------------------------------------


def test_changes_read_foreign_keys_as_ids_and_keep_every_named_field(shared_world: World) -> None:
    item = shared_world.item
    changes = Changes(item, ["opd", "narrative"])
    assert changes.before == {"opd": shared_world.health.pk, "narrative": item.narrative}
    item.opd = shared_world.roads
    assert changes.changed
    assert changes.pair() == (
        {"opd": shared_world.health.pk, "narrative": item.narrative},
        {"opd": shared_world.roads.pk, "narrative": item.narrative},
    )


def test_changes_can_keep_only_what_changed(shared_world: World) -> None:
    program = shared_world.program
    changes = Changes(program, ["name", "code"], only_changed=True)
    old = program.name
    assert not changes.changed
    program.name = "Program baru"
    assert changes.pair() == ({"name": old}, {"name": "Program baru"})


def test_changes_of_a_new_row_have_no_before_and_read_many_to_many_as_sorted_ids(
    shared_world: World,
) -> None:
    visit = shared_world.visit
    changes = Changes(visit, ["date", "items"], created=True)
    assert changes.changed
    wanted = sorted(visit.items.values_list("pk", flat=True))
    assert changes.pair() == (None, {"date": visit.date, "items": wanted})
    assert isinstance(visit.date, date)


def test_audited_adds_extra_fields_to_what_changes_read(shared_world: World) -> None:
    evaluation = Evaluation.objects.get(pk=shared_world.running.pk)
    changes = Changes(evaluation, ["entry_deadline_override"])
    evaluation.entry_deadline_override = date(2030, 1, 2)
    entry = audited(
        actor=shared_world.people["admin"],
        action="test.extra",
        target=evaluation,
        changes=changes,
        after={"note": "x"},
    )
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.before == {"entry_deadline_override": None}
    assert stored.after == {"entry_deadline_override": "2030-01-02", "note": "x"}
