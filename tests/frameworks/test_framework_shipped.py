"""The framework files shipped in frameworks/: valid, in sync with their generator, and faithful."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings

from cityeval.frameworks.loader import load_framework_file
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.schema import (
    FrameworkDocument,
    GroupNode,
    Indicator,
    MaturityIndicator,
    PercentageIndicator,
    RootNode,
)
from cityeval.frameworks.services import import_shipped, shipped_files

SHIPPED = sorted(Path(settings.FRAMEWORKS_DIR).glob("*.yaml"))
ELEMENTS = {
    "GOV": {"GOV-PS", "GOV-BM", "GOV-PP"},
    "BRD": {"BRD-TOU", "BRD-BIZ", "BRD-APP"},
    "ECO": {"ECO-IND", "ECO-WEL", "ECO-FIN"},
    "SOC": {"SOC-INT", "SOC-LRN", "SOC-SEC"},
    "LIV": {"LIV-HRM", "LIV-HLT", "LIV-TRN"},
    "ENV": {"ENV-PRT", "ENV-WST", "ENV-NRG"},
}


def load(name: str) -> FrameworkDocument:
    return load_framework_file(Path(settings.FRAMEWORKS_DIR) / name)


def shares(
    node: RootNode | GroupNode, share: Fraction = Fraction(1)
) -> Iterator[tuple[str, Fraction]]:
    """Every node's share of the whole index: the product of the weights on its path."""
    for child in node.children:
        child_share = share * child.weight
        yield child.code, child_share
        if isinstance(child, GroupNode):
            yield from shares(child, child_share)


@pytest.fixture(scope="module")
def generator() -> Iterator[ModuleType]:
    build = Path(settings.FRAMEWORKS_DIR) / "_build"
    sys.path.insert(0, str(build))
    try:
        yield importlib.import_module("make_frameworks")
    finally:
        sys.path.remove(str(build))


def test_the_expected_files_are_shipped() -> None:
    assert [path.name for path in SHIPPED] == [
        "g100sc-2018.yaml",
        "g100sc-2022.yaml",
        "spbe-2020.yaml",
    ]
    assert shipped_files() == SHIPPED


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.name)
def test_every_shipped_file_validates(path: Path) -> None:
    load_framework_file(path)


def test_the_shipped_files_are_what_the_generator_writes(generator: ModuleType) -> None:
    for name, text in generator.render_all().items():
        assert (Path(settings.FRAMEWORKS_DIR) / name).read_text(encoding="utf-8") == text, (
            f"{name} is out of date: run uv run python frameworks/_build/make_frameworks.py"
        )


@pytest.mark.parametrize(
    ("edition", "expected"),
    [
        ("2018", {"BAS": 10, "OUT": 20, "OTC": 30, "IMP": 30, "QW": 10}),
        ("2022", {"BAS": 10, "OUT": 20, "OTC": 30, "IMP": 20, "QW": 20}),
    ],
)
def test_g100sc_editions_weigh_the_evaluation_dimensions_as_published(
    edition: str, expected: dict[str, int]
) -> None:
    document = load(f"g100sc-{edition}.yaml")
    assert document.ref == f"G100SC@{edition}"
    weights = {child.code: child.weight * 100 for child in document.tree.children}
    assert weights == {code: Decimal(percent) for code, percent in expected.items()}


def test_g100sc_editions_share_their_items() -> None:
    first, second = load("g100sc-2018.yaml"), load("g100sc-2022.yaml")
    assert [i.code for i in first.indicators()] == [i.code for i in second.indicators()]
    assert len(first.indicators()) == 84


def test_every_g100sc_item_counts_toward_one_dimension_and_at_most_one_of_its_elements() -> None:
    covered: set[str] = set()
    for item in load("g100sc-2022.yaml").indicators():
        dimensions = [tag for tag in item.tags if tag in ELEMENTS]
        elements = [tag for tag in item.tags if tag not in ELEMENTS]
        assert len(dimensions) == 1, item.code
        assert len(elements) <= 1, item.code
        assert set(elements) <= ELEMENTS[dimensions[0]], item.code
        # Only the per-dimension items (program share, quick win) go without an element.
        assert elements or item.code.startswith(("OTC-PRG-", "QW-")), item.code
        covered.update(elements)
    assert covered == set().union(*ELEMENTS.values())


def test_g100sc_outcome_counts_running_masterplan_programs_per_dimension() -> None:
    document = load("g100sc-2022.yaml")
    shares_of_programs = [
        item for item in document.indicators() if isinstance(item, PercentageIndicator)
    ]
    assert {(item.source, item.dimension) for item in shares_of_programs} == {
        ("programs", dimension) for dimension in ELEMENTS
    }


def test_g100sc_says_its_item_texts_are_written_for_cityeval() -> None:
    document = load("g100sc-2022.yaml")
    assert "written for cityeval" in document.sources.notes.en
    assert "not public" in document.sources.notes.en
    assert document.predicates is not None
    assert document.predicates.provenance is not None
    assert document.predicates.provenance.verified is False
    levels = [item for item in document.indicators() if isinstance(item, MaturityIndicator)]
    assert all(sorted(item.levels) == [1, 2, 3, 4, 5] for item in levels)


def test_spbe_has_four_domains_eight_aspects_and_forty_seven_indicators() -> None:
    document = load("spbe-2020.yaml")
    domains = document.tree.children
    aspects = [aspect for domain in domains for aspect in domain.children]  # type: ignore[union-attr]
    assert len(domains) == 4
    assert len(aspects) == 8
    indicators: list[Indicator] = document.indicators()
    assert [item.code for item in indicators] == [f"I{n:02d}" for n in range(1, 48)]
    assert all(isinstance(item, MaturityIndicator) for item in indicators)


def test_spbe_weights_are_the_published_shares_of_the_index() -> None:
    found = dict(shares(load("spbe-2020.yaml").tree))
    published = {
        **{"D1": "0.13", "D2": "0.25", "D3": "0.165", "D4": "0.455"},
        **{"A5": "0.12", "A6": "0.045", "A7": "0.275", "A8": "0.18"},
        **{"I01": "0.013", "I10": "0.013", "I32": "0.0275", "I47": "0.03"},
    }
    for code, share in published.items():
        assert found[code] == Fraction(share), (code, found[code])
    indicators = [share for code, share in found.items() if code.startswith("I")]
    assert sum(indicators, Fraction(0)) == 1  # exactly: ratio weights are exact


def test_spbe_predicates_are_the_regulations_bands() -> None:
    predicates = load("spbe-2020.yaml").predicates
    assert predicates is not None
    assert [(band.label.id, band.minimum) for band in predicates.bands] == [
        ("Kurang", Decimal(1)),
        ("Cukup", Decimal("1.8")),
        ("Baik", Decimal("2.6")),
        ("Sangat Baik", Decimal("3.5")),
        ("Memuaskan", Decimal("4.2")),
    ]


def test_spbe_marks_what_is_not_verified_from_a_public_source() -> None:
    document = load("spbe-2020.yaml")
    verified = {}
    for domain in document.tree.children:
        verified[domain.code] = domain.provenance.verified  # type: ignore[union-attr]
        for aspect in domain.children:  # type: ignore[union-attr]
            verified[aspect.code] = aspect.provenance.verified  # type: ignore[union-attr]
    assert verified == {"D1": True, "A1": True, "D2": True, "A2": False, "A3": False,
                        "A4": False, "D3": True, "A5": False, "A6": False, "D4": True,
                        "A7": True, "A8": True}  # fmt: skip
    items = {item.code: item.provenance for item in document.indicators()}
    assert all(p is not None and p.verified for code, p in items.items() if code <= "I10")
    assert all(p is not None and not p.verified for code, p in items.items() if code > "I10")


@pytest.mark.django_db
def test_import_shipped_imports_every_file_once() -> None:
    outcomes = import_shipped()
    assert [o.version.ref for o in outcomes] == ["G100SC@2018", "G100SC@2022", "SPBE@2020"]
    assert all(o.created for o in outcomes)
    assert not any(o.created for o in import_shipped())
    assert (
        FrameworkVersion.objects.get_by_ref("SPBE@2020").nodes.exclude(kind="group").count() == 47
    )


def test_the_engine_scores_the_shipped_spbe_as_the_regulation_does() -> None:
    scoring = pytest.importorskip("scoring")
    if not hasattr(scoring, "score_region"):
        pytest.skip("the scoring engine is not there yet")
    from cityeval.frameworks.convert import document_to_scoring

    framework = document_to_scoring(load("spbe-2020.yaml"))
    values = {f"I{n:02d}": Decimal(3) for n in range(1, 48)}
    result = scoring.score_region(framework, values)
    assert result.index == Decimal("3.00")
    assert result.predicate == "BAIK"
