"""An item's audit entries as sentences a person reads, and who saved its current version.

The audit log stores dotted actions ("item.self_assessment") and before/after dicts of field
names and stored values ("self_value": "1.0000"). The history page shows neither: `describe()`
turns each entry into sentences in the reader's language ("Tingkat mandiri diubah dari 1 ke 3.")
through one table of fields; a field the table does not know gets a readable label made from
its name, never the raw key. `last_change()` names who saved the item's current version and
when (every change of `ItemValue.version` writes an entry for the item), for the stale-edit
messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cityeval.audit.models import AuditEntry
from cityeval.core.numbers import EMPTY, entered
from cityeval.evaluations.models import ItemValue, ReviewStatus
from cityeval.frameworks.models import NodeKind

# The name of each item action, shown in the "Tindakan" column.
ACTIONS: dict[str, Promise] = {
    "item.self_assessment": gettext_lazy("Penilaian mandiri disimpan"),
    "item.assign": gettext_lazy("Penugasan OPD"),
    "item.from_programs": gettext_lazy("Dihitung dari program masterplan"),
    "item.review.accept": gettext_lazy("Reviu: diterima"),
    "item.review.adjust": gettext_lazy("Reviu: disesuaikan"),
    "item.review.clarify": gettext_lazy("Reviu: diminta klarifikasi"),
    "item.review.flag": gettext_lazy("Reviu: ditandai untuk klarifikasi"),
    "item.review.answered": gettext_lazy("Klarifikasi dijawab"),
    "evidence.add": gettext_lazy("Bukti dukung ditambahkan"),
    "evidence.remove": gettext_lazy("Bukti dukung dihapus"),
}

# Fields whose text is long or private to the writer: the sentence says it changed, not to what.
TEXT_FIELDS = {"narrative", "review_note", "question"}
# Evidence entries describe the file; the sentence names it and leaves out the digest and size.
QUIET_FIELDS = {"item", "kind", "url", "size", "sha256", "content_type", "removed_at"}


@dataclass(frozen=True)
class HistoryLine:
    entry: AuditEntry
    action: str
    sentences: list[str]


@dataclass(frozen=True)
class LastChange:
    who: str  # a name, "Anda" for the person asking, or "orang lain" when unknown
    when: str  # "" when unknown
    by_me: bool


def _field_label(field: str, maturity: bool) -> str:
    labels: dict[str, str] = {
        "self_value": _("Tingkat mandiri") if maturity else _("Nilai mandiri"),
        "verified_value": _("Tingkat terverifikasi") if maturity else _("Nilai terverifikasi"),
        "narrative": _("Narasi"),
        "opd": _("OPD penanggung jawab"),
        "review_status": _("Status reviu"),
        "review_note": _("Catatan reviu"),
        "question": _("Pertanyaan asesor"),
        "name": _("Nama berkas"),
    }
    if field in labels:
        return labels[field]
    # A field added later: its words, never the raw key.
    return field.replace("_", " ").replace(".", " ").strip().capitalize() or _("Isian")


def _status(value: Any) -> str:
    try:
        return str(ReviewStatus(value).label)
    except ValueError:
        return str(value)


def _formatter(field: str, opds: Mapping[int, str]) -> Callable[[Any], str]:
    if field == "review_status":
        return _status
    if field == "opd":
        return lambda value: opds.get(value, _("tidak ada")) if value else _("tidak ada")
    return entered


def _sentence(
    field: str, before: Any, after: Any, *, label: str, show: Callable[[Any], str]
) -> str:
    if field in TEXT_FIELDS:
        # The text itself is what a reader looks for (the assessor's question, the reason);
        # what a person may not read was already taken out by the visibility policy.
        if not after:
            return _("%(field)s dikosongkan.") % {"field": label}
        return _("%(field)s diisi: %(after)s.") % {"field": label, "after": after}
    if before is None or before == "":
        return _("%(field)s diisi: %(after)s.") % {"field": label, "after": show(after)}
    if after is None or after == "":
        return _("%(field)s dikosongkan (sebelumnya %(before)s).") % {
            "field": label,
            "before": show(before),
        }
    return _("%(field)s diubah dari %(before)s ke %(after)s.") % {
        "field": label,
        "before": show(before),
        "after": show(after),
    }


def _evidence_sentence(entry: AuditEntry) -> list[str]:
    after = entry.after if isinstance(entry.after, dict) else {}
    name = after.get("name") or after.get("url") or EMPTY
    if entry.action == "evidence.remove":
        return [_("Bukti dukung “%(name)s” dihapus.") % {"name": name}]
    return [_("Bukti dukung “%(name)s” ditambahkan.") % {"name": name}]


def sentences(entry: AuditEntry, *, maturity: bool, opds: Mapping[int, str]) -> list[str]:
    """What the entry changed, one sentence per field that changed, in the active language."""
    if entry.action.startswith("evidence."):
        return _evidence_sentence(entry)
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    lines = []
    for field in [*after, *(key for key in before if key not in after)]:
        if field in QUIET_FIELDS:
            continue
        old, new = before.get(field), after.get(field)
        if field in before and old == new:
            continue
        label = _field_label(field, maturity)
        lines.append(_sentence(field, old, new, label=label, show=_formatter(field, opds)))
    return lines


def action_label(action: str) -> str:
    known = ACTIONS.get(action)
    if known is not None:
        return str(known)
    return _("Perubahan lain")


def describe(entries: Iterable[AuditEntry], item: ItemValue) -> list[HistoryLine]:
    """The item's entries as lines of the history page, in the active language."""
    found = list(entries)
    maturity = item.indicator.kind == NodeKind.MATURITY
    opds = _opd_names(found)
    return [
        HistoryLine(
            entry=entry,
            action=action_label(entry.action),
            sentences=sentences(entry, maturity=maturity, opds=opds),
        )
        for entry in found
    ]


def _opd_names(entries: list[AuditEntry]) -> dict[int, str]:
    from cityeval.regions.models import OPD

    ids = {
        value
        for entry in entries
        for values in (entry.before, entry.after)
        if isinstance(values, dict)
        for key, value in values.items()
        if key == "opd" and isinstance(value, int)
    }
    if not ids:
        return {}
    return {opd.pk: opd.name for opd in OPD.objects.filter(pk__in=ids)}


def when_text(at: datetime | None) -> str:
    """A moment as the pages print it (the language's DATETIME_FORMAT, local time)."""
    if at is None:
        return ""
    return date_format(timezone.localtime(at), "DATETIME_FORMAT")


def last_change(
    item: ItemValue, user: AbstractBaseUser | AnonymousUser | None = None
) -> LastChange:
    """Who saved the item's current version and when: the item's latest audit entry, or its
    `updated_by`/`updated_at` when there is none. "Anda" when it was `user` (another tab)."""
    entry = (
        AuditEntry.objects.for_target(item).select_related("actor").order_by("-at", "-id").first()
    )
    actor = entry.actor if entry is not None else item.updated_by
    at = entry.at if entry is not None else item.updated_at
    mine = actor is not None and user is not None and actor.pk == getattr(user, "pk", None)
    if mine:
        who = _("Anda")
    elif actor is not None:
        who = str(actor)
    else:
        who = _("orang lain")
    return LastChange(who=who, when=when_text(at), by_me=mine)
