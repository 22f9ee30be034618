"""Model rows turned into the dictionaries the response schemas validate."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _

from cityeval.accounts.access import AnyUser
from cityeval.api.numbers import decimal_text
from cityeval.evaluations.access import Can, capabilities, item_lock_reason
from cityeval.evaluations.models import Cycle, Evaluation, ItemValue
from cityeval.evaluations.visibility import review_note_for, verified_value_for
from cityeval.evidence.models import Evidence
from cityeval.frameworks.fields import canonical_decimal, canonical_weight
from cityeval.frameworks.models import FrameworkNode, FrameworkVersion, pick_language
from cityeval.frameworks.parts import LocalText
from cityeval.frameworks.schema import RootNode, walk
from cityeval.regions.models import Region


def framework_version(version: FrameworkVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "code": version.code,
        "version": version.version,
        "ref": version.ref,
        "name": version.name,
        "imported_at": version.imported_at,
    }


def framework_detail(version: FrameworkVersion) -> dict[str, Any]:
    """A version with its scale, predicate bands and tree, exact as the stored document has them.

    The rows' `weight` column is a 12-place display copy; the document holds the exact weight
    (`8/11`), which is what a client must compute with.
    """
    document = version.parsed()
    labels = document.scale.labels
    level_names = {level: _local(text) for level, text in labels.items()}
    exact = {
        found.code: canonical_weight(found.weight)
        for found, _ in walk(document.tree)
        if not isinstance(found, RootNode)
    }
    rows = list(FrameworkNode.objects.filter(version=version).order_by("sequence", "pk"))
    codes = {row.pk: row.code for row in rows}
    bands = document.predicates.bands if document.predicates else ()
    return {
        **framework_version(version),
        "scale": {
            "minimum": document.scale.minimum,
            "maximum": document.scale.maximum,
            "levels": [
                {"level": level, "name": level_names.get(level, "")}
                for level in range(document.scale.minimum, document.scale.maximum + 1)
            ],
        },
        "rounding_places": document.rounding.places,
        "predicates": [
            {
                "code": band.code,
                "name": _local(band.label),
                "minimum": canonical_decimal(band.minimum),
            }
            for band in bands
        ],
        "nodes": [node(row, codes, exact.get(row.code), level_names) for row in rows],
    }


def _local(text: LocalText) -> str:
    return pick_language(text.id, text.en)


def node(
    row: FrameworkNode,
    parent_codes: dict[int, str],
    exact_weight: str | None = None,
    level_names: dict[int, str] | None = None,
) -> dict[str, Any]:
    display = format(row.weight.normalize(), "f")
    names = level_names or {}
    return {
        "code": row.code,
        "parent": parent_codes.get(row.parent_id) if row.parent_id else None,
        "kind": row.kind,
        "depth": row.depth,
        "order": row.order,
        "sequence": row.sequence,
        "name": row.name,
        "weight": exact_weight or display,
        "weight_decimal": format(row.weight, "f"),
        "question": row.question,
        "guidance": row.guidance,
        "tags": [str(tag) for tag in row.tags],
        "unit": row.unit,
        "data_source": row.data_source,
        "dimension": row.dimension,
        "levels": [
            {
                "level": level,
                "name": names.get(level, ""),
                "rubric": row.rubric(level),
                "evidence": row.evidence(level),
            }
            for level in sorted(int(key) for key in row.levels)
        ],
    }


def region(row: Region) -> dict[str, Any]:
    return {
        "id": row.pk,
        "code": row.code,
        "name": row.name,
        "full_name": row.full_name,
        "kind": row.kind,
        "province": {"code": row.province.code, "name": row.province.name},
        "cohort": row.cohort.year if row.cohort else None,
    }


def region_brief(row: Region) -> dict[str, Any]:
    return {"id": row.pk, "code": row.code, "full_name": row.full_name}


def cycle(row: Cycle) -> dict[str, Any]:
    return {
        "id": row.pk,
        "program": row.program,
        "year": row.year,
        "round": row.round,
        "framework": row.framework_version.ref,
        "framework_version_id": row.framework_version_id,
        "self_assessment_deadline": row.self_assessment_deadline,
        "review_deadline": row.review_deadline,
        "field_visit_deadline": row.field_visit_deadline,
        "finalisation_deadline": row.finalisation_deadline,
    }


def evaluation(row: Evaluation) -> dict[str, Any]:
    return {
        "id": row.pk,
        "cycle_id": row.cycle_id,
        "cycle": str(row.cycle),
        "region": region_brief(row.region),
        "status": row.status,
        "entry_deadline": row.entry_deadline,
        "submitted_at": row.submitted_at,
        "finalised_at": row.finalised_at,
        "published_at": row.published_at,
    }


def evidence(row: Evidence) -> dict[str, Any]:
    return {
        "id": row.pk,
        "item_id": row.item_id,
        "kind": row.kind,
        "name": row.original_name,
        "url": row.get_absolute_url(),
        "description": row.description,
        "uploaded_at": row.uploaded_at,
        "removed_at": row.removed_at,
    }


def items(user: AnyUser, row: Evaluation, visible: list[ItemValue]) -> list[dict[str, Any]]:
    """The items with their current evidence (one query), lock reason and verified value."""
    by_item: defaultdict[int, list[dict[str, Any]]] = defaultdict(list)
    for found in Evidence.objects.filter(item__in=[i.pk for i in visible]).current().for_panel():
        by_item[found.item_id].append(evidence(found))
    fills = Can.FILL in capabilities(user, row)
    not_filling = _("Peran Anda tidak mengisi penilaian mandiri daerah ini.")
    return [
        {
            "id": item.pk,
            "evaluation_id": item.evaluation_id,
            "indicator": {
                "code": item.indicator.code,
                "name": item.indicator.name,
                "kind": item.indicator.kind,
                "dimension": item.indicator.dimension,
            },
            "opd": (
                {"id": item.opd.pk, "code": item.opd.code, "name": item.opd.name}
                if item.opd
                else None
            ),
            "self_value": decimal_text(item.self_value),
            "narrative": item.narrative,
            "review_status": item.review_status,
            "review_note": review_note_for(user, item, row),
            "verified_value": decimal_text(verified_value_for(user, item, row)),
            "version": item.version,
            "updated_at": item.updated_at,
            "lock_reason": item_lock_reason(user, item, row) if fills else not_filling,
            "evidence": by_item[item.pk],
        }
        for item in visible
    ]
