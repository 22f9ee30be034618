"""An item's history as sentences, and the stale-edit conflict that names who and when
(issue 11 §5)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import StaleEditError
from cityeval.evaluations.history import last_change, sentences
from cityeval.evaluations.models import ItemValue
from cityeval.evaluations.services import assign_items, save_self_assessment
from tests.world import TeamWorld as World

RAW = ("self_value", "item.self_assessment", "item.assign", "1.0000", "1,0000", "narrative", "opd:")


def _history(world: World, item: ItemValue, language: str) -> str:
    client = world.client("coordinator")
    client.cookies["django_language"] = language
    url = reverse("evaluations:item_history", args=[world.evaluation.pk, item.pk])
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _changed(world: World) -> ItemValue:
    item = world.item(world.health)
    coordinator = world.people["coordinator"]
    first = save_self_assessment(
        item=item, user=coordinator, value=Decimal(1), narrative="", expected_version=item.version
    )
    second = save_self_assessment(
        item=first,
        user=coordinator,
        value=Decimal(3),
        narrative="Sudah ada perda.",
        expected_version=first.version,
    )
    assign_items(evaluation=world.evaluation, items=[second], opd=world.roads, user=coordinator)
    return item


def test_the_history_reads_as_sentences_in_indonesian(world: World) -> None:
    page = _history(world, _changed(world), "id")
    assert "Tingkat mandiri diisi: 1." in page
    assert "Tingkat mandiri diubah dari 1 ke 3." in page
    assert "Narasi diisi: " in page
    assert "OPD penanggung jawab diubah dari Dinas Kesehatan ke Dinas PUPR." in page
    assert "Penilaian mandiri disimpan" in page
    for raw in RAW:
        assert raw not in page, raw


def test_the_history_in_english_shows_no_raw_key_or_stored_decimal(world: World) -> None:
    page = _history(world, _changed(world), "en")
    assert 'data-testid="history-change"' in page
    assert "Dinas PUPR" in page
    for raw in RAW:
        assert raw not in page, raw


@pytest.mark.parametrize(("language", "shown"), [("id", "dari 72,5 ke 80"), ("en", "72.5")])
def test_numbers_in_sentences_follow_the_language(language: str, shown: str) -> None:
    entry = AuditEntry(
        action="item.self_assessment",
        before={"self_value": "72.5000"},
        after={"self_value": "80.0000"},
    )
    with translation.override(language):
        lines = sentences(entry, maturity=False, opds={})
    assert len(lines) == 1
    assert shown in lines[0]
    assert "72.5000" not in lines[0]
    assert "80.0000" not in lines[0]


def test_an_unknown_field_gets_a_readable_label_never_its_key() -> None:
    entry = AuditEntry(action="item.something_new", before={}, after={"weird_field": "x"})
    with translation.override("id"):
        lines = sentences(entry, maturity=True, opds={})
    assert lines == ["Weird field diisi: x."]


def test_an_unchanged_field_is_not_described() -> None:
    entry = AuditEntry(
        action="item.self_assessment",
        before={"self_value": "2.0000", "narrative": "a"},
        after={"self_value": "2.0000", "narrative": "b"},
    )
    with translation.override("id"):
        assert sentences(entry, maturity=True, opds={}) == ["Narasi diisi: b."]


def test_a_conflict_names_the_other_person_and_when(world: World) -> None:
    item = world.item(world.health)
    opened = item.version
    saved = save_self_assessment(
        item=item,
        user=world.people["coordinator"],
        value=Decimal(4),
        narrative="",
        expected_version=opened,
    )
    with translation.override("id"), pytest.raises(StaleEditError) as conflict:
        save_self_assessment(
            item=item,
            user=world.people["contributor"],
            value=Decimal(2),
            narrative="",
            expected_version=opened,
        )
    message = str(conflict.value)
    assert "diubah oleh coordinator pada " in message
    assert "orang lain" not in message
    assert "Anda sendiri" not in message
    with translation.override("id"):
        assert last_change(saved).when in message
    assert last_change(saved).when  # a time is named


def test_a_conflict_with_my_own_other_tab_says_anda(world: World) -> None:
    item = world.item(world.health)
    opened = item.version
    contributor = world.people["contributor"]
    save_self_assessment(
        item=item, user=contributor, value=Decimal(4), narrative="", expected_version=opened
    )
    with translation.override("id"), pytest.raises(StaleEditError) as conflict:
        save_self_assessment(
            item=item, user=contributor, value=Decimal(2), narrative="", expected_version=opened
        )
    message = str(conflict.value)
    assert message.startswith("Anda sendiri sudah menyimpan butir ini pada ")
    assert "contributor" not in message
    assert "orang lain" not in message


def test_the_item_page_shows_who_saved_the_newer_version(world: World) -> None:
    item = world.item(world.health)
    opened = item.version
    save_self_assessment(
        item=item,
        user=world.people["coordinator"],
        value=Decimal(4),
        narrative="",
        expected_version=opened,
    )
    client = world.client("contributor")
    url = reverse("evaluations:item", args=[world.evaluation.pk, item.pk])
    response = client.post(url, {"value": "2", "narrative": "x", "version": str(opened)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "diubah oleh coordinator pada" in page
    assert 'data-testid="conflict"' in page
    assert "<strong>4</strong>" in page  # the saved level as typed, not 4.0000 or 4E+0
    item.refresh_from_db()
    assert item.self_value == Decimal(4)


def test_the_item_page_says_anda_for_my_own_newer_version(world: World) -> None:
    item = world.item(world.health)
    opened = item.version
    contributor = world.people["contributor"]
    save_self_assessment(
        item=item, user=contributor, value=Decimal(4), narrative="", expected_version=opened
    )
    client = world.client("contributor")
    url = reverse("evaluations:item", args=[world.evaluation.pk, item.pk])
    response = client.post(url, {"value": "2", "narrative": "x", "version": str(opened)})
    page = response.content.decode()
    assert "Anda sendiri sudah menyimpan butir ini pada" in page
    assert "(Anda, " in page
    assert "orang lain" not in page
