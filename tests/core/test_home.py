from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from cityeval.evaluations.models import Evaluation
from cityeval.regions.models import Region
from cityeval.regions.services import assign_cohort

pytestmark = pytest.mark.django_db


def test_it_speaks_indonesian_by_default_even_to_an_english_browser(
    client: Client, shipped: None
) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    text = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="id">' in text
    assert "Instrumen evaluasi" in text
    assert "kabupaten/kota (416 kabupaten, 98 kota)" in text


def test_it_lists_the_loaded_frameworks_and_regions(client: Client, shipped: None) -> None:
    text = client.get("/").content.decode()
    for ref in ("G100SC</td><td>2018", "G100SC</td><td>2022", "SPBE</td><td>2020"):
        assert ref in text
    assert 'data-testid="region-count">514<' in text
    assert 'data-testid="province-count">38<' in text
    assert "idn-area-data 4.0.1" in text


def test_it_switches_to_english_when_chosen(client: Client, shipped: None) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    text = client.get("/").content.decode()
    assert '<html lang="en">' in text
    assert "Evaluation frameworks" in text
    assert "Gerakan Menuju 100 Smart City evaluation (2018 edition)" in text


def test_it_ignores_a_language_it_does_not_have(client: Client, shipped: None) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert '<html lang="id">' in client.get("/").content.decode()


def test_it_uses_the_stored_preference_of_a_signed_in_person(client: Client) -> None:
    from cityeval.accounts.models import User

    person = User.objects.create_user("dina", password="a-long-password-1", preferred_language="en")
    client.force_login(person)
    assert '<html lang="en">' in client.get("/").content.decode()


def test_it_shows_an_empty_state_before_anything_is_loaded(client: Client) -> None:
    text = client.get("/").content.decode()
    assert "cityeval framework import-shipped" in text
    assert "Belum ada siklus." in text


def test_regions_in_the_program_count_those_evaluated_outside_any_cohort(
    client: Client, world: Any
) -> None:
    # The team world's cycle names its regions by hand: none of them sits in a cohort.
    evaluated = set(Evaluation.objects.values_list("region_id", flat=True))
    assert evaluated
    assert not Region.objects.filter(pk__in=evaluated, cohort__isnull=False).exists()
    assign_cohort(year=2017, region_codes=["11.01"])
    expected = len(evaluated | {Region.objects.get(code="11.01").pk})
    assert set(Region.objects.in_program().values_list("pk", flat=True)) == evaluated | {
        Region.objects.get(code="11.01").pk
    }
    text = client.get("/").content.decode()
    assert f'data-testid="in-program-count">{expected}<' in text
