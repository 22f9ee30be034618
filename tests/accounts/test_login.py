"""Signing in and out, and the lockout after repeated failures."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db.models import F
from django.test import Client
from django.urls import reverse

from cityeval.accounts.models import LoginFailure
from cityeval.audit.models import AuditEntry
from cityeval.jobs.models import Job
from tests.accounts.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db

LOCKED = "Terlalu banyak percobaan masuk yang gagal"
WRONG = "Nama pengguna atau kata sandi salah"


def sign_in(client: Client, username: str, password: str) -> str:
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.content.decode() if response.status_code == 200 else ""


def fail_times(client: Client, username: str, times: int) -> str:
    text = ""
    for _ in range(times):
        text = sign_in(client, username, "salah-sekali-123")
    return text


def test_the_login_page_speaks_indonesian_and_extends_the_site_layout(client: Client) -> None:
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Masuk ke cityeval" in text
    assert "Lupa kata sandi?" in text
    assert 'class="topbar"' in text
    assert 'name="csrfmiddlewaretoken"' in text


def test_it_signs_in_with_the_right_password(client: Client, world: Personas) -> None:
    response = client.post(
        reverse("login"), {"username": "kontributor_a", "password": PASSWORD, "next": "/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(world.contributor_a.pk)


def test_it_rejects_a_wrong_password_without_saying_which_part_was_wrong(
    client: Client, world: Personas
) -> None:
    assert WRONG in sign_in(client, "kontributor_a", "bukan-kata-sandinya")
    assert WRONG in sign_in(client, "tidak_ada_orangnya", "bukan-kata-sandinya")


def test_it_does_not_let_a_deactivated_person_in(client: Client, world: Personas) -> None:
    world.contributor_a.is_active = False
    world.contributor_a.save()
    assert WRONG in sign_in(client, "kontributor_a", PASSWORD)


def test_it_locks_out_after_five_failures(client: Client, world: Personas) -> None:
    assert WRONG in fail_times(client, "kontributor_a", 4)
    assert LOCKED in fail_times(client, "kontributor_a", 1)
    # Even the right password is refused while locked.
    assert LOCKED in sign_in(client, "kontributor_a", PASSWORD)
    assert "_auth_user_id" not in client.session


def test_the_lockout_message_is_the_same_for_a_name_that_has_no_account(
    client: Client, world: Personas
) -> None:
    existing = fail_times(client, "kontributor_a", 5)
    missing = fail_times(client, "tidak_ada_orangnya", 5)
    assert LOCKED in existing
    assert LOCKED in missing
    assert "15 menit" in existing
    assert "15 menit" in missing


def test_a_lockout_covers_every_way_of_signing_in(client: Client, world: Personas) -> None:
    fail_times(client, "kontributor_a", 5)
    assert not client.login(username="kontributor_a", password=PASSWORD)


def test_the_lockout_counts_the_name_in_any_case(client: Client, world: Personas) -> None:
    fail_times(client, "KONTRIBUTOR_A", 3)
    fail_times(client, "kontributor_a ", 2)
    assert LOCKED in sign_in(client, "kontributor_a", PASSWORD)


def test_attempts_while_locked_do_not_extend_the_lock(client: Client, world: Personas) -> None:
    fail_times(client, "kontributor_a", 5)
    fail_times(client, "kontributor_a", 3)
    assert LoginFailure.objects.count() == 5


def test_the_lock_ends_after_fifteen_minutes(client: Client, world: Personas) -> None:
    fail_times(client, "kontributor_a", 5)
    LoginFailure.objects.update(at=F("at") - timedelta(minutes=15, seconds=1))
    assert sign_in(client, "kontributor_a", PASSWORD) == ""
    assert client.session["_auth_user_id"] == str(world.contributor_a.pk)


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(
    client: Client, world: Personas
) -> None:
    fail_times(client, "kontributor_a", 4)
    LoginFailure.objects.update(at=F("at") - timedelta(minutes=16))
    assert WRONG in fail_times(client, "kontributor_a", 1)
    assert sign_in(client, "kontributor_a", PASSWORD) == ""


def test_a_successful_sign_in_resets_the_count(client: Client, world: Personas) -> None:
    fail_times(client, "kontributor_a", 4)
    assert sign_in(client, "kontributor_a", PASSWORD) == ""
    client.post(reverse("logout"))
    assert WRONG in fail_times(client, "kontributor_a", 4)
    assert LoginFailure.objects.count() == 4


def test_one_persons_failures_do_not_lock_another(client: Client, world: Personas) -> None:
    fail_times(client, "kontributor_a", 5)
    assert sign_in(client, "peninjau_a", PASSWORD) == ""


def test_it_records_the_address_a_failure_came_from(client: Client, world: Personas) -> None:
    client.post(
        reverse("login"),
        {"username": "kontributor_a", "password": "salah-sekali-123"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert LoginFailure.objects.get().ip_address == "10.1.2.3"


def test_logging_out_takes_a_post_and_ends_the_session(client: Client, world: Personas) -> None:
    client.force_login(world.contributor_a)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_a_signed_in_person_changes_their_password_and_it_is_audited(
    client: Client, world: Personas
) -> None:
    client.force_login(world.contributor_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "kebun-raya-bogor-88",
            "new_password2": "kebun-raya-bogor-88",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    world.contributor_a.refresh_from_db()
    assert world.contributor_a.check_password("kebun-raya-bogor-88")
    # This session stays signed in after the change.
    assert client.get(reverse("profile")).status_code == 200
    entry = AuditEntry.objects.get(action="user.password_change")
    assert entry.actor == world.contributor_a
    assert "kebun" not in str(entry.after) + str(entry.before)


def test_a_weak_new_password_is_refused(client: Client, world: Personas) -> None:
    client.force_login(world.contributor_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    world.contributor_a.refresh_from_db()
    assert world.contributor_a.check_password(PASSWORD)


def test_a_forgotten_password_is_reset_through_an_emailed_link(
    client: Client, world: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the mail job, as at commit
        response = client.post(reverse("password_reset"), {"email": "kontributor_a@example.test"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Atur ulang kata sandi cityeval"
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Buat kata sandi baru" in form_page.content.decode()
    set_url = form_page.redirect_chain[-1][0]
    new = "sungai-mahakam-2026"
    done = client.post(set_url, {"new_password1": new, "new_password2": new})
    assert done["Location"] == reverse("password_reset_complete")
    world.contributor_a.refresh_from_db()
    assert world.contributor_a.check_password(new)
    assert AuditEntry.objects.filter(action="user.password_reset").count() == 1
    # The link works once.
    assert "Tautan tidak berlaku" in client.get(path, follow=True).content.decode()


def test_a_reset_request_for_an_unknown_address_looks_the_same_and_sends_nothing(
    client: Client, world: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "siapa@example.test"})
    assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []
    assert not Job.objects.exists()
