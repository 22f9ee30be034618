"""Progress bands of measured items on the scorecard, computed by hand for a small framework.

The framework is the tests' minimal one with five quantitative items under IMP. Kota Semarang
has a published 2021 result and a finalised 2023 one (the scorecard's); the target of a
distance-to-target item is due five years after the first value (2026).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from cityeval.evaluations.models import Evaluation, EvaluationStatus, Round
from cityeval.frameworks.loader import load_framework_text
from cityeval.frameworks.models import FrameworkVersion
from cityeval.frameworks.services import store_document
from cityeval.results.models import ResultSnapshot
from cityeval.scorecards.data import scorecard
from cityeval.scorecards.progress import TARGET_YEARS, progress_table
from scoring.progress import Growth, ProgressBand
from tests.world import TeamWorld as World
from tests.world import open_test_cycle

MINIMAL = Path(settings.BASE_DIR) / "tests" / "frameworks" / "good" / "minimal.yaml"
IMPACT = """
    - code: IMP
      name: {id: Dampak, en: Impact}
      weight: 0.6
      children:
        - {code: IMP-1, kind: quantitative, name: {id: Sampah terkelola, en: Waste managed},
           weight: 1/5, unit: "%", direction: higher, normalisation: distance_to_target,
           lower: 20, target: 80}
        - {code: IMP-2, kind: quantitative, name: {id: Waktu tanggap, en: Response time},
           weight: 1/5, unit: menit, direction: lower, normalisation: distance_to_target,
           lower: 60, target: 30}
        - {code: IMP-3, kind: quantitative, name: {id: Pengguna layanan, en: Service users},
           weight: 1/5, unit: ribu, direction: higher, normalisation: goalposts,
           lower: 0, upper: 200}
        - {code: IMP-4, kind: quantitative, name: {id: Ruang hijau, en: Green space},
           weight: 1/5, unit: ha, direction: higher, normalisation: goalposts,
           lower: 0, upper: 200}
        - {code: IMP-5, kind: quantitative, name: {id: Titik wifi, en: Wifi spots},
           weight: 1/5, unit: titik, direction: higher, normalisation: distance_to_target,
           lower: 10, target: 20}
"""

S = EvaluationStatus


def _framework() -> FrameworkVersion:
    text = MINIMAL.read_text(encoding="utf-8")
    text = text[: text.index("    - code: IMP\n")] + IMPACT.lstrip("\n")
    store_document(document=load_framework_text(text, filename="progress.yaml"))
    return FrameworkVersion.objects.get_by_ref("MINI@1")


def _result(
    world: World, version: FrameworkVersion, year: int, status: str, inputs: dict[str, str | None]
) -> Evaluation:
    cycle = open_test_cycle(
        year=year,
        round=Round.ANNUAL,
        version=version,
        regions=[world.semarang],
        admin=world.people["admin"],
    )
    evaluation = Evaluation.objects.get(cycle=cycle)
    Evaluation.objects.filter(pk=evaluation.pk).update(status=status)
    ResultSnapshot.objects.create(
        evaluation=evaluation, framework_version=version, index=Decimal("3"), inputs=inputs
    )
    return Evaluation.objects.select_related("region__province", "cycle").get(pk=evaluation.pk)


@pytest.fixture
def history(world: World) -> Evaluation:
    version = _framework()
    _result(
        world,
        version,
        2021,
        S.PUBLISHED,
        {"IMP-1": "20", "IMP-2": "60", "IMP-3": "100", "IMP-4": "100", "IMP-5": "10", "OUT-2": "0"},
    )
    # An unpublished result in between counts for nothing (its IMP-4 would change the band).
    _result(world, version, 2022, S.FINALISED, {"IMP-4": "50"})
    return _result(
        world,
        version,
        2023,
        S.FINALISED,
        {
            "IMP-1": "85",
            "IMP-2": "57.6",
            "IMP-3": "121",
            "IMP-4": "99",
            "IMP-5": "12.1",
            "OUT-2": "40",
        },
    )


def _bands(evaluation: Evaluation) -> dict[str, tuple[ProgressBand, object, object]]:
    card = scorecard(evaluation)
    assert card is not None
    return {
        row.item.code: (row.band, row.observed, row.required)
        for group in card.progress.groups
        for row in group.rows
    }


def _close(value: object, expected: str) -> bool:
    assert isinstance(value, Decimal)
    return abs(value - Decimal(expected)) < Decimal("0.000001")


def test_each_band_from_hand_computed_growth(history: Evaluation) -> None:
    bands = _bands(history)
    assert TARGET_YEARS == 5
    # IMP-1: 85 meets the target of 80.
    assert bands["IMP-1"][0] is ProgressBand.TARGET_ACHIEVED
    # IMP-2 (lower is better): observed 1 - (57.6/60)^(1/2) = 0.020204; required
    # 1 - (30/60)^(1/5) = 0.129449; ratio 0.156 < 0.60: limited progress.
    band, observed, required = bands["IMP-2"]
    assert band is ProgressBand.LIMITED_PROGRESS
    assert _close(observed, "0.0202041")
    assert _close(required, "0.1294494")
    # IMP-3, no target: (121/100)^(1/2) - 1 = 10% a year >= 1.5%: on track.
    assert bands["IMP-3"][0] is ProgressBand.ON_TRACK
    assert _close(bands["IMP-3"][1], "0.1")
    # IMP-4, no target: (99/100)^(1/2) - 1 = -0.50%: deterioration (2022 is not published).
    assert bands["IMP-4"][0] is ProgressBand.DETERIORATION
    assert _close(bands["IMP-4"][1], "-0.0050126")
    # IMP-5: observed 12.1/10 over 2 years = 10%; required 2^(1/5) - 1 = 14.87%; ratio 0.67.
    assert bands["IMP-5"][0] is ProgressBand.ACCELERATION_NEEDED
    assert _close(bands["IMP-5"][2], "0.1486984")


def test_the_groups_follow_the_band_order_and_zero_is_listed_not_guessed(
    history: Evaluation,
) -> None:
    card = scorecard(history)
    assert card is not None
    assert [g.band for g in card.progress.groups] == [
        ProgressBand.TARGET_ACHIEVED,
        ProgressBand.ON_TRACK,
        ProgressBand.ACCELERATION_NEEDED,
        ProgressBand.LIMITED_PROGRESS,
        ProgressBand.DETERIORATION,
    ]
    # The percentage item starts at 0 and has no target: no compound rate exists.
    assert [u.item.code for u in card.progress.unbanded] == ["OUT-2"]
    row = card.progress.groups[0].rows[0]
    assert (row.start.year, row.latest.year, row.target_year) == (2021, 2023, 2026)
    assert row.growth is Growth.COMPOUND
    assert card.progress.years == [2021, 2023]


def test_the_page_shows_the_table_grouped_by_band(history: Evaluation, world: World) -> None:
    page = world.client("admin").get(reverse("scorecards:scorecard", args=[history.pk]))
    html = page.content.decode()
    assert 'data-testid="band-on_track"' in html
    assert 'data-testid="progress-IMP-2"' in html
    assert "Memburuk" in html
    assert "10.0%" in html or "10,0%" in html  # IMP-3's observed growth
    assert 'data-testid="unbanded-OUT-2"' in html


def test_without_two_published_years_the_page_says_so(world: World) -> None:
    version = _framework()
    _result(world, version, 2021, S.FINALISED, {"IMP-1": "20"})  # not published: not history
    current = _result(world, version, 2023, S.FINALISED, {"IMP-1": "30"})
    card = scorecard(current)
    assert card is not None
    assert card.progress.empty
    page = world.client("admin").get(reverse("scorecards:scorecard", args=[current.pk]))
    assert 'data-testid="progress-empty"' in page.content.decode()
    assert "Belum cukup riwayat" in page.content.decode()


def test_a_series_from_zero_against_a_target_grows_linearly(world: World) -> None:
    version = _framework()
    # IMP-1 from 0 (2021) to 40 (2023), target 80 by 2026: needs 16 a year, made 20: on track.
    # IMP-3 from 0 without a target: no compound rate, so it is listed, not banded.
    table = progress_table(
        version, [(2021, {"IMP-1": "0", "IMP-3": "0"}), (2023, {"IMP-1": "40", "IMP-3": "5"})]
    )
    (group,) = table.groups
    (row,) = group.rows
    assert (group.band, row.item.code, row.growth) == (
        ProgressBand.ON_TRACK,
        "IMP-1",
        Growth.LINEAR,
    )
    assert (row.observed, row.required) == (Decimal(20), Decimal(16))
    assert [u.item.code for u in table.unbanded] == ["IMP-3"]


def test_a_later_round_of_the_same_year_replaces_the_earlier_one(world: World) -> None:
    version = _framework()
    table = progress_table(
        version,
        [(2021, {"IMP-3": "100"}), (2021, {"IMP-3": "50"}), (2022, {"IMP-3": "100"})],
    )
    # 50 -> 100 in one year (the second 2021 round counts): +100%, on track.
    (group,) = table.groups
    assert group.rows[0].start.value == Decimal(50)
    assert table.years == [2021, 2022]
