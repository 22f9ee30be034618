"""Benchmark: the cost of the audit hash chain, and how fast `cityeval audit verify` walks it.

Run with `uv run python bench/bench_audit_chain.py [N]` (default N = 5000). It migrates a
throw-away SQLite database in a temporary folder (or uses DATABASE_URL when set: give it an
empty database), then in the same run:

1. appends N entries one transaction each through `audit.log.record` (chained: locks the head,
   hashes), and N entries through the plain manager with no chain (the baseline);
2. verifies the chain of N entries.

It prints seconds, entries per second and the ratio chained / baseline.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time

N = int(sys.argv[1]) if len(sys.argv) > 1 else 5000


def main() -> None:
    folder = tempfile.mkdtemp(prefix="cityeval-bench-audit-")
    os.environ.setdefault("CITYEVAL_DATA_DIR", folder)
    os.environ.setdefault("CITYEVAL_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cityeval.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import models, transaction

    from cityeval.accounts.models import User
    from cityeval.audit.log import record
    from cityeval.audit.models import AuditEntry
    from cityeval.audit.verify import verify_chain

    call_command("migrate", verbosity=0)
    user = User.objects.create_user("bench")  # no password: nobody signs in
    after = {"level": 3, "score": "2.50", "note": "bench"}

    started = time.perf_counter()
    for n in range(N):
        with transaction.atomic():
            record(actor=user, action="bench.chained", target=user, after={**after, "n": n})
    chained = time.perf_counter() - started

    started = time.perf_counter()
    for n in range(N):
        with transaction.atomic():
            entry = AuditEntry(
                actor=user,
                action="bench.plain",
                target_type="accounts.user",
                target_id=str(user.pk),
                after={**after, "n": n},
                position=10_000_000 + n,  # outside the chain: no head lock, no hashing
                entry_hash="",
            )
            models.Model.save(entry)  # skips AuditEntry.save, which would chain it
    baseline = time.perf_counter() - started
    AuditEntry._base_manager.filter(action="bench.plain").delete()

    started = time.perf_counter()
    verdict = verify_chain()
    verified = time.perf_counter() - started
    if not verdict.ok or verdict.checked != N:
        raise SystemExit(f"chain not intact after the run: {verdict}")

    print(f"audit chain, {N} entries, database {django.db.connection.vendor}")
    print(f"{'step':<34}{'seconds':>9}{'entries/s':>12}")
    print(f"{'append, plain insert (baseline)':<34}{baseline:>9.2f}{N / baseline:>12.0f}")
    print(f"{'append, chained (record)':<34}{chained:>9.2f}{N / chained:>12.0f}")
    print(f"{'verify chain':<34}{verified:>9.2f}{N / verified:>12.0f}")
    print(f"chained / baseline append time: {chained / baseline:.2f}x")


if __name__ == "__main__":
    main()
