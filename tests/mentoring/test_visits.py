"""The evaluation visit: plan and invite, who reads and writes, attendance, minutes, actions,
materials, field visits, and the berita acara PDF."""

from __future__ import annotations

import io
import re
from datetime import date
from typing import Any

import pypdf
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import WorkflowError
from cityeval.evidence.samples import tiny_pdf
from cityeval.mentoring import services
from cityeval.mentoring.models import AgendaKind, Attendance, Visit, VisitMaterial
from cityeval.mentoring.pdf import render_berita_acara_pdf
from cityeval.mentoring.queries import expected_people, open_actions_for
from cityeval.regions.models import OPD
from tests.world import World

pytestmark = pytest.mark.django_db

DAY1, DAY2 = date(2024, 6, 10), date(2024, 6, 11)


def plan(w: World, opds: list[OPD] | None = None, **changes: Any) -> services.VisitPlan:
    values: dict[str, Any] = {
        "title": "Pembahasan evaluasi dan bimbingan teknis",
        "venue": "Ruang serbaguna kantor bupati",
        "starts_on": DAY1,
        "ends_on": DAY2,
        "agenda": [
            services.AgendaEntry(DAY1, AgendaKind.DISCUSSION, "Pembahasan hasil evaluasi"),
            services.AgendaEntry(DAY1, AgendaKind.GUIDANCE, "Bimbingan teknis"),
            services.AgendaEntry(DAY2, AgendaKind.FIELD_REVIEW, "Peninjauan lapangan"),
        ],
        "opds": opds,
    }
    return services.VisitPlan(**(values | changes))


def health_visit(w: World) -> Visit:
    """A visit of A's review that invites only the health office (Dinkes)."""
    return services.plan_visit(
        evaluation=w.reviewing, user=w.people["lead_a"], plan=plan(w, [w.health])
    )


def test_plan_invites_every_opd_by_default_and_mails_the_invitees(
    shared_world: World, django_capture_on_commit_callbacks: Any
) -> None:
    w = shared_world
    with django_capture_on_commit_callbacks(execute=True):
        visit = services.plan_visit(
            evaluation=w.reviewing,
            user=w.people["lead_a"],
            plan=plan(w),
        )
    invited = set(visit.invitations.values_list("opd_id", flat=True))
    assert invited == set(OPD.objects.filter(region=w.region_a).values_list("pk", flat=True))
    recipients = {address for message in mail.outbox for address in message.to}
    # The region's coordinators and every invited OPD's contributors, an invited person who has
    # not yet set a password included (they reach the visit once they do).
    people = [w.people[p] for p in ("coordinator_a", "contributor_a", "contributor_a2")]
    assert recipients == {person.email for person in [*people, w.invited]}
    body = mail.outbox[0].body
    assert f"https://cityeval.example.id/mentoring/visits/{visit.pk}/" in body
    assert "Bimbingan teknis" in body
    entry = AuditEntry.objects.get(action="mentoring.plan", target_id=str(visit.pk))
    assert entry.actor == w.people["lead_a"]
    assert entry.region_id == w.region_a.pk


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": date(2024, 6, 9)}, "Tanggal selesai"),
        ({"venue": "  "}, "tempat"),
        (
            {"agenda": [services.AgendaEntry(date(2024, 7, 1), AgendaKind.OTHER, "Nanti")]},
            "di luar tanggal",
        ),
    ],
)
def test_plan_refuses_bad_input_and_writes_nothing(
    shared_world: World, changes: dict[str, Any], message: str
) -> None:
    w = shared_world
    with pytest.raises(WorkflowError, match=message):
        services.plan_visit(
            evaluation=w.reviewing, user=w.people["lead_a"], plan=plan(w, **changes)
        )
    assert not Visit.objects.exists()


def test_plan_refuses_an_opd_of_another_region(shared_world: World) -> None:
    w = shared_world
    with pytest.raises(WorkflowError, match="bukan bagian"):
        services.plan_visit(
            evaluation=w.reviewing, user=w.people["lead_a"], plan=plan(w, [w.health, w.opd_b])
        )
    assert not Visit.objects.exists()


READ = {
    "anonymous": 302,
    "admin": 200,
    "national_viewer": 200,
    "lead_a": 200,
    "member_a": 200,
    "assessor_b": 404,
    "coordinator_a": 200,
    "contributor_a": 200,  # Dinkes is invited
    "contributor_a2": 404,  # PUPR is not
    "viewer_a": 200,
    "coordinator_b": 404,
    "contributor_b": 404,
    "viewer_b": 404,
}
WRITE = READ | {
    "national_viewer": 403,
    "coordinator_a": 403,
    "contributor_a": 403,
    "viewer_a": 403,
}


@pytest.mark.parametrize("persona", sorted(READ))
def test_who_reads_a_visit_and_its_berita_acara(shared_world: World, persona: str) -> None:
    w = shared_world
    visit = health_visit(w)
    client = w.client(persona)
    assert client.get(reverse("mentoring:visit", args=[visit.pk])).status_code == READ[persona]
    if READ[persona] != 200:
        pdf = client.get(reverse("mentoring:berita_acara", args=[visit.pk]))
        assert pdf.status_code == READ[persona]


@pytest.mark.parametrize("persona", sorted(WRITE))
def test_who_writes_the_minutes(shared_world: World, persona: str) -> None:
    w = shared_world
    visit = health_visit(w)
    response = w.client(persona).post(
        reverse("mentoring:point_add", args=[visit.pk]), {"discussion": "Kebijakan data"}
    )
    assert response.status_code == (302 if WRITE[persona] == 200 else WRITE[persona])
    assert visit.points.exists() == (WRITE[persona] == 200)


def test_a_contributor_lists_only_the_visits_that_invite_their_opd(shared_world: World) -> None:
    w = shared_world
    visit = health_visit(w)
    url = reverse("mentoring:visits", args=[w.reviewing.pk])
    overview = reverse("evaluations:overview", args=[w.reviewing.pk])
    assert url in w.client("contributor_a").get(overview).content.decode()
    assert visit.title in w.client("contributor_a").get(url).content.decode()
    assert visit.title not in w.client("contributor_a2").get(url).content.decode()
    assert w.client("contributor_b").get(url).status_code == 404


def test_attendance_ticks_invitees_and_adds_people_without_an_account(shared_world: World) -> None:
    w = shared_world
    visit = health_visit(w)
    expected = {row.user.username for row in expected_people(visit)}
    assert expected == {"coordinator_a", "contributor_a", w.invited.username}
    client = w.client("member_a")
    url = reverse("mentoring:attendance", args=[visit.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"person": w.people["contributor_a"].pk, "present": "1"})
    client.post(url, {"name": "Ibu Sari  Wulandari", "position": "Kabid", "opd": w.health.pk})
    names = set(Attendance.objects.filter(visit=visit).values_list("name", flat=True))
    assert names == {str(w.people["contributor_a"]), "Ibu Sari Wulandari"}
    # Unticking removes the person; a person not invited (PUPR, region B) cannot be ticked.
    client.post(url, {"person": w.people["contributor_a"].pk, "present": "0"})
    client.post(url, {"person": w.people["contributor_a2"].pk, "present": "1"})
    client.post(url, {"person": w.people["contributor_b"].pk, "present": "1"})
    client.post(url, {"name": "Tamu", "opd": w.opd_b.pk})
    names = set(Attendance.objects.filter(visit=visit).values_list("name", flat=True))
    assert names == {"Ibu Sari Wulandari"}
    assert (
        AuditEntry.objects.filter(action="mentoring.attend", target_id=str(visit.pk)).count() == 2
    )


def test_a_two_day_visit_keeps_the_attendance_of_each_day(shared_world: World) -> None:
    """The list to tick on a phone shows every day of the visit (a day picker), each day's
    ticks and walk-ins are its own, and the visit page and the berita acara show both days."""
    w = shared_world
    visit = health_visit(w)
    client = w.client("member_a")
    url = reverse("mentoring:attendance", args=[visit.pk])
    first = client.get(url).content.decode()
    for day in (DAY1, DAY2):
        assert f"?day={day.isoformat()}" in first  # the picker offers both days
    contributor = w.people["contributor_a"]
    client.post(url, {"person": contributor.pk, "present": "1", "day": DAY1.isoformat()})
    client.post(url, {"person": w.people["coordinator_a"].pk, "present": "1", "day": "2024-06-11"})
    client.post(url, {"name": "Ibu Sari", "day": DAY2.isoformat()})
    rows = set(Attendance.objects.filter(visit=visit).values_list("name", "day"))
    assert rows == {
        (str(contributor), DAY1),
        (str(w.people["coordinator_a"]), DAY2),
        ("Ibu Sari", DAY2),
    }
    second = client.get(url, {"day": DAY2.isoformat()})
    assert second.context["day"] == DAY2
    ticked = {row.user.pk for row in second.context["expected"] if row.present}
    assert ticked == {w.people["coordinator_a"].pk}
    assert [a.name for a in second.context["walkins"]] == ["Ibu Sari"]
    # The same person may attend both days; a day outside the visit is refused.
    client.post(url, {"person": contributor.pk, "present": "1", "day": DAY2.isoformat()})
    assert Attendance.objects.filter(visit=visit, user=contributor).count() == 2
    assert client.get(url, {"day": "2024-06-12"}).status_code == 404
    with pytest.raises(WorkflowError):
        services.mark_present(
            visit=visit,
            user=w.people["lead_a"],
            person=contributor,
            present=True,
            day=date(2024, 6, 12),
        )
    page = w.client("lead_a").get(visit.get_absolute_url()).content.decode()
    assert page.count('data-testid="attendance-day"') == 2
    assert "Ibu Sari" in page


def test_agreed_actions_reach_the_home_of_their_opd(shared_world: World) -> None:
    w = shared_world
    visit = health_visit(w)
    lead = w.people["lead_a"]
    point = services.add_point(
        visit=visit,
        user=lead,
        data=services.PointData(
            discussion="SOP layanan kesehatan daring",
            dimension="living",
            item=w.review_item,
            question="Apakah SOP sudah ditetapkan?",
            answer="Belum; rancangan ada.",
        ),
    )
    action = services.agree_action(
        visit=visit,
        user=lead,
        data=services.ActionData("Tetapkan SOP", w.health, date(2024, 8, 1), point),
    )
    assert open_actions_for(w.people["contributor_a"]) == [action]
    assert open_actions_for(w.people["coordinator_a"]) == [action]
    assert open_actions_for(w.people["contributor_a2"]) == []
    assert open_actions_for(w.people["coordinator_b"]) == []
    # ... and on their home pages, never on another OPD's or region's.
    for name, shown in [
        ("contributor_a", True),
        ("coordinator_a", True),
        ("contributor_a2", False),
        ("coordinator_b", False),
    ]:
        client = Client()
        client.force_login(w.people[name])
        page = client.get(reverse("home")).content.decode()
        assert ("Tetapkan SOP" in page) is shown, name
    with pytest.raises(WorkflowError):
        services.agree_action(
            visit=visit, user=lead, data=services.ActionData("x", w.opd_b, date(2024, 8, 1))
        )
    with pytest.raises(WorkflowError):
        services.add_point(visit=visit, user=lead, data=services.PointData("x", item=w.item_b))


def test_materials_pass_the_evidence_checks_and_are_served_under_the_visit_rules(
    shared_world: World,
) -> None:
    w = shared_world
    visit = health_visit(w)
    url = reverse("mentoring:material_add", args=[visit.pk])
    client = w.client("lead_a")
    good = SimpleUploadedFile("bahan.pdf", tiny_pdf(["Bahan bimtek"]), "application/pdf")
    renamed = SimpleUploadedFile("bahan.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    client.post(url, {"upload": good})
    client.post(url, {"upload": renamed})
    material = VisitMaterial.objects.get(visit=visit)
    assert material.original_name == "bahan.pdf"
    download = reverse("mentoring:material", args=[material.pk])
    assert w.client("contributor_a").get(download).status_code == 200
    assert w.client("contributor_a2").get(download).status_code == 404
    assert w.client("coordinator_b").get(download).status_code == 404
    assert w.client("coordinator_a").post(url, {"upload": good}).status_code == 403


def plan_post(w: World, *uploads: SimpleUploadedFile) -> dict[str, Any]:
    return {
        "title": "Bimtek dengan bahan",
        "venue": "Aula",
        "starts_on": DAY1.isoformat(),
        "ends_on": DAY2.isoformat(),
        "opds": [w.health.pk],
        "materials": list(uploads),
    }


def test_the_plan_form_takes_materials_under_the_upload_rules(shared_world: World) -> None:
    """Materials can go with the plan (the same checks as the visit page's upload: by content,
    by size): a refused file refuses the whole plan, writes nothing and keeps no file."""
    w = shared_world
    url = reverse("mentoring:visit_new", args=[w.reviewing.pk])
    client = w.client("lead_a")
    assert 'enctype="multipart/form-data"' in client.get(url).content.decode()
    renamed = SimpleUploadedFile("bahan.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    good = SimpleUploadedFile("bahan.pdf", tiny_pdf(["Bahan bimtek"]), "application/pdf")
    before = (Visit.objects.count(), VisitMaterial.objects.count())
    refused = client.post(url, plan_post(w, good, renamed))
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors()
    assert (Visit.objects.count(), VisitMaterial.objects.count()) == before
    good.seek(0)
    second = SimpleUploadedFile("jadwal.pdf", tiny_pdf(["Jadwal"]), "application/pdf")
    response = client.post(url, plan_post(w, good, second))
    assert response.status_code == 302
    visit = Visit.objects.get(title="Bimtek dengan bahan")
    names = sorted(visit.materials.values_list("original_name", flat=True))
    assert names == ["bahan.pdf", "jadwal.pdf"]
    # Readable under the visit rules, as a material uploaded on the visit page.
    material = visit.materials.get(original_name="jadwal.pdf")
    download = reverse("mentoring:material", args=[material.pk])
    assert w.client("contributor_a").get(download).status_code == 200
    assert w.client("coordinator_b").get(download).status_code == 404


def test_an_oversized_material_refuses_the_plan(shared_world: World, settings: Any) -> None:
    w = shared_world
    settings.EVIDENCE_MAX_BYTES = 1000
    url = reverse("mentoring:visit_new", args=[w.reviewing.pk])
    big = SimpleUploadedFile("besar.pdf", tiny_pdf(["x" * 3000]), "application/pdf")
    before = Visit.objects.count()
    response = w.client("lead_a").post(url, plan_post(w, big))
    assert response.status_code == 200
    assert "besar.pdf" in response.content.decode()
    assert Visit.objects.count() == before


def test_field_visits_of_the_evaluation_attach_once(shared_world: World) -> None:
    w = shared_world
    visit = health_visit(w)
    services.attach_field_visit(visit=visit, user=w.people["lead_a"], field_visit=w.visit)
    assert [link.field_visit for link in visit.field_links.all()] == [w.visit]
    other = services.plan_visit(evaluation=w.reviewing, user=w.people["lead_a"], plan=plan(w))
    with pytest.raises(WorkflowError, match="sudah terlampir"):
        services.attach_field_visit(visit=other, user=w.people["lead_a"], field_visit=w.visit)
    foreign = services.plan_visit(
        evaluation=w.reviewing_b, user=w.people["assessor_b"], plan=plan(w)
    )
    with pytest.raises(WorkflowError, match="bukan bagian"):
        services.attach_field_visit(visit=foreign, user=w.people["assessor_b"], field_visit=w.visit)


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_berita_acara_names_region_attendees_points_and_actions(
    shared_world: World, language: str
) -> None:
    w = shared_world
    visit = health_visit(w)
    lead = w.people["lead_a"]
    services.add_walkin(
        visit=visit, user=lead, walkin=services.Walkin("Ibu Sari Wulandari", w.health, "Kabid")
    )
    services.add_point(visit=visit, user=lead, data=services.PointData("SOP layanan daring"))
    services.agree_action(
        visit=visit, user=lead, data=services.ActionData("Tetapkan SOP", w.health, DAY2)
    )
    reader = pypdf.PdfReader(io.BytesIO(render_berita_acara_pdf(visit, language)))
    text = " ".join(page.extract_text() for page in reader.pages)
    for expected in (
        w.region_a.name,
        "Ibu Sari Wulandari",
        "SOP layanan daring",
        "Tetapkan SOP",
        w.health.name,
    ):
        assert expected in text
    assert ("Printed" in text) == (language == "en")
    assert "Agenda" in text  # the agenda's heading, not the name of one session


def archival_facts(pdf: bytes) -> dict[str, Any]:
    """What a reader of archives checks: structure tags, marked content, the PDF/A claim."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"].get_object()
    assert isinstance(root, pypdf.generic.DictionaryObject)
    stream = root.get("/Metadata")
    metadata = stream.get_object().get_data().decode() if stream else ""
    mark_info = root.get("/MarkInfo")
    mark_info = mark_info.get_object() if mark_info is not None else None
    assert mark_info is None or isinstance(mark_info, pypdf.generic.DictionaryObject)
    return {
        "tagged": "/StructTreeRoot" in root,
        "marked": bool(mark_info and mark_info.get("/Marked")),
        "pdfa_part": "<pdfaid:part>3</pdfaid:part>" in metadata or 'pdfaid:part="3"' in metadata,
        "pdfa_level": "<pdfaid:conformance>A</pdfaid:conformance>" in metadata
        or 'pdfaid:conformance="A"' in metadata,
        "language": str(root.get("/Lang", "")),
    }


@pytest.mark.parametrize("document", ["scorecard", "berita_acara"])
def test_every_official_pdf_is_archival_and_tagged(shared_world: World, document: str) -> None:
    # Both documents print through `scorecards.printing.html_to_pdf`; `test_layers`-style, the
    # next test holds every other module away from WeasyPrint, so no PDF can skip PDF/A.
    w = shared_world
    if document == "scorecard":
        pdf = w.client("admin").get(reverse("scorecards:pdf", args=[w.published.pk]) + "?lang=id")
    else:
        visit = health_visit(w)
        pdf = w.client("coordinator_a").get(
            reverse("mentoring:berita_acara", args=[visit.pk]) + "?lang=id"
        )
    assert pdf.status_code == 200
    assert archival_facts(pdf.content) == {
        "tagged": True,
        "marked": True,
        "pdfa_part": True,
        "pdfa_level": True,
        "language": "id",
    }


def test_only_the_printer_module_calls_weasyprint() -> None:
    from pathlib import Path

    import cityeval

    package = Path(cityeval.__file__).parent
    users = sorted(
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if re.search(r"^\s*(from|import) weasyprint\b", path.read_text(encoding="utf-8"), re.M)
    )
    assert users == ["scorecards/printing.py"]


def test_the_visit_pages_head_their_agenda_as_agenda_in_both_languages(
    shared_world: World,
) -> None:
    """The agenda of the visit (its sessions) is headed "Agenda", not by the name of one
    session; both the plan form and the visit page."""
    w = shared_world
    visit = health_visit(w)
    client = w.client("lead_a")
    for language in ("id", "en"):
        client.cookies["django_language"] = language
        for url in (
            reverse("mentoring:visit", args=[visit.pk]),
            reverse("mentoring:visit_new", args=[w.reviewing.pk]),
        ):
            page = client.get(url).content.decode()
            assert ">Agenda</" in page, (language, url)


def test_the_team_records_a_visit_question_from_the_visit_page(shared_world: World) -> None:
    """A question raised during the visit goes to the help questions (answered by the team,
    published to the FAQ when general): the visit page leads the team there; readers who do
    not write the minutes see no such link."""
    w = shared_world
    visit = health_visit(w)
    ask = reverse("help:ask", args=[w.reviewing.pk])
    url = reverse("mentoring:visit", args=[visit.pk])
    for persona in ("lead_a", "member_a"):
        assert f'href="{ask}"' in w.client(persona).get(url).content.decode(), persona
    for persona in ("coordinator_a", "contributor_a", "viewer_a", "national_viewer"):
        assert f'href="{ask}"' not in w.client(persona).get(url).content.decode(), persona
    assert w.client("lead_a").get(ask).status_code == 200
