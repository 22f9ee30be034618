"""Named personas, set up once per test: the people every permission test talks about.

Two regions (A: Kutai Kartanegara, B: Kota Semarang), each with OPDs; one person per role, and
an OPD contributor in each region as someone to be managed.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from cityeval.accounts.models import Role, User
from cityeval.regions.models import OPD, Province, Region
from tests.world import person

PASSWORD = "kata-sandi-uji-2026"


@dataclass(frozen=True)
class Personas:
    region_a: Region
    region_b: Region
    opd_a: OPD
    opd_a2: OPD
    opd_b: OPD
    admin: User
    coordinator_a: User
    coordinator_b: User
    contributor_a: User
    viewer_a: User
    national_viewer: User
    assessor: User
    contributor_b: User

    def persona(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)

    def client(self, persona: str) -> Client:
        """A test client signed in as the persona (anonymous: signed out)."""
        client = Client()
        user = self.persona(persona)
        if user is not None:
            client.force_login(user)
        return client


def make_person(
    username: str, role: Role, *, region: Region | None = None, opd: OPD | None = None
) -> User:
    """`tests.world.person` with a name, the password and the region of the OPD."""
    grant = (role, region or (opd.region if opd else None), opd)
    full_name = username.replace("_", " ").title()
    email = f"{username}@example.test"
    return person(username, grant, password=PASSWORD, email=email, full_name=full_name)


@pytest.fixture
def world(db: None) -> Personas:
    kaltim = Province.objects.create(code="64", name="Kalimantan Timur")
    jateng = Province.objects.create(code="33", name="Jawa Tengah")
    region_a = Region.objects.create(
        code="64.02",
        name="Kutai Kartanegara",
        full_name="Kabupaten Kutai Kartanegara",
        kind=Region.Kind.KABUPATEN,
        province=kaltim,
    )
    region_b = Region.objects.create(
        code="33.74",
        name="Semarang",
        full_name="Kota Semarang",
        kind=Region.Kind.KOTA,
        province=jateng,
    )
    opd_a = OPD.objects.create(
        region=region_a, code="DINKES", name="Dinas Kesehatan", short_name="Dinkes"
    )
    opd_a2 = OPD.objects.create(
        region=region_a, code="BAPPEDA", name="Badan Perencanaan", short_name="Bappeda"
    )
    opd_b = OPD.objects.create(
        region=region_b, code="DINKES", name="Dinas Kesehatan", short_name="Dinkes"
    )
    return Personas(
        region_a=region_a,
        region_b=region_b,
        opd_a=opd_a,
        opd_a2=opd_a2,
        opd_b=opd_b,
        admin=make_person("admin_program", Role.PROGRAM_ADMIN),
        coordinator_a=make_person("koordinator_a", Role.COORDINATOR, region=region_a),
        coordinator_b=make_person("koordinator_b", Role.COORDINATOR, region=region_b),
        contributor_a=make_person("kontributor_a", Role.CONTRIBUTOR, opd=opd_a),
        viewer_a=make_person("peninjau_a", Role.VIEWER, region=region_a),
        national_viewer=make_person("peninjau_nasional", Role.VIEWER),
        assessor=make_person("asesor", Role.ASSESSOR),
        contributor_b=make_person("kontributor_b", Role.CONTRIBUTOR, opd=opd_b),
    )
