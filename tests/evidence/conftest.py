"""Personas, one open cycle, private media folder and sample files, set up through real services."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus, ItemValue, Round
from cityeval.evaluations.services import Deadlines, assign_assessor, open_cycle
from cityeval.evidence.samples import tiny_pdf, tiny_png
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import import_framework
from cityeval.regions.models import OPD, Region
from cityeval.regions.services import load_regions

PASSWORD = "a-long-test-password-1"
PERSONAS = [
    "admin",
    "lead",
    "member",
    "stranger_assessor",
    "coordinator",
    "other_coordinator",
    "contributor",
    "roads_contributor",
    "other_contributor",
    "viewer",
    "national_viewer",
    "anonymous",
]


@dataclass
class World:
    cycle: Cycle
    evaluation: Evaluation  # Kutai Kartanegara
    other: Evaluation  # Kota Semarang
    health: OPD  # Dinkes of Kutai Kartanegara: the contributor's OPD
    roads: OPD  # Dinas PUPR of Kutai Kartanegara
    people: dict[str, User]

    def item(self, opd: OPD | None = None) -> ItemValue:
        """The first item assigned to `opd` (the health OPD by default)."""
        items = ItemValue.objects.filter(evaluation=self.evaluation, opd=opd or self.health)
        item = items.select_related("evaluation__cycle").order_by("id").first()
        assert item is not None
        return item

    def set_status(self, status: EvaluationStatus, evaluation: Evaluation | None = None) -> None:
        # Test set-up only: the workflow's own tests cover the transitions.
        target = evaluation or self.evaluation
        Evaluation.objects.filter(pk=target.pk).update(status=status)
        target.refresh_from_db()

    def client(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.people[persona])
        return client


def person(username: str, *grants: tuple[Role, Region | None, OPD | None]) -> User:
    user = User.objects.create_user(username, email=f"{username}@example.id", password=PASSWORD)
    for role, region, opd in grants:
        RoleGrant.objects.create(user=user, role=role, region=region, opd=opd)
    return user


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    """A private MEDIA_ROOT for each test, so that files written are the test's own."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def world(db: None, media: Path) -> World:
    load_regions(source_dir=settings.NODE_MODULES / "idn-area-data" / "data")
    # Only the instrument the cycle uses: importing every shipped one takes seconds.
    import_framework(path=settings.FRAMEWORKS_DIR / "g100sc-2022.yaml")
    kukar = Region.objects.get(code="64.02")
    semarang = Region.objects.get(code="33.74")
    health = OPD.objects.create(region=kukar, code="DINKES", name="Dinas Kesehatan")
    roads = OPD.objects.create(region=kukar, code="PUPR", name="Dinas PUPR")
    elsewhere = OPD.objects.create(region=semarang, code="DINKES", name="Dinas Kesehatan")
    people = {
        "admin": person("admin", (Role.PROGRAM_ADMIN, None, None)),
        "lead": person("lead", (Role.ASSESSOR, None, None)),
        "member": person("member", (Role.ASSESSOR, None, None)),
        "stranger_assessor": person("stranger_assessor", (Role.ASSESSOR, None, None)),
        "coordinator": person("coordinator", (Role.COORDINATOR, kukar, None)),
        "other_coordinator": person("other_coordinator", (Role.COORDINATOR, semarang, None)),
        "contributor": person("contributor", (Role.CONTRIBUTOR, kukar, health)),
        "roads_contributor": person("roads_contributor", (Role.CONTRIBUTOR, kukar, roads)),
        "other_contributor": person("other_contributor", (Role.CONTRIBUTOR, semarang, elsewhere)),
        "viewer": person("viewer", (Role.VIEWER, kukar, None)),
        "national_viewer": person("national_viewer", (Role.VIEWER, None, None)),
    }
    admin = people["admin"]
    cycle = open_cycle(
        year=2024,
        round=Round.TAHAP_1,
        framework_version=FrameworkVersion.objects.get_by_ref("G100SC@2022"),
        regions=[kukar, semarang],
        deadlines=Deadlines(self_assessment=timezone.localdate() + timedelta(days=30)),
        user=admin,
    )
    assign_assessor(cycle=cycle, region=kukar, assessor=people["lead"], is_lead=True, user=admin)
    assign_assessor(cycle=cycle, region=kukar, assessor=people["member"], is_lead=False, user=admin)
    assign_assessor(
        cycle=cycle, region=semarang, assessor=people["stranger_assessor"], is_lead=True, user=admin
    )
    evaluation = Evaluation.objects.get(cycle=cycle, region=kukar)
    items = list(ItemValue.objects.filter(evaluation=evaluation).order_by("id"))
    ItemValue.objects.filter(pk__in=[i.pk for i in items[:10]]).update(opd=health)
    ItemValue.objects.filter(pk__in=[i.pk for i in items[10:20]]).update(opd=roads)
    return World(
        cycle=cycle,
        evaluation=evaluation,
        other=Evaluation.objects.get(cycle=cycle, region=semarang),
        health=health,
        roads=roads,
        people=people,
    )


# Sample contents ---------------------------------------------------------------------------

PDF_BYTES = tiny_pdf(["Peraturan Bupati tentang Masterplan Smart City"])
PNG_BYTES = tiny_png(8, 6, (30, 120, 200), stripe=2)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 64 + b"\xff\xd9"
WEBP_BYTES = b"RIFF\x24\x00\x00\x00WEBPVP8 " + b"\x00" * 40
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def zip_bytes(parts: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def ooxml(main: str) -> bytes:
    types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Override PartName="/word/document.xml" '
        f'ContentType="application/vnd.openxmlformats-officedocument.{main}.main+xml"/></Types>'
    )
    return zip_bytes({"[Content_Types].xml": types, "word/document.xml": "<w:document/>"})


DOCX_BYTES = ooxml("wordprocessingml.document")
XLSX_BYTES = ooxml("spreadsheetml.sheet")
PPTX_BYTES = ooxml("presentationml.presentation")
ODT_BYTES = zip_bytes(
    {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<x/>"}
)
PLAIN_ZIP_BYTES = zip_bytes({"notes.txt": "bukan dokumen"})


def upload(
    name: str, content: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
