"""The English catalogue: complete, placeholders kept, and singular labels read singular.

Indonesian has no plural inflection, so one msgid ("Daerah") serves both a list heading
("Regions") and a column or field naming one thing ("Region"). The singular uses carry the
context "singular"; these tests enumerate every such use in the source.
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
SINGULAR_USE = re.compile(
    r"""\{%\s*translate\s+["']([^"']+)["']\s+context\s+["']singular["']"""
    r"""|pgettext(?:_lazy)?\(\s*["']singular["'],\s*["']([^"']+)["']"""
)
EXPECTED = {
    "Daerah": "Region",
    "Siklus": "Cycle",
    "Evaluasi": "Evaluation",
    "Siklus evaluasi": "Evaluation cycle",
    "Butir": "Item",
    "Dimensi smart city": "Smart city dimension",
}


def singular_uses() -> dict[str, list[str]]:
    uses: dict[str, list[str]] = {}
    for path in sorted([*ROOT.rglob("*.py"), *ROOT.rglob("*.html"), *ROOT.rglob("*.txt")]):
        for match in SINGULAR_USE.finditer(path.read_text(encoding="utf-8")):
            msgid = match.group(1) or match.group(2)
            uses.setdefault(msgid, []).append(str(path.relative_to(ROOT)))
    return uses


def test_every_singular_label_has_its_own_singular_english() -> None:
    uses = singular_uses()
    assert set(EXPECTED) <= set(uses)
    with translation.override("en"):
        for msgid, paths in uses.items():
            english = translation.pgettext("singular", msgid)
            assert english != msgid, f"{msgid!r} ({paths[0]}): no English for 'singular'"
            assert english != translation.gettext(msgid), f"{msgid!r}: same as the plain msgid"
            if msgid in EXPECTED:
                assert english == EXPECTED[msgid]


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
