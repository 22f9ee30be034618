"""Writes: a region's self-assessment and evidence links, an assessor's verdicts.

Each calls the same service as the UI, so the state machine, the lock rules, optimistic
locking and the audit entries are the UI's. Access: outside the caller's scope 404, a role that
may not do this 403, a state that forbids it now 409, a stale `version` 409 with the current one.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from cityeval.accounts.access import actor_of
from cityeval.api import present
from cityeval.api.auth import write_auth
from cityeval.api.errors import ApiError, documented
from cityeval.api.schemas import (
    MAX_ID,
    EvaluationOut,
    EvidenceLinkIn,
    EvidenceOut,
    ItemOut,
    SelfAssessmentIn,
    VerdictIn,
)
from cityeval.evaluations.access import Can, evaluation_for, item_for
from cityeval.evaluations.models import Evaluation
from cityeval.evaluations.services import save_self_assessment, submit_evaluation
from cityeval.evaluations.values import check_value
from cityeval.evidence.access import evidence_for
from cityeval.evidence.services import add_link_evidence, remove_evidence, url_validator
from cityeval.frameworks.models import FrameworkNode
from cityeval.reviews.services import accept_item, adjust_item

router = Router(auth=write_auth, tags=["penulisan"])

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
WRITE_ERRORS = documented(400, 403, 404, 409, 422)


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(
        422,
        "validation_error",
        message,
        {"errors": [{"loc": ["body", field], "msg": message, "type": "value_error"}]},
    )


def _check_value(indicator: FrameworkNode, field: str, value: Decimal | None) -> None:
    problem = check_value(indicator, value)
    if problem:
        raise _invalid(field, problem)


def _fresh(request: HttpRequest, evaluation: Evaluation, item_id: int) -> dict[str, Any]:
    """The item as saved, re-read only: the route fetched it through `item_for` already."""
    item = evaluation.items.for_list().get(pk=item_id)
    return present.items(request.user, evaluation, [item])[0]


@router.post(
    "/evaluations/{evaluation_id}/submit",
    summary="Serahkan penilaian mandiri",
    response={200: EvaluationOut, **WRITE_ERRORS},
)
def post_submit(request: HttpRequest, evaluation_id: Id) -> dict[str, Any]:
    """Koordinator daerah menyerahkan penilaian mandiri kepada asesor; pengisian terkunci.

    Sama dengan tombol “Serahkan” di halaman evaluasi: evaluasi yang sudah diserahkan (atau
    tahap lain yang tidak mengizinkannya) dijawab 409 `workflow_refused`.
    """
    evaluation = evaluation_for(request.user, evaluation_id, Can.COORDINATE)
    submitted = submit_evaluation(evaluation=evaluation, user=actor_of(request))
    return present.evaluation(Evaluation.objects.with_region().get(pk=submitted.pk))


@router.put(
    "/items/{item_id}/self-assessment",
    summary="Simpan penilaian mandiri",
    response={200: ItemOut, **WRITE_ERRORS},
)
def put_self_assessment(
    request: HttpRequest, item_id: Id, payload: SelfAssessmentIn
) -> dict[str, Any]:
    """Simpan nilai dan narasi penilaian mandiri satu butir (kontributor OPD atau koordinator)."""
    evaluation, item = item_for(request.user, item_id, Can.FILL)
    _check_value(item.indicator, "value", payload.value)
    save_self_assessment(
        item=item,
        user=actor_of(request),
        value=payload.value,
        narrative=payload.narrative,
        expected_version=payload.version,
    )
    return _fresh(request, evaluation, item_id)


@router.post(
    "/items/{item_id}/evidence-links",
    summary="Tambah tautan bukti dukung",
    response={201: EvidenceOut, **WRITE_ERRORS},
)
def post_evidence_link(
    request: HttpRequest, item_id: Id, payload: EvidenceLinkIn
) -> Status[dict[str, Any]]:
    """Tambahkan tautan bukti dukung (http/https) pada satu butir."""
    _evaluation, item = item_for(request.user, item_id, Can.FILL)
    try:
        url_validator(payload.url.strip())
    except ValidationError:
        raise _invalid(
            "url", _("Tautan harus alamat web lengkap yang diawali http:// atau https://.")
        ) from None
    added = add_link_evidence(
        item=item, user=actor_of(request), url=payload.url, description=payload.description
    )
    return Status(201, present.evidence(added))


@router.delete(
    "/evidence/{evidence_id}",
    summary="Tarik bukti dukung",
    response={200: EvidenceOut, **WRITE_ERRORS},
)
def delete_evidence(request: HttpRequest, evidence_id: Id) -> dict[str, Any]:
    """Tarik bukti dukung dari butirnya (baris dan berkas tetap disimpan untuk jejak audit)."""
    found = evidence_for(request.user, evidence_id, Can.FILL)
    removed = remove_evidence(evidence=found, user=actor_of(request))
    return present.evidence(removed)


@router.post(
    "/items/{item_id}/verdict", summary="Keputusan asesor", response={200: ItemOut, **WRITE_ERRORS}
)
def post_verdict(request: HttpRequest, item_id: Id, payload: VerdictIn) -> dict[str, Any]:
    """Keputusan asesor: terima nilai daerah, atau sesuaikan dengan nilai lain dan alasannya."""
    evaluation, item = item_for(request.user, item_id, Can.REVIEW)
    if payload.decision == "accept":
        accept_item(item=item, user=actor_of(request), expected_version=payload.version)
        return _fresh(request, evaluation, item_id)
    if payload.verified_value is None:
        raise _invalid("verified_value", _("Isi nilai verifikasi."))
    if not payload.reason.strip():
        raise _invalid("reason", _("Tuliskan alasan penyesuaian; daerah akan membacanya."))
    _check_value(item.indicator, "verified_value", payload.verified_value)
    adjust_item(
        item=item,
        user=actor_of(request),
        verified_value=payload.verified_value,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _fresh(request, evaluation, item_id)
