"""Many people write the same item at the same moment: exactly one write wins per version.

Each thread has its own database connection (Django's connections are per thread) and calls the
real service (a contributor's save, an assessor's adjustment) with the version it read before
the race. The row lock (`SELECT … FOR UPDATE`) makes the writers queue; the version check makes
every writer after the first see a newer version and refuse.

PostgreSQL only. The SQLite test database is in memory with a shared cache, where a second
writer fails at once with "database table is locked" (SQLITE_LOCKED ignores the busy timeout);
the file database of a real deployment makes writers wait instead (`transaction_mode=IMMEDIATE`,
20 s timeout). `bench/load.py` drives parallel writers against a file database as well.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.db import connection

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.errors import StaleEditError
from cityeval.evaluations.models import EvaluationStatus, ItemValue
from cityeval.evaluations.services import save_self_assessment
from cityeval.reviews.models import Verdict
from cityeval.reviews.services import adjust_item
from tests.world import TeamWorld as World

WRITERS = 12
ROUNDS = 3

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: the in-memory SQLite test database refuses parallel writers "
        "instead of queueing them (see the module docstring)",
    ),
]


@dataclass
class Outcome:
    wins: list[tuple[int, str]] = field(default_factory=list)  # (new version, text written)
    conflicts: int = 0
    other_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


# A writer: (item read in the writer's own connection, writer number, text to write) → the
# item as saved. It must raise StaleEditError when its version is no longer current.
Writer = Callable[[ItemValue, int, str], ItemValue]


def race(item_pk: int, round_no: int, write: Writer) -> Outcome:
    """WRITERS threads write the item against the version read before, released together."""
    outcome = Outcome()
    start = threading.Barrier(WRITERS)

    def run(writer: int) -> None:
        try:
            item = ItemValue.objects.get(pk=item_pk)
            text = f"putaran {round_no}, penulis {writer}"
            start.wait(timeout=30)
            try:
                saved = write(item, writer, text)
            except StaleEditError:  # StaleVerdictError too: a subclass
                with outcome.lock:
                    outcome.conflicts += 1
            else:
                with outcome.lock:
                    outcome.wins.append((saved.version, text))
        except Exception as error:  # reported and asserted on below, never swallowed
            with outcome.lock:
                outcome.other_errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return outcome


def run_rounds(item: ItemValue, write_for_version: Callable[[int], Writer]) -> list[str]:
    """ROUNDS races, each against the version the previous one left; the winners' texts."""
    start_version = item.version
    winners: list[str] = []
    for round_no in range(ROUNDS):
        version = start_version + round_no
        outcome = race(item.pk, round_no, write_for_version(version))
        assert outcome.other_errors == []
        assert len(outcome.wins) == 1
        assert outcome.conflicts == WRITERS - 1
        new_version, text = outcome.wins[0]
        assert new_version == version + 1
        winners.append(text)
    item.refresh_from_db()
    assert item.version == start_version + ROUNDS
    return winners


def test_exactly_one_of_many_parallel_writers_wins_each_version(world: World) -> None:
    item = world.item(world.health)
    contributor = world.people["contributor"]

    def save_at(version: int) -> Writer:
        def write(fresh: ItemValue, writer: int, text: str) -> ItemValue:
            return save_self_assessment(
                item=fresh,
                user=contributor,
                value=Decimal(1 + writer % 4),
                narrative=text,
                expected_version=version,
            )

        return write

    winners = run_rounds(item, save_at)

    assert item.narrative == winners[-1]
    entries = list(
        AuditEntry.objects.for_target(item)
        .filter(action="item.self_assessment")
        .order_by("at", "id")
    )
    # One audit entry per accepted save, none for a refused one, in the order they won.
    assert [entry.after["narrative"] for entry in entries] == winners  # type: ignore[index]
    assert all(entry.actor_id == contributor.pk for entry in entries)


def test_exactly_one_of_two_assessors_verdicts_wins_each_version(world: World) -> None:
    item = world.item(world.health)
    ItemValue.objects.filter(pk=item.pk).update(self_value=Decimal(2))
    world.evaluation.status = EvaluationStatus.DOCUMENT_REVIEW
    world.evaluation.save(update_fields=["status"])  # set-up only: the workflow has its tests
    item.refresh_from_db()
    assessors = [world.people["lead"], world.people["member"]]

    def adjust_at(version: int) -> Writer:
        def write(fresh: ItemValue, writer: int, text: str) -> ItemValue:
            return adjust_item(
                item=fresh,
                user=assessors[writer % 2],
                verified_value=Decimal(3 + writer % 2),
                reason=text,
                expected_version=version,
            )

        return write

    winners = run_rounds(item, adjust_at)

    assert item.review_note == winners[-1]
    entries = list(
        AuditEntry.objects.for_target(item).filter(action="item.review.adjust").order_by("at", "id")
    )
    assert [entry.after["review_note"] for entry in entries] == winners  # type: ignore[index]
    assert Verdict.objects.filter(item=item).count() == ROUNDS
