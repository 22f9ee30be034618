"""One audit chain per region (plus the national chain 0): writers of different regions do not
wait for each other, and every chain still shows any tampering (docs/architecture.md, audit)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import threading
from datetime import UTC
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection, transaction

from cityeval.accounts.models import User
from cityeval.audit.chain import GENESIS
from cityeval.audit.log import record
from cityeval.audit.models import AuditChainHead, AuditEntry
from cityeval.audit.verify import verify_chain
from cityeval.regions.models import Province, Region


def raw() -> Any:
    """The plain manager: what someone with direct database access could do."""
    return AuditEntry._base_manager


def make_regions() -> tuple[Region, Region]:
    province = Province.objects.create(code="91", name="Provinsi Uji")
    return (
        Region.objects.create(
            code="91.01", name="Satu", full_name="Kota Satu", kind="kota", province=province
        ),
        Region.objects.create(
            code="91.02", name="Dua", full_name="Kota Dua", kind="kota", province=province
        ),
    )


@pytest.fixture
def author(db: None) -> User:
    return User.objects.create_user("penulis", password="a-long-test-password-1")


@pytest.fixture
def tx_author(transactional_db: None) -> User:
    """An author in a database where transactions really commit (a test's `db` is one
    transaction, so there every entry would join the chain of the test's first entry)."""
    return User.objects.create_user("penulis", password="a-long-test-password-1")


@pytest.fixture
def interleaved(tx_author: User) -> list[AuditEntry]:
    """Entries of two regions and of no region, written in turn (one transaction each)."""
    author = tx_author
    one, two = make_regions()
    written = []
    for n in range(3):
        for region in (one, two, None):
            written.append(
                record(
                    actor=author,
                    action=f"test.step{n}",
                    target=author,
                    region_id=region.pk if region else None,
                    after={"n": n},
                )
            )
    return list(AuditEntry.objects.filter(pk__in=[e.pk for e in written]).order_by("id"))


def test_each_region_has_its_own_chain(interleaved: list[AuditEntry]) -> None:
    chains: dict[int, list[AuditEntry]] = {}
    for entry in interleaved:
        assert entry.chain == (entry.region_id or 0)
        chains.setdefault(entry.chain, []).append(entry)
    assert len(chains) == 3
    for chain, entries in chains.items():
        assert [e.position for e in entries] == [1, 2, 3]
        assert entries[0].previous_hash == GENESIS
        assert entries[1].previous_hash == entries[0].entry_hash
        head = AuditChainHead.objects.get(chain=chain)
        assert (head.length, head.last_hash) == (3, entries[-1].entry_hash)
    verdict = verify_chain()
    assert verdict.ok, verdict.broken
    assert verdict.checked == 9


def test_one_transaction_stays_on_its_first_chain(tx_author: User) -> None:
    author = tx_author
    # A transaction holds at most one head lock, so two writers touching two regions in
    # opposite order cannot deadlock on the heads.
    one, two = make_regions()
    with transaction.atomic():
        first = record(actor=author, action="test.a", target=author, region_id=two.pk)
        second = record(actor=author, action="test.b", target=author, region_id=one.pk)
        third = record(actor=author, action="test.c", target=author)
    assert {first.chain, second.chain, third.chain} == {two.pk}
    assert [first.position, second.position, third.position] == [1, 2, 3]
    # The next transaction starts on the chain of its own first entry again.
    fourth = record(actor=author, action="test.d", target=author, region_id=one.pk)
    assert (fourth.chain, fourth.position) == (one.pk, 1)
    assert verify_chain().ok


def test_a_rolled_back_transaction_does_not_keep_its_chain(author: User) -> None:
    one, two = make_regions()
    with transaction.atomic():
        with contextlib.suppress(RuntimeError), transaction.atomic():
            record(actor=author, action="test.undone", target=author, region_id=one.pk)
            raise RuntimeError
        kept = record(actor=author, action="test.kept", target=author, region_id=two.pk)
    assert (kept.chain, kept.position) == (two.pk, 1)
    assert not AuditEntry.objects.filter(action="test.undone").exists()
    assert verify_chain().ok


def test_bulk_create_links_each_batch_to_one_chain(author: User) -> None:
    one, _two = make_regions()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                action="test.bulk",
                target_type="x",
                target_id=str(n),
                region_id=one.pk,
                after={"n": n},
            )
            for n in range(3)
        ]
    )
    assert list(AuditEntry.objects.order_by("id").values_list("chain", "position")) == [
        (one.pk, 1),
        (one.pk, 2),
        (one.pk, 3),
    ]
    assert verify_chain().ok


def test_an_entry_moved_to_another_chain_is_named(interleaved: list[AuditEntry]) -> None:
    # The chain is part of the hash: moving an entry (even to the matching place of another
    # chain) breaks its own hash, and leaves a gap in the chain it left.
    moved = next(e for e in interleaved if e.chain != 0 and e.position == 3)
    other = next(e for e in interleaved if e.chain not in (0, moved.chain))
    raw().filter(pk=moved.pk).update(chain=other.chain, position=4)
    verdict = verify_chain()
    assert not verdict.ok
    assert verdict.broken is not None


def test_an_edited_entry_of_a_region_chain_is_named(interleaved: list[AuditEntry]) -> None:
    target = next(e for e in interleaved if e.chain != 0 and e.position == 2)
    raw().filter(pk=target.pk).update(after={"n": 99})
    verdict = verify_chain()
    assert verdict.broken is not None
    assert verdict.broken.entry_id == target.pk
    assert "cocok dengan hash" in verdict.broken.reason


def test_a_deleted_last_entry_of_a_region_chain_is_caught_by_its_head(
    interleaved: list[AuditEntry],
) -> None:
    last = next(e for e in interleaved if e.chain != 0 and e.position == 3)
    raw().filter(pk=last.pk)._raw_delete(AuditEntry.objects.db)
    verdict = verify_chain()
    assert verdict.broken is not None
    assert verdict.broken.entry_id is None
    assert "2 entri" in verdict.broken.reason


def test_a_whole_region_chain_deleted_is_caught_by_its_head(
    interleaved: list[AuditEntry],
) -> None:
    chain = next(e.chain for e in interleaved if e.chain != 0)
    raw().filter(chain=chain)._raw_delete(AuditEntry.objects.db)
    verdict = verify_chain()
    assert verdict.broken is not None
    assert verdict.broken.entry_id is None
    assert "0 entri" in verdict.broken.reason


def test_entries_of_a_chain_without_a_head_are_named(interleaved: list[AuditEntry]) -> None:
    chain = next(e.chain for e in interleaved if e.chain != 0)
    AuditChainHead.objects.filter(chain=chain).delete()
    verdict = verify_chain()
    assert verdict.broken is not None
    assert verdict.broken.entry_id is None


def legacy_hash(entry: AuditEntry) -> str:
    """The hash format of the one chain before chains per region: no chain field at all."""
    document = {
        "position": entry.position,
        "at": entry.at.astimezone(UTC).isoformat(),
        "actor": entry.actor_id,
        "action": entry.action,
        "target_type": entry.target_type,
        "target_id": entry.target_id,
        "evaluation": entry.evaluation_id,
        "region": entry.region_id,
        "before": entry.before,
        "after": entry.after,
        "note": entry.note,
        "previous": entry.previous_hash,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_an_existing_single_chain_still_verifies(author: User) -> None:
    # What migration 0004 finds: one chain in id order, entries of every region in it, hashed
    # in the old format, and the one head row. It becomes chain 0 unchanged.
    one, two = make_regions()
    previous = GENESIS
    for position, region in enumerate([one, None, two, one], start=1):
        entry = AuditEntry(
            actor=author,
            action="test.legacy",
            target_type="accounts.user",
            target_id=str(author.pk),
            region_id=region.pk if region else None,
            after={"n": position},
            position=position,
            previous_hash=previous,
        )
        entry.entry_hash = legacy_hash(entry)
        previous = entry.entry_hash
        raw().bulk_create([entry])  # the plain manager: no linking, as written before
    AuditChainHead.objects.update_or_create(chain=0, defaults={"length": 4, "last_hash": previous})
    verdict = verify_chain()
    assert verdict.ok, verdict.broken
    assert verdict.checked == 4
    # New entries then go to their region's chain; the old chain 0 goes on verifying.
    new = record(actor=author, action="test.after", target=author, region_id=one.pk)
    assert (new.chain, new.position) == (one.pk, 1)
    assert verify_chain().ok
    out = StringIO()
    call_command("audit", "verify", stdout=out)
    assert "5" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_writer_of_another_region_does_not_wait_for_an_open_transaction() -> None:
    user = User.objects.create_user("serentak", password="a-long-test-password-1")
    one, two = make_regions()
    holding, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def hold() -> None:
        # Region one's writer has written its entry and not committed yet.
        try:
            with transaction.atomic():
                record(actor=user, action="test.hold", target=user, region_id=one.pk)
                holding.set()
                release.wait(30)
        except BaseException as error:
            failures.append(error)
        finally:
            holding.set()
            connection.close()

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        holding.wait(30)
        with transaction.atomic():
            with connection.cursor() as cursor:
                # A lock wait here is an error instead of a wait (the old single head waited).
                cursor.execute("SET LOCAL lock_timeout = '3s'")
            try:
                record(actor=user, action="test.free", target=user, region_id=two.pk)
            except OperationalError as error:  # pragma: no cover - the failure being tested
                pytest.fail(f"region two waited for region one's head: {error}")
    finally:
        release.set()
        thread.join()
    assert failures == []
    verdict = verify_chain()
    assert verdict.ok, verdict.broken
    assert verdict.checked == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_of_several_regions_keep_every_chain_whole() -> None:
    user = User.objects.create_user("serentak", password="a-long-test-password-1")
    regions = [None, *make_regions()]
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            start.wait()
            for n in range(12):
                # Two regions per transaction, in an order that differs between workers.
                first, second = regions[(worker + n) % 3], regions[(worker + n + 1) % 3]
                with transaction.atomic():
                    for region in (first, second):
                        record(
                            actor=user,
                            action=f"test.w{worker}",
                            target=user,
                            region_id=region.pk if region else None,
                            after={"n": n},
                        )
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
    assert verdict.checked == 96


def test_the_health_check_reads_every_chain_head(interleaved: list[AuditEntry]) -> None:
    from cityeval.core.health import check_audit_chain

    check_audit_chain()
    chain = next(e.chain for e in interleaved if e.chain != 0)
    AuditChainHead.objects.filter(chain=chain).update(length=2)
    with pytest.raises(RuntimeError):
        check_audit_chain()
