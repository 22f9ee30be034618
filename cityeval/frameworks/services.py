"""Importing a framework file as an immutable version: all or nothing, and never a silent change.

Importing the same version with the same content again is a no-op, so the shipped files can be
imported on every deployment. The same version with different content is refused: results
already computed against that version would otherwise change meaning.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction

from cityeval.frameworks import messages
from cityeval.frameworks.loader import FrameworkError, load_framework_file, path_text
from cityeval.frameworks.models import FrameworkNode, FrameworkVersion, NodeKind
from cityeval.frameworks.schema import (
    FrameworkDocument,
    GroupNode,
    MaturityIndicator,
    PercentageIndicator,
    QuantitativeIndicator,
    RootNode,
    walk,
)
from scoring.rounding import round_half_up


class FrameworkConflict(FrameworkError):
    """The version exists with different content; nothing was written."""


@dataclass(frozen=True)
class ImportOutcome:
    version: FrameworkVersion
    created: bool  # False: the identical version was already there


def import_framework(*, path: str | Path) -> FrameworkVersion:
    return run_import(path=path).version


def run_import(*, path: str | Path) -> ImportOutcome:
    document = load_framework_file(path)
    return store_document(document=document, source_file=str(path))


def import_shipped() -> list[ImportOutcome]:
    return [run_import(path=path) for path in shipped_files()]


def shipped_files() -> list[Path]:
    return sorted(Path(settings.FRAMEWORKS_DIR).glob("*.yaml"))


def content_sha256(document: FrameworkDocument) -> str:
    """Hash of the content, not the file: comments, key order and 0.10 vs 0.1 do not count."""
    canonical = json.dumps(
        document.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def store_document(*, document: FrameworkDocument, source_file: str = "") -> ImportOutcome:
    sha = content_sha256(document)
    existing = FrameworkVersion.objects.filter(code=document.code, version=document.version).first()
    if existing is not None:
        return _same_or_conflict(existing, sha, source_file)
    try:
        with transaction.atomic():
            version = FrameworkVersion.objects.create(
                code=document.code,
                version=document.version,
                name_id=document.name.id,
                name_en=document.name.en,
                source_notes_id=document.sources.notes.id,
                source_notes_en=document.sources.notes.en,
                document=document.model_dump(mode="json"),
                content_sha256=sha,
                source_file=Path(source_file).name,
            )
            _create_nodes(version, document)
    except IntegrityError:
        # Another import of the same version won the race; judge against what it wrote.
        existing = FrameworkVersion.objects.filter(
            code=document.code, version=document.version
        ).first()
        if existing is None:
            raise
        return _same_or_conflict(existing, sha, source_file)
    return ImportOutcome(version=version, created=True)


def _same_or_conflict(existing: FrameworkVersion, sha: str, source_file: str) -> ImportOutcome:
    if existing.content_sha256 == sha:
        return ImportOutcome(version=existing, created=False)
    message = messages.describe(
        "cityeval.conflict",
        {"ref": existing.ref, "stored": existing.content_sha256[:12], "new": sha[:12]},
    )
    raise FrameworkConflict(
        [f"{source_file or existing.ref}: {path_text(('version',))}: {message}"]
    )


# The row's weight is a display copy (8/11 as 0.727272727273); scoring reads the document.
_DISPLAY_PLACES = 12


def _create_nodes(version: FrameworkVersion, document: FrameworkDocument) -> None:
    rows: dict[str, FrameworkNode] = {}
    siblings_seen: dict[str | None, int] = {}
    depth: dict[str, int] = {}
    for sequence, (node, parent) in enumerate(walk(document.tree)):
        parent_code = parent.code if parent is not None else None
        order = siblings_seen.get(parent_code, 0)
        siblings_seen[parent_code] = order + 1
        depth[node.code] = depth[parent_code] + 1 if parent_code is not None else 0
        weight = Fraction(1) if isinstance(node, RootNode) else node.weight
        row = FrameworkNode(
            version=version,
            parent=rows[parent_code] if parent_code is not None else None,
            code=node.code,
            kind=NodeKind.GROUP if isinstance(node, RootNode | GroupNode) else node.kind,
            weight=round_half_up(weight, _DISPLAY_PLACES),
            order=order,
            sequence=sequence,
            depth=depth[node.code],
            name_id=node.name.id,
            name_en=node.name.en,
            verified=node.provenance.verified if node.provenance else None,
        )
        _fill_indicator(row, node)
        row.save()
        rows[node.code] = row


def _fill_indicator(row: FrameworkNode, node: object) -> None:
    if isinstance(node, RootNode | GroupNode) or node is None:
        return
    assert isinstance(node, MaturityIndicator | PercentageIndicator | QuantitativeIndicator)
    row.tags = list(node.tags)
    if node.question:
        row.question_id, row.question_en = node.question.id, node.question.en
    if node.guidance:
        row.guidance_id, row.guidance_en = node.guidance.id, node.guidance.en
    if isinstance(node, MaturityIndicator):
        row.levels = {
            str(level): spec.model_dump(mode="json") for level, spec in node.levels.items()
        }
    elif isinstance(node, PercentageIndicator):
        row.data_source = node.source
        row.dimension = node.dimension or ""
    else:
        row.unit, row.direction, row.normalisation = node.unit, node.direction, node.normalisation
        row.lower, row.upper, row.target = (
            _bound(node.lower),
            _bound(node.upper),
            _bound(node.target),
        )


def _bound(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("1e-8"), rounding=ROUND_HALF_UP)
