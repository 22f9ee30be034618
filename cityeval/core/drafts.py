"""Typed work that another action of the same page carries along, and keeps when it cannot save.

A page's main form (the self-assessment of an item, the report's summary and findings) is marked
`data-unsaved`; the page's other forms (upload evidence, add a recommendation...) are marked
`data-carry="<id of the main form>"`. When one of them is submitted, `static/js/behaviours.js`
copies the main form's fields into it as hidden `carried-<name>` inputs if they were changed.
The view of that action saves them through the main form's own service before acting. If they
cannot be saved (a newer version, an invalid value), they are kept in the session and the main
page shows them again, bound, with the reason: typed work is never dropped in silence.
"""

from __future__ import annotations

from django.http import HttpRequest, QueryDict

PREFIX = "carried"


def carried(data: QueryDict) -> QueryDict | None:
    """The carried fields without their prefix, or None when nothing was carried.

    Every main form has a `version` field (optimistic locking), so its copy marks a carry.
    """
    start = f"{PREFIX}-"
    if f"{start}version" not in data:
        return None
    fields = QueryDict(mutable=True)
    for key in data:
        if key.startswith(start):
            fields.setlist(key[len(start) :], data.getlist(key))
    return fields


def _key(name: str) -> str:
    return f"typed-draft-{name}"


def keep_draft(request: HttpRequest, name: str, data: QueryDict, reason: str) -> None:
    """Keep typed fields that could not be saved, with the reason, for the page to show once."""
    request.session[_key(name)] = {
        "data": {key: data.getlist(key) for key in data},
        "reason": reason,
    }


def take_draft(request: HttpRequest, name: str) -> tuple[QueryDict, str] | None:
    """The kept fields and the reason they were not saved (removed from the session)."""
    session = getattr(request, "session", None)
    kept = session.pop(_key(name), None) if session is not None else None
    if not isinstance(kept, dict):
        return None
    data = QueryDict(mutable=True)
    for key, values in dict(kept.get("data", {})).items():
        data.setlist(str(key), [str(value) for value in values])
    return data, str(kept.get("reason", ""))
