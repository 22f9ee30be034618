"""A typical set of regional agencies (OPD). Names follow common Permendagri nomenclature."""

from __future__ import annotations

from cityeval.regions.models import OPD, Region

# (code, short name, name). Every kabupaten/kota has most of these, under slightly varying names.
TYPICAL_OPDS: tuple[tuple[str, str, str], ...] = (
    ("KOMINFO", "Diskominfo", "Dinas Komunikasi dan Informatika"),
    ("BAPPEDA", "Bappeda", "Badan Perencanaan Pembangunan Daerah"),
    ("SETDA-ORG", "Bag. Organisasi", "Bagian Organisasi Sekretariat Daerah"),
    ("DPMPTSP", "DPMPTSP", "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"),
    ("DUKCAPIL", "Disdukcapil", "Dinas Kependudukan dan Pencatatan Sipil"),
    ("BPKAD", "BPKAD", "Badan Pengelolaan Keuangan dan Aset Daerah"),
    ("BKPSDM", "BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"),
    ("INSPEKTORAT", "Inspektorat", "Inspektorat Daerah"),
    ("DISPAR", "Dispar", "Dinas Pariwisata"),
    ("DISPERINDAG", "Disperindag", "Dinas Perindustrian dan Perdagangan"),
    ("DISKOPUKM", "Diskop UKM", "Dinas Koperasi dan Usaha Kecil Menengah"),
    ("DISDIK", "Disdik", "Dinas Pendidikan"),
    ("DINKES", "Dinkes", "Dinas Kesehatan"),
    ("DINSOS", "Dinsos", "Dinas Sosial"),
    ("DISHUB", "Dishub", "Dinas Perhubungan"),
    ("PUPR", "Dinas PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang"),
    ("DLH", "DLH", "Dinas Lingkungan Hidup"),
    ("BPBD", "BPBD", "Badan Penanggulangan Bencana Daerah"),
    ("SATPOLPP", "Satpol PP", "Satuan Polisi Pamong Praja"),
    ("DISPERKIM", "Disperkim", "Dinas Perumahan dan Kawasan Permukiman"),
)


def create_typical_opds(region: Region) -> list[OPD]:
    existing = set(OPD.objects.filter(region=region).values_list("code", flat=True))
    new = [
        OPD(region=region, code=code, short_name=short, name=name)
        for code, short, name in TYPICAL_OPDS
        if code not in existing
    ]
    return OPD.objects.bulk_create(new)


# Which agencies usually own the items of each smart dimension (the first one by default).
OPDS_BY_DIMENSION: dict[str, tuple[str, ...]] = {
    "GOV": ("KOMINFO", "SETDA-ORG", "DPMPTSP", "DUKCAPIL", "BPKAD", "BKPSDM", "INSPEKTORAT"),
    "BRD": ("DISPAR", "DISPERINDAG"),
    "ECO": ("DISKOPUKM", "DISPERINDAG", "DPMPTSP"),
    "SOC": ("DISDIK", "DINSOS", "SATPOLPP"),
    "LIV": ("DINKES", "DISHUB", "PUPR", "DISPERKIM"),
    "ENV": ("DLH", "BPBD", "PUPR"),
}
