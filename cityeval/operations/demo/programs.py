"""Demonstration masterplans: for each program region a ten-year plan with 8–12 programs per smart
dimension, one quick win per dimension, and yearly statuses that improve over the demo years.

Deterministic given the rng; written with bulk_create so a hundred regions take well under a second.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cityeval.masterplans.dimensions import smart_axis
from cityeval.masterplans.models import Masterplan, Program, ProgramStatus, ProgramYear
from cityeval.regions.models import OPD, Cohort, Region

PLAN_YEARS = 10
PROGRAMS_PER_DIMENSION = (8, 12)
FALLBACK_OPD = "KOMINFO"


@dataclass(frozen=True)
class Idea:
    name: str  # "{head}" becomes Bupati or Wali Kota
    element: str
    owner: str  # an OPD code of cityeval.operations.demo.opds
    quick_win: bool = False  # a fast, visible program that a region may pick as its quick win


CATALOGUE: dict[str, tuple[Idea, ...]] = {
    "GOV": (
        Idea("Mal Pelayanan Publik Digital", "GOV-PS", "DPMPTSP", True),
        Idea("Aplikasi Lapor {head}", "GOV-PS", "KOMINFO", True),
        Idea("Layanan Adminduk Daring", "GOV-PS", "DUKCAPIL"),
        Idea("Perizinan Berusaha Terintegrasi Daring", "GOV-PS", "DPMPTSP"),
        Idea("Command Center Daerah", "GOV-PS", "KOMINFO"),
        Idea("E-Kinerja ASN", "GOV-BM", "BKPSDM"),
        Idea("Naskah Dinas dan Tanda Tangan Elektronik", "GOV-BM", "KOMINFO"),
        Idea("Satu Data Daerah", "GOV-BM", "KOMINFO"),
        Idea("Reformasi Birokrasi Berbasis SPBE", "GOV-BM", "SETDA-ORG"),
        Idea("E-Planning dan E-Budgeting Terpadu", "GOV-PP", "BAPPEDA"),
        Idea("Pengawasan Internal Daring", "GOV-PP", "INSPEKTORAT"),
        Idea("Dasbor Kinerja Pimpinan Daerah", "GOV-PP", "BAPPEDA"),
    ),
    "BRD": (
        Idea("Portal Pariwisata Terpadu", "BRD-TOU", "DISPAR"),
        Idea("Desa Wisata Digital", "BRD-TOU", "DISPAR", True),
        Idea("Kalender Event Daerah Daring", "BRD-TOU", "DISPAR", True),
        Idea("Tur Virtual Destinasi Unggulan", "BRD-TOU", "DISPAR"),
        Idea("Festival Budaya Digital", "BRD-TOU", "DISPAR"),
        Idea("Galeri Produk Unggulan Daerah", "BRD-BIZ", "DISPERINDAG", True),
        Idea("Penguatan Merek Daerah", "BRD-BIZ", "KOMINFO"),
        Idea("Sistem Informasi Peluang Investasi", "BRD-BIZ", "DPMPTSP"),
        Idea("Penataan Koridor Kota dan Taman Tematik", "BRD-APP", "PUPR"),
        Idea("Wi-Fi Publik di Ruang Terbuka", "BRD-APP", "KOMINFO"),
        Idea("Papan Informasi Digital Kota", "BRD-APP", "KOMINFO"),
        Idea("Penataan Kawasan Kumuh Berbasis Data", "BRD-APP", "DISPERKIM"),
    ),
    "ECO": (
        Idea("Pasar Digital UMKM", "ECO-IND", "DISKOPUKM", True),
        Idea("Inkubator Bisnis Digital", "ECO-IND", "DISKOPUKM"),
        Idea("Sistem Informasi Industri Kecil Menengah", "ECO-IND", "DISPERINDAG"),
        Idea("Pelatihan Wirausaha Digital", "ECO-IND", "DISKOPUKM"),
        Idea("Informasi Harga Pangan Harian", "ECO-WEL", "DISPERINDAG", True),
        Idea("Data Terpadu Kesejahteraan Sosial", "ECO-WEL", "DINSOS"),
        Idea("Bursa Kerja Daring", "ECO-WEL", "DISKOPUKM"),
        Idea("Pajak Daerah Daring", "ECO-FIN", "BPKAD"),
        Idea("Pembayaran Retribusi Nontunai", "ECO-FIN", "BPKAD", True),
        Idea("QRIS Pasar Tradisional", "ECO-FIN", "DISPERINDAG"),
        Idea("Elektronifikasi Transaksi Pemerintah Daerah", "ECO-FIN", "BPKAD"),
        Idea("Koperasi Digital", "ECO-FIN", "DISKOPUKM"),
    ),
    "SOC": (
        Idea("Kanal Aspirasi Warga", "SOC-INT", "KOMINFO", True),
        Idea("Ruang Kreatif Komunitas", "SOC-INT", "KOMINFO"),
        Idea("Relawan TIK Desa", "SOC-INT", "KOMINFO"),
        Idea("Sistem Informasi Bantuan Sosial", "SOC-INT", "DINSOS"),
        Idea("Perpustakaan Digital Daerah", "SOC-LRN", "DISDIK", True),
        Idea("Sekolah Digital dan Kelas Daring", "SOC-LRN", "DISDIK"),
        Idea("Literasi Digital Masyarakat", "SOC-LRN", "KOMINFO"),
        Idea("Beasiswa Daring Terpadu", "SOC-LRN", "DISDIK"),
        Idea("CCTV Kota Terintegrasi", "SOC-SEC", "KOMINFO"),
        Idea("Layanan Darurat 112", "SOC-SEC", "BPBD", True),
        Idea("Sistem Peringatan Dini Bencana", "SOC-SEC", "BPBD"),
        Idea("Patroli Ketertiban Berbasis Aplikasi", "SOC-SEC", "SATPOLPP"),
    ),
    "LIV": (
        Idea("Sistem Informasi Tata Ruang Daring", "LIV-HRM", "PUPR"),
        Idea("Persetujuan Bangunan Gedung Daring", "LIV-HRM", "PUPR"),
        Idea("Peta Rumah Tidak Layak Huni", "LIV-HRM", "DISPERKIM"),
        Idea("Pendaftaran Puskesmas Daring", "LIV-HLT", "DINKES", True),
        Idea("Telemedisin Puskesmas", "LIV-HLT", "DINKES"),
        Idea("Rekam Medis Elektronik", "LIV-HLT", "DINKES"),
        Idea("Ambulans Siaga Terhubung", "LIV-HLT", "DINKES", True),
        Idea("Pemantauan Gizi Balita Digital", "LIV-HLT", "DINKES"),
        Idea("Sistem Transportasi Cerdas (ATCS)", "LIV-TRN", "DISHUB"),
        Idea("Parkir Elektronik", "LIV-TRN", "DISHUB", True),
        Idea("Informasi Angkutan Umum Waktu Nyata", "LIV-TRN", "DISHUB"),
        Idea("Uji Kendaraan Bermotor Daring", "LIV-TRN", "DISHUB"),
    ),
    "ENV": (
        Idea("Bank Sampah Digital", "ENV-WST", "DLH", True),
        Idea("Aplikasi Lapor Sampah", "ENV-WST", "DLH", True),
        Idea("Pengolahan Sampah Menjadi Energi", "ENV-WST", "DLH"),
        Idea("Pengelolaan Limbah Medis Terpantau", "ENV-WST", "DINKES"),
        Idea("Pemantauan Kualitas Udara dan Air", "ENV-PRT", "DLH"),
        Idea("Ruang Terbuka Hijau Terpetakan", "ENV-PRT", "PUPR"),
        Idea("Pemantauan Debit Sungai dan Banjir", "ENV-PRT", "BPBD"),
        Idea("Persetujuan Lingkungan Daring", "ENV-PRT", "DLH"),
        Idea("Penerangan Jalan Umum Tenaga Surya", "ENV-NRG", "DISHUB"),
        Idea("Lampu Jalan Cerdas Hemat Energi", "ENV-NRG", "DISHUB", True),
        Idea("Panel Surya Gedung Pemerintah", "ENV-NRG", "PUPR"),
        Idea("Gerakan Hemat Energi Perkantoran", "ENV-NRG", "SETDA-ORG"),
    ),
}


@dataclass(frozen=True)
class DemoMasterplans:
    masterplans: int
    programs: int
    program_years: int


def create_demo_masterplans(
    regions: Sequence[Region], years: Sequence[int], rng: random.Random
) -> DemoMasterplans:
    """One current masterplan per region (regions without OPDs are skipped: no owner exists)."""
    _check_catalogue()
    cohort_years = dict(Cohort.objects.values_list("pk", "year"))
    opds: dict[int, dict[str, int]] = {}
    for region_id, code, pk in OPD.objects.filter(region__in=regions).values_list(
        "region_id", "code", "pk"
    ):
        opds.setdefault(region_id, {})[code] = pk
    ordered = sorted((r for r in regions if r.pk in opds), key=lambda r: r.code)
    # The plan starts the year the region joined the program (or the first demo year).
    starts = [cohort_years.get(r.cohort_id or 0, min(years)) for r in ordered]
    masterplans = Masterplan.objects.bulk_create(
        [_masterplan(region, start, rng) for region, start in zip(ordered, starts, strict=True)]
    )
    programs: list[Program] = []
    for region, masterplan in zip(ordered, masterplans, strict=True):
        programs += _programs(region, masterplan, opds[region.pk], rng)
    Program.objects.bulk_create(programs, batch_size=2000)
    statuses = [row for program in programs for row in _years(program, years, rng)]
    ProgramYear.objects.bulk_create(statuses, batch_size=2000)
    return DemoMasterplans(len(masterplans), len(programs), len(statuses))


def _check_catalogue() -> None:
    axis = smart_axis()
    for dimension, ideas in CATALOGUE.items():
        for idea in ideas:
            owner = axis.dimension_of(idea.element)
            if owner is None or owner.code != dimension:
                raise ValueError(
                    f"demo programme {idea.name!r}: {idea.element} is not an element of "
                    f"{dimension} in the latest imported G100SC framework"
                )


def _head(region: Region) -> str:
    return "Wali Kota" if region.kind == Region.Kind.KOTA else "Bupati"


def _masterplan(region: Region, start: int, rng: random.Random) -> Masterplan:
    end = start + PLAN_YEARS - 1
    return Masterplan(
        region=region,
        title=f"Masterplan Smart City {region.full_name} {start}–{end}",
        start_year=start,
        end_year=end,
        regulation=(
            f"Peraturan {_head(region)} {region.name} No. {rng.randint(3, 60)} Tahun {start}"
        ),
        regulation_date=date(start, rng.randint(2, 11), rng.randint(1, 28)),
        notes="Disusun bersama Tim Pelaksana Smart City dan seluruh OPD.",
    )


def _programs(
    region: Region, masterplan: Masterplan, opds: dict[str, int], rng: random.Random
) -> list[Program]:
    fallback = opds.get(FALLBACK_OPD) or opds[min(opds)]
    programs = []
    for dimension, ideas in CATALOGUE.items():
        count = rng.randint(*PROGRAMS_PER_DIMENSION)
        chosen = sorted(rng.sample(range(len(ideas)), count))
        candidates = [i for i in chosen if ideas[i].quick_win] or chosen
        quick_win = rng.choice(candidates)
        for number, index in enumerate(chosen, start=1):
            idea = ideas[index]
            # Quick wins start at once; the rest are phased in over the first years.
            start = masterplan.start_year + (
                0 if index == quick_win else rng.choice((0, 0, 1, 1, 2, 3, 4))
            )
            programs.append(
                Program(
                    masterplan=masterplan,
                    code=f"{dimension}-{number:02d}",
                    name=idea.name.format(head=_head(region)),
                    description=f"Program {dimension} pada elemen {idea.element}.",
                    dimension=dimension,
                    element=idea.element,
                    owner_id=opds.get(idea.owner, fallback),
                    quick_win=index == quick_win,
                    budget=Decimal(rng.randint(5, 250) * 50_000_000),
                    start_year=start,
                    end_year=min(masterplan.end_year, start + rng.randint(2, 6)),
                )
            )
    return programs


def _years(program: Program, years: Sequence[int], rng: random.Random) -> list[ProgramYear]:
    """Statuses that improve: planned before the start, then progress grows each year.

    A few programs stall in their second year (and resume), fewer are cancelled for good.
    """
    speed = rng.uniform(25, 60) * (1.5 if program.quick_win else 1.0)
    fate = rng.random()
    rows = []
    progress = Decimal(0)
    for year in sorted(years):
        if not program.masterplan.start_year <= year <= program.masterplan.end_year:
            continue
        active = year - program.start_year + 1
        if active <= 0:
            status = ProgramStatus.PLANNED
        elif fate < 0.03 and active >= 2:
            status = ProgramStatus.CANCELLED
        elif fate < 0.10 and active == 2:
            status = ProgramStatus.STALLED
        else:
            progress = min(Decimal(100), Decimal(round(active * speed)))
            status = ProgramStatus.COMPLETED if progress == 100 else ProgramStatus.RUNNING
        rows.append(ProgramYear(program=program, year=year, status=status, progress=progress))
    return rows
