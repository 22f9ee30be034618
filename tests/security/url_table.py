"""THE table of the URL × persona permission matrix: one row per named URL (see `matrix.py`).

Reading a row: `get=` and `post=` (and `put=`/`delete=` for API operations) give the status each
persona of `tests/world.py` must get. A profile such as `SIGNED_IN` or `A_READS` gives the
usual answer of a kind of page; `.but(persona=status)` changes single cells. Rules the cells
follow (docs/architecture.md, the engineering brief):

- anonymous on a private page: 302 to the login page; on the API: 401;
- another region's object (or an evaluation outside an assessor's team): 404, never 403;
- a lesser role inside its own region: 403;
- a method the view does not take: 405;
- a POST with an empty body that the person may send: 200 (the form again, with its errors) or
  302 (done, back to the page); `body=` gives a minimal valid body where empty would tell
  nothing (the API validates the body before it looks at the object).

Cells whose correct answer differs from today's and whose fix belongs to another branch are
`Hole`s: the matrix skips them and `test_known_holes` expects the correct status (strict xfail).

Adding a URL: add its row here. `CITYEVAL_MATRIX_SHOW=1 pytest -s tests/security/test_url_matrix.py`
prints what every persona gets today (`CITYEVAL_MATRIX_ONLY=reports:` walks only the URL names
that start with it); read each cell critically before copying it. A further row of the same URL
over another object or body is keyed "name@what" (e.g. the scorecard of an unpublished result).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cityeval.accounts.invitations import invitation_tokens
from cityeval.accounts.models import User
from cityeval.api.models import PersonalAccessToken
from cityeval.evaluations.models import ItemValue
from cityeval.help.models import Question
from cityeval.notifications.models import Notification
from cityeval.regions.models import BoundaryFile, Region
from tests.security.matrix import Hole, Row, cells, no_kwargs
from tests.world import World, stored_file


def uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def token_of(w: World, persona: str) -> int:
    return PersonalAccessToken.objects.get(user=w.people[persona]).pk


def version(item: ItemValue) -> int:
    return ItemValue.objects.get(pk=item.pk).version


def admin_at(name: str, w: World) -> dict[str, Any]:
    """Arguments for a page of Django's admin site (one access rule: staff only)."""
    if name == "admin:app_list":
        return {"app_label": "regions"}
    if name == "admin:view_on_site":
        return {
            "content_type_id": ContentType.objects.get_for_model(Region).pk,
            "object_id": w.region_a.pk,
        }
    if name == "admin:auth_user_password_change":
        return {"id": w.people["admin"].pk}
    label, _sep, action = name.removeprefix("admin:").rpartition("_")
    if action not in ("change", "delete", "history"):
        return {}
    for model in admin.site._registry:
        if f"{model._meta.app_label}_{model._meta.model_name}" == label:
            first = model._default_manager.order_by("pk").first()
            return {"object_id": first.pk if first else 1}
    return {}  # a page of the site itself (password_change, login ...)


# Profiles: the usual answer of a kind of page. Persona order: see tests/world.py.
EVERYONE = cells(200)
NOBODY = cells(405)  # the view does not take this method, signed in or not
SIGNED_IN = cells(200, anonymous=302)
NOT_THIS_METHOD = cells(405, anonymous=302)  # login_required runs before the method check
ADMIN_ONLY = cells(403, anonymous=302, admin=200)
API_READ = cells(200, anonymous=401)

# Region A's evaluations: everyone who reads A's own data; another region, or an assessor of
# another team, does not see that the evaluation exists.
FOREIGN_TO_A = {"assessor_b": 404, "coordinator_b": 404, "contributor_b": 404, "viewer_b": 404}
A_READS = cells(200, anonymous=302, **FOREIGN_TO_A)
# Only the coordinator of A (and people with their rights) may act; other members of A: 403.
A_COORDINATES = cells(403, anonymous=302, coordinator_a=302, **FOREIGN_TO_A)
# A's self-assessment: the coordinator and the contributor who holds the item.
A_FILLS_ITEM = A_COORDINATES.but(contributor_a=302, contributor_a2=404)
# A's review: the assessor team of A (lead and member).
A_TEAM = cells(403, anonymous=302, lead_a=200, member_a=200, **FOREIGN_TO_A)
A_TEAM_ACTS = A_TEAM.but(lead_a=302, member_a=302)
# The field visits of A's review: the team and the program admin write, readers of the
# evaluation except contributors (who see only their OPD's items) read.
VISIT_READS = A_READS.but(contributor_a=404, contributor_a2=404)
VISIT_WRITES = VISIT_READS.but(
    national_viewer=403, coordinator_a=403, viewer_a=403, admin=200, lead_a=200, member_a=200
)
# Evaluation visits (mentoring) of A's review inviting Dinkes: the field visits' readers plus
# the invited OPD's contributors read; the team and the program admin write.
MENTORING_READS = VISIT_READS.but(contributor_a=200)
MENTORING_WRITES = MENTORING_READS.but(
    national_viewer=403, coordinator_a=403, viewer_a=403, contributor_a=403
)
MENTORING_ACTS = MENTORING_WRITES.but(admin=302, lead_a=302, member_a=302)
# Item discussions: the region reads all its threads, the assessor team and the ministry the
# shared ones; coordinators, contributors (of any OPD of A) and the team post.
DISCUSSION_POSTS = cells(
    403,
    anonymous=302,
    lead_a=302,
    member_a=302,
    coordinator_a=302,
    contributor_a=302,
    contributor_a2=302,
    **FOREIGN_TO_A,
)
MINISTRY_SIDE_404 = {"admin": 404, "national_viewer": 404, "lead_a": 404, "member_a": 404}
# Asking another OPD for data: the region's members who fill (not the ministry, the team, viewers);
# editing a post: its author alone (contributor_a wrote it).
DISCUSSION_ASKS = A_READS.but(
    admin=403, national_viewer=403, lead_a=403, member_a=403, viewer_a=403, contributor_a2=404
)
DISCUSSION_EDITS = A_READS.but(
    admin=403,
    national_viewer=403,
    lead_a=403,
    member_a=403,
    coordinator_a=403,
    contributor_a2=403,
    viewer_a=403,
)
# People pages: program admin and coordinators; a coordinator of B does not see A's people.
PEOPLE = cells(403, anonymous=302, admin=200, coordinator_a=200, coordinator_b=200)
PERSON_OF_A_ACTS = PEOPLE.but(admin=302, coordinator_a=302, coordinator_b=404)
# API: 401 without a token; A's item for writing: the coordinator and the item's contributor.
API_A_WRITES = cells(
    403, anonymous=401, coordinator_a=200, contributor_a=200, contributor_a2=404, **FOREIGN_TO_A
)
# A final result before publication: the ministry and the region's assessor team only; the
# region itself sees it when it is published.
DRAFT_OF_B = cells(404, anonymous=302, admin=200, national_viewer=200, assessor_b=200)
# Django's admin site: staff only, and nobody in the world is staff (the program admin works in
# the program's own pages), so every persona is sent to the admin's login page.
ADMIN_SITE = Row(at=no_kwargs, get=cells(302), post=cells(302))


def _published(w: World) -> dict[str, Any]:
    return {"pk": w.published.pk}


def _running(w: World) -> dict[str, Any]:
    return {"pk": w.running.pk}


def _reviewing(w: World) -> dict[str, Any]:
    return {"pk": w.reviewing.pk}


def _mentoring_visit(w: World) -> dict[str, Any]:
    """A visit of A's review inviting only Dinkes (made inside the request's savepoint)."""
    from datetime import date

    from cityeval.mentoring.models import Visit
    from cityeval.mentoring.services import VisitPlan, plan_visit

    visit = Visit.objects.filter(evaluation=w.reviewing).first() or plan_visit(
        evaluation=w.reviewing,
        user=w.people["lead_a"],
        plan=VisitPlan("Bimtek", "Aula", date(2024, 6, 10), date(2024, 6, 11), [], [w.health]),
    )
    return {"pk": visit.pk}


def _mentoring_material(w: World) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cityeval.evidence.samples import tiny_pdf
    from cityeval.mentoring.models import Visit, VisitMaterial
    from cityeval.mentoring.services import add_material

    visit = Visit.objects.get(pk=_mentoring_visit(w)["pk"])
    material = VisitMaterial.objects.filter(visit=visit).first() or add_material(
        visit=visit,
        user=w.people["lead_a"],
        upload=SimpleUploadedFile("bahan.pdf", tiny_pdf(["Bahan"]), "application/pdf"),
    )
    return {"pk": material.pk}


# Item discussions of A's running item (made inside the request's savepoint): a thread shared
# with the assessor team, with a post of contributor_a carrying the item's evidence file.
def _shared_thread(w: World) -> dict[str, Any]:
    from cityeval.discussions.models import Thread
    from cityeval.discussions.services import start_thread

    found = Thread.objects.filter(item=w.item, visibility="shared").first()
    if found is None:
        found = start_thread(
            item=w.item,
            evaluation=w.running,
            user=w.people["contributor_a"],
            title="Data",
            body="Mohon dicek.",
            shared=True,
            attachment=w.evidence_file,
        ).post.thread
    return {"pk": found.pk}


def _internal_thread(w: World) -> dict[str, Any]:
    from cityeval.discussions.models import Thread
    from cityeval.discussions.services import start_thread

    found = Thread.objects.filter(item=w.item, visibility="region").first()
    if found is None:
        found = start_thread(
            item=w.item,
            evaluation=w.running,
            user=w.people["contributor_a"],
            title="",
            body="Catatan daerah.",
            shared=False,
        ).post.thread
    return {"pk": found.pk}


def _discussion_post(w: World) -> dict[str, Any]:
    from cityeval.discussions.models import Post

    post = Post.objects.filter(thread_id=_shared_thread(w)["pk"]).order_by("pk").first()
    assert post is not None
    return {"pk": post.pk}


def _data_request(w: World) -> dict[str, Any]:
    from datetime import timedelta

    from django.utils import timezone

    from cityeval.discussions.models import DataRequest
    from cityeval.discussions.services import request_data

    found = DataRequest.objects.first() or request_data(
        item=w.item,
        evaluation=w.running,
        user=w.people["contributor_a"],
        to_opd=w.roads,
        due_on=timezone.localdate() + timedelta(days=7),
        body="Mohon data.",
    )
    return {"pk": found.pk}


def _item(w: World) -> dict[str, Any]:
    return {"item_pk": w.item.pk}


def _notification_of_coordinator_a(w: World) -> dict[str, Any]:
    notification = Notification.objects.filter(recipient=w.people["coordinator_a"]).first()
    assert notification is not None, "the world's clarification request notifies coordinator A"
    return {"pk": notification.pk}


def _region_a(w: World) -> dict[str, Any]:
    return {"region_id": w.region_a.pk}


def _program(w: World) -> dict[str, Any]:
    return {"region_id": w.region_a.pk, "program_id": w.program.pk}


def _recommendation(w: World) -> dict[str, Any]:
    return {"pk": w.published.pk, "rec_pk": w.recommendation.pk}


def _person_a(w: World) -> dict[str, Any]:
    return {"pk": w.people["contributor_a"].pk}


def _published_cycle(w: World) -> dict[str, Any]:
    return {"cycle_id": w.published_cycle.pk}


def _question_of_a(w: World) -> dict[str, Any]:
    asked = w.people["coordinator_a"]
    question, _created = Question.objects.get_or_create(
        evaluation=w.running,
        region=w.region_a,
        program=w.running_cycle.program,
        text="Bagaimana mengunggah bukti dukung?",
        asked_by=asked,
    )
    return {"pk": question.pk}


def _nan_target(w: World) -> dict[str, Any]:
    code = w.item.indicator.code
    return {f"target-{code}": "NaN"}


# Help: pages for everyone signed in; a question of A exists for those who read A's evaluation,
# the region asks (its assessor team records visit questions), the team or the admin answers.
HELP_ASK = cells(403, anonymous=302, coordinator_a=200, contributor_a=200, contributor_a2=200,
                 lead_a=200, member_a=200, **FOREIGN_TO_A)  # fmt: skip
HELP_ANSWER = A_READS.but(
    national_viewer=403, coordinator_a=403, contributor_a=403, contributor_a2=403, viewer_a=403
)

TABLE: dict[str, Row] = {
    # Help centre, FAQ, questions (cityeval/help)
    "help:centre": Row(at=no_kwargs, get=SIGNED_IN, post=NOT_THIS_METHOD),
    "help:framework": Row(
        at=lambda w: {"pk": w.running_cycle.framework_version_id},
        get=SIGNED_IN,
        post=NOT_THIS_METHOD,
    ),
    "help:glossary": Row(at=no_kwargs, get=SIGNED_IN, post=NOT_THIS_METHOD),
    "help:faq": Row(at=no_kwargs, get=SIGNED_IN, post=NOT_THIS_METHOD),
    "help:questions": Row(at=no_kwargs, get=SIGNED_IN, post=NOT_THIS_METHOD),
    "help:ask": Row(at=lambda w: {"evaluation_pk": w.running.pk}, get=HELP_ASK, post=HELP_ASK),
    "help:question": Row(at=_question_of_a, get=A_READS, post=HELP_ANSWER),
    "help:dismiss": Row(at=no_kwargs, get=NOT_THIS_METHOD, post=cells(302)),
    "help_redirect": Row(at=no_kwargs, get=cells(302), post=cells(302)),
    "faq_redirect": Row(at=no_kwargs, get=cells(302), post=cells(302)),
    # Accounts and tokens
    "set_language": Row(at=no_kwargs, get=cells(302), post=cells(302)),
    "login": Row(at=no_kwargs, get=cells(302, anonymous=200), post=cells(302, anonymous=200)),
    "logout": Row(at=no_kwargs, get=NOBODY, post=cells(302)),
    "password_change": Row(at=no_kwargs, get=SIGNED_IN, post=SIGNED_IN),
    "password_change_done": Row(at=no_kwargs, get=SIGNED_IN, post=NOT_THIS_METHOD),
    "password_reset": Row(at=no_kwargs, get=EVERYONE, post=EVERYONE),
    "password_reset_done": Row(at=no_kwargs, get=EVERYONE, post=NOBODY),
    "password_reset_complete": Row(at=no_kwargs, get=EVERYONE, post=NOBODY),
    # A wrong token shows the "link no longer valid" page to anyone.
    "password_reset_confirm": Row(
        at=lambda w: {"uidb64": uid(w.invited), "token": "set-password"},
        get=EVERYONE,
        post=EVERYONE,
    ),
    # A valid invitation link moves the token into the session and redirects to the form.
    "invitation_accept": Row(
        at=lambda w: {"uidb64": uid(w.invited), "token": invitation_tokens.make_token(w.invited)},
        get=cells(302),
        post=cells(302),
    ),
    "profile": Row(at=no_kwargs, get=SIGNED_IN, post=SIGNED_IN),
    "notifications:list": Row(at=no_kwargs, get=SIGNED_IN, post=NOT_THIS_METHOD),
    "notifications:read_all": Row(
        at=no_kwargs, get=NOT_THIS_METHOD, post=cells(302, anonymous=302)
    ),
    # A notification of coordinator A: nobody else's to read (404, never 403).
    "notifications:read": Row(
        at=_notification_of_coordinator_a,
        get=NOT_THIS_METHOD,
        post=cells(404, anonymous=302, coordinator_a=302),
    ),
    "api_tokens": Row(at=no_kwargs, get=SIGNED_IN, post=SIGNED_IN),
    # Someone else's token does not exist for the person.
    "api_token_revoke": Row(
        at=lambda w: {"pk": token_of(w, "coordinator_a")},
        get=NOT_THIS_METHOD,
        post=cells(404, anonymous=302, coordinator_a=302),
    ),
    "people": Row(at=no_kwargs, get=PEOPLE, post=NOT_THIS_METHOD),
    "person_invite": Row(at=no_kwargs, get=PEOPLE, post=PEOPLE),
    "person_detail": Row(at=_person_a, get=PEOPLE.but(coordinator_b=404), post=NOT_THIS_METHOD),
    # An empty grant form is a bad request for those who may grant.
    "person_grant": Row(
        at=_person_a,
        get=NOT_THIS_METHOD,
        post=PEOPLE.but(admin=400, coordinator_a=400, coordinator_b=404),
    ),
    "person_revoke": Row(
        at=lambda w: {
            "pk": w.people["contributor_a"].pk,
            "grant_pk": w.people["contributor_a"].grants.get().pk,
        },
        get=NOT_THIS_METHOD,
        post=PERSON_OF_A_ACTS,
    ),
    "person_deactivate": Row(at=_person_a, get=NOT_THIS_METHOD, post=PERSON_OF_A_ACTS),
    "person_reactivate": Row(at=_person_a, get=NOT_THIS_METHOD, post=PERSON_OF_A_ACTS),
    "person_resend": Row(
        at=lambda w: {"pk": w.invited.pk}, get=NOT_THIS_METHOD, post=PERSON_OF_A_ACTS
    ),
    # Masterplans: an assessor reads the masterplans of their teams' regions only
    # (access.region_for_reading), as they read only their teams' evaluations.
    "masterplans:region": Row(at=_region_a, get=A_READS, post=NOT_THIS_METHOD),
    "masterplans:template": Row(at=_region_a, get=A_READS, post=NOT_THIS_METHOD),
}

MASTERPLAN_EDITS = A_COORDINATES.but(admin=200, coordinator_a=200)
for _name, _at in [
    ("masterplans:masterplan_edit", _region_a),
    ("masterplans:masterplan_new", _region_a),
    ("masterplans:program_create", _region_a),
    ("masterplans:import", _region_a),
    ("masterplans:program_edit", _program),
    ("masterplans:year_edit", lambda w: {**_program(w), "year": 2023}),
]:
    TABLE[_name] = Row(at=_at, get=MASTERPLAN_EDITS, post=MASTERPLAN_EDITS)

TABLE |= {
    # Evaluations (A's running self-assessment)
    "evaluations:mine": Row(at=no_kwargs, get=SIGNED_IN, post=NOT_THIS_METHOD),
    "evaluations:overview": Row(at=_running, get=A_READS, post=NOT_THIS_METHOD),
    "evaluations:items": Row(at=_running, get=A_READS, post=NOT_THIS_METHOD),
    # GET: the completeness summary to confirm; POST submits.
    "evaluations:submit": Row(
        at=_running, get=A_COORDINATES.but(coordinator_a=200), post=A_COORDINATES
    ),
    "evaluations:refresh_programs": Row(at=_running, get=NOT_THIS_METHOD, post=A_COORDINATES),
    "evaluations:assign": Row(at=_running, get=NOT_THIS_METHOD, post=A_COORDINATES),
    # A contributor sees only the items of their own OPD.
    "evaluations:item": Row(
        at=lambda w: {"pk": w.running.pk, "item_pk": w.item.pk},
        get=A_READS.but(contributor_a2=404),
        # Read-only roles are sent back to the item with a message; nothing is saved.
        post=A_READS.but(
            contributor_a2=404,
            admin=302,
            national_viewer=302,
            lead_a=302,
            member_a=302,
            viewer_a=302,
        ),
    ),
    "evaluations:item_history": Row(
        at=lambda w: {"pk": w.running.pk, "item_pk": w.item.pk},
        get=A_READS.but(contributor_a2=404),
        post=NOT_THIS_METHOD,
    ),
    "evaluations:log": Row(at=_running, get=A_READS, post=NOT_THIS_METHOD),
    "evaluations:workbook": Row(
        at=_running,
        get=A_COORDINATES.but(coordinator_a=200, contributor_a=200, contributor_a2=200),
        post=A_COORDINATES.but(coordinator_a=200, contributor_a=200, contributor_a2=200),
    ),
    "evaluations:workbook_download": Row(
        at=_running,
        get=A_COORDINATES.but(coordinator_a=200, contributor_a=200, contributor_a2=200),
        post=NOT_THIS_METHOD,
    ),
    "evaluations:workbook_confirm": Row(
        at=_running,
        get=NOT_THIS_METHOD,
        post=A_COORDINATES.but(contributor_a=302, contributor_a2=302),
    ),
    "evaluations:entry_exception": Row(
        at=_running, get=NOT_THIS_METHOD, post=ADMIN_ONLY.but(admin=302)
    ),
    "evaluations:cycles": Row(at=no_kwargs, get=ADMIN_ONLY, post=NOT_THIS_METHOD),
    "evaluations:cycle_open": Row(at=no_kwargs, get=ADMIN_ONLY, post=ADMIN_ONLY),
    "evaluations:cycle": Row(
        at=lambda w: {"pk": w.running_cycle.pk}, get=ADMIN_ONLY, post=NOT_THIS_METHOD
    ),
    "evaluations:cycle_assign": Row(
        at=lambda w: {"pk": w.running_cycle.pk},
        get=NOT_THIS_METHOD,
        post=ADMIN_ONLY.but(admin=302),
    ),
    # Evidence of A's Dinkes item
    "evidence:add_files": Row(at=_item, get=NOT_THIS_METHOD, post=A_FILLS_ITEM),
    "evidence:add_link": Row(at=_item, get=NOT_THIS_METHOD, post=A_FILLS_ITEM),
    "evidence:remove": Row(
        at=lambda w: {"pk": w.evidence_link.pk}, get=NOT_THIS_METHOD, post=A_FILLS_ITEM
    ),
    "evidence:download": Row(
        at=lambda w: {"pk": w.evidence_file.pk},
        get=A_READS.but(contributor_a2=404),
        post=NOT_THIS_METHOD,
    ),
    # Evaluation visits (mentoring) of A's review
    "mentoring:visits": Row(at=_reviewing, get=A_READS, post=NOT_THIS_METHOD),
    "mentoring:visit_new": Row(
        at=_reviewing,
        get=MENTORING_WRITES.but(contributor_a2=403),
        post=MENTORING_WRITES.but(contributor_a2=403),
    ),
    "mentoring:visit": Row(at=_mentoring_visit, get=MENTORING_READS, post=NOT_THIS_METHOD),
    "mentoring:attendance": Row(at=_mentoring_visit, get=MENTORING_WRITES, post=MENTORING_WRITES),
    "mentoring:point_add": Row(at=_mentoring_visit, get=NOT_THIS_METHOD, post=MENTORING_WRITES),
    "mentoring:action_add": Row(at=_mentoring_visit, get=NOT_THIS_METHOD, post=MENTORING_WRITES),
    "mentoring:field_visit_attach": Row(
        at=_mentoring_visit, get=NOT_THIS_METHOD, post=MENTORING_WRITES
    ),
    "mentoring:material_add": Row(at=_mentoring_visit, get=NOT_THIS_METHOD, post=MENTORING_ACTS),
    "mentoring:berita_acara": Row(at=_mentoring_visit, get=MENTORING_READS, post=NOT_THIS_METHOD),
    "mentoring:material": Row(at=_mentoring_material, get=MENTORING_READS, post=NOT_THIS_METHOD),
    # Field visits of A's review
    "evidence:visits": Row(at=_reviewing, get=VISIT_READS, post=NOT_THIS_METHOD),
    "evidence:visit_new": Row(at=_reviewing, get=VISIT_WRITES, post=VISIT_WRITES),
    "evidence:visit": Row(at=lambda w: {"pk": w.visit.pk}, get=VISIT_READS, post=NOT_THIS_METHOD),
    "evidence:visit_edit": Row(
        at=lambda w: {"pk": w.visit.pk}, get=VISIT_WRITES, post=VISIT_WRITES
    ),
    "evidence:photo_add": Row(
        at=lambda w: {"pk": w.visit.pk},
        get=NOT_THIS_METHOD,
        post=VISIT_WRITES.but(admin=302, lead_a=302, member_a=302),
    ),
    "evidence:photo": Row(at=lambda w: {"pk": w.photo.pk}, get=VISIT_READS, post=NOT_THIS_METHOD),
    "evidence:photo_remove": Row(
        at=lambda w: {"pk": w.photo.pk},
        get=NOT_THIS_METHOD,
        post=VISIT_WRITES.but(admin=302, lead_a=302, member_a=302),
    ),
    # Review of A (waiting for a clarification answer)
    "reviews:queue": Row(
        at=no_kwargs,
        get=cells(403, anonymous=302, lead_a=200, member_a=200, assessor_b=200),
        post=NOT_THIS_METHOD,
    ),
    "reviews:workspace": Row(at=_reviewing, get=A_TEAM, post=NOT_THIS_METHOD),
    "reviews:start": Row(at=_reviewing, get=NOT_THIS_METHOD, post=A_TEAM_ACTS),
    "reviews:bulk_accept": Row(at=_reviewing, get=NOT_THIS_METHOD, post=A_TEAM_ACTS),
    "reviews:request_clarification": Row(at=_reviewing, get=NOT_THIS_METHOD, post=A_TEAM_ACTS),
    # GET: the unreviewed items to confirm the move; POST moves the stage.
    "reviews:field_visit": Row(at=_reviewing, get=A_TEAM, post=A_TEAM_ACTS),
    # An empty verdict is a bad request for the team.
    "reviews:item": Row(
        at=lambda w: {"pk": w.reviewing.pk, "item_pk": w.review_item.pk},
        get=A_TEAM,
        post=A_TEAM.but(lead_a=400, member_a=400),
    ),
    "reviews:changes": Row(at=_reviewing, get=A_READS, post=NOT_THIS_METHOD),
    "reviews:clarification": Row(
        at=_reviewing, get=A_READS, post=A_COORDINATES.but(coordinator_a=200)
    ),
    # Reports of A's published evaluation
    "reports:report": Row(at=_published, get=A_READS, post=NOT_THIS_METHOD),
    "reports:result": Row(at=_published, get=A_READS, post=NOT_THIS_METHOD),
    "reports:edit": Row(at=_published, get=A_TEAM, post=A_TEAM),
    "reports:propose": Row(at=_published, get=NOT_THIS_METHOD, post=A_TEAM_ACTS),
    "reports:add_recommendation": Row(at=_published, get=NOT_THIS_METHOD, post=A_TEAM),
    "reports:change_recommendation": Row(at=_recommendation, get=NOT_THIS_METHOD, post=A_TEAM),
    "reports:delete_recommendation": Row(at=_recommendation, get=NOT_THIS_METHOD, post=A_TEAM_ACTS),
    "reports:move_recommendation": Row(at=_recommendation, get=NOT_THIS_METHOD, post=A_TEAM_ACTS),
    # Only the lead finalises.
    "reports:finalise": Row(
        at=_published,
        get=A_TEAM.but(member_a=403),
        post=A_TEAM_ACTS.but(member_a=403),
    ),
    # GET: the confirmation page (as reopening has); POST publishes.
    "reports:publish_one": Row(
        at=_published,
        get=A_COORDINATES.but(admin=200, coordinator_a=403),
        post=A_COORDINATES.but(admin=302, coordinator_a=403),
    ),
    "reports:reopen": Row(
        at=_published,
        get=A_COORDINATES.but(admin=200, coordinator_a=403),
        post=A_COORDINATES.but(admin=200, coordinator_a=403),
    ),
    # Next cycle, A's coordinator reports the follow-up of last year's recommendations.
    "reports:follow_up": Row(at=_running, get=A_READS, post=A_COORDINATES.but(coordinator_a=200)),
    "reports:cycles": Row(at=no_kwargs, get=ADMIN_ONLY, post=NOT_THIS_METHOD),
    "reports:publish": Row(
        at=lambda w: {"cycle_pk": w.review_cycle.pk},
        get=ADMIN_ONLY,
        post=ADMIN_ONLY.but(admin=302),
    ),
    # Public: A's published scorecard
    "scorecards:scorecard": Row(at=_published, get=EVERYONE, post=NOBODY),
    "scorecards:simulate": Row(at=_published, get=NOBODY, post=EVERYONE),
    # A level that is no finite number is a form error (400), for anyone (core.decimals).
    "scorecards:simulate@nan": Row(at=_published, get=NOBODY, post=cells(400), body=_nan_target),
    "scorecards:pdf": Row(at=_published, get=EVERYONE, post=NOBODY),
    # Open data: the rows are filtered by the visibility policy (tests/exports); the status
    # does not depend on who asks.
    "exports:index": Row(at=no_kwargs, get=EVERYONE, post=NOBODY),
    "exports:xlsx": Row(at=_published_cycle, get=EVERYONE, post=NOBODY),
    "exports:regions_csv": Row(at=_published_cycle, get=EVERYONE, post=NOBODY),
    "exports:items_csv": Row(at=_published_cycle, get=EVERYONE, post=NOBODY),
    "exports:json": Row(at=_published_cycle, get=EVERYONE, post=NOBODY),
    "dashboard:national": Row(
        at=no_kwargs,
        get=ADMIN_ONLY.but(national_viewer=200),
        post=NOBODY,  # the page sends the anonymous to the login page itself, after the method
    ),
    "dashboard:public": Row(at=no_kwargs, get=EVERYONE, post=NOBODY),
    "home": Row(at=no_kwargs, get=EVERYONE, post=NOBODY),
    # B's 2023 result is final but not published (see DRAFT_OF_B).
    "scorecards:scorecard@unpublished": Row(
        at=lambda w: {"pk": w.finalised_b.pk}, get=DRAFT_OF_B, post=NOBODY
    ),
    "scorecards:pdf@unpublished": Row(
        at=lambda w: {"pk": w.finalised_b.pk}, get=DRAFT_OF_B, post=NOBODY
    ),
    "scorecards:simulate@unpublished": Row(
        at=lambda w: {"pk": w.finalised_b.pk}, get=NOBODY, post=DRAFT_OF_B
    ),
    # A coordinator may not grant a national role (people_access.check_grant).
    "person_invite@national": Row(
        at=no_kwargs,
        get=PEOPLE,
        post=PEOPLE.but(coordinator_a=403, coordinator_b=403),
        body=lambda w: {"username": "nasional", "email": "n@example.id", "role": "viewer"},
    ),
    "person_grant@national": Row(
        at=_person_a,
        get=NOT_THIS_METHOD,
        post=PEOPLE.but(admin=302, coordinator_a=403, coordinator_b=404),
        body=lambda w: {"role": "viewer", "region": "", "opd": ""},
    ),
    # The admin site's own login form; every other admin page shares `ADMIN_SITE`.
    "admin:login": Row(at=no_kwargs, get=EVERYONE, post=EVERYONE),
    # API (bearer tokens; each operation's own method, and GET/POST where it has none)
    "api:openapi-json": Row(at=no_kwargs, get=EVERYONE, post=EVERYONE),
    "api:openapi-view": Row(at=no_kwargs, get=EVERYONE, post=EVERYONE),
    "api:api-root": Row(at=no_kwargs, get=cells(404), post=cells(404), api=True),
    "api:list_frameworks": Row(at=no_kwargs, get=API_READ, post=NOBODY, api=True),
    "api:get_framework": Row(
        at=lambda w: {"version_id": w.running_cycle.framework_version_id},
        get=API_READ,
        post=NOBODY,
        api=True,
    ),
    "api:list_regions": Row(at=no_kwargs, get=API_READ, post=NOBODY, api=True),
    "api:list_cycles": Row(at=no_kwargs, get=API_READ, post=NOBODY, api=True),
    "api:list_evaluations": Row(at=no_kwargs, get=API_READ, post=NOBODY, api=True),
    "api:list_results": Row(at=_published_cycle, get=API_READ, post=NOBODY, api=True),
    "api:get_evaluation": Row(
        at=lambda w: {"evaluation_id": w.running.pk},
        get=API_READ.but(**FOREIGN_TO_A),
        post=NOBODY,
        api=True,
    ),
    "api:get_item": Row(
        at=lambda w: {"item_id": w.item.pk},
        get=API_READ.but(contributor_a2=404, **FOREIGN_TO_A),
        post=NOBODY,
        api=True,
    ),
    # The page's submit, through the same service: only A's coordinator; the matrix's request
    # is rolled back, so every cell sees A still in self-assessment.
    "api:post_submit": Row(
        at=lambda w: {"evaluation_id": w.running.pk},
        get=NOBODY,
        post=cells(403, anonymous=401, coordinator_a=200, **FOREIGN_TO_A),
        api=True,
    ),
    "api:put_self_assessment": Row(
        at=lambda w: {"item_id": w.item.pk},
        get=NOBODY,
        post=NOBODY,
        put=API_A_WRITES,
        body=lambda w: {"value": 3, "narrative": "Berjalan.", "version": version(w.item)},
        api=True,
    ),
    "api:post_evidence_link": Row(
        at=lambda w: {"item_id": w.item.pk},
        get=NOBODY,
        post=API_A_WRITES.but(coordinator_a=201, contributor_a=201),
        body=lambda w: {"url": "https://kukarkab.go.id/bukti", "description": "Bukti"},
        api=True,
    ),
    "api:delete_evidence": Row(
        at=lambda w: {"evidence_id": w.evidence_link.pk},
        get=NOBODY,
        post=NOBODY,
        delete=API_A_WRITES,
        api=True,
    ),
    # A's review waits for a clarification answer: the team is refused with 409 (conflict),
    # after the access check; a contributor does not see an item outside its OPD.
    "api:post_verdict": Row(
        at=lambda w: {"item_id": w.review_item.pk},
        get=NOBODY,
        post=cells(
            403,
            anonymous=401,
            lead_a=409,
            member_a=409,
            contributor_a=404,
            contributor_a2=404,
            **FOREIGN_TO_A,
        ),
        body=lambda w: {"decision": "accept", "version": version(w.review_item)},
        api=True,
    ),
    # The language switch of anonymous (cached) pages: GET only, sets the cookie, goes back.
    "choose_language": Row(at=no_kwargs, get=cells(302), post=NOBODY),
    "discussions:start": Row(
        at=_item,
        get=NOT_THIS_METHOD,
        post=DISCUSSION_POSTS.but(contributor_a2=404),
    ),
    "discussions:ask": Row(
        at=_item,
        get=DISCUSSION_ASKS,
        post=DISCUSSION_ASKS,
    ),
    "discussions:thread": Row(at=_shared_thread, get=A_READS, post=NOT_THIS_METHOD),
    "discussions:thread@internal": Row(
        at=_internal_thread, get=A_READS.but(**MINISTRY_SIDE_404), post=NOT_THIS_METHOD
    ),
    "discussions:reply": Row(at=_shared_thread, get=NOT_THIS_METHOD, post=DISCUSSION_POSTS),
    "discussions:reply@internal": Row(
        at=_internal_thread,
        get=NOT_THIS_METHOD,
        post=DISCUSSION_POSTS.but(**MINISTRY_SIDE_404),
    ),
    "discussions:resolve": Row(at=_shared_thread, get=NOT_THIS_METHOD, post=DISCUSSION_POSTS),
    "discussions:edit": Row(
        at=_discussion_post,
        get=DISCUSSION_EDITS,
        post=DISCUSSION_EDITS,
    ),
    "discussions:attachment": Row(at=_discussion_post, get=A_READS, post=NOT_THIS_METHOD),
    "discussions:close": Row(
        at=_data_request,
        get=NOT_THIS_METHOD,
        post=DISCUSSION_POSTS.but(lead_a=404, member_a=404, admin=404, national_viewer=404),
    ),
}


# Good-practice library (cityeval/library): a practice of A's published 2023 result with a
# file, made inside the request's savepoint; listed, so every signed-in person reads it; its
# region's coordinator withdraws, the program admin hides; the coordinator shares an item of
# a published result (the item's assessor team and the ministry see it but do not opt in).
def _published_item(w: World, position: int) -> ItemValue:
    return (
        ItemValue.objects.filter(evaluation=w.published, indicator__kind="maturity")
        .select_related("indicator", "evaluation__region")
        .order_by("indicator__sequence")[position]
    )


def _practice_of_a(w: World) -> Any:
    from cityeval.library.models import GoodPractice
    from cityeval.library.services import share_practice

    item = _published_item(w, 0)
    found = GoodPractice.objects.filter(item=item).first()
    if found is not None:
        return found
    evidence = stored_file(item, "sop.pdf")
    return share_practice(
        item=item, narrative="Praktik.", evidence_ids=[evidence.pk], user=w.people["coordinator_a"]
    )


def _practice(w: World) -> dict[str, Any]:
    return {"pk": _practice_of_a(w).pk}


def _practice_file(w: World) -> dict[str, Any]:
    practice = _practice_of_a(w)
    return {"pk": practice.pk, "evidence_pk": practice.evidence.get().pk}


LIBRARY_MANAGES = cells(403, anonymous=302, coordinator_a=302)
LIBRARY_HIDES = cells(403, anonymous=302, admin=302)
LIBRARY_SHARES = cells(
    403, anonymous=302, coordinator_a=200, contributor_a=404, contributor_a2=404, **FOREIGN_TO_A
)
TABLE |= {
    "library:index": Row(at=no_kwargs, get=SIGNED_IN, post=NOT_THIS_METHOD),
    "library:detail": Row(at=_practice, get=SIGNED_IN, post=NOT_THIS_METHOD),
    "library:file": Row(at=_practice_file, get=SIGNED_IN, post=NOT_THIS_METHOD),
    "library:withdraw": Row(at=_practice, get=NOT_THIS_METHOD, post=LIBRARY_MANAGES),
    "library:hide": Row(at=_practice, get=NOT_THIS_METHOD, post=LIBRARY_HIDES),
    "library:unhide": Row(at=_practice, get=NOT_THIS_METHOD, post=LIBRARY_HIDES),
    "library:share": Row(
        at=lambda w: {"item_pk": _published_item(w, 1).pk}, get=LIBRARY_SHARES, post=LIBRARY_SHARES
    ),
    "library:programs": Row(at=no_kwargs, get=SIGNED_IN, post=NOT_THIS_METHOD),
    "library:peers": Row(
        at=_region_a,
        get=cells(200, anonymous=302, **FOREIGN_TO_A),
        post=NOT_THIS_METHOD,
    ),
    # Harvestable open data: published cycles only, the same for every reader.
    "exports:datapackage": Row(at=_published_cycle, get=EVERYONE, post=NOBODY),
    "exports:datapackage@unpublished": Row(
        at=lambda w: {"cycle_id": w.review_cycle.pk}, get=cells(404), post=NOBODY
    ),
    "exports:catalog": Row(at=no_kwargs, get=EVERYONE, post=NOBODY),
    # The map's boundary file: the program admin's page (an empty POST shows the form's error).
    "dashboard:boundaries": Row(at=no_kwargs, get=ADMIN_ONLY, post=ADMIN_ONLY),
    "jobs:batches": Row(at=no_kwargs, get=ADMIN_ONLY, post=cells(403, anonymous=302, admin=405)),
    # The state of a queued program import of A (a job made here: the world imports nothing).
    "masterplans:import_job": Row(
        at=lambda w: {**_region_a(w), "job_id": _import_job(w)},
        get=MASTERPLAN_EDITS,
        post=NOT_THIS_METHOD,
    ),
    # The map's boundary file: its removal (confirm page, POST removes) by program admins only;
    # its geometry, which the public dashboard's map loads, for anyone.
    "dashboard:remove_boundaries": Row(
        at=lambda w: {"pk": _boundary_file(w).pk},
        get=ADMIN_ONLY,
        post=ADMIN_ONLY.but(admin=302),
    ),
    "dashboard:geometry": Row(
        at=lambda w: {"pk": _boundary_file(w).pk, "checksum": _boundary_file(w).checksum},
        get=EVERYONE,
        post=NOBODY,
    ),
    # The queued preview of a workbook coordinator_a uploaded: theirs alone; a colleague who
    # fills the same evaluation gets a 404 as well.
    "evaluations:workbook_preview": Row(
        at=lambda w: {**_running(w), "job_id": _preview_job(w)},
        get=A_COORDINATES.but(coordinator_a=200, contributor_a=404, contributor_a2=404),
        post=NOT_THIS_METHOD,
    ),
}


def _boundary_file(w: World) -> BoundaryFile:
    found, _created = BoundaryFile.objects.get_or_create(
        checksum="0" * 64,
        defaults={
            "document": {"type": "FeatureCollection", "features": []},
            "kind": "geojson",
            "original_name": "batas.geojson",
            "size": 2,
            "features": 0,
            "uploaded_at": timezone.now(),
        },
    )
    return found


def _import_job(w: World) -> int:
    from cityeval.jobs.models import Job, JobStatus

    job, _created = Job.objects.get_or_create(
        key="import:masterplan:url-table",
        defaults={
            "kind": "masterplan_import",
            "status": JobStatus.DONE,
            "params": {"region": w.region_a.pk, "filename": "program.xlsx"},
            "result": {"created": 1, "updated": 0, "years": 0},
        },
    )
    return job.pk


def _preview_job(w: World) -> int:
    from cityeval.jobs.models import Job, JobStatus

    job, _created = Job.objects.get_or_create(
        key="preview:workbook:url-table",
        defaults={
            "kind": "workbook_preview",
            "status": JobStatus.DONE,
            "params": {
                "evaluation": w.running.pk,
                "region": w.running.region_id,
                "user": w.people["coordinator_a"].pk,
                "file": "url-table.xlsx",
                "filename": "isian.xlsx",
            },
            "result": _preview_result(w),
        },
    )
    return job.pk


def _preview_result(w: World) -> dict[str, Any]:
    """A preview with one change and one conflict, so the page shows both tables."""
    item = ItemValue.objects.filter(evaluation=w.running).select_related("indicator").first()
    assert item is not None
    return {
        "downloaded_by": "coordinator_a",
        "rows": 2,
        "unchanged": 0,
        "changes": [[2, item.pk, item.indicator.code, "3", "narasi", item.version]],
        "conflicts": [[3, item.pk, "2", ""]],
        "token": "url-table",
        "used": False,
    }


def row_for(name: str) -> Row | None:
    """The row of a URL name; the admin site's pages share one."""
    if name in TABLE:
        return TABLE[name]
    if name.startswith("admin:"):
        return Row(at=lambda w: admin_at(name, w), get=ADMIN_SITE.get, post=ADMIN_SITE.post)
    return TABLE.get(name)


def variants() -> dict[str, Row]:
    """Further rows of a URL ("name@what"): the same view over another object or body."""
    return {key: row for key, row in TABLE.items() if "@" in key}


def holes() -> list[tuple[str, Hole]]:
    return [(name, hole) for name, row in TABLE.items() for hole in row.holes]
