"""The SPBE evaluation of PermenPAN-RB 59/2020: 4 domains, 8 aspects, 47 indicators.

The regulation states each weight as a percentage of the whole index. The tree keeps weights
relative to the parent, written as the ratio of the two published percentages (an aspect of 10%
in a domain of 25% is `10/25`), so the product along a path is the published share and the
index is still the plain weighted sum of the indicator levels.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from g100sc_text import T
from spbe_text import INDICATORS, RUBRICS_BY_ASPECT

# Code -> (name, percent of the index, provenance). Indicator shares are listed per aspect.
DOMAINS: dict[str, tuple[T, str, dict[str, Any]]] = {
    "D1": (T("Kebijakan Internal SPBE", "SPBE internal policy"), "13",
           {"verified": True, "refs": ["TKSPBE-KEBIJAKAN-2023", "BRALINK-47"],
            "note": "13% of the index."}),
    "D2": (T("Tata Kelola SPBE", "SPBE governance"), "25",
           {"verified": True, "refs": ["GORONTALO-D2"], "note": "25% of the index, three"
            " aspects."}),
    "D3": (T("Manajemen SPBE", "SPBE management"), "16.5",
           {"verified": True, "refs": ["GORONTALO-D3"], "note": "16.5% of the index, two"
            " aspects."}),
    "D4": (T("Layanan SPBE", "SPBE services"), "45.5",
           {"verified": True, "refs": ["PURBALINGGA-D4"], "note": "45.5% of the index."}),
}  # fmt: skip

_DERIVED = (
    "{share}% of the index: equal to {count} indicators × {each}% as seeded by third-party SPBE"
    " self-assessment tools and consistent with the domain's published share; not found in an"
    " official text."
)

ASPECTS: dict[str, tuple[str, T, str, dict[str, Any]]] = {
    "A1": ("D1", T("Kebijakan Internal Tata Kelola SPBE", "Internal policy on SPBE governance"),
           "13", {"verified": True, "refs": ["BRALINK-47", "TKSPBE-KEBIJAKAN-2023"],
                  "note": "13% of the index; the domain's only aspect."}),
    "A2": ("D2", T("Perencanaan Strategis SPBE", "SPBE strategic planning"), "10",
           {"verified": False, "refs": ["SIMALUNGUN-11-14", "CIREBON-ASPEK"],
            "note": _DERIVED.format(share=10, count=4, each=2.5)}),
    "A3": ("D2", T("Teknologi Informasi dan Komunikasi", "Information and communication"
                   " technology"), "10",
           {"verified": False, "refs": ["SAMBAS-18", "CIREBON-ASPEK"],
            "note": _DERIVED.format(share=10, count=4, each=2.5)}),
    "A4": ("D2", T("Penyelenggara SPBE", "SPBE organisers"), "5",
           {"verified": False, "refs": ["LEMBANOYOGA-SPBE", "CIREBON-ASPEK"],
            "note": _DERIVED.format(share=5, count=2, each=2.5)}),
    "A5": ("D3", T("Penerapan Manajemen SPBE", "SPBE management practice"), "12",
           {"verified": False, "refs": ["GORONTALO-D3", "PURBALINGGA-21"],
            "note": "12% of the index as given in the project brief; 16.5% (domain) − 4.5% (audit)"
            " and 8 indicators × 1.5% agree; not found in an official text."}),
    "A6": ("D3", T("Audit Teknologi Informasi dan Komunikasi", "ICT audit"), "4.5",
           {"verified": False, "refs": ["GORONTALO-D3", "MAJALENGKA-29"],
            "note": "4.5% of the index as given in the project brief; 3 indicators × 1.5% agree;"
            " not found in an official text."}),
    "A7": ("D4", T("Layanan Administrasi Pemerintahan Berbasis Elektronik",
                   "Electronic government administration services"), "27.5",
           {"verified": True, "refs": ["PURBALINGGA-D4"], "note": "27.5% of the index."}),
    "A8": ("D4", T("Layanan Publik Berbasis Elektronik", "Electronic public services"), "18",
           {"verified": True, "refs": ["PURBALINGGA-D4"], "note": "18% of the index."}),
}  # fmt: skip

NAME_REFS = {
    "A1": ["TKSPBE-KEBIJAKAN-2023"],
    "A2": ["SIMALUNGUN-11-14"],
    "A3": ["SAMBAS-18", "PROJECT-DELA"],
    "A4": ["LEMBANOYOGA-SPBE"],
    "A5": ["PURBALINGGA-21", "LEMBANOYOGA-SPBE"],
    "A6": ["MAJALENGKA-29"],
    "A7": ["PURBALINGGA-D4"],
    "A8": ["PURBALINGGA-D4"],
}

REFERENCES = [
    ("PERMENPANRB-59-2020", "Peraturan Menteri PANRB Nomor 59 Tahun 2020 tentang Pemantauan dan"
     " Evaluasi Sistem Pemerintahan Berbasis Elektronik", None),
    ("KEMENPANRB-SEKILAS-2020", "Kementerian PANRB: Sekilas PermenPANRB No. 59 Tahun 2020"
     " (presentation, 19–20 Nov 2020): 4 domains, 8 aspects, 47 indicators per aspect"
     " 10/4/4/2/8/3/10/6, maturity scale 1–5",
     "https://id.scribd.com/document/501484908/20201119-Materi1-Sekilas-PermenPANRB-59-2020"),
    ("TKSPBE-KEBIJAKAN-2023", "Tim Koordinasi SPBE Nasional: Materi Pemantauan dan Evaluasi SPBE,"
     " Bagian I Domain Kebijakan (2023): domain 13%, each of indicators 1–10 1.3%",
     "https://www.slideshare.net/slideshow/v4-bagian-1-modul-kebijakan-spbe-2023pdf/265601277"),
    ("TKSPBE-TATA-KELOLA", "Kementerian PANRB: Materi Instrumen Pemantauan dan Evaluasi SPBE,"
     " Domain Tata Kelola, indikator 11–20: maturity level names 1 Rintisan to 5 Optimum",
     "https://www.slideshare.net/slideshow/paparan-domaintata-kelola-sistem-pemerintahan-"
     "berbasis-elektronik-pptx/266948856"),
    ("BRALINK-47", "47 Indikator Penilaian Evaluasi SPBE 2021: aspect 1 weighs 13% with 10"
     " indicators", "https://bralink.id/47-indikator-penilaian-evaluasi-spbe-2021/"),
    ("GORONTALO-D2", "SPBE Provinsi Gorontalo, Domain 2 Tata Kelola: 25%, three aspects",
     "https://spbe.gorontaloprov.go.id/spbe/tata-kelola"),
    ("GORONTALO-D3", "SPBE Provinsi Gorontalo, Domain 3 Manajemen: 16.5%, two aspects",
     "https://spbe.gorontaloprov.go.id/spbe/manajemen"),
    ("PURBALINGGA-D4", "SIMP SPBE Kabupaten Purbalingga, Domain 4 Layanan SPBE: 45.5%, aspect 7"
     " 27.5%, aspect 8 18%, indicators 32–47",
     "https://simpspbe.purbalinggakab.go.id/2021/05/05/domain-4-layanan-spbe/"),
    ("PURBALINGGA-21", "SIMP SPBE Kabupaten Purbalingga: Domain 3, aspect 5, indicator 21",
     "https://simpspbe.purbalinggakab.go.id/2021/05/05/manajemen-risiko-spbe/"),
    ("SIMALUNGUN-11-14", "SPBE Kabupaten Simalungun: indicators 11–14 (Perencanaan Strategis)",
     "https://spbe.simalungunkab.go.id/?p=100"),
    ("SAMBAS-18", "SPBE Kabupaten Sambas: indicator 18, aspect Teknologi Informasi dan"
     " Komunikasi", "https://spbe.sambas.go.id/indikator-18-sistem-penghubung-layanan"),
    ("MAJALENGKA-29", "SPBE Kabupaten Majalengka: indicator 29 (audit infrastruktur)",
     "https://spbe.majalengkakab.go.id/?p=163"),
    ("CIREBON-ASPEK", "SPBE Kabupaten Cirebon: names of aspects 1–8",
     "https://spbe.cirebonkab.go.id/?p=832"),
    ("PROJECT-DELA", "GitHub kakaalma27/project-dela: list of indicators 1–12",
     "https://github.com/kakaalma27/project-dela"),
    ("LEMBANOYOGA-SPBE", "GitHub lembanoyoga/spbe: aspect 4 indicators 19–20, indicator 28",
     "https://github.com/lembanoyoga/spbe"),
]  # fmt: skip

NOTES = T(
    "Struktur (4 domain, 8 aspek, 47 indikator, tingkat kematangan 1–5, indeks = jumlah"
    " berbobot) dan predikat mengikuti PermenPAN-RB Nomor 59 Tahun 2020. Bobot di pohon ditulis"
    " relatif terhadap induknya sebagai rasio dua persentase yang dipublikasikan (aspek 10% dalam"
    " domain 25% ditulis 10/25), sehingga hasil kali bobot sepanjang jalur sama dengan persentase"
    " indikator terhadap indeks. Setiap domain, aspek dan indikator mencatat (provenance) apakah"
    " nama dan bobotnya terverifikasi dari sumber publik; yang tidak terverifikasi ditandai"
    " verified: false. Rubrik dan daftar bukti di berkas ini adalah parafrase pola tingkat"
    " kematangan yang ditulis untuk cityeval, bukan teks kriteria resmi; menggantinya dengan teks"
    " resmi adalah perubahan data yang diterbitkan sebagai versi baru.",
    "The structure (4 domains, 8 aspects, 47 indicators, maturity levels 1–5, index = weighted"
    " sum) and the predicates follow PermenPAN-RB 59/2020. Weights in the tree are relative to the"
    " parent, written as the ratio of two published percentages (an aspect of 10% in a domain of"
    " 25% is 10/25), so the product of the weights along a path equals the indicator's share of"
    " the index. Every domain, aspect and indicator records (provenance) whether its name and"
    " weight are verified from a public source; what is not verified says verified: false. The"
    " rubrics and evidence lists in this file paraphrase the regulation's maturity pattern and are"
    " written for cityeval, not the official criteria text; replacing them with the official text"
    " is a data change published as a new version.",
)

BANDS = [
    ("KURANG", T("Kurang", "Poor"), 1),
    ("CUKUP", T("Cukup", "Fair"), "1.8"),
    ("BAIK", T("Baik", "Good"), "2.6"),
    ("SANGAT-BAIK", T("Sangat Baik", "Very good"), "3.5"),
    ("MEMUASKAN", T("Memuaskan", "Satisfactory"), "4.2"),
]

LEVEL_NAMES = [
    T("Rintisan", "Initial"),
    T("Terkelola", "Managed"),
    T("Terstandardisasi", "Standardised"),
    T("Terintegrasi dan Terukur", "Integrated and measured"),
    T("Optimum", "Optimised"),
]


def text(value: T) -> dict[str, str]:
    return {"id": value.id, "en": value.en}


def lower_first(value: str) -> str:
    """Lower-case the first letter unless the word is an acronym (SPBE, ICT)."""
    return value if value[1:2].isupper() else value[:1].lower() + value[1:]


def sentence(template: str, subject: str) -> str:
    filled = template.format(x=subject)
    return filled[0].upper() + filled[1:]


def indicator(number: int) -> dict[str, Any]:
    aspect, name, subject = INDICATORS[number]
    members = [n for n, (a, _, _) in INDICATORS.items() if a == aspect]
    share = ASPECTS[aspect][2]
    each = format((Decimal(share) / len(members)).normalize(), "f")
    verified = aspect == "A1"  # only the policy indicators' 1.3% is published per indicator
    levels = {
        level: {
            "rubric": {"id": sentence(r.id, subject.id), "en": sentence(r.en, subject.en)},
            "evidence": {"id": sentence(e.id, subject.id), "en": sentence(e.en, subject.en)},
        }
        for level, (r, e) in enumerate(RUBRICS_BY_ASPECT[aspect], start=1)
    }
    return {
        "code": f"I{number:02d}",
        "kind": "maturity",
        "name": text(name),
        "question": {
            "id": f"Indikator {number}: tingkat kematangan {name.id}.",
            "en": f"Indicator {number}: maturity of {lower_first(name.en)}.",
        },
        "weight": f"1/{len(members)}",
        "provenance": {
            "verified": verified,
            "refs": NAME_REFS[aspect],
            "note": f"{each}% of the index"
            + ("." if verified else ": equal share within the aspect, derived, not published."),
        },
        "levels": levels,
    }


def tree() -> dict[str, Any]:
    domains = []
    for code, (name, share, provenance) in DOMAINS.items():
        aspects = []
        for aspect_code, (domain, aspect_name, aspect_share, aspect_source) in ASPECTS.items():
            if domain != code:
                continue
            numbers = [n for n, (a, _, _) in INDICATORS.items() if a == aspect_code]
            aspects.append({
                "code": aspect_code, "name": text(aspect_name),
                "weight": f"{aspect_share}/{share}", "provenance": aspect_source,
                "children": [indicator(n) for n in numbers],
            })  # fmt: skip
        domains.append({"code": code, "name": text(name), "weight": f"{share}/100",
                        "provenance": provenance, "children": aspects})  # fmt: skip
    return {"code": "SPBE", "name": text(T("Indeks SPBE", "SPBE index")), "children": domains}


def document() -> dict[str, Any]:
    return {
        "format": 1,
        "code": "SPBE",
        "version": "2020",
        "name": text(T("Evaluasi SPBE (PermenPAN-RB 59/2020)",
                       "SPBE evaluation (PermenPAN-RB 59/2020)")),
        "sources": {
            "notes": text(NOTES),
            "references": [{"code": c, "title": t, **({"url": u} if u else {})}
                           for c, t, u in REFERENCES],
        },
        "scale": {"minimum": 1, "maximum": 5,
                  "labels": {n: text(t) for n, t in enumerate(LEVEL_NAMES, start=1)}},
        "rounding": {"places": 2, "mode": "half_up", "round_each_level": False},
        "missing": "lowest",
        "aggregation": "arithmetic",
        "predicates": {
            "provenance": {"verified": False, "refs": ["PERMENPANRB-59-2020"],
                           "note": "Bands as given in the project brief, quoting the regulation;"
                           " not checked against the regulation's text here."},
            "bands": [{"code": c, "label": text(label), "minimum": m} for c, label, m in BANDS],
        },
        "tree": tree(),
    }  # fmt: skip
