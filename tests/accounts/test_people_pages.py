"""What a program admin does on the people pages: search, invite, grant, revoke, deactivate."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.audit.models import AuditEntry
from tests.accounts.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client, world: Personas) -> Client:
    client.force_login(world.admin)
    return client


def people_page(client: Client, **params: str) -> str:
    return client.get(reverse("people"), params).content.decode()


def test_an_admin_sees_everyone(admin_client: Client, world: Personas) -> None:
    text = people_page(admin_client)
    assert "8 pengguna ditemukan." in text
    assert "kontributor_b" in text
    assert "Kontributor OPD · Dinkes · Kota Semarang" in text


def test_the_list_searches_names_usernames_and_addresses(admin_client: Client) -> None:
    assert "kontributor_a" in people_page(admin_client, q="Kontributor A")
    assert "kontributor_b" not in people_page(admin_client, q="Kontributor A")
    assert "peninjau_nasional" in people_page(admin_client, q="nasional@example")
    assert "Tidak ada pengguna yang cocok." in people_page(admin_client, q="zzz")


def test_the_list_filters_by_role_and_status(admin_client: Client, world: Personas) -> None:
    by_role = people_page(admin_client, role=Role.ASSESSOR)
    assert "asesor" in by_role
    assert "kontributor_a" not in by_role
    world.viewer_a.is_active = False
    world.viewer_a.save()
    inactive = people_page(admin_client, status="inactive")
    assert "1 pengguna ditemukan." in inactive
    assert "peninjau_a" in inactive


def test_an_admin_invites_an_assessor_without_a_region(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("person_invite"),
        {
            "full_name": "Dr. Sari",
            "username": "sari.asesor",
            "email": "sari@kampus.ac.id",
            "role": Role.ASSESSOR,
        },
    )
    assert response.status_code == 302
    invited = User.objects.get(username="sari.asesor")
    grant = invited.grants.get()
    assert (grant.role, grant.region, grant.opd) == (Role.ASSESSOR, None, None)
    assert "Menunggu undangan diterima" in people_page(admin_client, status="invited")


def test_a_contributor_needs_an_opd(admin_client: Client, world: Personas) -> None:
    response = admin_client.post(
        reverse("person_invite"),
        {
            "full_name": "Tanpa OPD",
            "username": "tanpa.opd",
            "email": "tanpa@example.test",
            "role": Role.CONTRIBUTOR,
            "region": world.region_a.pk,
        },
    )
    assert response.status_code == 200
    assert "Pilih perangkat daerah tempat kontributor bekerja." in response.content.decode()
    assert not User.objects.filter(username="tanpa.opd").exists()


def test_an_opd_must_belong_to_the_chosen_region(admin_client: Client, world: Personas) -> None:
    response = admin_client.post(
        reverse("person_invite"),
        {
            "full_name": "Salah OPD",
            "username": "salah.opd",
            "email": "salah@example.test",
            "role": Role.CONTRIBUTOR,
            "region": world.region_a.pk,
            "opd": world.opd_b.pk,
        },
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="salah.opd").exists()


def test_choosing_a_region_offers_its_opds(admin_client: Client, world: Personas) -> None:
    page = admin_client.get(reverse("person_invite"), {"region": world.region_b.pk})
    opd_field = page.content.decode().split('id="opd-field"', 1)[1].split("</select>", 1)[0]
    assert f'value="{world.opd_b.pk}"' in opd_field
    assert f'value="{world.opd_a.pk}"' not in opd_field
    assert f'value="{world.opd_a2.pk}"' not in opd_field


@pytest.mark.parametrize(
    ("role", "scoped"),
    [
        (Role.PROGRAM_ADMIN, False),
        (Role.ASSESSOR, False),
        (Role.COORDINATOR, True),
        (Role.VIEWER, False),
    ],
)
def test_an_admin_grants_every_kind_of_role(
    admin_client: Client, world: Personas, role: Role, scoped: bool
) -> None:
    data = {"role": role, "region": world.region_b.pk if scoped else ""}
    url = reverse("person_grant", kwargs={"pk": world.contributor_a.pk})
    assert admin_client.post(url, data).status_code == 302
    created = RoleGrant.objects.get(user=world.contributor_a, role=role)
    assert created.region == (world.region_b if scoped else None)
    assert AuditEntry.objects.filter(action="role.grant", target_id=str(created.pk)).count() == 1


def test_a_role_held_already_is_not_granted_twice(admin_client: Client, world: Personas) -> None:
    url = reverse("person_grant", kwargs={"pk": world.national_viewer.pk})
    response = admin_client.post(url, {"role": Role.VIEWER, "region": ""}, follow=True)
    assert "Orang ini sudah memegang peran tersebut." in response.content.decode()
    assert world.national_viewer.grants.count() == 1
    assert not AuditEntry.objects.filter(action="role.grant").exists()


def test_a_coordinator_role_needs_a_region(admin_client: Client, world: Personas) -> None:
    url = reverse("person_grant", kwargs={"pk": world.contributor_a.pk})
    response = admin_client.post(url, {"role": Role.COORDINATOR, "region": ""})
    assert response.status_code == 400
    assert "Pilih kabupaten/kota yang dikoordinasikan." in response.content.decode()


def test_deactivating_ends_sign_in_and_is_audited(admin_client: Client, world: Personas) -> None:
    response = admin_client.post(
        reverse("person_deactivate", kwargs={"pk": world.contributor_a.pk})
    )
    assert response.status_code == 302
    world.contributor_a.refresh_from_db()
    assert not world.contributor_a.is_active
    assert not Client().login(username="kontributor_a", password=PASSWORD)
    entry = AuditEntry.objects.get(action="user.deactivate")
    assert (entry.actor, entry.before, entry.after) == (
        world.admin,
        {"is_active": True},
        {"is_active": False},
    )
    assert entry.region_id == world.region_a.pk


def test_a_deactivated_persons_open_session_ends(client: Client, world: Personas) -> None:
    client.force_login(world.contributor_a)
    world.contributor_a.is_active = False
    world.contributor_a.save()
    assert client.get(reverse("profile")).status_code == 302


def test_reactivating_lets_the_person_in_again(admin_client: Client, world: Personas) -> None:
    world.contributor_a.is_active = False
    world.contributor_a.save()
    admin_client.post(reverse("person_reactivate", kwargs={"pk": world.contributor_a.pk}))
    assert Client().login(username="kontributor_a", password=PASSWORD)
    assert AuditEntry.objects.filter(action="user.reactivate").count() == 1


def test_an_admin_cannot_deactivate_themselves(admin_client: Client, world: Personas) -> None:
    response = admin_client.post(
        reverse("person_deactivate", kwargs={"pk": world.admin.pk}), follow=True
    )
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in response.content.decode()
    world.admin.refresh_from_db()
    assert world.admin.is_active


def test_an_admin_cannot_revoke_their_own_admin_role(admin_client: Client, world: Personas) -> None:
    own = world.admin.grants.get()
    url = reverse("person_revoke", kwargs={"pk": world.admin.pk, "grant_pk": own.pk})
    response = admin_client.post(url, follow=True)
    assert "Anda tidak dapat mencabut peran admin program Anda sendiri." in (
        response.content.decode()
    )
    assert RoleGrant.objects.filter(pk=own.pk).exists()


def test_an_admin_revokes_a_role_in_any_region(admin_client: Client, world: Personas) -> None:
    target = world.contributor_b.grants.get()
    url = reverse("person_revoke", kwargs={"pk": world.contributor_b.pk, "grant_pk": target.pk})
    assert admin_client.post(url).status_code == 302
    assert not RoleGrant.objects.filter(pk=target.pk).exists()


def test_a_grant_of_another_person_is_not_found(admin_client: Client, world: Personas) -> None:
    target = world.contributor_b.grants.get()
    url = reverse("person_revoke", kwargs={"pk": world.contributor_a.pk, "grant_pk": target.pk})
    assert admin_client.post(url).status_code == 404


def test_the_people_pages_only_change_data_on_post(admin_client: Client, world: Personas) -> None:
    url = reverse("person_deactivate", kwargs={"pk": world.contributor_a.pk})
    assert admin_client.get(url).status_code == 405
