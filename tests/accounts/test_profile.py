"""The profile: a person's name and language preference."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from cityeval.audit.models import AuditEntry
from tests.accounts.conftest import Personas

pytestmark = pytest.mark.django_db


def test_a_person_chooses_english_and_the_pages_follow(client: Client, world: Personas) -> None:
    client.force_login(world.viewer_a)
    response = client.post(
        reverse("profile"), {"full_name": "Ibu Bupati", "preferred_language": "en"}
    )
    assert response.status_code == 302
    world.viewer_a.refresh_from_db()
    assert (world.viewer_a.full_name, world.viewer_a.preferred_language) == ("Ibu Bupati", "en")
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(reverse("profile")).content.decode()
    entry = AuditEntry.objects.get(action="user.profile")
    assert entry.before == {"full_name": "Peninjau A", "preferred_language": ""}
    assert entry.after == {"full_name": "Ibu Bupati", "preferred_language": "en"}


def test_the_preference_follows_the_person_to_another_browser(
    client: Client, world: Personas
) -> None:
    world.viewer_a.preferred_language = "en"
    world.viewer_a.save()
    client.force_login(world.viewer_a)
    assert '<html lang="en">' in client.get(reverse("profile")).content.decode()


def test_going_back_to_the_default_clears_the_language_cookie(
    client: Client, world: Personas
) -> None:
    client.force_login(world.viewer_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(reverse("profile"), {"full_name": "", "preferred_language": ""})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == ""
    assert '<html lang="id">' in client.get(reverse("profile")).content.decode()


def test_a_language_it_does_not_have_is_refused(client: Client, world: Personas) -> None:
    client.force_login(world.viewer_a)
    response = client.post(reverse("profile"), {"full_name": "", "preferred_language": "fr"})
    assert response.status_code == 200
    world.viewer_a.refresh_from_db()
    assert world.viewer_a.preferred_language == ""


def test_the_profile_lists_the_persons_roles(client: Client, world: Personas) -> None:
    client.force_login(world.contributor_a)
    text = client.get(reverse("profile")).content.decode()
    assert "Kontributor OPD · Dinkes · Kabupaten Kutai Kartanegara" in text
    assert "120 menit" in text
