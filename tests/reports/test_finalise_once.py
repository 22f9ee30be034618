"""Finalising and publishing read and lock the evaluation once and check the transition once
(issue 10 §5), and leave the caller's instance in the new state."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cityeval.evaluations import workflow
from cityeval.evaluations.errors import TransitionError
from cityeval.evaluations.models import Evaluation, EvaluationStatus
from cityeval.reports.services import finalise_evaluation, publish_evaluation
from tests.world import TeamWorld as World

S = EvaluationStatus
TABLE = Evaluation._meta.db_table


class CountingTable(Mapping[EvaluationStatus, frozenset[EvaluationStatus]]):
    """The transition table, counting how often it is asked."""

    def __init__(self, table: Mapping[EvaluationStatus, frozenset[EvaluationStatus]]) -> None:
        self.table = table
        self.asked = 0

    def __getitem__(self, key: EvaluationStatus) -> frozenset[EvaluationStatus]:
        self.asked += 1
        return self.table[key]

    def __iter__(self) -> Iterator[EvaluationStatus]:
        return iter(self.table)

    def __len__(self) -> int:
        return len(self.table)


def _evaluation_reads(queries: CaptureQueriesContext, evaluation: Evaluation) -> list[str]:
    """The queries that read the evaluation's own row."""
    return [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT")
        and f'FROM "{TABLE}"' in q["sql"]
        and f'"{TABLE}"."id" = {evaluation.pk}' in q["sql"]
    ]


def _run(monkeypatch: pytest.MonkeyPatch, call: Any) -> tuple[CountingTable, list[str]]:
    table = CountingTable(workflow.ALLOWED)
    monkeypatch.setattr(workflow, "ALLOWED", table)
    with CaptureQueriesContext(connection) as queries:
        evaluation = call()
    return table, _evaluation_reads(queries, evaluation)


def test_finalising_reads_the_evaluation_once_and_checks_the_move_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.verify()
    world.at(S.FIELD_VISIT)
    evaluation = world.evaluation

    table, reads = _run(
        monkeypatch,
        lambda: finalise_evaluation(evaluation=evaluation, user=world.people["lead"]).evaluation,
    )

    assert len(reads) == 1, reads
    assert table.asked == 1
    # The caller's instance follows without another read.
    assert evaluation.status == S.FINALISED
    assert evaluation.finalised_at is not None


def test_publishing_reads_the_evaluation_once_and_checks_the_move_once(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    world.verify()
    world.at(S.FIELD_VISIT)
    evaluation = world.evaluation
    finalise_evaluation(evaluation=evaluation, user=world.people["lead"])

    def publish() -> Evaluation:
        publish_evaluation(evaluation=evaluation, user=world.people["admin"])
        return evaluation

    table, reads = _run(monkeypatch, publish)

    assert len(reads) == 1, reads
    assert table.asked == 1
    assert evaluation.status == S.PUBLISHED
    assert evaluation.published_at is not None


def test_a_refused_move_still_names_both_states(world: World) -> None:
    evaluation = world.evaluation  # in self-assessment: cannot be published
    with pytest.raises(TransitionError, match="menjadi"):
        publish_evaluation(evaluation=evaluation, user=world.people["admin"])
