"""Texts of the SPBE evaluation (PermenPAN-RB 59/2020): indicator names and level rubrics.

Indicator names follow the regulation as quoted by public sources (see spbe.py). The rubrics
paraphrase the regulation's maturity pattern per kind of indicator and are written for cityeval;
they are not the regulation's official criteria text.
"""

from __future__ import annotations

from g100sc_text import Levels, T

# Indicator number -> (aspect, name, subject used in the rubric templates).
INDICATORS: dict[int, tuple[str, T, T]] = {}


def _add(aspect: str, first: int, names: list[tuple[str, str, str, str]]) -> None:
    for offset, (name_id, name_en, subject_id, subject_en) in enumerate(names):
        INDICATORS[first + offset] = (aspect, T(name_id, name_en), T(subject_id, subject_en))


def _policy(subject_id: str, subject_en: str) -> tuple[str, str, str, str]:
    return (f"Kebijakan Internal {subject_id}", f"Internal policy on {subject_en}", subject_id,
            subject_en)  # fmt: skip


def _same(name_id: str, name_en: str) -> tuple[str, str, str, str]:
    return (name_id, name_en, name_id, name_en)


IPPD_ID, IPPD_EN = "Instansi Pusat/Pemerintah Daerah", "of the central or regional agency"

_add("A1", 1, [
    _policy(f"Arsitektur SPBE {IPPD_ID}", f"the SPBE architecture {IPPD_EN}"),
    _policy(f"Peta Rencana SPBE {IPPD_ID}", f"the SPBE roadmap {IPPD_EN}"),
    _policy("Manajemen Data", "data management"),
    _policy("Pembangunan Aplikasi SPBE", "SPBE application development"),
    _policy("Layanan Pusat Data", "data centre services"),
    _policy(f"Layanan Jaringan Intra {IPPD_ID}", f"the intranet service {IPPD_EN}"),
    _policy(f"Penggunaan Sistem Penghubung Layanan {IPPD_ID}",
            f"use of the service connector system {IPPD_EN}"),
    _policy("Manajemen Keamanan Informasi", "information security management"),
    _policy("Audit Teknologi Informasi dan Komunikasi", "ICT audit"),
    _policy(f"Tim Koordinasi SPBE {IPPD_ID}", f"the SPBE coordination team {IPPD_EN}"),
])  # fmt: skip
_add("A2", 11, [
    _same(f"Arsitektur SPBE {IPPD_ID}", f"SPBE architecture {IPPD_EN}"),
    _same(f"Peta Rencana SPBE {IPPD_ID}", f"SPBE roadmap {IPPD_EN}"),
    _same("Keterpaduan Rencana dan Anggaran SPBE", "Integration of SPBE plans and budget"),
    _same("Inovasi Proses Bisnis SPBE", "SPBE business process innovation"),
])  # fmt: skip
_add("A3", 15, [
    _same("Pembangunan Aplikasi SPBE", "SPBE application development"),
    _same("Layanan Pusat Data", "Data centre services"),
    _same(f"Layanan Jaringan Intra {IPPD_ID}", f"Intranet service {IPPD_EN}"),
    _same(f"Penggunaan Sistem Penghubung Layanan {IPPD_ID}",
          f"Use of the service connector system {IPPD_EN}"),
])  # fmt: skip
_add("A4", 19, [
    _same(f"Pelaksanaan Tim Koordinasi SPBE {IPPD_ID}",
          f"Work of the SPBE coordination team {IPPD_EN}"),
    _same("Kolaborasi Penerapan SPBE", "Collaboration in SPBE implementation"),
])  # fmt: skip
_add("A5", 21, [
    (f"Penerapan {subject_id}", name_en, subject_id, subject_en)
    for subject_id, name_en, subject_en in [
        ("Manajemen Risiko SPBE", "SPBE risk management", "SPBE risk management"),
        ("Manajemen Keamanan Informasi", "Information security management",
         "information security management"),
        ("Manajemen Data", "Data management", "data management"),
        ("Manajemen Aset TIK", "ICT asset management", "ICT asset management"),
        ("Kompetensi Sumber Daya Manusia", "Human resource competence",
         "human resource competence development"),
        ("Manajemen Pengetahuan", "Knowledge management", "knowledge management"),
        ("Manajemen Perubahan", "Change management", "change management"),
        ("Manajemen Layanan SPBE", "SPBE service management", "SPBE service management"),
    ]
])  # fmt: skip
_add("A6", 29, [
    (f"Pelaksanaan {subject_id}", name_en, subject_id, subject_en)
    for subject_id, name_en, subject_en in [
        ("Audit Infrastruktur SPBE", "SPBE infrastructure audit", "SPBE infrastructure audit"),
        ("Audit Aplikasi SPBE", "SPBE application audit", "SPBE application audit"),
        ("Audit Keamanan SPBE", "SPBE security audit", "SPBE security audit"),
    ]
])  # fmt: skip
_add("A7", 32, [
    _same("Layanan Perencanaan", "Planning service"),
    _same("Layanan Penganggaran", "Budgeting service"),
    _same("Layanan Keuangan", "Financial management service"),
    _same("Layanan Pengadaan Barang dan Jasa", "Procurement service"),
    _same("Layanan Kepegawaian", "Civil service personnel service"),
    _same("Layanan Kearsipan Dinamis", "Active records service"),
    _same("Layanan Pengelolaan Barang Milik Negara/Daerah", "State or regional asset service"),
    _same("Layanan Pengawasan Internal Pemerintah", "Internal government oversight service"),
    _same("Layanan Akuntabilitas Kinerja Organisasi", "Organisational performance accountability"
          " service"),
    _same("Layanan Kinerja Pegawai", "Employee performance service"),
])  # fmt: skip
_add("A8", 42, [
    _same("Layanan Pengaduan Pelayanan Publik", "Public service complaints"),
    _same("Layanan Data Terbuka", "Open data service"),
    _same("Layanan Jaringan Dokumentasi dan Informasi Hukum", "Legal documentation and"
          " information network service (JDIH)"),
    _same("Layanan Publik Sektor 1", "Sector public service 1"),
    _same("Layanan Publik Sektor 2", "Sector public service 2"),
    _same("Layanan Publik Sektor 3", "Sector public service 3"),
])  # fmt: skip

POLICY: Levels = [
    (T("Konsep kebijakan internal tentang {x} sudah ada atau sedang dalam proses penetapan.",
       "A draft internal policy on {x} exists or is being enacted."),
     T("Rancangan kebijakan; notulen atau undangan rapat penyusunan.",
       "The draft policy; minutes or invitations of drafting meetings.")),
    (T("Kebijakan internal tentang {x} ditetapkan, tetapi baru mengatur sebagian muatan yang"
       " diperlukan atau sebagian unit kerja.",
       "An internal policy on {x} is enacted but covers only part of the required content or of"
       " the work units."),
     T("Peraturan atau keputusan pimpinan yang bernomor dan ditandatangani.",
       "A numbered, signed regulation or decree.")),
    (T("Kebijakan internal tentang {x} mengatur seluruh muatan yang diperlukan dan berlaku untuk"
       " seluruh unit kerja.",
       "The internal policy on {x} covers all required content and applies to every work unit."),
     T("Kebijakan yang ditetapkan, dengan bagian yang menunjukkan cakupan muatan dan unit kerja.",
       "The enacted policy, with the sections that show its full content and scope.")),
    (T("Kebijakan internal tentang {x} juga mengatur keterpaduan dengan instansi lain serta reviu"
       " dan evaluasinya secara berkala.",
       "The internal policy on {x} also provides for integration with other agencies and for its"
       " periodic review."),
     T("Pasal tentang integrasi antarinstansi dan reviu berkala; notulen reviu.",
       "Clauses on cross-agency integration and periodic review; review minutes.")),
    (T("Hasil reviu dan evaluasi kebijakan internal tentang {x} ditindaklanjuti dengan"
       " pemutakhiran kebijakan.",
       "The findings of the review of the internal policy on {x} are acted on by updating the"
       " policy."),
     T("Laporan reviu, catatan tindak lanjut, dan kebijakan yang dimutakhirkan.",
       "The review report, follow-up records and the updated policy.")),
]  # fmt: skip

IMPLEMENTATION: Levels = [
    (T("{x}: konsep atau rancangan sudah ada, atau penerapan dimulai tanpa perencanaan.",
       "{x}: a concept or draft exists, or it started without a plan."),
     T("Rancangan dokumen; notulen rapat; dokumentasi kegiatan awal.",
       "Draft documents; meeting minutes; records of first activities.")),
    (T("{x}: tersedia atau diterapkan di sebagian unit kerja, atau baru mencakup sebagian ruang"
       " lingkup yang dipersyaratkan.",
       "{x}: available or applied in some work units, or covering part of the required scope."),
     T("Dokumen atau bukti penerapan di unit kerja yang sudah tercakup.",
       "Documents or evidence of use in the work units covered.")),
    (T("{x}: tersedia atau diterapkan di seluruh unit kerja dan mencakup seluruh ruang lingkup"
       " yang dipersyaratkan.",
       "{x}: available or applied in every work unit and covering the whole required scope."),
     T("Dokumen yang ditetapkan; bukti penerapan di seluruh unit kerja.",
       "The enacted documents; evidence of use in every work unit.")),
    (T("{x}: terintegrasi dengan instansi pusat atau pemerintah daerah lain, serta direviu dan"
       " dievaluasi secara berkala.",
       "{x}: integrated with other central or regional agencies, and reviewed and evaluated"
       " periodically."),
     T("Bukti integrasi (perjanjian, konfigurasi, tangkapan layar); laporan reviu berkala.",
       "Evidence of integration (agreements, configuration, screenshots); periodic review"
       " reports.")),
    (T("{x}: hasil reviu dan evaluasi ditindaklanjuti dengan perbaikan.",
       "{x}: review findings are acted on with improvements."),
     T("Laporan tindak lanjut hasil reviu; dokumen atau sistem hasil perbaikan.",
       "Follow-up reports on the review; the improved documents or systems.")),
]  # fmt: skip

MANAGEMENT: Levels = [
    (T("{x} belum dilakukan, atau dilakukan tanpa perencanaan.",
       "{x} is not done, or done without a plan."),
     T("Catatan kegiatan yang sudah dilakukan; rancangan rencana.",
       "Records of what was done; a draft plan.")),
    (T("{x} dilakukan dengan program kegiatan yang terarah dan terencana, tetapi belum mengacu"
       " pada pedoman yang berlaku.",
       "{x} follows a directed, planned work program but not yet the applicable guideline."),
     T("Dokumen perencanaan (program kerja, jadwal, penanggung jawab).",
       "Planning documents (work program, schedule, people responsible).")),
    (T("{x} dilaksanakan sesuai pedoman yang berlaku.",
       "{x} is carried out according to the applicable guideline."),
     T("Pedoman yang diacu; bukti pelaksanaan sesuai pedoman.",
       "The guideline followed; evidence that the work follows it.")),
    (T("Pelaksanaan {x} direviu dan dievaluasi secara berkala.",
       "{x} is reviewed and evaluated periodically."),
     T("Laporan reviu dan evaluasi berkala.", "Periodic review and evaluation reports.")),
    (T("Hasil reviu dan evaluasi {x} ditindaklanjuti dengan perbaikan.",
       "Review findings on {x} are acted on with improvements."),
     T("Bukti tindak lanjut dan perbaikan.", "Evidence of follow-up and improvement.")),
]  # fmt: skip

AUDIT: Levels = [
    (T("{x} belum dilaksanakan atau baru direncanakan.", "{x} has not been done or is only"
       " planned."),
     T("Rencana audit dalam Peta Rencana SPBE.", "The audit plan in the SPBE roadmap.")),
    (T("{x} dilaksanakan untuk sebagian objek, belum mengikuti standar dan tata cara audit TIK.",
       "{x} covers some objects but does not yet follow the ICT audit standard and procedure."),
     T("Laporan audit internal atas sebagian objek.", "Internal audit reports on some objects.")),
    (T("{x} dilaksanakan sesuai standar dan tata cara audit TIK oleh auditor yang berwenang.",
       "{x} follows the ICT audit standard and procedure and is done by an authorised auditor."),
     T("Laporan audit sesuai standar; surat tugas auditor.",
       "Audit reports to standard; the auditors' assignment letters.")),
    (T("{x} dilaksanakan secara berkala dan hasilnya dievaluasi.",
       "{x} is done periodically and its results are evaluated."),
     T("Jadwal dan laporan audit berkala; evaluasi hasil audit.",
       "Audit schedule and periodic reports; evaluation of the results.")),
    (T("Rekomendasi {x} ditindaklanjuti dan tindak lanjutnya dipantau.",
       "Recommendations of the {x} are acted on and the follow-up is monitored."),
     T("Rencana aksi dan laporan tindak lanjut rekomendasi.",
       "Action plan and follow-up reports on the recommendations.")),
]  # fmt: skip

SERVICE: Levels = [
    (T("{x}: informasi layanan tersedia secara elektronik (satu arah).",
       "{x}: information about the service is available electronically (one way)."),
     T("Alamat aplikasi atau situs; tangkapan layar halaman informasi.",
       "The application or site address; screenshots of the information pages.")),
    (T("{x}: pengguna dan penyelenggara berinteraksi dua arah secara elektronik.",
       "{x}: users and the provider interact both ways electronically."),
     T("Tangkapan layar fitur interaksi (formulir, notifikasi, tanya jawab); manual pengguna.",
       "Screenshots of interactive features (forms, notifications, questions); the user"
       " manual.")),
    (T("{x}: transaksi layanan selesai sepenuhnya secara elektronik.",
       "{x}: the service transaction is completed entirely electronically."),
     T("Tangkapan layar alur transaksi dari awal sampai akhir; data transaksi.",
       "Screenshots of a transaction from start to end; transaction data.")),
    (T("{x}: layanan terintegrasi dengan layanan atau sistem lain, di dalam maupun antarinstansi.",
       "{x}: the service is integrated with other services or systems, within and across"
       " agencies."),
     T("Bukti integrasi (API, pertukaran data) dengan sistem lain; dokumentasi interoperabilitas.",
       "Evidence of integration (API, data exchange) with other systems; interoperability"
       " records.")),
    (T("{x}: layanan terus dioptimalkan berdasarkan data penggunaan dan umpan balik pengguna.",
       "{x}: the service is continually optimised from usage data and user feedback."),
     T("Analisis data penggunaan dan umpan balik; catatan perbaikan layanan.",
       "Analysis of usage data and feedback; records of service improvements.")),
]  # fmt: skip

RUBRICS_BY_ASPECT: dict[str, Levels] = {
    "A1": POLICY,
    "A2": IMPLEMENTATION,
    "A3": IMPLEMENTATION,
    "A4": IMPLEMENTATION,
    "A5": MANAGEMENT,
    "A6": AUDIT,
    "A7": SERVICE,
    "A8": SERVICE,
}
