"""Open data in the formats its ecosystem harvests: a Frictionless Data Package per cycle and a
DCAT-AP catalogue of every cycle with published results.

Both describe the PUBLIC files: a cycle appears only once it has a published result (the policy
of `access.public_cycles` / `cycle_for_export` for an anonymous reader), whoever asks. The
package's resources point at the CSV files beside it by relative path (`regions.csv`,
`items.csv`), so a reader that fetches `/data/<cycle>/datapackage.json` reads the same files a
person downloads; the schema says what each column holds (type, unit, allowed codes), the
licences and the sources. The catalogue is JSON-LD with the DCAT-AP vocabulary, which CKAN's
ckanext-dcat harvester reads (an "RDF" harvest source with the format `application/ld+json`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from cityeval.evaluations.models import Cycle, EvaluationStatus, ReviewStatus
from cityeval.exports import formats
from cityeval.exports.access import cycle_for_export, exportable_evaluations, public_cycles
from cityeval.exports.builder import (
    REGIONS_LICENCE_URL,
    RESULTS_LICENCE_URL,
    CycleExport,
    build_export,
)
from cityeval.regions.models import Region

PROFILE = "tabular-data-package"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REGIONS_SOURCE = "https://github.com/fityannugroho/idn-area-data"
LICENCES = [
    {"name": "CC-BY-4.0", "path": RESULTS_LICENCE_URL, "title": "Creative Commons Attribution 4.0"},
    {
        "name": "ODbL-1.0",
        "path": REGIONS_LICENCE_URL,
        "title": "Open Data Commons Open Database License 1.0",
    },
]


def public_cycle(cycle_id: int) -> Cycle:
    """The cycle if it has a published result; 404 otherwise, for every reader."""
    return cycle_for_export(AnonymousUser(), cycle_id)


def columns_of(cycle: Cycle) -> CycleExport:
    """The cycle's columns (they follow the framework), without reading a single row."""
    none = exportable_evaluations(AnonymousUser(), cycle).none()
    return build_export(cycle, none, results=Q(pk__in=[]))


def _scale(cycle: Cycle) -> tuple[int | None, int | None]:
    scale = cycle.framework_version.document.get("scale") or {}
    return scale.get("minimum"), scale.get("maximum")


def _field(name: str, kind: str, description: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": kind, "description": description, **extra}


def _region_field(export: CycleExport, name: str, description: str) -> dict[str, Any]:
    low, high = _scale(export.cycle)
    index_unit = _("indeks pada skala %(low)s–%(high)s") % {"low": low, "high": high}
    bounds = {"minimum": low, "maximum": high} if low is not None and high is not None else {}
    if name in formats.PUBLISHED_COLUMNS or name.startswith(("eval_", "smart_")):
        return _field(name, "number", description, unit=index_unit, constraints=bounds)
    if name in ("rank_national", "rank_province"):
        return _field(name, "integer", description, unit=_("peringkat"), constraints={"minimum": 1})
    if name == "cohort":
        return _field(name, "integer", description, unit=_("tahun"))
    if name == "region_code":
        return _field(
            name, "string", description, constraints={"required": True, "pattern": r"\d{2}\.\d{2}"}
        )
    if name == "province_code":
        return _field(name, "string", description, constraints={"pattern": r"\d{2}"})
    if name == "kind":
        return _field(name, "string", description, constraints={"enum": list(Region.Kind.values)})
    if name == "status":
        return _field(
            name, "string", description, constraints={"enum": list(EvaluationStatus.values)}
        )
    return _field(name, "string", description)


def _item_field(name: str, description: str) -> dict[str, Any]:
    if name in ("self_value", "verified_value"):
        return _field(name, "number", description, unit=_("nilai butir menurut instrumen"))
    if name == "review_status":
        return _field(name, "string", description, constraints={"enum": list(ReviewStatus.values)})
    if name in ("region_code", "indicator_code"):
        return _field(name, "string", description, constraints={"required": True})
    return _field(name, "string", description)


def datapackage(cycle: Cycle) -> dict[str, Any]:
    """The cycle's Data Package descriptor (Frictionless, tabular profile)."""
    export = columns_of(cycle)
    meaning = dict(formats.definitions(export))
    regions = [
        _region_field(export, name, meaning.get(name, ""))
        for name in formats.region_columns(export)
    ]
    items = [_item_field(name, meaning.get(name, "")) for name in formats.item_columns(export)]
    csv = {
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",  # with a byte-order mark, which frictionless reads as UTF-8
    }
    return {
        "profile": PROFILE,
        "name": export.slug,
        "id": f"cityeval-{export.slug}",
        "title": _("Hasil evaluasi %(cycle)s") % {"cycle": cycle},
        "description": _(
            "Hasil evaluasi yang dipublikasikan per daerah dan per butir instrumen %(ref)s."
        )
        % {"ref": export.framework_ref},
        "version": export.framework_ref,
        "keywords": [cycle.program, str(cycle.year), "smart city", "evaluasi"],
        "licenses": LICENCES,
        "sources": [
            {"title": "cityeval", "path": "/data/"},
            {"title": "idn-area-data", "path": REGIONS_SOURCE},
        ],
        "resources": [
            {
                "name": "regions",
                "path": "regions.csv",
                "title": _("Hasil per daerah"),
                **csv,
                "licenses": LICENCES,
                "schema": {"fields": regions, "primaryKey": ["region_code"]},
            },
            {
                "name": "items",
                "path": "items.csv",
                "title": _("Nilai per butir"),
                **csv,
                "licenses": LICENCES[:1],
                "schema": {
                    "fields": items,
                    "primaryKey": ["region_code", "indicator_code"],
                    "foreignKeys": [
                        {
                            "fields": "region_code",
                            "reference": {"resource": "regions", "fields": "region_code"},
                        }
                    ],
                },
            },
        ],
    }


DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _ref(url: str) -> dict[str, str]:
    return {"@id": url}


def _distribution(
    absolute: Callable[[str], str], url: str, title: str, media: str, fmt: str
) -> dict[str, Any]:
    return {
        "@id": absolute(url) + "#distribution",
        "@type": "dcat:Distribution",
        "dct:title": title,
        "dcat:accessURL": _ref(absolute(url)),
        "dcat:downloadURL": _ref(absolute(url)),
        "dcat:mediaType": media,
        "dct:format": fmt,
        "dct:license": _ref(RESULTS_LICENCE_URL),
    }


def _dataset(absolute: Callable[[str], str], cycle: Cycle) -> dict[str, Any]:
    pk = cycle.pk
    files = [
        ("exports:regions_csv", _("CSV daerah"), "text/csv", "CSV"),
        ("exports:items_csv", _("CSV butir"), "text/csv", "CSV"),
        ("exports:xlsx", _("Excel"), XLSX, "XLSX"),
        ("exports:json", _("JSON"), "application/json", "JSON"),
        ("exports:datapackage", _("Data Package"), "application/json", "JSON"),
    ]
    return {
        "@id": absolute(reverse("exports:datapackage", args=[pk])) + "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": f"cityeval-{cycle.program}-{cycle.year}-{cycle.round}".lower(),
        "dct:title": _("Hasil evaluasi %(cycle)s") % {"cycle": cycle},
        "dct:description": _("Indeks, predikat, peringkat dan nilai butir yang dipublikasikan."),
        "dcat:keyword": [cycle.program, str(cycle.year), "smart city"],
        "dct:license": _ref(RESULTS_LICENCE_URL),
        "dct:temporal": {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": f"{cycle.year}-01-01", "@type": "xsd:date"},
            "dcat:endDate": {"@value": f"{cycle.year}-12-31", "@type": "xsd:date"},
        },
        "dcat:landingPage": _ref(absolute(reverse("exports:index"))),
        "dcat:distribution": [
            _distribution(absolute, reverse(name, args=[pk]), title, media, fmt)
            for name, title, media, fmt in files
        ],
    }


def catalogue(absolute: Callable[[str], str]) -> dict[str, Any]:
    """The DCAT-AP catalogue (JSON-LD) of every cycle with published results."""
    return {
        "@context": DCAT_CONTEXT,
        "@id": absolute(reverse("exports:catalog")),
        "@type": "dcat:Catalog",
        "dct:title": _("Data terbuka hasil evaluasi"),
        "dct:description": _("Hasil evaluasi yang dipublikasikan, per siklus."),
        "dct:language": _ref("http://publications.europa.eu/resource/authority/language/IND"),
        "foaf:homepage": _ref(absolute(reverse("exports:index"))),
        "dct:license": _ref(RESULTS_LICENCE_URL),
        "dcat:dataset": [_dataset(absolute, cycle) for cycle in public_cycles()],
    }
