"""Every open-data file of a cycle, in one registry that the views and the kept copies share.

A file is an `OpenDataFile`: its name in the URL (`/data/<cycle>/<name>`, and on disk), its
content type, whether it needs the item rows, whether it is a download (the JSON is shown, not
saved: no Content-Disposition) and the writer that turns a `CycleExport` into its bytes. The
views render a file per request with `render`; the job that keeps the public files at each
publication (`stored.py`) renders each of them the same way for an anonymous reader
(`public_export`), with the publication's time as the time the file states, so a kept file is
byte for byte what the view renders for the same state (`tests/exports/test_stored_files.py`).
The Data Package descriptor (`datapackage.json`) is not one of them: it describes the columns
and reads no row.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder

from cityeval.accounts.access import AnyUser
from cityeval.evaluations.models import Cycle
from cityeval.evaluations.visibility import results_visible
from cityeval.exports import formats
from cityeval.exports.access import exportable_evaluations, exportable_items
from cityeval.exports.builder import CycleExport, build_export, cycle_slug
from cityeval.exports.harvest import XLSX

CSV = "text/csv; charset=utf-8"
JSON = "application/json"


def _json(export: CycleExport) -> bytes:
    # What JsonResponse writes, so the file is the bytes the page answered before.
    data = formats.to_json(export)
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1).encode()


@dataclass(frozen=True)
class OpenDataFile:
    name: str
    content_type: str
    items: bool  # needs the item rows (read only for the files that show them)
    attachment: bool  # a download, named `<cycle slug>-<name>`
    write: Callable[[CycleExport], bytes]

    def filename(self, cycle: Cycle) -> str:
        return f"{cycle_slug(cycle)}-{self.name}"


FILES = (
    OpenDataFile("results.xlsx", XLSX, items=True, attachment=True, write=formats.to_xlsx),
    OpenDataFile(
        "regions.csv",
        CSV,
        items=False,
        attachment=True,
        write=lambda export: formats.regions_csv(export).encode(),
    ),
    OpenDataFile(
        "items.csv",
        CSV,
        items=True,
        attachment=True,
        write=lambda export: formats.items_csv(export).encode(),
    ),
    OpenDataFile("results.json", JSON, items=False, attachment=False, write=_json),
)
BY_NAME = {file.name: file for file in FILES}


def export_for(
    user: AnyUser, cycle: Cycle, *, items: bool, generated_at: datetime | None = None
) -> CycleExport:
    """The rows `user` may export (`access`), their results as the one policy lets them see."""
    return build_export(
        cycle,
        exportable_evaluations(user, cycle),
        results=results_visible(user),
        items=exportable_items(user, cycle) if items else None,
        generated_at=generated_at,
    )


def public_export(cycle: Cycle, published_at: datetime | None) -> CycleExport:
    """What an anonymous reader gets: the published results, stating the publication's time."""
    return export_for(AnonymousUser(), cycle, items=True, generated_at=published_at)
