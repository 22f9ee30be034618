"""Small fixtures: two regions, a few OPDs, the shipped frameworks (for the tag axis), and named
personas for every role that matters to the masterplan pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from cityeval.accounts.models import Role, User
from cityeval.frameworks.services import import_shipped
from cityeval.masterplans.models import Masterplan
from cityeval.regions.models import OPD, Province, Region
from tests.world import person


@pytest.fixture
def frameworks(db: None) -> None:
    import_shipped()


@pytest.fixture
def region(db: None) -> Region:
    province = Province.objects.create(code="64", name="Kalimantan Timur")
    return Region.objects.create(
        code="64.02",
        name="Kutai Kartanegara",
        full_name="Kabupaten Kutai Kartanegara",
        kind=Region.Kind.KABUPATEN,
        province=province,
    )


@pytest.fixture
def other_region(db: None) -> Region:
    province = Province.objects.create(code="33", name="Jawa Tengah")
    return Region.objects.create(
        code="33.74",
        name="Semarang",
        full_name="Kota Semarang",
        kind=Region.Kind.KOTA,
        province=province,
    )


@dataclass
class Opds:
    kominfo: OPD
    dinkes: OPD
    dlh: OPD
    foreign: OPD  # the other region's Diskominfo


@pytest.fixture
def opds(region: Region, other_region: Region) -> Opds:
    def make(owner: Region, code: str, short: str, name: str) -> OPD:
        return OPD.objects.create(region=owner, code=code, short_name=short, name=name)

    return Opds(
        kominfo=make(region, "KOMINFO", "Diskominfo", "Dinas Komunikasi dan Informatika"),
        dinkes=make(region, "DINKES", "Dinkes", "Dinas Kesehatan"),
        dlh=make(region, "DLH", "DLH", "Dinas Lingkungan Hidup"),
        foreign=make(other_region, "KOMINFO", "Diskominfo", "Dinas Komunikasi dan Informatika"),
    )


@pytest.fixture
def masterplan(region: Region, frameworks: None) -> Masterplan:
    return Masterplan.objects.create(
        region=region,
        title="Masterplan Smart City Kutai Kartanegara 2019–2028",
        start_year=2019,
        end_year=2028,
        regulation="Peraturan Bupati Kutai Kartanegara No. 12 Tahun 2019",
    )


@dataclass
class People:
    coordinator: User
    other_coordinator: User
    contributor: User
    viewer: User
    national_viewer: User
    assessor: User
    admin: User
    outsider: User


@pytest.fixture
def people(region: Region, other_region: Region, opds: Opds) -> People:
    return People(
        coordinator=person("koordinator", (Role.COORDINATOR, region, None)),
        other_coordinator=person("koordinator.lain", (Role.COORDINATOR, other_region, None)),
        contributor=person("kontributor", (Role.CONTRIBUTOR, region, opds.dinkes)),
        viewer=person("pimpinan", (Role.VIEWER, region, None)),
        national_viewer=person("nasional", (Role.VIEWER, None, None)),
        assessor=person("asesor", (Role.ASSESSOR, None, None)),
        admin=person("admin.program", (Role.PROGRAM_ADMIN, None, None)),
        outsider=person("orang.luar"),
    )
