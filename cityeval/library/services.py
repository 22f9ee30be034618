"""Sharing, withdrawing and hiding good practices: typed services, one transaction, audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityeval.accounts.access import Actor, require_admin
from cityeval.audit.log import audited
from cityeval.evaluations.access import Can, require_can
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import ItemValue
from cityeval.evaluations.notify import coordinators_of
from cityeval.evidence.models import Evidence
from cityeval.frameworks.axes import comparison_axis, item_members
from cityeval.library.access import require_manager
from cityeval.library.models import GoodPractice
from cityeval.notifications.services import notify
from cityeval.results.figures import decimal_of
from cityeval.results.models import ResultSnapshot

MAX_NARRATIVE = 10_000


@transaction.atomic
def share_practice(
    *, item: ItemValue, narrative: str, evidence_ids: Iterable[int], user: Actor
) -> GoodPractice:
    """The coordinator shares one item of a PUBLISHED result (the share page's rule: the item's
    evaluation with `Can.COORDINATE`, checked here too)."""
    require_can(user, item.evaluation, Can.COORDINATE)
    locked = ItemValue.objects.select_for_update(of=("self",)).get(pk=item.pk)
    evaluation = item.evaluation
    snapshot = ResultSnapshot.objects.published().filter(evaluation_id=evaluation.pk).first()
    if snapshot is None:
        raise WorkflowError(_("Hanya butir dari hasil yang sudah dipublikasikan dapat dibagikan."))
    text = narrative.strip()
    if not text:
        raise WorkflowError(_("Narasi praktik baik tidak boleh kosong."))
    if len(text) > MAX_NARRATIVE:
        raise WorkflowError(
            _("Narasi praktik baik paling banyak %(count)s karakter.") % {"count": MAX_NARRATIVE}
        )
    if GoodPractice.objects.active().filter(item=locked).exists():
        raise WorkflowError(_("Butir ini sudah dibagikan sebagai praktik baik."))
    wanted = set(evidence_ids)
    chosen = list(Evidence.objects.current().filter(item=locked, pk__in=wanted))
    if len(chosen) != len(wanted):
        raise WorkflowError(_("Pilih hanya bukti dukung butir ini."))
    indicator = item.indicator
    version = snapshot.framework_version
    with translation.override(settings.LANGUAGE_CODE):  # stored in the source language
        axis = comparison_axis(version)
    member = item_members(version, axis).get(indicator.code, "")
    practice = GoodPractice.objects.create(
        item=locked,
        evaluation=evaluation,
        snapshot=snapshot,
        region_id=evaluation.region_id,
        indicator=indicator,
        program=version.code,
        item_code=indicator.code,
        dimension=member,
        dimension_name=axis.names.get(member, ""),
        level=decimal_of(snapshot.inputs.get(indicator.code)),
        narrative=text,
        shared_by=user,
    )
    practice.evidence.set(chosen)
    audited(
        actor=user,
        action="library.practice.shared",
        target=practice,
        after={
            "item": indicator.code,
            "narrative": text,
            "evidence": sorted(e.pk for e in chosen),
        },
    )
    return practice


@transaction.atomic
def withdraw_practice(*, practice: GoodPractice, user: Actor) -> GoodPractice:
    require_manager(user, practice)
    locked = GoodPractice.objects.select_for_update(of=("self",)).get(pk=practice.pk)
    if locked.withdrawn_at is not None:
        raise WorkflowError(_("Praktik baik ini sudah ditarik."))
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = user
    locked.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audited(
        actor=user,
        action="library.practice.withdrawn",
        target=locked,
        before={"withdrawn": False},
        after={"withdrawn": True},
    )
    return locked


@transaction.atomic
def hide_practice(*, practice: GoodPractice, reason: str, user: Actor) -> GoodPractice:
    """The program admin takes a practice off the library, with a reason the region hears."""
    require_admin(user, WorkflowError(_("Hanya admin program yang dapat menyembunyikan.")))
    text = reason.strip()
    if not text:
        raise WorkflowError(_("Alasan menyembunyikan tidak boleh kosong."))
    locked = GoodPractice.objects.select_for_update(of=("self",)).get(pk=practice.pk)
    if locked.hidden_at is not None:
        raise WorkflowError(_("Praktik baik ini sudah disembunyikan."))
    locked.hidden_at = timezone.now()
    locked.hidden_by = user
    locked.hidden_reason = text
    locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audited(
        actor=user,
        action="library.practice.hidden",
        target=locked,
        before={"hidden": False},
        after={"hidden": True, "reason": text},
        note=text,
    )
    evaluation = locked.evaluation
    notify(
        kind="practice_hidden",
        recipients=coordinators_of(evaluation),
        params={
            "item": locked.item_code,
            "region": evaluation.region.full_name,
            "cycle": str(evaluation.cycle),
        },
        url=reverse("library:detail", args=[locked.pk]),
        quoted={"reason": text},
    )
    return locked


@transaction.atomic
def unhide_practice(*, practice: GoodPractice, user: Actor) -> GoodPractice:
    require_admin(user, WorkflowError(_("Hanya admin program yang dapat menampilkan kembali.")))
    locked = GoodPractice.objects.select_for_update(of=("self",)).get(pk=practice.pk)
    if locked.hidden_at is None:
        raise WorkflowError(_("Praktik baik ini tidak disembunyikan."))
    before = {"hidden": True, "reason": locked.hidden_reason}
    locked.hidden_at = None
    locked.hidden_by = None
    locked.hidden_reason = ""
    locked.save(update_fields=["hidden_at", "hidden_by", "hidden_reason"])
    audited(
        actor=user,
        action="library.practice.unhidden",
        target=locked,
        before=before,
        after={"hidden": False},
    )
    return locked
