"""Importing a framework as an immutable version, reading it back, and handing it to the engine."""

from __future__ import annotations

import copy
import importlib
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.utils import translation

from cityeval.frameworks.convert import to_scoring
from cityeval.frameworks.loader import FrameworkError
from cityeval.frameworks.models import (
    FrameworkNode,
    FrameworkVersion,
    ImmutableError,
    NodeKind,
    parse_ref,
)
from cityeval.frameworks.services import FrameworkConflict, import_framework, run_import
from scoring import model as engine

pytestmark = pytest.mark.django_db


def test_it_imports_a_version_with_a_row_for_every_node(minimal_path: Path) -> None:
    version = import_framework(path=minimal_path)
    assert version.ref == "MINI@1"
    assert len(version.content_sha256) == 64
    codes = list(version.nodes.values_list("code", "kind", "depth"))
    assert codes == [
        ("MINI", "group", 0),
        ("OUT", "group", 1),
        ("OUT-1", "maturity", 2),
        ("OUT-2", "percentage", 2),
        ("IMP", "group", 1),
        ("IMP-1", "quantitative", 2),
    ]
    item = version.nodes.get(code="OUT-1")
    assert item.parent is not None
    assert item.parent.code == "OUT"
    assert item.weight == Decimal("0.5")
    assert item.tags == ["GOV", "GOV-PS"]
    assert item.rubric(3) == "Ditetapkan."
    assert item.evidence(3) == "SK"
    share = version.nodes.get(code="OUT-2")
    assert (share.data_source, share.dimension) == ("programs", "ENV")
    quantity = version.nodes.get(code="IMP-1")
    assert (quantity.unit, quantity.direction, quantity.normalisation) == (
        "%",
        "higher",
        "goalposts",
    )
    assert (quantity.lower, quantity.upper, quantity.target) == (Decimal(0), Decimal(100), None)
    assert version.nodes.get(code="OUT").verified is True


def test_importing_the_same_version_twice_is_a_no_op(minimal_path: Path) -> None:
    first = run_import(path=minimal_path)
    again = run_import(path=minimal_path)
    assert first.created
    assert not again.created
    assert again.version.pk == first.version.pk
    assert FrameworkNode.objects.count() == 6


def test_it_refuses_the_same_version_with_different_content_and_writes_nothing(
    minimal_path: Path, write_variant: Callable[..., Path]
) -> None:
    original = import_framework(path=minimal_path)
    changed = write_variant(("en: Mini index}", "en: Mini index (revised)}"))
    with pytest.raises(FrameworkConflict) as caught:
        import_framework(path=changed)
    [message] = caught.value.errors
    assert message.startswith(f"{changed}: version: MINI@1 sudah diimpor dengan isi yang berbeda")
    assert FrameworkVersion.objects.get().content_sha256 == original.content_sha256
    assert FrameworkNode.objects.get(code="MINI").name_en == "Mini index"


def test_an_invalid_file_writes_nothing() -> None:
    with pytest.raises(FrameworkError):
        import_framework(path=Path(__file__).parent / "bad" / "weights_do_not_sum.yaml")
    assert not FrameworkVersion.objects.exists()


def test_an_import_that_fails_halfway_leaves_nothing_behind(
    minimal_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved: list[str] = []
    original_save = FrameworkNode.save

    def failing_save(self: FrameworkNode, *args: Any, **kwargs: Any) -> None:
        if len(saved) == 3:
            raise RuntimeError("disk full")
        saved.append(self.code)
        original_save(self, *args, **kwargs)

    monkeypatch.setattr(FrameworkNode, "save", failing_save)
    with pytest.raises(RuntimeError):
        import_framework(path=minimal_path)
    assert not FrameworkVersion.objects.exists()
    assert not FrameworkNode.objects.exists()


def test_an_imported_version_cannot_be_changed(minimal_path: Path) -> None:
    version = import_framework(path=minimal_path)
    version.name_en = "Something else"
    with pytest.raises(ImmutableError):
        version.save()
    with pytest.raises(ImmutableError):
        FrameworkVersion.objects.filter(pk=version.pk).update(name_en="Something else")
    node = version.nodes.get(code="OUT-1")
    node.weight = Decimal("0.9")
    with pytest.raises(ImmutableError):
        node.save()
    with pytest.raises(ImmutableError):
        FrameworkNode.objects.filter(code="OUT-1").update(weight=Decimal("0.9"))
    version.refresh_from_db()
    assert version.name_en == "Mini framework"


def test_a_version_is_found_by_its_reference(minimal_path: Path) -> None:
    version = import_framework(path=minimal_path)
    assert FrameworkVersion.objects.get_by_ref("MINI@1") == version
    with pytest.raises(FrameworkVersion.DoesNotExist):
        FrameworkVersion.objects.get_by_ref("MINI@2")
    with pytest.raises(ValueError, match="KODE@VERSI"):
        parse_ref("MINI")


def test_names_follow_the_active_language(minimal_path: Path) -> None:
    version = import_framework(path=minimal_path)
    node = version.nodes.get(code="OUT-1")
    with translation.override("id"):
        assert (version.name, node.name, node.rubric(1)) == (
            "Kerangka mini",
            "Regulasi layanan publik",
            "Belum ada.",
        )
        assert version.source_notes == "Ditulis untuk pengujian cityeval."
    with translation.override("en"):
        assert (version.name, node.name, node.rubric(1)) == (
            "Mini framework",
            "Public service regulation",
            "None yet.",
        )


def test_to_scoring_builds_the_engine_tree_with_the_same_weights_and_tags(
    minimal_path: Path,
) -> None:
    framework = to_scoring(import_framework(path=minimal_path))
    assert (framework.code, framework.version) == ("MINI", "1")
    output, impact = framework.root.children
    assert isinstance(output, engine.Node)
    assert isinstance(impact, engine.Node)
    assert (output.weight, impact.weight) == (Decimal("0.4"), Decimal("0.6"))
    regulation, share = output.children
    assert regulation == engine.Indicator(
        code="OUT-1",
        weight=Decimal("0.5"),
        kind=engine.IndicatorKind.MATURITY,
        tags=("GOV", "GOV-PS"),
    )
    assert share.kind is engine.IndicatorKind.PERCENTAGE  # type: ignore[union-attr]
    assert impact.children[0] == engine.Indicator(
        code="IMP-1",
        weight=Decimal(1),
        kind=engine.IndicatorKind.QUANTITATIVE,
        tags=("ENV", "ENV-WST"),
        direction=engine.Direction.HIGHER_IS_BETTER,
        normalisation=engine.Normalisation.GOALPOSTS,
        lower=Decimal(0),
        upper=Decimal(100),
    )
    assert framework.tags == (
        engine.Tag("GOV"),
        engine.Tag("GOV-PS", "GOV"),
        engine.Tag("ENV"),
        engine.Tag("ENV-WST", "ENV"),
    )
    assert [(band.code, band.minimum) for band in framework.predicates] == [
        ("LOW", Decimal(1)),
        ("MID", Decimal("2.5")),
        ("HIGH", Decimal(4)),
    ]
    assert framework.rounding == engine.Rounding(places=2, round_each_level=False)
    assert framework.missing is engine.MissingPolicy.LOWEST
    assert framework.scale == engine.Scale(Decimal(1), Decimal(5))


def test_node_kinds_are_explicit_choices() -> None:
    assert set(NodeKind.values) == {"group", "maturity", "percentage", "quantitative"}


def test_a_ratio_weight_round_trips_exactly_through_the_stored_document(
    write_variant: Callable[..., Path],
) -> None:
    # 1/6 and 5/6 have no finite decimal; 0.4 + 0.6 becomes 1/6 + 5/6 (still exactly 1).
    path = write_variant(("weight: 0.4\n", "weight: 1/6\n"), ("weight: 0.6\n", "weight: 5/6\n"))
    version = import_framework(path=path)
    stored = FrameworkVersion.objects.get(pk=version.pk)
    children = stored.document["tree"]["children"]
    assert [child["weight"] for child in children] == ["1/6", "5/6"]
    assert children[0]["children"][0]["weight"] == "0.5"  # a terminating weight stays a decimal
    assert [child.weight for child in stored.parsed().tree.children] == [
        Fraction(1, 6),
        Fraction(5, 6),
    ]
    assert [child.weight for child in to_scoring(stored).root.children] == [
        Fraction(1, 6),
        Fraction(5, 6),
    ]
    # The row is a display copy, rounded half-up at twelve places.
    assert stored.nodes.get(code="OUT").weight == Decimal("0.166666666667")
    # Importing the same file again finds the same content (the hash reads the exact ratio).
    assert run_import(path=path).created is False


def _store_as_before_exact_weights(version: FrameworkVersion, weights: dict[str, str]) -> None:
    """Give a stored version the document an import before exact weights wrote: 28-digit
    evaluations of its ratios (`weights`: node code -> stored text), and another hash."""
    old = copy.deepcopy(version.document)

    def walk(node: dict[str, Any]) -> None:
        if node["code"] in weights:
            node["weight"] = weights[node["code"]]
        for child in node.get("children", []):
            walk(child)

    walk(old["tree"])
    rows = FrameworkVersion.objects.filter(pk=version.pk)
    models.QuerySet.update(rows, document=old, content_sha256="0" * 64)  # past the write guard


def _migrate_stored_documents() -> None:
    migration = importlib.import_module("cityeval.frameworks.migrations.0002_exact_ratio_weights")
    target = ("frameworks", "0002_exact_ratio_weights")
    state = MigrationExecutor(connection).loader.project_state(target)
    migration.recover_ratios(state.apps, None)


def test_the_migration_gives_stored_28_digit_weights_their_ratio_back(
    write_variant: Callable[..., Path],
) -> None:
    path = write_variant(("weight: 0.4\n", "weight: 1/6\n"), ("weight: 0.6\n", "weight: 5/6\n"))
    version = import_framework(path=path)
    fresh_sha = version.content_sha256
    _store_as_before_exact_weights(
        version,
        {"OUT": "0.1666666666666666666666666667", "IMP": "0.8333333333333333333333333333"},
    )
    _migrate_stored_documents()
    _migrate_stored_documents()  # idempotent
    stored = FrameworkVersion.objects.get(pk=version.pk)
    assert [child["weight"] for child in stored.document["tree"]["children"]] == ["1/6", "5/6"]
    assert [c.weight for c in to_scoring(stored).root.children] == [Fraction(1, 6), Fraction(5, 6)]
    # The version now hashes like a fresh import of the file: a re-import is a no-op, not a
    # conflict.
    assert stored.content_sha256 == fresh_sha
    assert run_import(path=path).created is False


def test_the_migration_leaves_a_weight_that_is_no_small_ratio(
    write_variant: Callable[..., Path],
) -> None:
    version = import_framework(path=write_variant())
    _store_as_before_exact_weights(version, {"IMP-1": "0.1234567890123456789012345678"})
    _migrate_stored_documents()
    stored = FrameworkVersion.objects.get(pk=version.pk)
    weight = stored.document["tree"]["children"][1]["children"][0]["weight"]
    assert weight == "0.1234567890123456789012345678"  # read as the exact decimal it spells
    assert stored.content_sha256 == "0" * 64  # nothing recovered, nothing rewritten
