"""Demonstration users, one or more per role. They exist only in the demonstration data set."""

from __future__ import annotations

from dataclasses import dataclass

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.regions.models import OPD, Region

# Printed by `dev.py start`; never created outside the demonstration data set.
DEMO_PASSWORD = "kota-cerdas-2026"  # noqa: S105 - demonstration only, printed for the user


@dataclass(frozen=True)
class DemoPerson:
    username: str
    full_name: str
    role: Role
    region_code: str | None = None
    opd_code: str | None = None
    is_superuser: bool = False


KUKAR = "64.02"  # Kabupaten Kutai Kartanegara, the model case in product.md
SECOND_REGION = "33.74"  # Kota Semarang, a second tenant to show that regions are separate

DEMO_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("admin", "Admin Program Kementerian", Role.PROGRAM_ADMIN, is_superuser=True),
    DemoPerson("asesor.ketua", "Dr. Rina Wulandari (ketua tim asesor)", Role.ASSESSOR),
    DemoPerson("asesor.anggota", "Budi Santoso (anggota tim asesor)", Role.ASSESSOR),
    DemoPerson("koordinator.kukar", "Diskominfo Kutai Kartanegara", Role.COORDINATOR, KUKAR),
    DemoPerson(
        "kontributor.kukar",
        "Staf Dinas Kesehatan Kutai Kartanegara",
        Role.CONTRIBUTOR,
        KUKAR,
        "DINKES",
    ),
    DemoPerson("pimpinan.kukar", "Bupati Kutai Kartanegara", Role.VIEWER, KUKAR),
    DemoPerson("koordinator.semarang", "Diskominfo Kota Semarang", Role.COORDINATOR, SECOND_REGION),
    DemoPerson("pemantau.nasional", "Dewan Smart City Nasional", Role.VIEWER),
)


def create_demo_people() -> list[User]:
    users = []
    for person in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            username=person.username,
            defaults={
                "full_name": person.full_name,
                "email": f"{person.username}@demo.cityeval.invalid",
                "is_staff": person.is_superuser,
                "is_superuser": person.is_superuser,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        region = Region.objects.get(code=person.region_code) if person.region_code else None
        opd = OPD.objects.get(region=region, code=person.opd_code) if person.opd_code else None
        RoleGrant.objects.get_or_create(user=user, role=person.role, region=region, opd=opd)
        users.append(user)
    return users
