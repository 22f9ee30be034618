"""The G100SC evaluation instrument, in the editions whose weights differ (2018 and 2022).

Both editions share the items; only the weights of the five evaluation dimensions change. Each
edition is still written out as one self-contained file, because an imported framework version
must be a single immutable document.
"""

from __future__ import annotations

from typing import Any

from g100sc_text import (
    BASELINE,
    DIMENSIONS,
    ELEMENTS,
    IMPACT,
    OUTCOME,
    OUTPUT,
    QUICK_WIN,
    Dimension,
    Element,
    Levels,
    T,
)

# Evaluation dimension weights per edition, in percent of the index.
EDITIONS: dict[str, dict[str, int]] = {
    "2018": {"BAS": 10, "OUT": 20, "OTC": 30, "IMP": 30, "QW": 10},
    "2022": {"BAS": 10, "OUT": 20, "OTC": 30, "IMP": 20, "QW": 20},
}

WEIGHT_SOURCES: dict[str, dict[str, Any]] = {
    "2018": {
        "verified": True,
        "refs": ["SLEMAN-MONEV"],
        "note": "Weights 10/20/30/30/10 as published for the G100SC monitoring and evaluation.",
    },
    "2022": {
        "verified": True,
        "refs": ["JAMBI-2022"],
        "note": "Outcome 30%, Impact 20% and Quick Win 20% as reported for the 2022 evaluation;"
        " Baseline 10% and Output 20% are the remaining 30% split as in 2018 (not quoted).",
    },
}

REFERENCES = [
    {
        "code": "SLEMAN-MONEV",
        "title": "Diskominfo Kabupaten Sleman: Monev Smart City Kabupaten Sleman (five"
        " evaluation dimensions and their weights)",
        "url": "https://kominfo.slemankab.go.id/monev-smart-city-kabupaten-sleman/",
    },
    {
        "code": "JAMBI-2022",
        "title": "Jambi Ekspres: Targetkan Indeks SPBE 2022 Meningkat, Kota Jambi Mencapai Smart"
        " City (weights of the 2022 evaluation)",
        "url": "https://jambiekspres.disway.id/amp/654588/targetkan-indeks-spbe-2022-meningkat-kota"
        "-jambi-mencapai-smart-city/16",
    },
    {
        "code": "KOMINFO-PEDOMAN-2018",
        "title": "Kementerian Kominfo, Ditjen Aptika: Buku Pedoman Evaluasi Smart City 2018,"
        " Gerakan Menuju 100 Smart City (method and dimensions; not the item texts)",
    },
    {
        "code": "KOMINFO-PEDOMAN-2021",
        "title": "Kementerian Kominfo, Ditjen Aptika: Pedoman Evaluasi Smart City 2021"
        " (Gerakan Smart City Nasional, five dimensions; not the item texts)",
    },
]

NOTES = T(
    "Struktur (lima dimensi evaluasi, enam dimensi smart city dengan tiga elemen masing-masing,"
    " skala 1–5) dan bobot dimensi evaluasi mengikuti publikasi program Gerakan Menuju 100 Smart"
    " City; lihat referensi. Teks butir resmi instrumen evaluasi tidak dipublikasikan: nama butir,"
    " pertanyaan, rubrik tingkat dan daftar bukti di berkas ini ditulis untuk cityeval dan bukan"
    " teks resmi Kementerian Kominfo. Pembagian bobot di dalam dimensi evaluasi (sama rata), pita"
    " predikat, dan pembulatan per tingkat ditetapkan oleh proyek. Mengganti teks atau bobot ini"
    " dengan versi resmi adalah perubahan data: terbitkan sebagai versi baru.",
    "The structure (five evaluation dimensions, six smart city dimensions with three elements"
    " each, a 1–5 scale) and the evaluation dimension weights follow the published material of"
    " the Gerakan Menuju 100 Smart City program; see the references. The official item texts of"
    " the instrument are not public: the item names, questions, level rubrics and evidence lists"
    " in this file are written for cityeval and are not the ministry's wording. The split of"
    " weights inside an evaluation dimension (equal), the predicate bands and rounding per level"
    " are defined by the project. Replacing these texts or weights with official ones is a data"
    " change: publish it as a new version.",
)

BANDS = [
    ("RINTISAN", T("Rintisan", "Initiating"), 1),
    ("BERKEMBANG", T("Berkembang", "Developing"), 2),
    ("MAPAN", T("Mapan", "Established"), 3),
    ("MAJU", T("Maju", "Advanced"), "3.75"),
    ("UNGGUL", T("Unggul", "Leading"), "4.5"),
]


def text(value: T, **names: str) -> dict[str, str]:
    return {"id": value.id.format(**names), "en": value.en.format(**names)}


def fill(template: T, name: T) -> dict[str, str]:
    """The template with {x} replaced by the name, each language with its own name."""
    return {"id": template.id.format(x=name.id), "en": template.en.format(x=name.en)}


def levels(template: Levels, name: T) -> dict[int, dict[str, dict[str, str]]]:
    return {
        number: {"rubric": fill(rubric, name), "evidence": fill(evidence, name)}
        for number, (rubric, evidence) in enumerate(template, start=1)
    }


def lower_first(value: T) -> T:
    return T(value.id[0].lower() + value.id[1:], value.en[0].lower() + value.en[1:])


def item(code: str, name: T, weight: str, tags: list[str], **rest: Any) -> dict[str, Any]:
    return {"code": code, "kind": rest.pop("kind", "maturity"), "name": text(name),
            "weight": weight, "tags": tags, **rest}  # fmt: skip


def element_items(prefix: str, title: T, question: T, template: Levels) -> list[dict[str, Any]]:
    found = []
    for element in ELEMENTS:
        x = lower_first(element.name)
        found.append(
            item(
                f"{prefix}-{element.code}",
                T(**fill(title, element.name)),
                f"1/{len(ELEMENTS)}",
                [element.dimension, element.code],
                question=fill(question, x),
                guidance=_guidance(element),
                levels=levels(template, x),
            )
        )
    return found


def _guidance(element: Element) -> dict[str, str]:
    return {
        "id": f"Contoh program: {element.examples.id}. Ukuran manfaat: {element.measures.id}.",
        "en": f"Example programs: {element.examples.en}. Measures of benefit:"
        f" {element.measures.en}.",
    }


def program_share(dimension: Dimension) -> dict[str, Any]:
    name = dimension.name
    return item(
        f"OTC-PRG-{dimension.code}",
        T(f"Program masterplan {name.id} yang berjalan", f"Masterplan {name.en} programs running"),
        f"1/{len(DIMENSIONS)}",
        [dimension.code],
        kind="percentage",
        question=text(T(
            f"Berapa persen program {name.id} dalam masterplan yang berjalan pada tahun evaluasi?",
            f"What share of the masterplan's {name.en} programs runs in the evaluation year?",
        )),
        guidance=text(T(
            f"Dihitung dari daftar program masterplan: program {name.id} berstatus berjalan dibagi"
            " seluruh program dimensi ini (misalnya 9 dari 10 program = 90%).",
            f"Computed from the masterplan program list: {name.en} programs marked running divided"
            " by all programs of the dimension (e.g. 9 of 10 programs = 90%).",
        )),
        source="programs",
        dimension=dimension.code,
    )  # fmt: skip


def quick_win(dimension: Dimension) -> dict[str, Any]:
    name = dimension.name
    return item(
        f"QW-{dimension.code}",
        T(f"Inovasi quick win {name.id}", f"Quick win innovation: {name.en}"),
        f"1/{len(DIMENSIONS)}",
        [dimension.code],
        question=text(T(
            f"Seberapa inovatif dan berdampak quick win {name.id} yang dipilih daerah?",
            f"How innovative and effective is the {name.en} quick win the region chose?",
        )),
        levels=levels(QUICK_WIN, name),
    )  # fmt: skip


def group(code: str, name: T, weight: str, children: list[dict[str, Any]], **rest: Any) -> Any:
    return {"code": code, "name": text(name), "weight": weight, **rest, "children": children}


def tree(edition: str) -> dict[str, Any]:
    percent = EDITIONS[edition]
    source = WEIGHT_SOURCES[edition]

    def share(code: str) -> str:
        return f"{percent[code]}/100"

    children = [
        group("BAS", T("Baseline", "Baseline"), share("BAS"),
              element_items("BAS", T("Data dasar dan peningkatan: {x}",
                                     "Baseline and improvement: {x}"),
                            T("Seberapa lengkap data kondisi awal {x} dan seberapa jauh"
                              " kondisinya membaik sejak evaluasi sebelumnya?",
                              "How complete is the baseline data on {x}, and how far has it"
                              " improved since the previous evaluation?"), BASELINE),
              description=text(T(
                  "Kondisi awal; setelah evaluasi pertama, peningkatan dibanding evaluasi"
                  " sebelumnya.",
                  "The starting condition; after the first evaluation, improvement over the"
                  " previous one.")),
              provenance=source),
        group("OUT", T("Output", "Output"), share("OUT"),
              element_items("OUT", T("Regulasi, kelembagaan dan anggaran: {x}",
                                     "Regulation, institutions and budget: {x}"),
                            T("Sejauh mana regulasi, kelembagaan dan anggaran disiapkan untuk"
                              " program {x}?",
                              "How far are regulation, institutions and budget in place for the"
                              " {x} programs?"), OUTPUT),
              description=text(T("Regulasi, kelembagaan dan anggaran untuk program smart city.",
                                 "Regulation, institutions and budget for the programs.")),
              provenance=source),
        group("OTC", T("Outcome", "Outcome"), share("OTC"), [
            group("OTC-PRG", T("Program masterplan yang berjalan", "Masterplan programs running"),
                  "1/2", [program_share(d) for d in DIMENSIONS], provenance=PROJECT_SPLIT),
            group("OTC-QLT", T("Kualitas pelaksanaan program", "Quality of program execution"),
                  "1/2", element_items("OTC", T("Pelaksanaan program: {x}",
                                                "Program execution: {x}"),
                                       T("Sejauh mana program {x} dalam masterplan dijalankan?",
                                         "How far are the masterplan's {x} programs carried"
                                         " out?"), OUTCOME),
                  provenance=PROJECT_SPLIT),
        ], description=text(T("Pelaksanaan program masterplan.",
                              "Execution of the masterplan's programs.")), provenance=source),
        group("IMP", T("Impact", "Impact"), share("IMP"),
              element_items("IMP", T("Manfaat bagi masyarakat: {x}", "Benefit to citizens: {x}"),
                            T("Seberapa besar manfaat program {x} yang dirasakan masyarakat?",
                              "How much do citizens benefit from the {x} programs?"), IMPACT),
              description=text(T("Manfaat yang dirasakan masyarakat.",
                                 "Benefit felt by citizens.")),
              provenance=source),
        group("QW", T("Quick Win", "Quick Win"), share("QW"),
              [quick_win(d) for d in DIMENSIONS],
              description=text(T("Inovasi program percepatan (quick win).",
                                 "Innovation of the quick-win programs.")),
              provenance=source),
    ]  # fmt: skip
    return {"code": "G100SC", "name": text(T("Indeks Smart City", "Smart City Index")),
            "children": children}  # fmt: skip


PROJECT_SPLIT = {
    "verified": False,
    "note": "Split defined by the project: program share and execution quality count equally.",
}


def tag_axis() -> dict[str, Any]:
    return {
        "name": text(T("Dimensi smart city", "Smart city dimensions")),
        "tags": [
            {
                "code": dimension.code,
                "name": text(dimension.name),
                "children": [
                    {"code": element.code, "name": text(element.name)}
                    for element in ELEMENTS
                    if element.dimension == dimension.code
                ],
            }
            for dimension in DIMENSIONS
        ],
    }


def document(edition: str) -> dict[str, Any]:
    return {
        "format": 1,
        "code": "G100SC",
        "version": edition,
        "name": text(T(f"Evaluasi Gerakan Menuju 100 Smart City (edisi {edition})",
                       f"Gerakan Menuju 100 Smart City evaluation ({edition} edition)")),
        "sources": {"notes": text(NOTES), "references": REFERENCES},
        "scale": {"minimum": 1, "maximum": 5},
        "rounding": {"places": 2, "mode": "half_up", "round_each_level": False},
        "missing": "lowest",
        "aggregation": "arithmetic",
        "predicates": {
            "provenance": {"verified": False,
                           "note": "G100SC publishes no predicate bands; these are defined by"
                           " the project."},
            "bands": [{"code": c, "label": text(label), "minimum": m} for c, label, m in BANDS],
        },
        "tag_axis": tag_axis(),
        "tree": tree(edition),
    }  # fmt: skip
