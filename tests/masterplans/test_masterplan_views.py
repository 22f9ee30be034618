from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cityeval.audit.models import AuditEntry
from cityeval.jobs.models import Job
from cityeval.masterplans import services
from cityeval.masterplans.models import Masterplan, Program, ProgramStatus, ProgramYear
from cityeval.masterplans.upload import MAX_UPLOAD_BYTES
from cityeval.regions.models import Region
from tests.masterplans.conftest import Opds, People
from tests.masterplans.helpers import make_program, open_bytes, program_data

pytestmark = pytest.mark.django_db

READ = {"region", "template"}
EDIT = {
    "masterplan_edit",
    "masterplan_new",
    "program_create",
    "program_edit",
    "year_edit",
    "import",
}
MEMBERS_WHO_ONLY_READ = ("contributor", "viewer", "national_viewer")


def url_for(name: str, region: Region, program: Program) -> str:
    kwargs: dict[str, int] = {"region_id": region.pk}
    if name in {"program_edit", "year_edit"}:
        kwargs["program_id"] = program.pk
    if name == "year_edit":
        kwargs["year"] = 2020
    return reverse(f"masterplans:{name}", kwargs=kwargs)


def expected_status(persona: str, name: str) -> int:
    if persona in {"coordinator", "admin"}:
        return 200
    # "assessor" is on no team of this region: the masterplan does not exist for them (an
    # assessor of the region's team reads it: tests/security/url_table.py, lead_a and member_a).
    if persona in {"other_coordinator", "outsider", "assessor"}:
        return 404
    return 200 if name in READ else 403


@pytest.fixture
def program(region: Region, opds: Opds) -> Program:
    # No framework import: these tests are about access, and the pages render without the axis.
    masterplan = Masterplan.objects.create(
        region=region, title="Masterplan", start_year=2019, end_year=2028
    )
    return make_program(masterplan, opds.kominfo)


@pytest.mark.parametrize("name", sorted(READ | EDIT))
@pytest.mark.parametrize(
    "persona",
    ["coordinator", "admin", "other_coordinator", "outsider", "assessor", *MEMBERS_WHO_ONLY_READ],
)
def test_each_page_answers_each_persona_as_its_role_allows(
    client: Client, people: People, region: Region, program: Program, name: str, persona: str
) -> None:
    client.force_login(getattr(people, persona))
    response = client.get(url_for(name, region, program))
    assert response.status_code == expected_status(persona, name)


@pytest.mark.parametrize("name", sorted(READ | EDIT))
def test_an_anonymous_visitor_is_sent_to_the_login_page(
    client: Client, region: Region, program: Program, name: str
) -> None:
    url = url_for(name, region, program)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_coordinator_of_another_region_cannot_post_either(
    client: Client, people: People, region: Region, program: Program, opds: Opds
) -> None:
    client.force_login(people.other_coordinator)
    response = client.post(url_for("program_edit", region, program), {"name": "Diambil alih"})
    assert response.status_code == 404
    program.refresh_from_db()
    assert program.name == "Mal Pelayanan Publik Digital"


def test_it_answers_404_for_a_program_of_another_region_under_ones_own_region(
    client: Client, people: People, region: Region, other_region: Region, opds: Opds
) -> None:
    foreign_plan = Masterplan.objects.create(
        region=other_region, title="Semarang", start_year=2019, end_year=2028
    )
    foreign = make_program(foreign_plan, opds.foreign)
    client.force_login(people.coordinator)
    response = client.get(url_for("program_edit", region, foreign))
    assert response.status_code == 404


def test_the_page_groups_programs_by_dimension_with_counts_and_quick_wins(
    client: Client, people: People, region: Region, masterplan: Masterplan, opds: Opds
) -> None:
    for code, status in (("GOV-01", "running"), ("GOV-02", "completed"), ("GOV-03", "stalled")):
        made = make_program(masterplan, opds.kominfo, code=code, quick_win=code == "GOV-01")
        progress = 100 if status == "completed" else 30
        ProgramYear.objects.create(program=made, year=2020, status=status, progress=progress)
    make_program(
        masterplan, opds.dlh, code="ENV-01", element="ENV-WST", dimension="ENV", quick_win=False
    )
    client.force_login(people.viewer)
    response = client.get(reverse("masterplans:region", args=[region.pk]) + "?tahun=2020")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Peraturan Bupati Kutai Kartanegara No. 12 Tahun 2019" in text
    assert "2 dari 3</td>" in text
    assert "0 dari 1</td>" in text
    assert "<strong>66,7%</strong>" in text
    assert text.count('<span class="badge">Quick win</span>') == 1
    assert "Belum ada program di dimensi ini." in text
    assert "Tambah program" not in text  # a viewer reads only
    assert "1.250.000.000" in text


def test_the_page_invites_a_coordinator_to_write_the_first_masterplan(
    client: Client, people: People, region: Region, frameworks: None
) -> None:
    client.force_login(people.coordinator)
    text = client.get(reverse("masterplans:region", args=[region.pk])).content.decode()
    assert "Daerah ini belum mencatat masterplan smart city." in text
    response = client.post(
        reverse("masterplans:masterplan_edit", args=[region.pk]),
        {"title": "Masterplan Smart City", "start_year": 2019, "end_year": 2028},
    )
    assert response.status_code == 302
    assert Masterplan.objects.current_of(region.pk) is not None


def test_a_coordinator_adds_a_program_through_the_form(
    client: Client, people: People, region: Region, masterplan: Masterplan, opds: Opds
) -> None:
    client.force_login(people.coordinator)
    url = reverse("masterplans:program_create", args=[region.pk])
    form = {
        "code": "LIV-01",
        "name": "Pendaftaran Puskesmas Daring",
        "description": "",
        "element": "LIV-HLT",
        "owner": opds.dinkes.pk,
        "quick_win": "on",
        "budget": "750000000",
        "start_year": 2020,
        "end_year": 2024,
    }
    response = client.post(url, form)
    assert response.status_code == 302
    program = Program.objects.get(code="LIV-01")
    assert (program.dimension, program.quick_win, program.owner) == ("LIV", True, opds.dinkes)
    assert AuditEntry.objects.filter(action="program.create").count() == 1
    # The same code again is refused on the form, not as a server error.
    response = client.post(url, form)
    assert "Kode ini sudah dipakai program lain di masterplan ini." in response.content.decode()


def test_the_form_refuses_another_regions_opd(
    client: Client, people: People, region: Region, masterplan: Masterplan, opds: Opds
) -> None:
    client.force_login(people.coordinator)
    response = client.post(
        reverse("masterplans:program_create", args=[region.pk]),
        {"code": "X-1", "name": "X", "element": "GOV-PS", "owner": opds.foreign.pk,
         "budget": "1", "start_year": 2020, "end_year": 2021},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Program.objects.exists()


def test_a_stale_edit_shows_the_conflict_and_keeps_the_persons_input(
    client: Client, people: People, region: Region, program: Program, opds: Opds, frameworks: None
) -> None:
    client.force_login(people.coordinator)
    url = url_for("program_edit", region, program)
    assert 'name="seen_version" value="1"' in client.get(url).content.decode()
    # Meanwhile the program admin renames it.
    services.update_program(
        program=program,
        user=people.admin,
        data=program_data(opds.kominfo, name="Nama dari admin"),
        expected_version=1,
    )
    mine = {
        "seen_version": 1,
        "code": "GOV-01",
        "name": "Nama dari koordinator",
        "description": "Catatan saya",
        "element": "GOV-PS",
        "owner": opds.kominfo.pk,
        "budget": "1250000000",
        "start_year": 2019,
        "end_year": 2022,
    }
    response = client.post(url, mine)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Program ini sudah diubah oleh admin.program sejak Anda membukanya." in text
    assert 'value="Nama dari koordinator"' in text  # the input is still in the form
    assert "Catatan saya" in text
    assert "Nama dari admin" in text  # and the latest version is shown beside it
    assert 'name="seen_version" value="2"' in text
    program.refresh_from_db()
    assert program.name == "Nama dari admin"
    # Saving again, having seen the conflict, is a deliberate overwrite.
    response = client.post(url, {**mine, "seen_version": 2})
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.name, program.version) == ("Nama dari koordinator", 3)


def test_a_coordinator_records_a_year_status(
    client: Client, people: People, region: Region, program: Program
) -> None:
    client.force_login(people.coordinator)
    response = client.post(
        url_for("year_edit", region, program),
        {"status": "completed", "progress": "100", "note": "Sudah diresmikan."},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?tahun=2020")
    item = ProgramYear.objects.get()
    assert (item.status, item.progress) == (ProgramStatus.COMPLETED, Decimal(100))
    response = client.post(
        url_for("year_edit", region, program), {"status": "completed", "progress": "60"}
    )
    assert "Program berstatus selesai harus berprogres 100%." in response.content.decode()


def test_a_year_outside_the_masterplan_answers_404(
    client: Client, people: People, region: Region, program: Program
) -> None:
    client.force_login(people.coordinator)
    url = reverse("masterplans:year_edit", args=[region.pk, program.pk, 2035])
    assert client.get(url).status_code == 404


def test_the_template_downloads_as_a_workbook_with_the_programs(
    client: Client, people: People, region: Region, program: Program
) -> None:
    client.force_login(people.viewer)
    response = client.get(reverse("masterplans:template", args=[region.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="program-masterplan-64.02.xlsx"' in response["Content-Disposition"]
    sheet = open_bytes(response.content)["Program"]
    assert sheet["A2"].value == "GOV-01"


def test_the_import_page_shows_the_problems_as_a_table(
    client: Client,
    people: People,
    region: Region,
    masterplan: Masterplan,
    opds: Opds,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from cityeval.masterplans.template import template_workbook

    book = open_bytes(template_workbook(masterplan=masterplan))
    book["Program"].append(
        ["GOV-01", "Program", "", "GOV", "GOV-XX", "KOMINFO", "ya", 1, 2019, 2020]
    )
    from tests.masterplans.helpers import workbook_bytes

    client.force_login(people.coordinator)
    upload = SimpleUploadedFile("program.xlsx", workbook_bytes(book))
    with django_capture_on_commit_callbacks(execute=True):  # the import job, as at commit
        queued = client.post(reverse("masterplans:import", args=[region.pk]), {"file": upload})
    response = client.get(queued["Location"])
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-import-state="done"' in text
    assert 'data-testid="problems"' in text
    assert '<td>Program</td><td class="num">2</td>' in text
    assert "E (Elemen)" in text
    assert "1 masalah ditemukan; tidak ada yang disimpan." in text
    assert not Program.objects.exists()


def test_the_import_page_refuses_a_renamed_file_and_an_oversized_one(
    client: Client,
    people: People,
    region: Region,
    masterplan: Masterplan,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client.force_login(people.coordinator)
    url = reverse("masterplans:import", args=[region.pk])
    fake = SimpleUploadedFile("program.xlsx", b"%PDF-1.7 not a workbook")
    with django_capture_on_commit_callbacks(execute=True):
        queued = client.post(url, {"file": fake})
    assert "bukan buku kerja Excel" in client.get(queued["Location"]).content.decode()
    big = SimpleUploadedFile("program.xlsx", b"PK\x03\x04" + b"\0" * MAX_UPLOAD_BYTES)
    response = client.post(url, {"file": big})  # refused at once, nothing queued
    assert "Berkas terlalu besar" in response.content.decode()
    assert Job.objects.count() == 1
    assert not AuditEntry.objects.exists()
