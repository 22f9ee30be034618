"""The admin's cycle form and team form (issue #11 §6), and the one date field every form uses."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

import cityeval
from cityeval.audit.models import AuditEntry
from cityeval.core.dates import CalendarDateField, CalendarDateInput
from cityeval.evaluations.forms_cycles import OpenCycleForm
from cityeval.evaluations.models import AssessorAssignment
from tests.world import World

pytestmark = pytest.mark.django_db


def _every_form_class() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(cityeval.__path__, "cityeval."):
        if module.name.rpartition(".")[2].startswith("forms"):
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    todo: list[type[forms.BaseForm]] = [forms.Form, forms.ModelForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("cityeval."):
                found.append(sub)
    return found


def _date_fields() -> list[tuple[str, forms.Field]]:
    return [
        (f"{cls.__module__}.{cls.__name__}.{name}", field)
        for cls in _every_form_class()
        for name, field in getattr(cls, "base_fields", {}).items()
        if isinstance(field, forms.DateField)
    ]


def test_every_date_field_of_every_form_is_the_calendar_field() -> None:
    fields = _date_fields()
    assert len(fields) >= 8  # cycle deadlines, exception, clarification, token, visits, plans
    wrong = [
        name
        for name, field in fields
        if not isinstance(field, CalendarDateField)
        or not isinstance(field.widget, CalendarDateInput)
    ]
    assert wrong == []


@pytest.mark.parametrize("language", ["id", "en"])
def test_a_calendar_field_shows_a_known_date_in_iso_whatever_the_language(language: str) -> None:
    # <input type=date> shows nothing for "31-01-2027": the page must hand it 2027-01-31.
    with translation.override(language):
        html = CalendarDateInput().render("d", date(2027, 1, 31))
    assert 'type="date"' in html
    assert 'value="2027-01-31"' in html


@pytest.mark.parametrize(
    ("language", "typed"),
    [("id", "31-01-2027"), ("id", "31/01/2027"), ("en", "01/31/2027"), ("id", "2027-01-31")],
)
def test_the_locale_format_is_understood_on_submit(language: str, typed: str) -> None:
    with translation.override(language):
        assert CalendarDateField().clean(typed) == date(2027, 1, 31)


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("31-13-2027", "31-01-2027"),
        ("kemarin", "31-01-2027"),
        ("2027-02-30", "31-01-2027"),
        ("0202-01-31", "tidak masuk akal"),
    ],
)
def test_a_garbled_date_gets_a_message_that_shows_how_to_write_one(typed: str, said: str) -> None:
    with pytest.raises(forms.ValidationError) as refused:
        CalendarDateField().clean(typed)
    assert said in " ".join(refused.value.messages)


def said(form: forms.BaseForm, field: str) -> str:
    return " ".join(str(error) for error in form.errors[field])


def _open_data(world: World, **dates: str) -> dict[str, Any]:
    return {
        "framework_version": world.running_cycle.framework_version_id,
        "year": 2031,
        "round": world.running_cycle.round,
        "region_codes": world.region_a.code,
        **dates,
    }


def _future(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_the_open_form_puts_each_error_beside_its_own_field(shared_world: World) -> None:
    data = _open_data(
        shared_world,
        self_assessment_deadline=_future(30),
        review_deadline=_future(10),  # before the self-assessment deadline
        field_visit_deadline="31-02-2031",
        finalisation_deadline=(timezone.localdate() - timedelta(days=1)).isoformat(),
    )
    data["region_codes"] = ""
    form = OpenCycleForm(data)
    assert not form.is_valid()
    assert form.non_field_errors() == []
    assert "berurutan" in said(form, "review_deadline")
    assert "tidak dapat dibaca" in said(form, "field_visit_deadline")
    assert "sudah lewat" in said(form, "finalisation_deadline")
    assert "angkatan" in said(form, "cohorts")


def test_the_open_page_shows_the_errors_beside_the_fields_in_english(shared_world: World) -> None:
    client = shared_world.client("admin", HTTP_ACCEPT_LANGUAGE="en")
    data = _open_data(shared_world, self_assessment_deadline="garbled")
    response = client.post(reverse("evaluations:cycle_open"), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    field = html.index('name="self_assessment_deadline"')
    # The message sits in the deadline's own block, just before its input, not only at the top.
    block = html.rindex('<div class="field">', 0, field)
    assert "garbled" in html[block:field]
    assert 'type="date"' in html[field - 200 : field + 200]


def test_a_past_self_assessment_deadline_is_refused(shared_world: World) -> None:
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    form = OpenCycleForm(_open_data(shared_world, self_assessment_deadline=yesterday))
    assert not form.is_valid()
    assert list(form.errors) == ["self_assessment_deadline"]


def test_deadlines_in_order_in_the_indonesian_format_open_the_form(shared_world: World) -> None:
    later = timezone.localdate() + timedelta(days=40)
    data = _open_data(
        shared_world,
        self_assessment_deadline=_future(20),
        review_deadline=later.strftime("%d-%m-%Y"),
    )
    form = OpenCycleForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["review_deadline"] == later


def _assign(client: Client, world: World, assessor: str, *, lead: bool) -> Any:
    data: dict[str, Any] = {
        "assessor": world.people[assessor].pk,
        "regions": [world.region_a.pk, world.region_b.pk],
    }
    if lead:
        data["is_lead"] = "on"
    url = reverse("evaluations:cycle_assign", args=[world.running_cycle.pk])
    return client.post(url, data)


@pytest.fixture
def world(shared_world: World) -> Iterator[World]:
    """The module's world; what a test changes in it is rolled back when the test ends."""
    with transaction.atomic():
        yield shared_world
        transaction.set_rollback(True)


def test_naming_a_second_lead_says_whom_it_replaces(world: World) -> None:
    client = world.client("admin")
    response = _assign(client, world, "member_a", lead=True)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    lead_a, assessor_b = world.people["lead_a"], world.people["assessor_b"]
    assert any(f"menggantikan {lead_a}" in m and str(world.region_a) in m for m in said)
    assert any(f"menggantikan {assessor_b}" in m and str(world.region_b) in m for m in said)
    team = AssessorAssignment.objects.filter(cycle=world.running_cycle, region=world.region_a)
    assert {a.user.username: a.is_lead for a in team} == {
        "lead_a": False,
        "member_a": True,
    }
    entries = AuditEntry.objects.filter(action="cycle.assign_assessor").order_by("-pk")[:2]
    assert sorted((e.before or {})["lead"] for e in entries) == sorted([lead_a.pk, assessor_b.pk])


def test_naming_the_same_lead_again_replaces_nobody(world: World) -> None:
    response = _assign(world.client("admin"), world, "lead_a", lead=True)
    said = [str(m) for m in get_messages(response.wsgi_request)]
    assert not any(f"menggantikan {world.people['lead_a']}" in m for m in said)


@pytest.mark.parametrize("persona", ["contributor_a", "coordinator_a", "lead_a"])
def test_nobody_but_the_admin_changes_a_team(world: World, persona: str) -> None:
    before = list(AssessorAssignment.objects.values_list("pk", "user_id", "is_lead"))
    response = _assign(
        world.client(persona), world, persona if persona == "lead_a" else "member_a", lead=True
    )
    assert response.status_code == 403
    assert list(AssessorAssignment.objects.values_list("pk", "user_id", "is_lead")) == before


def test_the_team_form_offers_a_searchable_list_and_says_a_lead_is_replaced(
    shared_world: World,
) -> None:
    client = shared_world.client("admin")
    html = client.get(reverse("evaluations:cycle", args=[shared_world.running_cycle.pk])).content
    page = html.decode()
    assert "data-picker" in page
    assert 'size="12"' in page
    assert "digantikan" in page
