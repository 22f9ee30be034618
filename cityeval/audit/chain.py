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
from datetime import UTC, datetime
from typing import Any

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


def hash_fields(**fields: Any) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()


def _as_stored(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value))
