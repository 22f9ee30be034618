"""The hash chain that makes the audit log tamper-evident.

Every entry stores its position in the chain, the hash of the entry before it and its own hash:
SHA-256 over a canonical JSON serialisation of its fields plus that previous hash. Changing,
deleting, inserting or re-ordering an entry after the fact breaks the chain from that point,
and `cityeval audit verify` names the first broken entry.

One row (`AuditChainHead`) holds the length and the last hash. Appending locks it inside the
writer's transaction, so two writers on PostgreSQL cannot fork the chain (the second waits for
the first to commit); SQLite serialises writers anyway. The head also lets the verifier notice
entries cut off at the end.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from cityeval.audit.models import AuditChainHead, AuditEntry

# The previous hash of the first entry.
GENESIS = ""
HEAD_ID = 1


def canonical(
    *,
    position: int,
    at: datetime,
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: str,
    evaluation_id: int | None,
    region_id: int | None,
    before: Any,
    after: Any,
    note: str,
    previous_hash: str,
) -> bytes:
    """The bytes an entry's hash covers. Changing this format breaks every existing chain."""
    document = {
        "position": position,
        "at": at.astimezone(UTC).isoformat(),
        "actor": actor_id,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "evaluation": evaluation_id,
        "region": region_id,
        # Round-tripped through JSON so the value hashed is the value the database gives back
        # (tuples become lists, integer keys become strings).
        "before": _as_stored(before),
        "after": _as_stored(after),
        "note": note,
        "previous": previous_hash,
    }
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def hash_of(entry: AuditEntry) -> str:
    """The hash `entry` should carry, given its fields and its previous hash."""
    return hash_fields(
        position=entry.position or 0,
        at=entry.at,
        actor_id=entry.actor_id,
        action=entry.action,
        target_type=entry.target_type,
        target_id=entry.target_id,
        evaluation_id=entry.evaluation_id,
        region_id=entry.region_id,
        before=entry.before,
        after=entry.after,
        note=entry.note,
        previous_hash=entry.previous_hash,
    )


def hash_fields(**fields: Any) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()


def link(entries: Sequence[AuditEntry]) -> None:
    """Give new entries their position and hashes, moving the head along.

    Call inside the transaction that inserts the entries: the head row stays locked until it
    commits, so the next writer links to these entries.
    """
    head = locked_head()
    for entry in entries:
        if entry.at is None:
            entry.at = timezone.now()
        head.length += 1
        entry.position = head.length
        entry.previous_hash = head.last_hash
        entry.entry_hash = hash_of(entry)
        head.last_hash = entry.entry_hash
    head.save(update_fields=["length", "last_hash"])


def locked_head() -> AuditChainHead:
    from cityeval.audit.models import AuditChainHead

    head, _created = AuditChainHead.objects.select_for_update().get_or_create(
        pk=HEAD_ID, defaults={"length": 0, "last_hash": GENESIS}
    )
    return head


def _as_stored(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value))
