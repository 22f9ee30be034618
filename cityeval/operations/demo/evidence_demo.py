"""Demonstration evidence and field visits for the running (2020) cycle.

Called by the demo build after the cycles exist. Deterministic given the random generator:
file contents, choices, dates and positions all come from it. Files are tiny (a one-page PDF,
a small PNG), written through the same private storage as real uploads.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.audit.models import AuditEntry
from cityeval.evaluations.models import AssessorAssignment, Evaluation, EvaluationStatus, ItemValue
from cityeval.evidence.filetypes import PDF, PNG
from cityeval.evidence.models import Evidence, EvidenceKind, FieldVisit, FieldVisitPhoto, VisitKind
from cityeval.evidence.samples import tiny_pdf, tiny_png
from cityeval.evidence.storage import write_bytes

YEAR = 2020
LEAD = "asesor.ketua"

# The capital of each province (Kemendagri code): a point that lies inside the province.
PROVINCE_CAPITALS: dict[str, tuple[float, float]] = {
    "11": (5.5483, 95.3238),
    "12": (3.5952, 98.6722),
    "13": (-0.9471, 100.4172),
    "14": (0.5071, 101.4478),
    "15": (-1.6101, 103.6131),
    "16": (-2.9761, 104.7754),
    "17": (-3.7928, 102.2608),
    "18": (-5.3971, 105.2668),
    "19": (-2.1316, 106.1169),
    "21": (0.9186, 104.4665),
    "31": (-6.1805, 106.8284),
    "32": (-6.9175, 107.6191),
    "33": (-6.9932, 110.4203),
    "34": (-7.7956, 110.3695),
    "35": (-7.2575, 112.7521),
    "36": (-6.1204, 106.1503),
    "51": (-8.6705, 115.2126),
    "52": (-8.5833, 116.1167),
    "53": (-10.1772, 123.6070),
    "61": (-0.0263, 109.3425),
    "62": (-2.2161, 113.9135),
    "63": (-3.3186, 114.5944),
    "64": (-0.5022, 117.1536),
    "65": (2.8375, 117.3653),
    "71": (1.4748, 124.8421),
    "72": (-0.8917, 119.8707),
    "73": (-5.1477, 119.4327),
    "74": (-3.9985, 122.5129),
    "75": (0.5435, 123.0568),
    "76": (-2.6748, 118.8886),
    "81": (-3.6954, 128.1814),
    "82": (0.7893, 127.3842),
    "91": (-2.5337, 140.7181),
    "92": (-0.8615, 134.0620),
    "93": (-8.4932, 140.4018),
    "94": (-3.3660, 135.4960),
    "95": (-4.0955, 138.9446),
    "96": (-0.8762, 131.2558),
}

DOCUMENTS = [
    "Peraturan Bupati/Wali Kota tentang Masterplan Smart City",
    "SK Tim Pelaksana Smart City",
    "Laporan pelaksanaan program quick win",
    "Notulen rapat koordinasi lintas OPD",
    "Dokumen anggaran (DPA) program smart city",
    "Laporan survei kepuasan masyarakat",
]
LINKS = [
    ("https://data.{slug}.go.id/dataset", "Portal data terbuka daerah"),
    ("https://ppid.{slug}.go.id/", "Laman PPID daerah"),
    ("https://{slug}.go.id/layanan", "Daftar layanan publik daring"),
]
PLACES = [
    (VisitKind.INTERVIEW, "Ruang rapat Diskominfo {name}"),
    (VisitKind.INTERVIEW, "Kantor Bappeda {name}"),
    (VisitKind.FIELD_VISIT, "Command Center {name}"),
    (VisitKind.FIELD_VISIT, "Mal Pelayanan Publik {name}"),
    (VisitKind.FIELD_VISIT, "Puskesmas percontohan {name}"),
]
FINDINGS = [
    "Dasbor command center menampilkan data pengaduan warga secara langsung; integrasi dengan "
    "data dinas teknis baru sebagian.",
    "Layanan perizinan daring berjalan, tetapi sebagian berkas masih diminta dalam bentuk cetak.",
    "Tim pelaksana menunjukkan notulen rapat rutin; tindak lanjut rekomendasi tahun lalu belum "
    "seluruhnya terdokumentasi.",
    "Bukti dukung program quick win sesuai dengan kondisi di lapangan.",
    "Petugas memahami SOP layanan; perlu pelatihan lanjutan untuk analisis data.",
    "Perangkat jaringan di lokasi layanan belum memiliki cadangan daya.",
]
PEOPLE = [
    "Kepala Diskominfo",
    "Sekretaris Bappeda",
    "Kepala Bidang Aplikasi Informatika",
    "Kepala Puskesmas",
    "Koordinator Mal Pelayanan Publik",
    "Perwakilan Dewan Smart City",
]


def create_demo_evidence(*, rng: random.Random) -> int:
    """Attach evidence to 2020 evaluations past self-assessment and record the lead assessor's
    field visits; returns how many evidence records, visits and photos were created."""
    evaluations = list(
        Evaluation.objects.filter(cycle__year=YEAR)
        .exclude(status=EvaluationStatus.SELF_ASSESSMENT)
        .select_related("region__province", "cycle")
        .order_by("region__code")
    )
    coordinators = dict(
        RoleGrant.objects.filter(role=Role.COORDINATOR, region__isnull=False).values_list(
            "region_id", "user_id"
        )
    )
    items = _filled_items(evaluations)
    evidence: list[Evidence] = []
    for evaluation in evaluations:
        chosen = rng.sample(items[evaluation.pk], min(3, len(items[evaluation.pk])))
        uploader = coordinators.get(evaluation.region_id)
        for item in chosen:
            evidence.extend(_evidence_for(evaluation, item, uploader, rng))
    Evidence.objects.bulk_create(evidence)
    by_item = {ref.pk: ref.evaluation_id for refs in items.values() for ref in refs}
    _audit_evidence(evidence, {e.pk: e for e in evaluations}, by_item)
    visits, photos = _field_visits(evaluations, items, rng)
    return len(evidence) + visits + photos


@dataclass(frozen=True)
class ItemRef:
    """An item as the demo needs it; reading whole rows of every evaluation would be slow."""

    pk: int
    evaluation_id: int
    code: str
    name: str


def _filled_items(evaluations: list[Evaluation]) -> dict[int, list[ItemRef]]:
    found: dict[int, list[ItemRef]] = {e.pk: [] for e in evaluations}
    rows = ItemValue.objects.filter(evaluation__in=evaluations, self_value__isnull=False)
    for pk, evaluation_id, code, name in rows.order_by(
        "evaluation_id", "indicator__sequence"
    ).values_list("pk", "evaluation_id", "indicator__code", "indicator__name_id"):
        found[evaluation_id].append(ItemRef(pk, evaluation_id, code, name))
    return found


def _when(day: date, rng: random.Random) -> datetime:
    moment = time(hour=rng.randint(8, 16), minute=rng.choice([0, 15, 30, 45]))
    return timezone.make_aware(datetime.combine(day, moment))


def _evidence_for(
    evaluation: Evaluation, item: ItemRef, uploader: int | None, rng: random.Random
) -> list[Evidence]:
    region = evaluation.region
    # Before the self-assessment deadline, and never in the future of the day the demo is built.
    today = timezone.localdate()
    deadline = min(evaluation.cycle.self_assessment_deadline or today, today)
    uploaded = _when(deadline - timedelta(days=rng.randint(3, 40)), rng)
    title = rng.choice(DOCUMENTS)
    pdf = tiny_pdf(
        [
            title,
            f"{region.full_name} - {YEAR}",
            f"Butir {item.code}: {item.name}"[:90],
            f"Nomor dokumen {rng.randint(100, 999)}/{rng.randint(10, 99)}/{YEAR}",
        ]
    )
    stored = write_bytes(pdf, sync=False)
    rows = [
        Evidence(
            item_id=item.pk,
            kind=EvidenceKind.FILE,
            original_name=f"{item.code}-{title[:40].strip().replace(' ', '_')}.pdf",
            stored_path=stored.stored_path,
            content_type=PDF.content_type,
            size=stored.size,
            sha256=stored.sha256,
            description=title,
            uploaded_by_id=uploader,
            uploaded_at=uploaded,
        )
    ]
    if rng.random() < 0.5:
        shade = (rng.randint(90, 220), rng.randint(90, 220), rng.randint(90, 220))
        png = write_bytes(tiny_png(48, 32, shade, stripe=rng.randint(3, 8)), sync=False)
        rows.append(
            Evidence(
                item_id=item.pk,
                kind=EvidenceKind.FILE,
                original_name=f"foto-{item.code}.png",
                stored_path=png.stored_path,
                content_type=PNG.content_type,
                size=png.size,
                sha256=png.sha256,
                description="Foto kegiatan",
                uploaded_by_id=uploader,
                uploaded_at=uploaded + timedelta(minutes=5),
            )
        )
    else:
        template, label = rng.choice(LINKS)
        slug = region.name.lower().replace(" ", "")
        url = template.format(slug=slug)
        rows.append(
            Evidence(
                item_id=item.pk,
                kind=EvidenceKind.LINK,
                original_name=url.split("//", 1)[1][:255],
                url=url,
                description=label,
                uploaded_by_id=uploader,
                uploaded_at=uploaded + timedelta(minutes=5),
            )
        )
    return rows


def _audit_evidence(
    rows: list[Evidence], evaluations: dict[int, Evaluation], item_evaluations: dict[int, int]
) -> None:
    entries = []
    for row in rows:
        evaluation = evaluations[item_evaluations[row.item_id]]
        after: dict[str, Any] = {
            "item": row.item_id,
            "kind": row.kind,
            "name": row.original_name,
            "url": row.url,
            "size": row.size,
            "sha256": row.sha256,
            "content_type": row.content_type,
        }
        entries.append(
            AuditEntry(
                actor_id=row.uploaded_by_id,
                action="evidence.add",
                target_type="evidence.evidence",
                target_id=str(row.pk),
                evaluation_id=evaluation.pk,
                region_id=evaluation.region_id,
                after=after,
            )
        )
    AuditEntry.objects.bulk_create(entries)


def _field_visits(
    evaluations: list[Evaluation], items: dict[int, list[ItemRef]], rng: random.Random
) -> tuple[int, int]:
    lead = User.objects.filter(username=LEAD).first()
    if lead is None:
        return 0, 0
    teams = set(
        AssessorAssignment.objects.filter(cycle__year=YEAR, user=lead).values_list(
            "cycle_id", "region_id"
        )
    )
    visited = [
        e
        for e in evaluations
        if e.status in (EvaluationStatus.FIELD_VISIT, EvaluationStatus.FINALISED)
        and (e.cycle_id, e.region_id) in teams
    ]
    visits = photos = 0
    for evaluation in visited:
        region = evaluation.region
        latitude, longitude = PROVINCE_CAPITALS.get(region.province.code, (-6.2, 106.8))
        today = timezone.localdate()
        deadline = min(evaluation.cycle.field_visit_deadline or today, today)
        day = deadline - timedelta(days=rng.randint(3, 20))
        for kind, place in rng.sample(PLACES, 2):
            visit = FieldVisit.objects.create(
                evaluation=evaluation,
                kind=kind,
                date=day,
                place=place.format(name=region.name),
                latitude=Decimal(f"{latitude + rng.uniform(-0.02, 0.02):.6f}"),
                longitude=Decimal(f"{longitude + rng.uniform(-0.02, 0.02):.6f}"),
                accuracy_m=Decimal(f"{rng.uniform(4, 25):.1f}"),
                participants="\n".join(rng.sample(PEOPLE, 3)),
                findings="\n\n".join(rng.sample(FINDINGS, 2)),
                recorded_by=lead,
                updated_by=lead,
                recorded_at=_when(day, rng),
            )
            pool = items[evaluation.pk]
            picked = rng.sample(pool, min(len(pool), rng.randint(2, 5)))
            visit.items.set([ref.pk for ref in picked])
            visits += 1
            if kind == VisitKind.FIELD_VISIT:
                shade = (rng.randint(60, 200), rng.randint(60, 200), rng.randint(60, 200))
                image = write_bytes(tiny_png(64, 48, shade, stripe=4), sync=False)
                FieldVisitPhoto.objects.create(
                    visit=visit,
                    original_name=f"IMG_{YEAR}{rng.randint(1000, 9999)}.png",
                    stored_path=image.stored_path,
                    content_type=PNG.content_type,
                    size=image.size,
                    sha256=image.sha256,
                    caption=visit.place,
                    uploaded_by=lead,
                    uploaded_at=visit.recorded_at,
                )
                photos += 1
            day += timedelta(days=1)
    return visits, photos
