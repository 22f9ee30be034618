"""Loading a framework file: what is accepted, and how every kind of mistake is reported."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from cityeval.frameworks.loader import FrameworkError, load_framework_file
from cityeval.frameworks.schema import MaturityIndicator, QuantitativeIndicator
from cityeval.frameworks.services import content_sha256

BAD = Path(__file__).resolve().parent / "bad"

# fixture file -> (the path the message names, what it says is wrong)
BAD_FILES = {
    "malformed_yaml": ("baris 14, kolom 10", "YAML tidak valid"),
    "not_a_mapping": ("baris 1", "harus berupa mapping (kunci: nilai) di tingkat teratas"),
    "empty": ("(dokumen)", "berkas kosong"),
    "duplicate_key": ("tree.children[0].weight (tree > OUT, baris 42)", "ditulis dua kali"),
    "unknown_key": (
        "tree.children[0].children[0].wieght (tree > OUT > OUT-1, baris 47)",
        "kunci tidak dikenal (maksudnya weight?)",
    ),
    "missing_key": ("tree.children[1].children[0].name (tree > IMP > IMP-1", "wajib ada"),
    "weights_do_not_sum": ("tree.children (baris 38)", "berjumlah 0.9, seharusnya tepat 1"),
    "weight_not_a_number": ("tree.children[0].weight (tree > OUT", "'forty percent' tidak terbaca"),
    "weight_out_of_range": (
        "tree.children[1].children[0].weight (tree > IMP > IMP-1",
        "paling besar 1, bukan 1.5",
    ),
    "duplicate_code": (
        "tree.children[1].children[0].code (tree > IMP > OUT-1",
        "kode OUT-1 dipakai lebih dari sekali (juga di tree.children[0].children[0]",
    ),
    "level_without_rubric": (
        "tree.children[0].children[0].levels.3.rubric (tree > OUT > OUT-1",
        "wajib ada",
    ),
    "missing_levels": (
        "tree.children[0].children[0].levels (tree > OUT > OUT-1",
        "tingkat 5 tidak",
    ),
    "level_outside_scale": ("levels (tree > OUT > OUT-1", "tingkat 6 di luar skala 1 sampai 5"),
    "unknown_tag": ("tree.children[1].children[0].tags (tree > IMP > IMP-1", "tag XYZ tidak ada"),
    "element_without_dimension": ("tags (tree > OUT > OUT-1", "cantumkan juga GOV"),
    "goalposts_without_bounds": ("normalisation (tree > IMP > IMP-1", "memerlukan upper"),
    "distance_to_target_without_target": ("normalisation (tree > IMP > IMP-1", "memerlukan target"),
    "unused_bounds": ("normalisation (tree > IMP > IMP-1", "tidak memakai lower, upper"),
    "bands_not_ascending": ("predicates.bands (baris 20)", "harus naik dan tidak tumpang tindih"),
    "bands_overlapping": ("predicates.bands", "HIGH (4) ≤ MID (4)"),
    "bands_not_from_scale_minimum": ("predicates.bands", "mulai di minimum skala 1, bukan 1.5"),
    "unknown_kind": ("tree.children[0].children[0] (tree > OUT > OUT-1", "'maturty' tidak dikenal"),
    "programs_without_dimension": ("dimension (tree > OUT > OUT-2", "harus menyebut dimension"),
    "unknown_reference": ("tree.children[0].provenance.refs", "referensi REF-B tidak ada"),
    "unknown_choice": ("missing (baris 16)", "'sometimes' tidak dikenal; pilihan: 'lowest'"),
    "bad_code": ("tree.children[0].code", "kode 'OUT 1' tidak valid"),
    "empty_group": ("tree.children[1].children (tree > IMP", "tidak boleh kosong"),
}


def errors_of(path: Path) -> list[str]:
    with pytest.raises(FrameworkError) as caught:
        load_framework_file(path)
    return caught.value.errors


def test_it_loads_the_minimal_framework(minimal_path: Path) -> None:
    document = load_framework_file(minimal_path)
    assert document.ref == "MINI@1"
    assert [item.code for item in document.indicators()] == ["OUT-1", "OUT-2", "IMP-1"]


def test_every_bad_fixture_is_covered() -> None:
    assert {path.stem for path in BAD.glob("*.yaml")} == set(BAD_FILES) | {"many_problems"}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_it_rejects_each_kind_of_bad_file_naming_file_path_and_problem(name: str) -> None:
    path = BAD / f"{name}.yaml"
    where, problem = BAD_FILES[name]
    errors = errors_of(path)
    assert any(
        line.startswith(f"{path}: ") and where in line and problem in line for line in errors
    ), errors


def test_each_error_reads_file_then_path_then_problem() -> None:
    for line in errors_of(BAD / "many_problems.yaml"):
        file, path, problem = line.split(": ", 2)
        assert file == str(BAD / "many_problems.yaml")
        assert re.search(r"baris \d+", path)
        assert problem


def test_it_reports_every_problem_not_just_the_first() -> None:
    errors = errors_of(BAD / "many_problems.yaml")
    expected = [
        "'sometimes' tidak dikenal",
        "berjumlah 0.9",
        "tingkat 5 tidak ada",
        "kode OUT-1 dipakai lebih dari sekali",
        "tag XYZ tidak ada",
    ]
    for fragment in expected:
        assert any(fragment in line for line in errors), (fragment, errors)


def test_it_reports_problems_in_the_order_of_the_file() -> None:
    lines = [int(m.group(1)) for e in errors_of(BAD / "many_problems.yaml")
             if (m := re.search(r"baris (\d+)", e))]  # fmt: skip
    assert lines == sorted(lines)


def test_it_reads_numbers_as_exact_decimals_and_ratios(minimal_path: Path) -> None:
    document = load_framework_file(minimal_path)
    output, impact = document.tree.children
    assert output.weight == Decimal("0.4")
    assert isinstance(output, type(impact))
    first = output.children[0]  # type: ignore[union-attr]
    assert isinstance(first, MaturityIndicator)
    assert first.weight == Decimal("0.5")
    quantity = impact.children[0]  # type: ignore[union-attr]
    assert isinstance(quantity, QuantitativeIndicator)
    assert quantity.upper == Decimal(100)


def test_it_accepts_thirds_written_as_ratios_which_sum_to_exactly_one(
    write_variant: Callable[..., Path],
) -> None:
    path = write_variant(("weight: 0.4\n", "weight: 1/3\n"), ("weight: 0.6\n", "weight: 2/3\n"))
    load_framework_file(path)


def test_it_rejects_a_sum_that_misses_one(write_variant: Callable[..., Path]) -> None:
    path = write_variant(("weight: 0.6\n", "weight: 0.59999999\n"))
    assert any("berjumlah 0.99999999," in line for line in errors_of(path))


def test_it_rejects_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    [line] = errors_of(tmp_path / "absent.yaml")
    assert line.startswith(f"{tmp_path / 'absent.yaml'}: (dokumen): berkas tidak dapat dibaca")


def test_it_rejects_a_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: Évaluation".encode("latin-1"))
    assert "UTF-8" in errors_of(path)[0]


def test_it_accepts_a_version_written_as_a_number(write_variant: Callable[..., Path]) -> None:
    assert load_framework_file(write_variant(('version: "1"', "version: 2022"))).version == "2022"


def test_content_hash_ignores_comments_and_number_spelling(
    minimal_path: Path, write_variant: Callable[..., Path]
) -> None:
    same = write_variant(("weight: 0.4\n", "weight: 0.40  # forty percent\n"))
    changed = write_variant(("Mini index", "Mini index (changed)"), name="changed.yaml")
    original = content_sha256(load_framework_file(minimal_path))
    assert content_sha256(load_framework_file(same)) == original
    assert content_sha256(load_framework_file(changed)) != original


def test_it_refuses_a_sum_that_misses_one_by_a_hair(
    write_variant: Callable[..., Path],
) -> None:
    # Weights are exact: there is no tolerance that a near miss could hide in.
    with pytest.raises(FrameworkError, match=re.escape("berjumlah 0.999999999999, seharusnya")):
        load_framework_file(write_variant(("weight: 0.6\n", "weight: 0.599999999999\n")))


def test_it_accepts_ratios_that_sum_to_exactly_one_and_keeps_them_exact(
    write_variant: Callable[..., Path],
) -> None:
    # 1/6 + 5/6 = 1 exactly, although neither ratio has a finite decimal.
    path = write_variant(("weight: 0.4\n", "weight: 1/6\n"), ("weight: 0.6\n", "weight: 5/6\n"))
    document = load_framework_file(path)
    assert [child.weight for child in document.tree.children] == [Fraction(1, 6), Fraction(5, 6)]


def test_a_sum_of_ratios_that_misses_one_is_shown_as_a_ratio(
    write_variant: Callable[..., Path],
) -> None:
    path = write_variant(("weight: 0.4\n", "weight: 1/3\n"), ("weight: 0.6\n", "weight: 0.6\n"))
    with pytest.raises(FrameworkError, match=r"berjumlah 14/15 \(≈ 0.933333333333\)"):
        load_framework_file(path)
