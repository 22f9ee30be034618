"""Evidence on an item: upload files, add a link, remove, and the permission-checked download."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from cityeval.accounts.access import actor_of
from cityeval.evaluations.access import Can, item_for
from cityeval.evaluations.drafts import save_carried_self_assessment
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.evidence.access import evidence_for
from cityeval.evidence.forms import EvidenceFilesForm, EvidenceLinkForm
from cityeval.evidence.models import StoredFile
from cityeval.evidence.services import add_file_evidence, add_link_evidence, remove_evidence
from cityeval.evidence.storage import StorageError, open_stored, too_large_message
from cityeval.evidence.uploads import keep_description_draft, limit_uploads, max_bytes

INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/webp"}


def _back(evaluation: Evaluation, item: ItemValue) -> HttpResponse:
    # Back to the top of the item page, where the messages (what was refused, and why) are.
    return redirect(reverse("evaluations:item", args=[evaluation.pk, item.pk]))


# The size limit must be installed before anything reads the body, and the CSRF check reads
# it; so CSRF is checked inside, after the handler is in place (Django's documented pattern).
@csrf_exempt
@login_required
@require_POST
def add_files(request: HttpRequest, item_pk: int) -> HttpResponse:
    limiter = limit_uploads(request)
    return _add_files(request, item_pk, limiter.too_large)


@csrf_protect
def _add_files(request: HttpRequest, item_pk: int, too_large: list[str]) -> HttpResponse:
    evaluation, item = item_for(request.user, item_pk, Can.FILL)
    form = EvidenceFilesForm(request.POST, request.FILES)  # reading the body fills too_large
    save_carried_self_assessment(request, item)
    for name in too_large:
        messages.error(request, f"“{name}”: {too_large_message(max_bytes())}")
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back(evaluation, item)
    if not form.cleaned_data["uploads"] and not too_large:
        messages.error(request, _("Pilih berkas yang akan diunggah."))
    added = 0
    for upload in form.cleaned_data["uploads"]:
        try:
            add_file_evidence(
                item=item,
                user=actor_of(request),
                upload=upload,
                description=form.cleaned_data["description"],
            )
        except StorageError as error:
            # The server could not write the file: nothing was stored; keep what was typed.
            messages.error(request, str(error))
            keep_description_draft(request, item.pk, form.cleaned_data["description"])
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            added += 1
    if added:
        messages.success(request, _("%(count)d berkas ditambahkan.") % {"count": added})
    return _back(evaluation, item)


@login_required
@require_POST
def add_link(request: HttpRequest, item_pk: int) -> HttpResponse:
    evaluation, item = item_for(request.user, item_pk, Can.FILL)
    save_carried_self_assessment(request, item)
    form = EvidenceLinkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return _back(evaluation, item)
    try:
        add_link_evidence(
            item=item,
            user=actor_of(request),
            url=form.cleaned_data["url"],
            description=form.cleaned_data["description"],
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Tautan ditambahkan."))
    return _back(evaluation, item)


@login_required
@require_POST
def remove(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = evidence_for(request.user, pk, Can.FILL)
    item = evidence.item
    evaluation = item.evaluation
    save_carried_self_assessment(request, item)
    try:
        remove_evidence(evidence=evidence, user=actor_of(request))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("“%(name)s” dihapus dari butir ini.") % {"name": evidence.original_name}
        )
    return _back(evaluation, item)


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    evidence = evidence_for(request.user, pk)
    if not evidence.is_file:
        raise Http404
    return file_response(evidence, force_download=bool(request.GET.get("download")))


def file_response(stored: StoredFile, *, force_download: bool = False) -> FileResponse:
    """A stored file for a person already checked, with headers that keep it inert."""
    try:
        handle = open_stored(stored.stored_path)
    except OSError:
        raise Http404 from None
    inline = stored.content_type in INLINE_TYPES and not force_download
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=stored.original_name,
        content_type=stored.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Shown inline, the file may load nothing and run nothing; PDF viewers refuse `sandbox`.
    policy = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'"
    if stored.content_type != "application/pdf":
        policy += "; sandbox"
    else:
        policy += "; object-src 'self'"
    response["Content-Security-Policy"] = policy
    response["Cache-Control"] = "private, no-store"
    return response
