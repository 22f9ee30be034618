"""Invitations end to end: the e-mail, the one-time link, the first password."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.mail import send_mail as django_send_mail
from django.test import Client
from django.urls import reverse

from cityeval.accounts import services
from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.audit.models import AuditEntry
from cityeval.jobs.models import Job, JobStatus
from tests.accounts.conftest import Personas

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "pesut-mahakam-2026"


@pytest.fixture
def jobs(django_capture_on_commit_callbacks: Any) -> Any:
    """Runs the mail jobs a request queued, as its commit would (the test never commits)."""
    return django_capture_on_commit_callbacks


def invite_contributor(
    client: Client, world: Personas, jobs: Any, username: str = "budi.dinkes"
) -> User:
    with jobs(execute=True):
        response = client.post(
            reverse("person_invite"),
            {
                "full_name": "Budi Santoso",
                "username": username,
                "email": f"{username}@kukarkab.go.id",
                "role": Role.CONTRIBUTOR,
                "region": world.region_a.pk,
                "opd": world.opd_a.pk,
            },
        )
    assert response.status_code == 302, response.content.decode()
    return User.objects.get(username=username)


def link_path(message: mail.EmailMessage) -> str:
    match = re.search(r"https?://testserver(/accounts/invitation/\S+/)", str(message.body))
    assert match, message.body
    return match.group(1)


def accept(client: Client, path: str, password: str = NEW_PASSWORD) -> Client:
    page = client.get(path, follow=True)
    assert "Selamat datang di cityeval" in page.content.decode()
    set_url = page.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": password, "new_password2": password})
    assert response.status_code == 302
    return client


def test_an_invitation_sets_a_password_once_and_the_person_signs_in(
    client: Client, world: Personas, jobs: Any
) -> None:
    client.force_login(world.coordinator_a)
    person = invite_contributor(client, world, jobs)
    assert person.invitation_pending
    assert not person.has_usable_password()
    assert list(person.grants.values_list("role", "opd")) == [(Role.CONTRIBUTOR, world.opd_a.pk)]

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["budi.dinkes@kukarkab.go.id"]
    assert message.subject == "Undangan ke cityeval"
    assert "budi.dinkes" in message.body
    assert "Koordinator A mengundang Anda" in message.body
    path = link_path(message)

    invitee = Client()
    accept(invitee, path)
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert not person.invitation_pending

    login = invitee.post(reverse("login"), {"username": "budi.dinkes", "password": NEW_PASSWORD})
    assert login.status_code == 302
    # The link works once.
    again = Client().get(path, follow=True).content.decode()
    assert "Tautan undangan tidak berlaku" in again


def test_accepting_says_where_to_sign_in(client: Client, world: Personas, jobs: Any) -> None:
    client.force_login(world.admin)
    invite_contributor(client, world, jobs)
    invitee = Client()
    accept(invitee, link_path(mail.outbox[0]))
    page = invitee.get(reverse("login")).content.decode()
    assert "Kata sandi tersimpan" in page
    assert "budi.dinkes" in page


def test_the_invitation_refuses_a_weak_password(client: Client, world: Personas, jobs: Any) -> None:
    client.force_login(world.admin)
    person = invite_contributor(client, world, jobs)
    invitee = Client()
    page = invitee.get(link_path(mail.outbox[0]), follow=True)
    set_url = page.redirect_chain[-1][0]
    response = invitee.post(set_url, {"new_password1": "budi", "new_password2": "budi"})
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.invitation_pending


def test_sending_again_retires_the_earlier_link(client: Client, world: Personas, jobs: Any) -> None:
    client.force_login(world.coordinator_a)
    person = invite_contributor(client, world, jobs)
    first = link_path(mail.outbox[0])
    with jobs(execute=True):
        response = client.post(reverse("person_resend", kwargs={"pk": person.pk}))
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    second = link_path(mail.outbox[1])
    assert first != second
    assert "Tautan undangan tidak berlaku" in Client().get(first, follow=True).content.decode()
    accept(Client(), second)
    assert AuditEntry.objects.filter(action="user.invite_again", target_id=str(person.pk)).exists()


def test_a_deactivated_persons_link_no_longer_works(
    client: Client, world: Personas, jobs: Any
) -> None:
    client.force_login(world.coordinator_a)
    person = invite_contributor(client, world, jobs)
    client.post(reverse("person_deactivate", kwargs={"pk": person.pk}))
    page = Client().get(link_path(mail.outbox[0]), follow=True).content.decode()
    assert "Tautan undangan tidak berlaku" in page


def test_a_password_reset_link_is_no_invitation(client: Client, world: Personas, jobs: Any) -> None:
    client.force_login(world.admin)
    invite_contributor(client, world, jobs)
    path = link_path(mail.outbox[0]).replace("/invitation/", "/reset/")
    assert "Tautan tidak berlaku" in Client().get(path, follow=True).content.decode()


def test_an_invitation_is_audited_once_with_who_what_and_where(
    client: Client, world: Personas, jobs: Any
) -> None:
    client.force_login(world.coordinator_a)
    person = invite_contributor(client, world, jobs)
    entry = AuditEntry.objects.get(action="user.invite")
    assert entry.actor == world.coordinator_a
    assert entry.target_id == str(person.pk)
    assert entry.region_id == world.region_a.pk
    assert entry.after is not None
    assert entry.after["opd"] == world.opd_a.pk
    accept(Client(), link_path(mail.outbox[0]))
    accepted = AuditEntry.objects.get(action="user.password_invitation")
    assert accepted.actor == person


def test_a_taken_username_writes_nothing_and_sends_nothing(client: Client, world: Personas) -> None:
    client.force_login(world.coordinator_a)
    response = client.post(
        reverse("person_invite"),
        {
            "full_name": "Orang Lain",
            "username": "Kontributor_A",
            "email": "lain@kukarkab.go.id",
            "role": Role.CONTRIBUTOR,
            "region": world.region_a.pk,
            "opd": world.opd_a.pk,
        },
    )
    assert response.status_code == 200
    assert "Nama pengguna ini tidak tersedia." in response.content.decode()
    assert mail.outbox == []
    assert not Job.objects.exists()
    assert not AuditEntry.objects.filter(action="user.invite").exists()
    assert RoleGrant.objects.count() == 8


def test_a_failing_mail_server_keeps_the_account_and_the_page_says_so(
    client: Client, world: Personas, jobs: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionRefusedError

    settings.CITYEVAL_JOB_MAX_ATTEMPTS = 1
    monkeypatch.setattr("cityeval.accounts.invitations.send_mail", refuse)
    client.force_login(world.admin)
    with jobs(execute=True):
        response = client.post(
            reverse("person_invite"),
            {
                "full_name": "Budi",
                "username": "budi.dinkes",
                "email": "budi@kukarkab.go.id",
                "role": Role.ASSESSOR,
            },
        )
    assert response.status_code == 302  # the request does not wait on the mail server
    person = User.objects.get(username="budi.dinkes")
    job = Job.objects.get(kind="invitation_mail")
    assert (job.status, job.error) == (JobStatus.FAILED, "ConnectionRefusedError: ")
    assert mail.outbox == []
    page = client.get(reverse("person_detail", kwargs={"pk": person.pk})).content.decode()
    assert 'data-invitation-mail="failed"' in page

    monkeypatch.setattr("cityeval.accounts.invitations.send_mail", django_send_mail)
    with jobs(execute=True):
        client.post(reverse("person_resend", kwargs={"pk": person.pk}))
    assert [message.to for message in mail.outbox] == [["budi@kukarkab.go.id"]]
    page = client.get(reverse("person_detail", kwargs={"pk": person.pk})).content.decode()
    assert 'data-invitation-mail="done"' in page
    accept(Client(), link_path(mail.outbox[0]))


def test_a_queued_invitation_sent_again_or_accepted_sends_no_stale_link(
    client: Client, world: Personas, jobs: Any, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.coordinator_a)
    with django_capture_on_commit_callbacks(execute=False) as first_queued:
        client.post(
            reverse("person_invite"),
            {
                "full_name": "Budi Santoso",
                "username": "budi.dinkes",
                "email": "budi.dinkes@kukarkab.go.id",
                "role": Role.CONTRIBUTOR,
                "region": world.region_a.pk,
                "opd": world.opd_a.pk,
            },
        )
    person = User.objects.get(username="budi.dinkes")
    with jobs(execute=True):  # sent again before the worker reached the first mail
        client.post(reverse("person_resend", kwargs={"pk": person.pk}))
    accept(Client(), link_path(mail.outbox[0]))
    for callback in first_queued:  # the first job runs late: its link is not wanted any more
        callback()
    assert len(mail.outbox) == 1
    statuses = Job.objects.filter(kind="invitation_mail").values_list("status", flat=True)
    assert list(statuses) == [JobStatus.DONE, JobStatus.DONE]


def refusal(client: Client, world: Personas, **fields: str) -> str:
    data = {
        "full_name": "Orang Baru",
        "username": "orang.baru",
        "email": "orang.baru@example.test",
        "role": Role.CONTRIBUTOR,
        "region": world.region_a.pk,
        "opd": world.opd_a.pk,
    }
    users = User.objects.count()
    response = client.post(reverse("person_invite"), data | fields)
    assert response.status_code == 200
    assert User.objects.count() == users
    assert mail.outbox == []
    assert not Job.objects.exists()
    assert not AuditEntry.objects.filter(action="user.invite").exists()
    errors = response.context["form"].errors
    return " ".join(errors.get("username", []) + errors.get("email", []))


def test_a_taken_username_is_refused_alike_inside_and_outside_the_region(
    client: Client, world: Personas
) -> None:
    client.force_login(world.coordinator_a)
    inside = refusal(client, world, username="KONTRIBUTOR_A")
    outside = refusal(client, world, username="KONTRIBUTOR_B")
    assert "tidak tersedia" in inside
    assert inside.replace("KONTRIBUTOR_A", "X") == outside.replace("KONTRIBUTOR_B", "X")
    assert "KONTRIBUTOR_B2" in outside  # a free name is proposed


def test_a_taken_email_is_refused_alike_inside_and_outside_the_region(
    client: Client, world: Personas
) -> None:
    client.force_login(world.coordinator_a)
    inside = refusal(client, world, email=world.contributor_a.email.upper())
    outside = refusal(client, world, email=world.contributor_b.email)
    assert inside == outside
    assert "tidak dapat dipakai" in inside


def test_the_proposed_username_is_free(world: Personas) -> None:
    User.objects.create(username="kontributor_a2")
    assert services.free_username("kontributor_a") == "kontributor_a3"
