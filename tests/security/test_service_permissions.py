"""Services are the trust boundary: a service that acts for a person checks that person's
rights itself (with the access helper the view uses), so a caller that forgot the view's check
(a command, an API route, a job) cannot act with the wrong hands. Each refusal writes nothing.
"""

from __future__ import annotations

import functools
import importlib
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

import cityeval
from cityeval.accounts import services as accounts
from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.api.models import PersonalAccessToken, TokenScope
from cityeval.api.services import create_token, revoke_token
from cityeval.audit.models import AuditEntry
from cityeval.discussions import services as discussions
from cityeval.discussions.models import DataRequest, Thread
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import (
    AssessorAssignment,
    Cycle,
    EvaluationStatus,
    ItemValue,
    Round,
)
from cityeval.evaluations.services import (
    Deadlines,
    assign_assessor,
    assign_items,
    grant_entry_exception,
    open_cycle,
    save_self_assessment,
    save_workbook_rows,
    submit_evaluation,
)
from cityeval.evidence.samples import tiny_pdf
from cityeval.evidence.services import add_file_evidence, add_link_evidence, remove_evidence
from cityeval.frameworks.models import FrameworkVersion
from cityeval.help import services as help_services
from cityeval.help.models import FaqEntry, Question, QuestionSource
from cityeval.jobs.models import Job
from cityeval.library import services as library
from cityeval.library.models import GoodPractice
from cityeval.masterplans import queued as masterplans_queued
from cityeval.masterplans import services as masterplans
from cityeval.masterplans.models import Masterplan, ProgramStatus
from cityeval.masterplans.services import MasterplanData, ProgramData
from cityeval.mentoring import services as mentoring
from cityeval.mentoring.models import (
    AgreedAction,
    AttachedFieldVisit,
    Attendance,
    MinutePoint,
    Visit,
    VisitMaterial,
)
from cityeval.mentoring.services import ActionData, PointData, VisitPlan, Walkin
from cityeval.reports import services as reports
from cityeval.reviews import services as reviews
from cityeval.workbooks import queued as workbooks_queued
from tests.world import World

pytestmark = pytest.mark.django_db

NOT_ADMINS = ["national_viewer", "lead_a", "coordinator_a", "contributor_a", "coordinator_b"]


def refused(act: Callable[[], object]) -> None:
    """`act` raises the permission error and leaves no audit entry behind."""
    entries = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        act()
    assert AuditEntry.objects.count() == entries


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_a_program_admin_opens_a_cycle(shared_world: World, persona: str) -> None:
    w = shared_world
    refused(
        lambda: open_cycle(
            year=2031,
            round=Round.ANNUAL,
            framework_version=FrameworkVersion.objects.get(pk=w.running_cycle.framework_version_id),
            regions=[w.region_a],
            deadlines=Deadlines(self_assessment=date(2031, 6, 30)),
            user=w.people[persona],
        )
    )
    assert not Cycle.objects.filter(year=2031).exists()


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_a_program_admin_assigns_an_assessor(shared_world: World, persona: str) -> None:
    w = shared_world
    before = list(AssessorAssignment.objects.values_list("pk", "user_id", "is_lead"))
    refused(
        lambda: assign_assessor(
            cycle=w.running_cycle,
            region=w.region_a,
            assessor=w.people["assessor_b"],
            is_lead=True,
            user=w.people[persona],
        )
    )
    assert list(AssessorAssignment.objects.values_list("pk", "user_id", "is_lead")) == before


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_a_program_admin_grants_a_deadline_exception(
    shared_world: World, persona: str
) -> None:
    w = shared_world
    refused(
        lambda: grant_entry_exception(
            evaluation=w.running,
            until=date(2031, 1, 1),
            reason="terlambat",
            user=w.people[persona],
        )
    )
    w.running.refresh_from_db()
    assert w.running.entry_deadline_override is None


def test_the_admin_still_grants_a_deadline_exception(shared_world: World) -> None:
    w = shared_world
    grant_entry_exception(
        evaluation=w.running, until=date(2031, 1, 1), reason="banjir", user=w.people["admin"]
    )
    w.running.refresh_from_db()
    assert w.running.entry_deadline_override == date(2031, 1, 1)


@pytest.mark.parametrize("persona", ["coordinator_b", "viewer_a", "lead_a"])
def test_a_person_is_managed_only_by_their_region_or_the_admin(
    shared_world: World, persona: str
) -> None:
    """Coordinator B manages B's people, not A's; a viewer or an assessor manages nobody."""
    w = shared_world
    actor, target = w.people[persona], w.people["contributor_a"]
    refused(lambda: accounts.deactivate_user(actor=actor, user=target))
    refused(
        lambda: accounts.resend_invitation(
            actor=actor, user=w.invited, site_url="https://cityeval.example.id"
        )
    )
    target.is_active = False
    target.save(update_fields=["is_active"])
    refused(lambda: accounts.reactivate_user(actor=actor, user=target))
    assert not User.objects.get(pk=target.pk).is_active


def test_a_coordinator_does_not_revoke_a_national_role(shared_world: World) -> None:
    w = shared_world
    national = RoleGrant.objects.get(user=w.people["national_viewer"], role=Role.VIEWER)
    of_b = RoleGrant.objects.get(user=w.people["viewer_b"], role=Role.VIEWER)
    refused(lambda: accounts.revoke_role(actor=w.people["coordinator_a"], grant=national))
    refused(lambda: accounts.revoke_role(actor=w.people["coordinator_a"], grant=of_b))
    assert RoleGrant.objects.filter(pk__in=[national.pk, of_b.pk]).count() == 2


def test_a_coordinator_still_manages_their_own_region(shared_world: World) -> None:
    w = shared_world
    viewer = w.people["viewer_a"]
    accounts.deactivate_user(actor=w.people["coordinator_a"], user=viewer)
    assert not User.objects.get(pk=viewer.pk).is_active


@pytest.mark.parametrize("persona", ["coordinator_b", "viewer_a", "contributor_a", "lead_a"])
def test_a_masterplan_is_written_only_by_its_regions_coordinator_or_the_admin(
    shared_world: World, persona: str
) -> None:
    w = shared_world
    actor = w.people[persona]
    plan = MasterplanData(title="Rencana lain", start_year=2025, end_year=2030)
    program = ProgramData(
        code="GOV-99",
        name="Program lain",
        element="GOV-PS",
        dimension="GOV",
        owner=w.health,
        budget=Decimal(1),
        start_year=2025,
        end_year=2026,
    )
    refused(lambda: masterplans.create_masterplan(region=w.region_a, user=actor, data=plan))
    refused(lambda: masterplans.update_masterplan(masterplan=w.masterplan, user=actor, data=plan))
    refused(lambda: masterplans.create_program(masterplan=w.masterplan, user=actor, data=program))
    refused(
        lambda: masterplans.update_program(
            program=w.program, user=actor, data=program, expected_version=w.program.version
        )
    )
    refused(
        lambda: masterplans.set_year_status(
            program=w.program,
            user=actor,
            year=2025,
            status=ProgramStatus.COMPLETED,
            progress=Decimal(100),
        )
    )
    refused(lambda: masterplans.import_programs(masterplan=w.masterplan, user=actor, content=b""))
    assert Masterplan.objects.filter(region=w.region_a).count() == 1


@pytest.mark.parametrize("persona", ["coordinator_b", "contributor_a", "viewer_a", "lead_a"])
def test_only_the_regions_coordinator_submits_or_assigns_items(
    shared_world: World, persona: str
) -> None:
    w = shared_world
    actor = w.people[persona]
    refused(lambda: assign_items(evaluation=w.running, items=[w.item], opd=w.roads, user=actor))
    refused(lambda: submit_evaluation(evaluation=w.running, user=actor))
    w.running.refresh_from_db()
    assert w.running.status == EvaluationStatus.SELF_ASSESSMENT
    assert ItemValue.objects.get(pk=w.item.pk).opd_id == w.item.opd_id


# ----- every service that acts for a person checks that person (the class, not the instance) -----
#
# The table lists each public function of every `cityeval/*/services.py` and `queued.py` (the
# jobs' modules, named `app.queued.function`) with a keyword `user` or `actor`, with one case in
# the wrong hands that must be refused and write nothing; the allowlist
# names the person's own-account services, with the reason. A new service that is in neither
# fails `test_every_service_with_an_actor_is_listed`, so it cannot forget its check.


@dataclass(frozen=True)
class Case:
    persona: str
    act: Callable[[World, User], object]
    refusal: type[Exception] = PermissionDenied


def _visit(w: World) -> Visit:
    return mentoring.plan_visit(
        evaluation=w.reviewing,
        user=w.people["lead_a"],
        plan=VisitPlan("Bimtek", "Aula", date(2024, 6, 10), date(2024, 6, 11), []),
    )


def _question(w: World) -> Question:
    return help_services.ask_question(
        evaluation=w.running, text="Apa?", user=w.people["coordinator_a"], source=REGION
    )


def _thread(w: World) -> Thread:
    return discussions.start_thread(
        item=w.item,
        evaluation=w.running,
        user=w.people["coordinator_a"],
        title="Bukti",
        body="Mohon dicek.",
        shared=True,
    ).post.thread


def _practice(w: World) -> GoodPractice:
    item = ItemValue.objects.filter(evaluation=w.published, indicator__kind="maturity").first()
    assert item is not None
    return library.share_practice(
        item=item, narrative="Praktik baik.", evidence_ids=[], user=w.people["coordinator_a"]
    )


def _data_request(w: World) -> DataRequest:
    return discussions.request_data(
        item=w.item,
        evaluation=w.running,
        user=w.people["coordinator_a"],
        to_opd=w.roads if w.item.opd_id != w.roads.pk else w.health,
        due_on=date(2099, 1, 1),
        body="Mohon data.",
    )


def _token(w: World) -> PersonalAccessToken:
    return create_token(
        user=w.people["coordinator_a"], name="t", scope=TokenScope.READ, expires_at=None
    )[0]


def _plan(w: World) -> MasterplanData:
    return MasterplanData(title="Rencana lain", start_year=2025, end_year=2030)


REGION, VISIT = QuestionSource.REGION, QuestionSource.VISIT
WF = WorkflowError
GUARDED: dict[str, Case] = {
    # accounts
    "accounts.authorise_grant": Case(
        "coordinator_b",
        lambda w, u: accounts.authorise_grant(
            actor=u, role=Role.VIEWER, region=w.region_a, opd=None
        ),
    ),
    "accounts.invite_user": Case(
        "coordinator_b",
        lambda w, u: accounts.invite_user(
            actor=u,
            username="baru",
            full_name="Baru",
            email="baru@example.id",
            role=Role.VIEWER,
            region=w.region_a,
            opd=None,
            site_url="https://cityeval.example.id",
        ),
    ),
    "accounts.grant_role": Case(
        "coordinator_b",
        lambda w, u: accounts.grant_role(
            actor=u, user=w.people["viewer_a"], role=Role.COORDINATOR, region=w.region_a
        ),
    ),
    "accounts.revoke_role": Case(
        "coordinator_b",
        lambda w, u: accounts.revoke_role(
            actor=u, grant=RoleGrant.objects.get(user=w.people["viewer_a"], role=Role.VIEWER)
        ),
    ),
    "accounts.deactivate_user": Case(
        "coordinator_b", lambda w, u: accounts.deactivate_user(actor=u, user=w.people["viewer_a"])
    ),
    "accounts.reactivate_user": Case(
        "viewer_a", lambda w, u: accounts.reactivate_user(actor=u, user=w.people["viewer_b"])
    ),
    "accounts.resend_invitation": Case(
        "coordinator_b",
        lambda w, u: accounts.resend_invitation(
            actor=u, user=w.invited, site_url="https://cityeval.example.id"
        ),
    ),
    # api
    "api.revoke_token": Case("coordinator_b", lambda w, u: revoke_token(token=_token(w), user=u)),
    # discussions
    "discussions.start_thread": Case(
        "coordinator_b",
        lambda w, u: discussions.start_thread(
            item=w.item, evaluation=w.running, user=u, title="x", body="x", shared=False
        ),
    ),
    "discussions.add_post": Case(
        "coordinator_b", lambda w, u: discussions.add_post(thread=_thread(w), user=u, body="x")
    ),
    "discussions.edit_post": Case(
        "contributor_a",
        lambda w, u: discussions.edit_post(post=_thread(w).posts.get(), user=u, body="x"),
    ),
    "discussions.set_resolved": Case(
        "coordinator_b",
        lambda w, u: discussions.set_resolved(thread=_thread(w), user=u, resolved=True),
    ),
    "discussions.request_data": Case(
        "viewer_a",
        lambda w, u: discussions.request_data(
            item=w.item,
            evaluation=w.running,
            user=u,
            to_opd=w.roads if w.item.opd_id != w.roads.pk else w.health,
            due_on=date(2099, 1, 1),
            body="x",
        ),
    ),
    "discussions.close_data_request": Case(
        "viewer_a",
        lambda w, u: discussions.close_data_request(data_request=_data_request(w), user=u),
    ),
    # evaluations
    "evaluations.open_cycle": Case(
        "lead_a",
        lambda w, u: open_cycle(
            year=2031,
            round=Round.ANNUAL,
            framework_version=FrameworkVersion.objects.get(pk=w.running_cycle.framework_version_id),
            regions=[w.region_a],
            deadlines=Deadlines(self_assessment=date(2031, 6, 30)),
            user=u,
        ),
    ),
    "evaluations.assign_assessor": Case(
        "coordinator_a",
        lambda w, u: assign_assessor(
            cycle=w.running_cycle,
            region=w.region_a,
            assessor=w.people["assessor_b"],
            is_lead=True,
            user=u,
        ),
    ),
    "evaluations.grant_entry_exception": Case(
        "coordinator_a",
        lambda w, u: grant_entry_exception(
            evaluation=w.running, until=date(2031, 1, 1), reason="x", user=u
        ),
    ),
    "evaluations.assign_items": Case(
        "coordinator_b",
        lambda w, u: assign_items(evaluation=w.running, items=[w.item], opd=w.roads, user=u),
    ),
    "evaluations.submit_evaluation": Case(
        "contributor_a", lambda w, u: submit_evaluation(evaluation=w.running, user=u)
    ),
    "evaluations.save_self_assessment": Case(
        "coordinator_b",
        lambda w, u: save_self_assessment(
            item=w.item, user=u, value=None, narrative="x", expected_version=w.item.version
        ),
        WF,
    ),
    "evaluations.save_workbook_rows": Case(
        "coordinator_b",
        lambda w, u: save_workbook_rows(evaluation=w.running, user=u, rows=[], filename="a.xlsx"),
    ),
    # evidence
    "evidence.add_file_evidence": Case(
        "coordinator_b",
        lambda w, u: add_file_evidence(
            item=w.item,
            user=u,
            upload=SimpleUploadedFile("b.pdf", tiny_pdf(["B"]), "application/pdf"),
            description="x",
        ),
        WF,
    ),
    "evidence.add_link_evidence": Case(
        "coordinator_b",
        lambda w, u: add_link_evidence(
            item=w.item, user=u, url="https://example.id/b", description="x"
        ),
        WF,
    ),
    "evidence.remove_evidence": Case(
        "coordinator_b", lambda w, u: remove_evidence(evidence=w.evidence_link, user=u), WF
    ),
    # help
    "help.ask_question": Case(
        "viewer_a",
        lambda w, u: help_services.ask_question(
            evaluation=w.running, text="x", user=u, source=REGION
        ),
    ),
    "help.answer_question": Case(
        "contributor_a",
        lambda w, u: help_services.answer_question(
            question=_question(w),
            answer="x",
            is_general=True,
            faq_question="",
            faq_answer="",
            user=u,
        ),
    ),
    "help.publish_faq_entry": Case(
        "lead_a",
        lambda w, u: help_services.publish_faq_entry(
            program="G100SC", question="x", answer="y", user=u
        ),
    ),
    # library
    "library.share_practice": Case(
        "coordinator_b",
        lambda w, u: library.share_practice(
            item=ItemValue.objects.filter(evaluation=w.published, indicator__kind="maturity")[0],
            narrative="x",
            evidence_ids=[],
            user=u,
        ),
    ),
    "library.withdraw_practice": Case(
        "viewer_a", lambda w, u: library.withdraw_practice(practice=_practice(w), user=u)
    ),
    "library.hide_practice": Case(
        "contributor_a",
        lambda w, u: library.hide_practice(practice=_practice(w), reason="x", user=u),
        WF,
    ),
    "library.unhide_practice": Case(
        "contributor_a", lambda w, u: library.unhide_practice(practice=_practice(w), user=u), WF
    ),
    # masterplans
    "masterplans.create_masterplan": Case(
        "coordinator_b",
        lambda w, u: masterplans.create_masterplan(region=w.region_a, user=u, data=_plan(w)),
    ),
    "masterplans.update_masterplan": Case(
        "viewer_a",
        lambda w, u: masterplans.update_masterplan(masterplan=w.masterplan, user=u, data=_plan(w)),
    ),
    "masterplans.create_program": Case(
        "contributor_a",
        lambda w, u: masterplans.create_program(
            masterplan=w.masterplan,
            user=u,
            data=ProgramData(
                code="GOV-99",
                name="x",
                element="GOV-PS",
                dimension="GOV",
                owner=w.health,
                budget=Decimal(1),
                start_year=2025,
                end_year=2026,
            ),
        ),
    ),
    "masterplans.update_program": Case(
        "coordinator_b",
        lambda w, u: masterplans.update_program(
            program=w.program,
            user=u,
            data=ProgramData(
                code="GOV-99",
                name="x",
                element="GOV-PS",
                dimension="GOV",
                owner=w.health,
                budget=Decimal(1),
                start_year=2025,
                end_year=2026,
            ),
            expected_version=w.program.version,
        ),
    ),
    "masterplans.set_year_status": Case(
        "lead_a",
        lambda w, u: masterplans.set_year_status(
            program=w.program,
            user=u,
            year=2025,
            status=ProgramStatus.COMPLETED,
            progress=Decimal(100),
        ),
    ),
    "masterplans.import_programs": Case(
        "coordinator_b",
        lambda w, u: masterplans.import_programs(masterplan=w.masterplan, user=u, content=b""),
    ),
    # mentoring: the region reads its visits but only the assessor team (and the admin) writes
    "mentoring.plan_visit": Case(
        "coordinator_a",
        lambda w, u: mentoring.plan_visit(
            evaluation=w.reviewing,
            user=u,
            plan=VisitPlan("x", "Aula", date(2024, 6, 10), date(2024, 6, 10), []),
        ),
    ),
    "mentoring.mark_present": Case(
        "coordinator_a",
        lambda w, u: mentoring.mark_present(
            visit=_visit(w), user=u, person=w.people["contributor_a"], present=True
        ),
    ),
    "mentoring.add_walkin": Case(
        "viewer_a",
        lambda w, u: mentoring.add_walkin(visit=_visit(w), user=u, walkin=Walkin("Tamu", None)),
    ),
    "mentoring.add_point": Case(
        "assessor_b",
        lambda w, u: mentoring.add_point(visit=_visit(w), user=u, data=PointData("Bahasan")),
    ),
    "mentoring.agree_action": Case(
        "contributor_a",
        lambda w, u: mentoring.agree_action(
            visit=_visit(w), user=u, data=ActionData("Lengkapi", w.health, date(2024, 7, 1))
        ),
    ),
    "mentoring.add_material": Case(
        "coordinator_a",
        lambda w, u: mentoring.add_material(
            visit=_visit(w),
            user=u,
            upload=SimpleUploadedFile("bahan.pdf", tiny_pdf(["Bahan"]), "application/pdf"),
        ),
    ),
    "mentoring.attach_field_visit": Case(
        "coordinator_a",
        lambda w, u: mentoring.attach_field_visit(visit=_visit(w), user=u, field_visit=w.visit),
    ),
    # reports
    "reports.finalise_evaluation": Case(
        "member_a", lambda w, u: reports.finalise_evaluation(evaluation=w.reviewing, user=u), WF
    ),
    "reports.publish_evaluation": Case(
        "lead_a", lambda w, u: reports.publish_evaluation(evaluation=w.finalised_b, user=u), WF
    ),
    "reports.publish_cycle": Case(
        "lead_a", lambda w, u: reports.publish_cycle(cycle=w.review_cycle, user=u), WF
    ),
    "reports.reopen_evaluation": Case(
        "coordinator_a",
        lambda w, u: reports.reopen_evaluation(evaluation=w.published, user=u, reason="x"),
        WF,
    ),
    # reviews
    "reviews.start_review": Case(
        "assessor_b", lambda w, u: reviews.start_review(evaluation=w.reviewing, user=u)
    ),
    "reviews.accept_item": Case(
        "assessor_b",
        lambda w, u: reviews.accept_item(
            item=w.review_item, user=u, expected_version=w.review_item.version
        ),
    ),
    "reviews.adjust_item": Case(
        "coordinator_a",
        lambda w, u: reviews.adjust_item(
            item=w.review_item,
            user=u,
            verified_value=Decimal(1),
            reason="x",
            expected_version=w.review_item.version,
        ),
    ),
    "reviews.flag_item": Case(
        "assessor_b", lambda w, u: reviews.flag_item(item=w.review_item, user=u, question="x")
    ),
    "reviews.bulk_accept": Case(
        "coordinator_a",
        lambda w, u: reviews.bulk_accept(evaluation=w.reviewing, items=[w.review_item], user=u),
    ),
    "reviews.request_clarification": Case(
        "assessor_b",
        lambda w, u: reviews.request_clarification(
            evaluation=w.reviewing, items=[w.review_item], message="x", user=u
        ),
    ),
    "reviews.answer_clarification": Case(
        "coordinator_b",
        lambda w, u: reviews.answer_clarification(evaluation=w.reviewing, user=u, answer="x"),
    ),
    "reviews.start_field_visit": Case(
        "coordinator_a", lambda w, u: reviews.start_field_visit(evaluation=w.reviewing, user=u)
    ),
    # jobs' modules (queued.py): the upload is refused before anything is kept or queued
    "masterplans.queued.queue_import": Case(
        "coordinator_b",
        lambda w, u: masterplans_queued.queue_import(
            masterplan=w.masterplan, user=u, content=b"x", filename="x.xlsx"
        ),
    ),
    "workbooks.queued.queue_preview": Case(
        "viewer_a",
        lambda w, u: workbooks_queued.queue_preview(
            evaluation=w.running, user=u, content=b"x", filename="x.xlsx"
        ),
    ),
    "workbooks.queued.confirm_preview": Case(
        "coordinator_b",
        lambda w, u: workbooks_queued.confirm_preview(evaluation=w.running, user=u, token="x"),
    ),
}

UPLOAD_JOBS = (masterplans_queued.KIND, workbooks_queued.KIND)

OWN_ACCOUNT = "acts only on the person's own account: there are no wrong hands to pass"
ALLOWED: dict[str, str] = {
    "accounts.update_profile": OWN_ACCOUNT,
    "accounts.set_own_password": OWN_ACCOUNT,
    "api.create_token": OWN_ACCOUNT + " (a token for `user` itself)",
    "help.dismiss_checklist": OWN_ACCOUNT + " (the person's own checklist)",
    "notifications.mark_read": OWN_ACCOUNT + " (only the person's own notifications)",
}


# The modules that act for a person: the services, and the jobs' modules (`queued.py`) whose
# functions take the person whose upload they queue or confirm.
ACTING_MODULES = ("services", "queued")


def services_with_an_actor() -> set[str]:
    found = set()
    paths = (p for m in ACTING_MODULES for p in Path(cityeval.__file__).parent.glob(f"*/{m}.py"))
    for path in sorted(paths):
        module = importlib.import_module(f"cityeval.{path.parent.name}.{path.stem}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module.__name__ or name.startswith("_"):
                continue
            parameters = inspect.signature(function).parameters
            if any(
                key in parameters and parameters[key].kind is inspect.Parameter.KEYWORD_ONLY
                for key in ("user", "actor")
            ):
                where = (
                    path.parent.name
                    if path.stem == "services"
                    else f"{path.parent.name}.{path.stem}"
                )
                found.add(f"{where}.{name}")
    return found


def test_every_service_with_an_actor_is_listed() -> None:
    """A service taking a person is in the table (with a refused case) or allowed with a reason;
    the lists name no service that is gone."""
    found = services_with_an_actor()
    assert not GUARDED.keys() & ALLOWED.keys()
    assert sorted(found - GUARDED.keys() - ALLOWED.keys()) == []
    assert sorted((GUARDED.keys() | ALLOWED.keys()) - found) == []


@pytest.mark.parametrize("name", sorted(GUARDED))
def test_each_service_refuses_the_wrong_hands(shared_world: World, name: str) -> None:
    """The case is refused and the wrong hands leave no audit entry (a case may first build the
    object it acts on, e.g. a visit planned by the lead: those entries are someone else's)."""
    w = shared_world
    case = GUARDED[name]
    actor = w.people[case.persona]
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    uploads = Job.objects.filter(kind__in=UPLOAD_JOBS)
    jobs = uploads.count()
    with pytest.raises(case.refusal):
        case.act(w, actor)
    assert not AuditEntry.objects.filter(pk__gt=last, actor=actor).exists()
    assert uploads.count() == jobs  # no upload kept and queued for the wrong hands


def _visit_rows() -> list[int]:
    return [
        model.objects.count()
        for model in (
            Visit,
            Attendance,
            MinutePoint,
            AgreedAction,
            VisitMaterial,
            AttachedFieldVisit,
        )
    ]


@pytest.mark.parametrize(
    "persona",
    [
        "coordinator_a",
        "contributor_a",
        "viewer_a",
        "national_viewer",
        "assessor_b",
        "coordinator_b",
    ],
)
def test_a_visit_is_written_only_by_the_assessor_team_or_the_admin(
    shared_world: World, persona: str
) -> None:
    """The region reads its visits (the visit page's rule), it writes none of them."""
    w = shared_world
    visit, actor = _visit(w), w.people[persona]
    rows = _visit_rows()
    upload = SimpleUploadedFile("bahan.pdf", tiny_pdf(["Bahan"]), "application/pdf")
    plan = VisitPlan("Bimtek", "Aula", date(2024, 6, 10), date(2024, 6, 10), [])
    refused(lambda: mentoring.plan_visit(evaluation=w.reviewing, user=actor, plan=plan))
    refused(
        lambda: mentoring.mark_present(
            visit=visit, user=actor, person=w.people["contributor_a"], present=True
        )
    )
    refused(lambda: mentoring.add_walkin(visit=visit, user=actor, walkin=Walkin("Tamu", None)))
    refused(lambda: mentoring.add_point(visit=visit, user=actor, data=PointData("Bahasan")))
    refused(
        lambda: mentoring.agree_action(
            visit=visit, user=actor, data=ActionData("Lengkapi", w.health, date(2024, 7, 1))
        )
    )
    refused(lambda: mentoring.add_material(visit=visit, user=actor, upload=upload))
    refused(lambda: mentoring.attach_field_visit(visit=visit, user=actor, field_visit=w.visit))
    assert _visit_rows() == rows


@pytest.mark.parametrize("persona", ["admin", "member_a"])
def test_the_team_and_the_admin_still_write_a_visit(shared_world: World, persona: str) -> None:
    w = shared_world
    actor = w.people[persona]
    plan = VisitPlan("Bimtek", "Aula", date(2024, 6, 10), date(2024, 6, 10), [])
    visit = mentoring.plan_visit(evaluation=w.reviewing, user=actor, plan=plan)
    mentoring.add_point(visit=visit, user=actor, data=PointData("Bahasan"))
    mentoring.add_walkin(visit=visit, user=actor, walkin=Walkin("Tamu", None))
    assert (visit.points.count(), visit.attendances.count()) == (1, 1)


@pytest.mark.parametrize(
    "persona", ["viewer_a", "national_viewer", "admin", "coordinator_b", "assessor_b"]
)
def test_only_the_region_or_its_team_asks(shared_world: World, persona: str) -> None:
    w = shared_world
    actor = w.people[persona]
    for source in QuestionSource:
        refused(
            functools.partial(
                help_services.ask_question,
                evaluation=w.running,
                text="Tanya",
                user=actor,
                source=source,
            )
        )
    assert not Question.objects.filter(text="Tanya").exists()


def test_a_forged_question_source_is_refused(shared_world: World) -> None:
    """The region does not record a 'visit' question, the assessor team asks no 'region' one."""
    w = shared_world
    ask = help_services.ask_question
    refused(
        lambda: ask(
            evaluation=w.running, text="Tanya", user=w.people["coordinator_a"], source=VISIT
        )
    )
    refused(
        lambda: ask(evaluation=w.reviewing, text="Tanya", user=w.people["lead_a"], source=REGION)
    )
    assert not Question.objects.filter(text="Tanya").exists()


@pytest.mark.parametrize(
    "persona", ["coordinator_a", "contributor_a", "viewer_a", "assessor_b", "coordinator_b"]
)
def test_only_the_team_or_the_admin_answers(shared_world: World, persona: str) -> None:
    w = shared_world
    question = _question(w)
    refused(
        lambda: help_services.answer_question(
            question=question,
            answer="Jawab",
            is_general=True,
            faq_question="",
            faq_answer="",
            user=w.people[persona],
        )
    )
    question.refresh_from_db()
    assert (question.answer, FaqEntry.objects.filter(source=question).exists()) == ("", False)


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_a_program_admin_publishes_an_faq_entry(shared_world: World, persona: str) -> None:
    w = shared_world
    refused(
        lambda: help_services.publish_faq_entry(
            program="G100SC", question="Tanya", answer="Jawab", user=w.people[persona]
        )
    )
    assert not FaqEntry.objects.filter(question="Tanya").exists()
