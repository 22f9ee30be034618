"""The audit log's hash chain: appending links entries, and the verifier names the first break."""

from __future__ import annotations

import itertools
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from cityeval.accounts.models import User
from cityeval.audit.chain import GENESIS
from cityeval.audit.log import record
from cityeval.audit.models import AuditChainHead, AuditEntry
from cityeval.audit.verify import verify_chain


def raw() -> object:
    """The plain manager: what someone with direct database access could do."""
    return AuditEntry._base_manager


@pytest.fixture
def author(db: None) -> User:
    return User.objects.create_user("penulis", password="a-long-test-password-1")


@pytest.fixture
def entries(author: User) -> list[AuditEntry]:
    written = [
        record(actor=author, action=f"test.step{n}", target=author, after={"n": n, "x": "1.50"})
        for n in range(1, 6)
    ]
    return list(AuditEntry.objects.filter(pk__in=[e.pk for e in written]).order_by("id"))


def test_entries_are_linked_in_order(entries: list[AuditEntry]) -> None:
    assert [e.position for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].previous_hash == GENESIS
    for before, after in itertools.pairwise(entries):
        assert after.previous_hash == before.entry_hash
    head = AuditChainHead.objects.get()
    assert (head.length, head.last_hash) == (5, entries[-1].entry_hash)


def test_a_stored_entry_hashes_to_its_recorded_hash(entries: list[AuditEntry]) -> None:
    # Read back from the database: JSON and time survive the round trip unchanged.
    assert all(entry.chain_hash() == entry.entry_hash for entry in entries)


def test_bulk_create_links_entries_too(author: User) -> None:
    record(actor=author, action="test.first", target=author)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(action="test.bulk", target_type="x", target_id=str(n), after={"n": n})
            for n in range(3)
        ]
    )
    assert verify_chain().ok
    assert verify_chain().checked == 4


def test_an_untouched_chain_verifies(entries: list[AuditEntry]) -> None:
    verdict = verify_chain()
    assert verdict.ok
    assert verdict.checked == 5


def test_an_empty_log_verifies(db: None) -> None:
    assert verify_chain().ok


def test_an_edited_field_names_the_entry(entries: list[AuditEntry]) -> None:
    raw().filter(pk=entries[2].pk).update(note="diam-diam diubah")  # type: ignore[attr-defined]
    broken = verify_chain().broken
    assert broken is not None
    assert broken.entry_id == entries[2].pk
    assert "diubah setelah ditulis" in broken.reason


def test_an_edited_json_value_names_the_entry(entries: list[AuditEntry]) -> None:
    raw().filter(pk=entries[1].pk).update(after={"n": 2, "x": "9.99"})  # type: ignore[attr-defined]
    broken = verify_chain().broken
    assert broken is not None
    assert broken.entry_id == entries[1].pk


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(entries: list[AuditEntry]) -> None:
    forged = entries[1]
    forged.note = "ditulis ulang"
    new_hash = forged.chain_hash()
    raw().filter(pk=forged.pk).update(note=forged.note, entry_hash=new_hash)  # type: ignore[attr-defined]
    broken = verify_chain().broken
    assert broken is not None
    assert broken.entry_id == entries[2].pk
    assert f"#{entries[1].pk}" in broken.reason


def test_a_deleted_entry_is_named_at_the_gap(entries: list[AuditEntry]) -> None:
    raw().filter(pk=entries[1].pk).delete()  # type: ignore[attr-defined]
    verdict = verify_chain()
    assert verdict.broken is not None
    assert verdict.broken.entry_id == entries[2].pk
    assert "hilang" in verdict.broken.reason
    assert verdict.checked == 1


def test_a_deleted_last_entry_is_caught_by_the_head(entries: list[AuditEntry]) -> None:
    raw().filter(pk=entries[-1].pk).delete()  # type: ignore[attr-defined]
    verdict = verify_chain()
    assert verdict.broken is not None
    assert verdict.broken.entry_id is None
    assert "5 entri" in verdict.broken.reason
    assert "4 entri" in verdict.broken.reason


def test_an_inserted_entry_breaks_the_link_after_it(entries: list[AuditEntry]) -> None:
    # Make room after entry 2 as a careful forger would: move the later entries along.
    later = entries[2:]
    for entry in reversed(later):
        raw().filter(pk=entry.pk).update(id=entry.pk + 100, position=entry.position + 1)  # type: ignore[attr-defined]
    forged = AuditEntry(
        pk=entries[2].pk,
        position=3,
        action="test.forged",
        target_type="accounts.user",
        target_id="1",
        previous_hash=entries[1].entry_hash,
    )
    forged.entry_hash = forged.chain_hash()
    raw().bulk_create([forged])  # type: ignore[attr-defined]
    broken = verify_chain().broken
    assert broken is not None
    # The forged entry links well; the entry after it no longer does.
    assert broken.entry_id == entries[2].pk + 100
    assert "disisipkan" in broken.reason


def test_reordered_entries_are_named(entries: list[AuditEntry]) -> None:
    first, second = entries[1], entries[2]
    raw().filter(pk=first.pk).update(position=999)  # type: ignore[attr-defined]
    raw().filter(pk=second.pk).update(position=first.position)  # type: ignore[attr-defined]
    raw().filter(pk=first.pk).update(position=second.position)  # type: ignore[attr-defined]
    broken = verify_chain().broken
    assert broken is not None
    assert broken.entry_id == first.pk
    assert "hilang" in broken.reason  # position 3 where 2 was expected


def test_the_command_prints_ok(entries: list[AuditEntry]) -> None:
    out = StringIO()
    call_command("audit", "verify", "--quiet", stdout=out)
    assert out.getvalue().strip() == "OK: 5 entri, rantai utuh."


def test_the_command_fails_with_the_first_broken_entry(entries: list[AuditEntry]) -> None:
    raw().filter(pk=entries[3].pk).update(action="test.other")  # type: ignore[attr-defined]
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify", "--quiet", stdout=StringIO())
    assert caught.value.returncode == 1
    assert f"Entri #{entries[3].pk} (" in str(caught.value)
    assert "RUSAK setelah 3 entri" in str(caught.value)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_the_chain() -> None:
    user = User.objects.create_user("serentak", password="a-long-test-password-1")
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            start.wait()
            for n in range(15):
                with transaction.atomic():
                    record(actor=user, action=f"test.w{worker}", target=user, after={"n": n})
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(w,)) for w in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    verdict = verify_chain()
    assert verdict.ok, verdict.broken
    assert verdict.checked == 60
