"""Evidence workflows: add a file, add a link, remove. Field visits are in visit_services.py.

Each is a typed function with keyword-only arguments, one transaction and one audit entry.
A file is staged on disk before the transaction opens, so that the database is not held while
bytes arrive, and renamed to its final name as the transaction's last step (storage.py).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityeval.accounts.access import Actor
from cityeval.audit.log import audited
from cityeval.evaluations.access import item_lock_reason
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import ItemValue
from cityeval.evidence.filetypes import EVIDENCE_TYPES
from cityeval.evidence.models import Evidence, EvidenceKind
from cityeval.evidence.uploads import NAME_LIMIT, display_name, stage_upload

URL_LIMIT = 2000
url_validator = URLValidator(schemes=["http", "https"])


def add_file_evidence(
    *,
    item: ItemValue,
    user: Actor,
    upload: UploadedFile[bytes],
    description: str,
    asked: bool = False,
) -> Evidence:
    """Attach an uploaded file to an item after checking its size and content.

    `asked`: the person answers an open data request on the item (the caller checked it, see
    `evaluations.access.item_lock_reason`): another OPD's file becomes the item's evidence."""
    _refuse_if_locked(item, user, asked=asked)  # before the upload is written anywhere
    kind, staged = stage_upload(upload, EVIDENCE_TYPES)
    name = display_name(upload.name)
    try:
        with transaction.atomic():
            locked = _locked_item(item, user, asked=asked)
            same = (
                Evidence.objects.filter(item=locked)
                .current()
                .files()
                .filter(sha256=staged.sha256)
                .first()
            )
            if same is not None:
                raise WorkflowError(
                    _("“%(name)s” sudah ada pada butir ini (diunggah sebagai “%(existing)s”).")
                    % {"name": name, "existing": same.original_name}
                )
            evidence = Evidence.objects.create(
                item=locked,
                kind=EvidenceKind.FILE,
                original_name=name,
                stored_path=staged.stored_path,
                content_type=kind.content_type,
                size=staged.size,
                sha256=staged.sha256,
                description=description.strip(),
                uploaded_by=user,
            )
            _audit(evidence, user, "evidence.add", locked)
            staged.commit()
    except BaseException:
        staged.discard()
        raise
    return evidence


@transaction.atomic
def add_link_evidence(*, item: ItemValue, user: Actor, url: str, description: str) -> Evidence:
    """Attach a web address (http or https only) to an item."""
    url = url.strip()
    if len(url) > URL_LIMIT:
        raise WorkflowError(_("Tautan terlalu panjang."))
    try:
        url_validator(url)
    except ValidationError:
        raise WorkflowError(
            _("Tautan harus alamat web lengkap yang diawali http:// atau https://.")
        ) from None
    locked = _locked_item(item, user)
    if Evidence.objects.filter(item=locked).current().links().filter(url=url).exists():
        raise WorkflowError(_("Tautan ini sudah ada pada butir ini."))
    parts = urlsplit(url)
    evidence = Evidence.objects.create(
        item=locked,
        kind=EvidenceKind.LINK,
        original_name=(parts.netloc + parts.path)[:NAME_LIMIT],
        url=url,
        description=description.strip(),
        uploaded_by=user,
    )
    _audit(evidence, user, "evidence.add", locked)
    return evidence


@transaction.atomic
def remove_evidence(*, evidence: Evidence, user: Actor) -> Evidence:
    """Withdraw evidence from its item. The row and the file stay for the audit trail."""
    locked_evidence = Evidence.objects.select_for_update(of=("self",)).get(pk=evidence.pk)
    item = _locked_item(locked_evidence.item, user)
    if locked_evidence.removed_at is not None:
        raise WorkflowError(_("Bukti dukung ini sudah dihapus."))
    locked_evidence.removed_at = timezone.now()
    locked_evidence.removed_by = user
    locked_evidence.save(update_fields=["removed_at", "removed_by"])
    _audit(locked_evidence, user, "evidence.remove", item)
    return locked_evidence


def _refuse_if_locked(item: ItemValue, user: Actor, *, asked: bool = False) -> None:
    evaluation = item.evaluation
    reason = item_lock_reason(user, item, evaluation, asked=asked)
    if reason:
        raise WorkflowError(reason)


def _locked_item(item: ItemValue, user: Actor, *, asked: bool = False) -> ItemValue:
    """The item re-read under a row lock, so that a submission cannot slip in between."""
    locked = (
        ItemValue.objects.select_for_update(of=("self",))
        .select_related("evaluation__cycle")
        .get(pk=item.pk)
    )
    _refuse_if_locked(locked, user, asked=asked)
    return locked


def _audit(evidence: Evidence, user: Actor, action: str, item: ItemValue) -> None:
    described = {
        "item": item.pk,
        "kind": evidence.kind,
        "name": evidence.original_name,
        "url": evidence.url,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "content_type": evidence.content_type,
    }
    removing = action == "evidence.remove"
    evidence.item = item  # the locked item, its evaluation loaded: the entry's scope
    audited(
        actor=user,
        action=action,
        target=evidence,
        before={"removed_at": None} if removing else None,
        after={**described, "removed_at": evidence.removed_at} if removing else described,
    )
