"""Stored framework documents get their ratio weights back (issue 14).

Before this migration a ratio weight such as `12/16.5` was evaluated to 28 significant digits and
stored as `0.7272727272727272727272727273`. Weights are now exact (`8/11`), so a stored 28-digit
weight is replaced by the ratio it came from: the smallest-denominator fraction whose 28-digit
evaluation is exactly the stored text (a 28-digit match of a ratio with a denominator below a
million is no accident). A weight that matches no such ratio is left as written; it is then read
as the exact decimal it spells. The content hash is recomputed the way an import computes it, so
importing the same file again is still recognised as the same content.

The migration is idempotent, and a fresh database has nothing to change.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Context, Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

EVALUATED_DIGITS = 28  # the default Decimal context the ratios were evaluated in
SHORTEST_EVALUATED = 20
LARGEST_DENOMINATOR = 10**6


def recovered_weight(text: str) -> str | None:
    """The ratio (`"8/11"`) a 28-digit weight was evaluated from, or None."""
    if "/" in text:
        return None
    try:
        stored = Decimal(text)
    except InvalidOperation:
        return None
    # A weight written as a decimal has a few digits; an evaluated ratio has 28 (fewer only when
    # it ends in zeros, hence the margin). The check below decides; this only skips the obvious.
    if not stored.is_finite() or len(stored.normalize().as_tuple().digits) < SHORTEST_EVALUATED:
        return None
    ratio = Fraction(stored).limit_denominator(LARGEST_DENOMINATOR)
    evaluated = Context(prec=EVALUATED_DIGITS).divide(
        Decimal(ratio.numerator), Decimal(ratio.denominator)
    )
    if evaluated != stored:
        return None
    return f"{ratio.numerator}/{ratio.denominator}"


def recover_tree(node: dict[str, Any]) -> bool:
    changed = False
    weight = node.get("weight")
    if isinstance(weight, str) and (ratio := recovered_weight(weight)) is not None:
        node["weight"] = ratio
        changed = True
    for child in node.get("children") or []:
        if isinstance(child, dict):
            changed = recover_tree(child) or changed
    return changed


def content_sha256(document: dict[str, Any]) -> str:
    # As `cityeval.frameworks.services.content_sha256` hashes the dump of a validated document.
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def recover_ratios(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    version_model = apps.get_model("frameworks", "FrameworkVersion")
    for version in version_model.objects.all():
        document = version.document
        if isinstance(document, dict) and isinstance(document.get("tree"), dict):
            if recover_tree(document["tree"]):
                version_model.objects.filter(pk=version.pk).update(
                    document=document, content_sha256=content_sha256(document)
                )


class Migration(migrations.Migration):
    dependencies = [("frameworks", "0001_initial")]

    operations = [migrations.RunPython(recover_ratios, migrations.RunPython.noop)]
