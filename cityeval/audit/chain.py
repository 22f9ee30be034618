"""The hash chain that makes the audit log tamper-evident.

Every entry stores its position in the chain, the hash of the entry before it and its own hash:
SHA-256 over a canonical JSON serialisation of its fields plus that previous hash. Changing,
deleting, inserting or re-ordering an entry after the fact breaks the chain from that point,
and `cityeval audit verify` names the first broken entry.

There is one chain per region (its key is the region's id) and the national chain 0 for entries
about no region (chain 0 is also the one chain every entry was written to before chains per
region: its hash format is unchanged). One row per chain (`AuditChainHead`) holds the length and
the last hash. Appending locks that row inside the writer's transaction, so two writers on
PostgreSQL cannot fork a chain (the second waits for the first to commit), while writers of
different regions do not wait for each other; SQLite serialises writers anyway. A transaction
appends to ONE chain, the chain of its first entry, so it holds at most one head lock and two
transactions cannot deadlock on heads. The heads also let the verifier notice entries cut off at
a chain's end. Why this is still tamper-evident: docs/architecture.md, the audit section.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

# The previous hash of the first entry of every chain.
GENESIS = ""
# The national chain: entries about no region, and every entry written before chains per region.
NATIONAL = 0
# The primary key of the one head row migration 0002 wrote (chain 0's head).
HEAD_ID = 1


def chain_for(region_id: int | None) -> int:
    """The chain a transaction whose first entry is about this region appends to."""
    return region_id if region_id is not None else NATIONAL


def canonical(
    *,
    chain: int = NATIONAL,
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
    """The bytes an entry's hash covers. Changing this format breaks every existing chain.

    The chain key is covered from chain 1 on (moving an entry to another chain breaks its hash);
    chain 0 leaves it out, so the entries written before chains per region keep their hashes.
    """
    document: dict[str, Any] = {
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
    if chain != NATIONAL:
        document["chain"] = chain
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.encode("utf-8")


def hash_fields(**fields: Any) -> str:
    return hashlib.sha256(canonical(**fields)).hexdigest()


def _as_stored(value: Any) -> Any:
    if value is None:
        return None
    return json.loads(json.dumps(value))
