"""The self-assessment an evidence action carries along (see `cityeval/core/drafts.py`)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

from cityeval.accounts.access import actor_of
from cityeval.core.drafts import carried, keep_draft, take_draft
from cityeval.evaluations.errors import StaleEditError, WorkflowError
from cityeval.evaluations.forms import SelfAssessmentForm
from cityeval.evaluations.models import ItemValue
from cityeval.evaluations.services import save_self_assessment


def _name(item: ItemValue) -> str:
    return f"item-{item.pk}"


def save_carried_self_assessment(request: HttpRequest, item: ItemValue) -> None:
    """Save the level/value and narrative typed on the item page but not yet saved, if any.

    What cannot be saved is kept and shown again on the item page with the reason.
    """
    data = carried(request.POST)
    if data is None:
        return
    form = SelfAssessmentForm(data, indicator=item.indicator)
    if not form.is_valid():
        reason = _("Penilaian mandiri belum disimpan: periksa isian yang ditandai.")
    else:
        try:
            saved = save_self_assessment(
                item=item,
                user=actor_of(request),
                value=form.cleaned_data["value"],
                narrative=form.cleaned_data["narrative"],
                expected_version=form.cleaned_data["version"],
            )
        except WorkflowError as error:
            reason = str(error)
        else:
            if saved.version != form.cleaned_data["version"]:
                messages.success(request, _("Penilaian mandiri juga disimpan."))
            return
    keep_draft(request, _name(item), data, reason)
    messages.error(
        request,
        _("Penilaian mandiri Anda belum disimpan; isiannya ditampilkan lagi di bawah."),
    )


def kept_self_assessment(
    request: HttpRequest, item: ItemValue
) -> tuple[SelfAssessmentForm, ItemValue | None] | None:
    """The typed self-assessment an action could not save, bound with its reason, and the newer
    saved item when the reason is a conflict; None when nothing was kept."""
    kept = take_draft(request, _name(item))
    if kept is None:
        return None
    data, reason = kept
    conflict = None
    if data.get("version") != str(item.version):
        # The next save is against the version the person now sees beside their text.
        conflict = item
        data["version"] = str(item.version)
        reason = str(StaleEditError(item, request.user))
    form = SelfAssessmentForm(data, indicator=item.indicator)
    form.is_valid()
    form.add_error(None, reason)
    return form, conflict
