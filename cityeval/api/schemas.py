"""Request and response shapes of the API (pydantic, through ninja).

Decimals are answered as strings (`numbers.decimal_text`). Text fields refuse NUL characters,
which PostgreSQL cannot store, so that bad input is a 422 and never a database error.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field

# Ids beyond a signed 64-bit integer cannot exist and would overflow SQLite's integer binding.
MAX_ID = 2**63 - 1
MAX_OFFSET = 1_000_000
MAX_VERSION = 2**31 - 1


def _no_nul(text: str) -> str:
    if "\x00" in text:
        raise ValueError("text must not contain NUL characters")
    return text


Text = Annotated[str, AfterValidator(_no_nul)]
ItemValueIn = Annotated[Decimal, Field(max_digits=14, decimal_places=4, allow_inf_nan=False)]
Version = Annotated[int, Field(ge=1, le=MAX_VERSION)]


class Paging(Schema):
    limit: int = Field(50, ge=1, le=200, description="Jumlah baris per halaman (1–200).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Baris pertama (mulai 0).")


class Page(Schema):
    count: int
    limit: int
    offset: int


# ----- reference data -----


class FrameworkVersionOut(Schema):
    id: int
    code: str
    version: str
    ref: str
    name: str
    imported_at: datetime


class FrameworkPage(Page):
    results: list[FrameworkVersionOut]


class LevelOut(Schema):
    level: int
    name: str = Field(description="Nama tingkat pada skala kerangka (kosong bila tidak bernama).")
    rubric: str
    evidence: str


class NodeOut(Schema):
    code: str
    parent: str | None
    kind: str
    depth: int
    order: int
    sequence: int
    name: str
    weight: str = Field(
        description=(
            "Bobot terhadap induk, persis seperti dokumen kerangka: desimal yang berakhir "
            "(`0.25`) atau rasio tersederhana (`8/11`)."
        )
    )
    weight_decimal: str = Field(
        description="Bobot sebagai desimal 12 angka di belakang koma, hanya untuk tampilan."
    )
    question: str
    guidance: str
    tags: list[str]
    unit: str
    data_source: str
    dimension: str
    levels: list[LevelOut]


class ScaleLevelOut(Schema):
    level: int
    name: str


class ScaleOut(Schema):
    minimum: int
    maximum: int
    levels: list[ScaleLevelOut]


class BandOut(Schema):
    code: str
    name: str
    minimum: str = Field(description="Batas bawah (inklusif) predikat, persis seperti dokumen.")


class FrameworkDetailOut(FrameworkVersionOut):
    scale: ScaleOut
    rounding_places: int
    predicates: list[BandOut]
    nodes: list[NodeOut]


class ProvinceOut(Schema):
    code: str
    name: str


class RegionOut(Schema):
    id: int
    code: str
    name: str
    full_name: str
    kind: str
    province: ProvinceOut
    cohort: int | None


class RegionPage(Page):
    results: list[RegionOut]


class RegionFilter(Paging):
    province: str | None = Field(None, pattern=r"^\d{2}$", description="Kode provinsi, mis. 64.")
    kind: Literal["kabupaten", "kota"] | None = None
    cohort: int | None = Field(None, ge=1900, le=2200, description="Tahun angkatan, mis. 2017.")


class CycleOut(Schema):
    id: int
    program: str
    year: int
    round: str
    framework: str
    framework_version_id: int
    self_assessment_deadline: date | None
    review_deadline: date | None
    field_visit_deadline: date | None
    finalisation_deadline: date | None


class CyclePage(Page):
    results: list[CycleOut]


class CycleFilter(Paging):
    year: int | None = Field(None, ge=1900, le=2200)
    program: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{1,20}$")


# ----- evaluations and items -----

EvaluationStatusName = Literal[
    "self_assessment",
    "submitted",
    "document_review",
    "clarification",
    "field_visit",
    "finalised",
    "published",
]


class RegionBrief(Schema):
    id: int
    code: str
    full_name: str


class EvaluationOut(Schema):
    id: int
    cycle_id: int
    cycle: str
    region: RegionBrief
    status: str
    entry_deadline: date | None
    submitted_at: datetime | None
    finalised_at: datetime | None
    published_at: datetime | None


class EvaluationPage(Page):
    results: list[EvaluationOut]


class EvaluationFilter(Paging):
    cycle: int | None = Field(None, ge=1, le=MAX_ID, description="Id siklus.")
    region: str | None = Field(
        None, pattern=r"^\d{2}\.\d{2}$", description="Kode Kemendagri, mis. 64.02."
    )
    status: EvaluationStatusName | None = None


class IndicatorOut(Schema):
    code: str
    name: str
    kind: str
    dimension: str


class OPDOut(Schema):
    id: int
    code: str
    name: str


class EvidenceOut(Schema):
    id: int
    item_id: int
    kind: Literal["file", "link"]
    name: str
    url: str
    description: str
    uploaded_at: datetime
    removed_at: datetime | None


class ItemOut(Schema):
    id: int
    evaluation_id: int
    indicator: IndicatorOut
    opd: OPDOut | None
    self_value: str | None
    narrative: str
    review_status: str
    review_note: str
    verified_value: str | None = Field(
        description="Nilai verifikasi; null bila belum ada atau belum boleh dilihat pemanggil."
    )
    version: int
    updated_at: datetime
    lock_reason: str = Field(
        description="Mengapa pemanggil tidak dapat mengisi butir ini sekarang; kosong bila bisa."
    )
    evidence: list[EvidenceOut]


class EvaluationDetailOut(EvaluationOut):
    capabilities: list[str]
    items: list[ItemOut]


# ----- writes -----


class _Input(Schema):
    model_config = ConfigDict(extra="forbid")


class SelfAssessmentIn(_Input):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"value": 3, "narrative": "Berjalan di tiga kecamatan.", "version": 1}]
        },
    )
    value: ItemValueIn | None = Field(description="Tingkat atau nilai; null mengosongkan.")
    narrative: Annotated[Text, Field(max_length=20_000)] = ""
    version: Version = Field(description="Versi butir yang Anda baca (penguncian optimistis).")


class EvidenceLinkIn(_Input):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [{"url": "https://kukarkab.go.id/perbup-12-2023", "description": "Perbup"}]
        },
    )
    url: Annotated[Text, Field(min_length=1, max_length=2000)]
    description: Annotated[Text, Field(max_length=500)] = ""


class VerdictIn(_Input):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"decision": "accept", "version": 2},
                {"decision": "adjust", "version": 2, "verified_value": 2, "reason": "Baru SK."},
            ]
        },
    )
    decision: Literal["accept", "adjust"]
    version: Version
    verified_value: ItemValueIn | None = None
    reason: Annotated[Text, Field(max_length=20_000)] = ""


# ----- published results -----


class NodeIndexOut(Schema):
    code: str
    name: str
    level: int = Field(description="Kedalaman simpul: 0 akar, 1 domain/dimensi, 2 aspek, ...")
    parent: str | None
    index: str | None


class ResultOut(Schema):
    evaluation_id: int
    region: RegionBrief
    province: str
    rank: int | None
    index: str | None
    predicate: str
    dimensions: dict[str, str | None] = Field(
        description="Indeks per dimensi smart (sumbu tag); kosong bila kerangka tanpa tag."
    )
    nodes: list[NodeIndexOut] = Field(
        description="Indeks setiap simpul pohon kerangka (urutan dokumen), untuk setiap kerangka."
    )


class ResultPage(Page):
    cycle_id: int
    results: list[ResultOut]
