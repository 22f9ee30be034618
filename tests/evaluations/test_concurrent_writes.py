"""Many people save the same item at the same moment: exactly one save wins per version.

Each thread has its own database connection (Django's connections are per thread) and calls the
real service with the version it read before the race. The row lock (`SELECT … FOR UPDATE`)
makes the writers queue; the version check makes every writer after the first see a newer
version and refuse.

PostgreSQL only. The SQLite test database is in memory with a shared cache, where a second
writer fails at once with "database table is locked" (SQLITE_LOCKED ignores the busy timeout);
the file database of a real deployment makes writers wait instead (`transaction_mode=IMMEDIATE`,
20 s timeout). `bench/load.py` drives parallel writers against a file database as well.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.db import connection

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.models import ItemValue
from cityeval.evaluations.services import StaleEditError, save_self_assessment
from tests.evaluations.conftest import World

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
    wins: list[tuple[int, str]] = field(default_factory=list)  # (new version, narrative)
    conflicts: int = 0
    other_errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def race(item_pk: int, user_pk: int, expected_version: int, round_no: int) -> Outcome:
    """WRITERS threads save the item against the same version, released together."""
    outcome = Outcome()
    start = threading.Barrier(WRITERS)

    def write(writer: int) -> None:
        try:
            from cityeval.accounts.models import User

            item = ItemValue.objects.get(pk=item_pk)
            user = User.objects.get(pk=user_pk)
            narrative = f"putaran {round_no}, penulis {writer}"
            start.wait(timeout=30)
            try:
                saved = save_self_assessment(
                    item=item,
                    user=user,
                    value=Decimal(1 + writer % 4),
                    narrative=narrative,
                    expected_version=expected_version,
                )
            except StaleEditError:
                with outcome.lock:
                    outcome.conflicts += 1
            else:
                with outcome.lock:
                    outcome.wins.append((saved.version, narrative))
        except Exception as error:  # reported and asserted on below, never swallowed
            with outcome.lock:
                outcome.other_errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer never finished"
    return outcome


def test_exactly_one_of_many_parallel_writers_wins_each_version(world: World) -> None:
    item = world.item(world.health)
    contributor = world.people["contributor"]
    start_version = item.version
    winners: list[str] = []
    for round_no in range(ROUNDS):
        version = start_version + round_no
        outcome = race(item.pk, contributor.pk, version, round_no)
        assert outcome.other_errors == []
        assert len(outcome.wins) == 1
        assert outcome.conflicts == WRITERS - 1
        new_version, narrative = outcome.wins[0]
        assert new_version == version + 1
        winners.append(narrative)

    item.refresh_from_db()
    assert item.version == start_version + ROUNDS
    assert item.narrative == winners[-1]
    entries = list(
        AuditEntry.objects.for_target(item)
        .filter(action="item.self_assessment")
        .order_by("at", "id")
    )
    # One audit entry per accepted save, none for a refused one, in the order they won.
    assert [entry.after["narrative"] for entry in entries] == winners  # type: ignore[index]
    assert all(entry.actor_id == contributor.pk for entry in entries)
