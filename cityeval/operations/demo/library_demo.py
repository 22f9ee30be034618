"""Demonstration good practices: the two demo regions with a coordinator share items of their
PUBLISHED results (2018, 2019) through the library's own service, with a document of the item
as shared evidence; the program admin hides one (with its reason, so the region hears why).

Deterministic: fixed texts and items in a fixed order; only the timestamps are the build's.
The texts are data written by the regions (one language, not translated), like the FAQ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.audit.log import audited
from cityeval.evaluations.models import ItemValue
from cityeval.evidence.filetypes import PDF
from cityeval.evidence.models import Evidence, EvidenceKind
from cityeval.evidence.samples import tiny_pdf
from cityeval.evidence.storage import write_bytes
from cityeval.library.models import GoodPractice
from cityeval.library.services import hide_practice, share_practice
from cityeval.operations.demo.people import KUKAR, SECOND_REGION


@dataclass(frozen=True)
class DemoPractice:
    region_code: str
    year: int
    item_code: str
    narrative: str
    document: str = ""  # the title of the one PDF shared with it ("": none)
    hidden_reason: str = ""  # the admin hides it ("": listed)


PRACTICES: tuple[DemoPractice, ...] = (
    DemoPractice(
        KUKAR,
        2019,
        "OTC-GOV-PS",
        "Mal Pelayanan Publik Tenggarong menyatukan 212 layanan dari 18 OPD dan instansi "
        "vertikal dalam satu gedung. Antrean diambil daring; Diskominfo memantau waktu "
        "tunggu setiap loket di dasbor dan melaporkannya tiap bulan kepada Sekretaris Daerah. "
        "Kendala awal: berkas fisik antar-OPD. Jalan keluarnya: surat edaran bupati bahwa "
        "salinan elektronik yang ditandatangani secara elektronik sah.",
        "Laporan pelaksanaan Mal Pelayanan Publik",
    ),
    DemoPractice(
        KUKAR,
        2019,
        "IMP-LIV-HLT",
        "Puskesmas keliling di kecamatan hulu Mahakam mencatat kunjungan langsung di aplikasi "
        "rekam medis elektronik yang bekerja tanpa sinyal dan menyinkronkan data saat perahu "
        "kembali ke Tenggarong. Dinas Kesehatan membandingkan cakupan imunisasi per desa "
        "sebelum dan sesudah program; angka itu menjadi bukti manfaat.",
        "Laporan cakupan layanan puskesmas keliling",
    ),
    DemoPractice(
        KUKAR,
        2019,
        "QW-ENV",
        "Quick win bank sampah digital: warga menyetor sampah terpilah di 40 titik dan "
        "saldonya tercatat di aplikasi desa. Dinas Lingkungan Hidup bermitra dengan BUMDes "
        "sehingga program berjalan tanpa tambahan pegawai.",
    ),
    DemoPractice(
        SECOND_REGION,
        2019,
        "OTC-LIV-TRN",
        "Bus rapid transit kota terhubung dengan aplikasi jadwal dan pembayaran nontunai. "
        "Dinas Perhubungan membuka data posisi armada untuk pengembang lokal; keluhan "
        "penumpang ditangani lewat kanal pengaduan terpadu dalam dua hari kerja.",
        "Laporan kinerja layanan angkutan massal",
    ),
    DemoPractice(
        SECOND_REGION,
        2019,
        "OUT-GOV-BM",
        "Peraturan wali kota tentang tata kelola data menetapkan Diskominfo sebagai wali data "
        "dan setiap OPD sebagai produsen data, dengan anggaran pemeliharaan aplikasi di "
        "satu DPA. Aplikasi ganda antar-OPD ditutup setelah inventarisasi.",
    ),
    DemoPractice(
        SECOND_REGION,
        2018,
        "OTC-ENV-WST",
        "Pengolahan sampah organik pasar menjadi kompos di setiap kecamatan, dipantau melalui "
        "timbangan digital di lokasi pengolahan.",
    ),
    DemoPractice(
        SECOND_REGION,
        2019,
        "QW-SOC",
        "Kanal pengaduan warga terpadu. Hubungi petugas kami langsung di nomor pribadi "
        "0812-0000-0000 untuk setiap keluhan.",
        hidden_reason="Narasi memuat nomor telepon pribadi petugas; mohon bagikan kembali "
        "tanpa data pribadi.",
    ),
)


def create_demo_library() -> int:
    """Share the demo practices (and hide one); the number of practices created."""
    admin = User.objects.get(username="admin")
    coordinators = _coordinators()
    created = 0
    for demo in PRACTICES:
        user = coordinators.get(demo.region_code)
        item = _item(demo)
        if user is None or item is None:
            continue
        files = [_document(item, demo.document, user)] if demo.document else []
        practice = share_practice(
            item=item, narrative=demo.narrative, evidence_ids=[e.pk for e in files], user=user
        )
        if demo.hidden_reason:
            hide_practice(practice=practice, reason=demo.hidden_reason, user=admin)
        created += 1
    return created


def _coordinators() -> dict[str, User]:
    grants = (
        RoleGrant.objects.filter(role=Role.COORDINATOR, region__code__in=[KUKAR, SECOND_REGION])
        .select_related("user", "region")
        .order_by("pk")
    )
    found: dict[str, User] = {}
    for grant in grants:
        if grant.region is not None:
            found.setdefault(grant.region.code, grant.user)
    return found


def _item(demo: DemoPractice) -> ItemValue | None:
    return (
        ItemValue.objects.filter(
            evaluation__region__code=demo.region_code,
            evaluation__cycle__year=demo.year,
            indicator__code=demo.item_code,
        )
        .exclude(good_practices__in=GoodPractice.objects.active())
        .select_related("evaluation__region", "evaluation__cycle", "indicator")
        .first()
    )


def _document(item: ItemValue, title: str, user: User) -> Evidence:
    """A one-page PDF on the item, uploaded during the cycle's self-assessment."""
    evaluation = item.evaluation
    region = evaluation.region
    year = evaluation.cycle.year
    content = tiny_pdf(
        [title, f"{region.full_name} - {year}", f"Butir {item.indicator.code}"],
    )
    stored = write_bytes(content, sync=False)
    evidence = Evidence.objects.create(
        item=item,
        kind=EvidenceKind.FILE,
        original_name=f"{item.indicator.code}-{title[:40].strip().replace(' ', '_')}.pdf",
        stored_path=stored.stored_path,
        content_type=PDF.content_type,
        size=stored.size,
        sha256=stored.sha256,
        description=title,
        uploaded_by=user,
        uploaded_at=datetime.combine(
            evaluation.cycle.self_assessment_deadline or datetime(year, 4, 1).date(),
            time(10),
            tzinfo=UTC,
        ),
    )
    after: dict[str, Any] = {
        "item": item.pk,
        "kind": evidence.kind,
        "name": evidence.original_name,
        "size": evidence.size,
        "sha256": evidence.sha256,
        "content_type": evidence.content_type,
    }
    audited(actor=user, action="evidence.add", target=evidence, after=after)
    return evidence
