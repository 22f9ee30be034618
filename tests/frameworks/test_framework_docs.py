"""docs/framework-format.md describes the format the loader accepts."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from cityeval.frameworks.schema import BOUNDS_NEEDED, INDICATOR_KINDS, all_field_names

DOC = Path(settings.BASE_DIR) / "docs" / "framework-format.md"


def test_the_format_document_names_every_key_of_the_format() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [key for key in sorted(all_field_names()) if f"`{key}`" not in text]
    assert not missing, f"docs/framework-format.md does not describe: {missing}"


def test_the_format_document_names_every_kind_normalisation_and_policy() -> None:
    text = DOC.read_text(encoding="utf-8")
    words = [*INDICATOR_KINDS, *BOUNDS_NEEDED, "lowest", "reweight", "carry_forward",
             "arithmetic", "geometric", "half_up", "programs", "fractions.Fraction"]  # fmt: skip
    assert [word for word in words if word not in text] == []
