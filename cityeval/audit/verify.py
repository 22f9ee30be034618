"""Walking the audit hash chain to find the first entry that was changed, removed or added."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext as _

from cityeval.audit.chain import GENESIS
from cityeval.audit.models import AuditChainHead, AuditEntry

CHUNK = 2000


@dataclass(frozen=True)
class Broken:
    """The first place where the chain does not hold."""

    entry_id: int | None  # None when the problem is the chain's end (the head row)
    at: datetime | None
    reason: str

    def describe(self) -> str:
        if self.entry_id is None:
            return self.reason
        when = self.at.isoformat() if self.at else "?"
        return _("Entri #%(id)s (%(at)s): %(reason)s") % {
            "id": self.entry_id,
            "at": when,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Verdict:
    checked: int
    broken: Broken | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def verify_chain(progress: Callable[[int], Any] | None = None) -> Verdict:
    """Check every chain, each entry in id order, streaming; stop at the first broken one.

    Each chain is checked on its own, from its first entry to its head row; a head with no
    entries left, and entries whose chain has no head, are breaks too.
    """
    heads = {
        key: (length, last_hash)
        for key, length, last_hash in AuditChainHead.objects.values_list(
            "chain", "length", "last_hash"
        )
    }
    current: int | None = None
    expected_position, previous_hash, previous_id = 1, GENESIS, None
    checked = in_chain = 0
    entries = AuditEntry.objects.order_by("chain", "id").iterator(chunk_size=CHUNK)
    for entry in entries:
        if entry.chain != current:
            if current is not None:
                broken = _head_problem(current, heads.pop(current, None), in_chain, previous_hash)
                if broken:
                    return Verdict(checked, broken)
            current, expected_position, previous_hash, previous_id = entry.chain, 1, GENESIS, None
            in_chain = 0
        problem = _problem(entry, expected_position, previous_hash, previous_id)
        if problem:
            return Verdict(checked, Broken(entry.pk, entry.at, problem))
        checked += 1
        in_chain += 1
        expected_position += 1
        previous_hash, previous_id = entry.entry_hash, entry.pk
        if progress and checked % CHUNK == 0:
            progress(CHUNK)
    if progress:
        progress(checked % CHUNK)
    if current is not None:
        broken = _head_problem(current, heads.pop(current, None), in_chain, previous_hash)
        if broken:
            return Verdict(checked, broken)
    # Heads whose chain has no entry left at all.
    for key, head in sorted(heads.items()):
        broken = _head_problem(key, head, 0, GENESIS)
        if broken:
            return Verdict(checked, broken)
    return Verdict(checked, None)


def _problem(
    entry: AuditEntry, expected_position: int, previous_hash: str, previous_id: int | None
) -> str | None:
    after = (
        _("setelah entri #%(id)s") % {"id": previous_id}
        if previous_id
        else _("sebagai entri pertama")
    )
    if entry.position > expected_position:
        missing = entry.position - expected_position
        return _(
            "urutan %(found)d, padahal yang diharapkan %(expected)d %(after)s: "
            "%(missing)d entri sebelumnya hilang (dihapus)."
        ) % {
            "found": entry.position,
            "expected": expected_position,
            "after": after,
            "missing": missing,
        }
    if entry.position < expected_position:
        return _(
            "urutan %(found)d, padahal yang diharapkan %(expected)d %(after)s: "
            "entri disisipkan atau urutannya diubah."
        ) % {"found": entry.position, "expected": expected_position, "after": after}
    if entry.previous_hash != previous_hash:
        return _(
            "hash entri sebelumnya yang tercatat (%(recorded)s) tidak sama dengan hash entri "
            "sebelumnya yang sebenarnya (%(actual)s) %(after)s: entri disisipkan, diganti, "
            "atau entri sebelumnya ditulis ulang."
        ) % {
            "recorded": _short(entry.previous_hash),
            "actual": _short(previous_hash),
            "after": after,
        }
    if entry.chain_hash() != entry.entry_hash:
        return _(
            "isinya tidak lagi cocok dengan hash-nya: salah satu kolom (waktu, pelaku, "
            "tindakan, objek, sebelum, sesudah, catatan) diubah setelah ditulis."
        )
    return None


def _head_problem(
    key: int, head: tuple[int, str] | None, checked: int, last_hash: str
) -> Broken | None:
    length, head_hash = head or (0, GENESIS)
    if length == checked and head_hash == last_hash:
        return None
    return Broken(
        None,
        None,
        _(
            "Ujung rantai %(chain)d mencatat %(length)d entri yang berakhir dengan hash "
            "%(head)s, tetapi log berisi %(checked)d entri rantai itu yang berakhir dengan "
            "%(last)s: entri terakhir dihapus atau ditambahkan di luar aplikasi."
        )
        % {
            "chain": key,
            "length": length,
            "head": _short(head_hash),
            "checked": checked,
            "last": _short(last_hash),
        },
    )


def _short(digest: str) -> str:
    return digest[:12] if digest else _("(kosong)")
