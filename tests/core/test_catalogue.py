"""The English catalogue: complete, placeholders kept, and number-marked labels read right.

Indonesian has no plural inflection, so one msgid ("Daerah") serves both a list heading
("Regions") and a column or field naming one thing ("Region"). Where the plain msgid's English
has the wrong number, the use carries the context "singular" or "plural"; these tests enumerate
every such use in the source.
"""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2] / "cityeval"
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%%|%[sd]|\{\{.*?\}\}|</?\w+[^>]*>")
NUMBER_USE = re.compile(
    r"""\{%\s*translate\s+["'](?P<t>[^"']+)["']\s+context\s+["'](?P<tc>singular|plural)["']"""
    r"""|pgettext(?:_lazy)?\(\s*["'](?P<pc>singular|plural)["'],\s*["'](?P<p>[^"']+)["']"""
)
EXPECTED = {
    ("singular", "Daerah"): "Region",
    ("singular", "Siklus"): "Cycle",
    ("singular", "Evaluasi"): "Evaluation",
    ("singular", "Siklus evaluasi"): "Evaluation cycle",
    ("singular", "Butir"): "Item",
    ("singular", "Dimensi smart city"): "Smart city dimension",
    ("plural", "Pertanyaan"): "Questions",
}


def number_uses() -> dict[tuple[str, str], list[str]]:
    uses: dict[tuple[str, str], list[str]] = {}
    for path in sorted([*ROOT.rglob("*.py"), *ROOT.rglob("*.html"), *ROOT.rglob("*.txt")]):
        for match in NUMBER_USE.finditer(path.read_text(encoding="utf-8")):
            key = (match["tc"] or match["pc"], match["t"] or match["p"])
            uses.setdefault(key, []).append(str(path.relative_to(ROOT)))
    return uses


def test_every_number_marked_label_has_its_own_english() -> None:
    uses = number_uses()
    assert set(EXPECTED) <= set(uses)
    with translation.override("en"):
        for (context, msgid), paths in uses.items():
            english = translation.pgettext(context, msgid)
            assert english != msgid, f"{msgid!r} ({paths[0]}): no English for {context!r}"
            assert english != translation.gettext(msgid), f"{msgid!r}: same as the plain msgid"
            assert english == EXPECTED.get((context, msgid), english)


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    return polib.pofile(str(CATALOGUE))


def test_the_english_catalogue_has_no_untranslated_or_fuzzy_entry(catalogue: polib.POFile) -> None:
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


def test_every_translation_keeps_the_placeholders_and_tags(catalogue: polib.POFile) -> None:
    wrong = []
    for entry in catalogue.translated_entries():
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            pairs = [(entry.msgid_plural, form) for form in entry.msgstr_plural.values()]
        for source, english in pairs:
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(english)):
                wrong.append((entry.msgid, english))
    assert wrong == []
