"""Plain-language descriptions of the problems a framework file can have.

Problems carry a type and a context (pydantic's own error types and ours, prefixed
`cityeval.`); the words are chosen here, at the moment of reporting, in the active language.
Indonesian is the source language of the messages; English comes from the .po catalogue.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from cityeval.frameworks.fields import (
    CODE_PATTERN,
    FRAMEWORK_CODE_PATTERN,
    VERSION_PATTERN,
    canonical_decimal,
    canonical_weight,
)
from cityeval.frameworks.schema import all_field_names


def _templates() -> dict[str, str]:
    # Built each time so that each message is translated into the language active now.
    return {
        "missing": _("wajib ada tetapi tidak ditulis"),
        "string_type": _("harus berupa teks, bukan %(value)s"),
        "string_too_short": _("tidak boleh kosong"),
        "int_type": _("harus bilangan bulat, bukan %(value)s"),
        "int_parsing": _("harus bilangan bulat, bukan %(value)s"),
        "int_from_float": _("harus bilangan bulat, bukan %(value)s"),
        "bool_type": _("harus true atau false, bukan %(value)s"),
        "bool_parsing": _("harus true atau false, bukan %(value)s"),
        "literal_error": _("%(value)s tidak dikenal; pilihan: %(expected)s"),
        "list_type": _("harus berupa daftar (list), bukan %(value)s"),
        "tuple_type": _("harus berupa daftar (list), bukan %(value)s"),
        "too_short": _("daftar ini tidak boleh kosong"),
        "greater_than_equal": _("paling kecil %(ge)s, bukan %(value)s"),
        "less_than_equal": _("paling besar %(le)s, bukan %(value)s"),
        "union_tag_invalid": _(
            "jenis (kind) '%(tag)s' tidak dikenal; pilihan: group, maturity, percentage,"
            " quantitative"
        ),
        "union_tag_not_found": _(
            "tidak jelas apakah ini kelompok atau indikator: tulis kind (maturity, percentage,"
            " quantitative) untuk indikator, atau children untuk kelompok"
        ),
        "cityeval.number_invalid": _("%(value)s bukan angka"),
        "cityeval.weight_invalid": _(
            "bobot %(value)s tidak terbaca; tulis pecahan dari 1 seperti 0.25 atau rasio seperti"
            " 12/16.5"
        ),
        "cityeval.weight_range": _("bobot harus lebih dari 0 dan paling besar 1, bukan %(value)s"),
        "cityeval.weights_sum": _(
            "bobot anak-anak %(node)s berjumlah %(total)s, seharusnya tepat 1"
        ),
        "cityeval.duplicate_code": _(
            "kode %(code)s dipakai lebih dari sekali (juga di %(other)s); kode harus unik di"
            " seluruh dokumen"
        ),
        "cityeval.duplicate_reference": _("kode referensi %(codes)s dipakai dua kali"),
        "cityeval.duplicate_band": _("kode pita predikat %(codes)s dipakai dua kali"),
        "cityeval.duplicate_tag": _("tag %(codes)s dicantumkan dua kali"),
        "cityeval.unknown_reference": _("referensi %(refs)s tidak ada di sources.references"),
        "cityeval.unknown_tag": _("tag %(tags)s tidak ada di tag_axis"),
        "cityeval.tags_without_axis": _(
            "dokumen ini tidak punya tag_axis, jadi indikatornya tidak boleh bertag"
        ),
        "cityeval.tag_parent_missing": _(
            "tag %(tag)s adalah elemen dari %(parent)s; cantumkan juga %(parent)s"
        ),
        "cityeval.scale_order": _("minimum skala harus lebih kecil dari maksimumnya"),
        "cityeval.labels_outside": _("label tingkat %(levels)s di luar skala"),
        "cityeval.levels_outside": _(
            "tingkat %(levels)s di luar skala %(minimum)s sampai %(maximum)s"
        ),
        "cityeval.levels_missing": _(
            "tingkat %(missing)s tidak ada; indikator maturity perlu rubrik dan bukti untuk setiap"
            " tingkat %(minimum)s sampai %(maximum)s"
        ),
        "cityeval.bands_order": _("pita predikat harus naik dan tidak tumpang tindih: %(detail)s"),
        "cityeval.bands_start": _(
            "pita predikat terendah harus mulai di minimum skala %(minimum)s, bukan %(first)s"
        ),
        "cityeval.bands_above_scale": _("pita %(code)s mulai di atas maksimum skala %(maximum)s"),
        "cityeval.dimension_missing": _(
            "indikator dengan source: programs harus menyebut dimension (kode dimensi smart city)"
        ),
        "cityeval.dimension_without_programs": _(
            "dimension hanya dipakai bersama source: programs"
        ),
        "cityeval.dimension_unknown": _(
            "dimension %(dimension)s bukan dimensi (tag teratas) di tag_axis"
        ),
        "cityeval.dimension_not_tagged": _("cantumkan juga %(dimension)s di tags indikator ini"),
        "cityeval.bounds_missing": _("normalisasi %(normalisation)s memerlukan %(fields)s"),
        "cityeval.bounds_unused": _(
            "normalisasi %(normalisation)s tidak memakai %(fields)s; hapus nilainya"
        ),
        "cityeval.bounds_order": _("lower harus lebih kecil dari upper"),
        "cityeval.target_direction": _(
            "target tidak mungkin dicapai dari lower (nilai awal) dengan arah %(direction)s"
        ),
        "cityeval.yaml_invalid": _("YAML tidak valid: %(problem)s"),
        "cityeval.yaml_duplicate_key": _(
            "kunci %(key)s ditulis dua kali (pertama di baris %(first)s)"
        ),
        "cityeval.not_mapping": _(
            "isi berkas harus berupa mapping (kunci: nilai) di tingkat teratas, bukan %(kind)s"
        ),
        "cityeval.empty": _("berkas kosong"),
        "cityeval.unreadable": _("berkas tidak dapat dibaca: %(reason)s"),
        "cityeval.not_utf8": _("berkas harus berenkode UTF-8"),
        "cityeval.too_large": _("berkas lebih besar dari %(limit)s bita"),
        "cityeval.conflict": _(
            "%(ref)s sudah diimpor dengan isi yang berbeda (SHA-256 tersimpan %(stored)s, berkas"
            " ini %(new)s); versi yang sudah diimpor tidak dapat diubah: beri perubahan ini versi"
            " baru"
        ),
    }


def describe(error_type: str, ctx: Mapping[str, Any] | None = None, value: Any = None) -> str:
    """The message for a problem of `error_type`, in the active language."""
    ctx = dict(ctx or {})
    if error_type == "string_pattern_mismatch":
        return _pattern(ctx.get("pattern"), value)
    if error_type == "extra_forbidden":
        return _("kunci tidak dikenal") + _suggestion(ctx.get("key"))
    if error_type in ("model_type", "model_attributes_type", "dict_type"):
        if value is None:
            return _("kosong; di sini harus ada sebuah mapping (kunci: nilai)")
        return _("harus berupa mapping (kunci: nilai), bukan %(value)s") % {"value": _shown(value)}
    template = _templates().get(error_type)
    if template is None:
        return _("nilai tidak valid (%(type)s): %(value)s") % {
            "type": error_type,
            "value": _shown(value),
        }
    shown = {key: _shown(item) if key == "value" else item for key, item in ctx.items()}
    return template % {**shown, "value": _shown(ctx.get("value", value))}


def _shown(value: Any) -> str:
    if isinstance(value, Fraction):
        return canonical_weight(value)
    if isinstance(value, Decimal):
        return canonical_decimal(value) if value.is_finite() else str(value)
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict | list):
        return _("sebuah mapping") if isinstance(value, dict) else _("sebuah daftar")
    return str(value)


def _pattern(pattern: object, value: Any) -> str:
    shown = {"value": _shown(value)}
    if pattern == CODE_PATTERN:
        template = _(
            "kode %(value)s tidak valid: pakai huruf, angka, titik, garis bawah atau tanda hubung,"
            " diawali huruf atau angka, paling panjang 40 karakter"
        )
    elif pattern == FRAMEWORK_CODE_PATTERN:
        template = _(
            "kode kerangka %(value)s tidak valid: pakai huruf besar, angka, garis bawah atau tanda"
            " hubung, paling panjang 20 karakter"
        )
    elif pattern == VERSION_PATTERN:
        template = _(
            "versi %(value)s tidak valid: pakai huruf, angka, titik, garis bawah atau tanda hubung,"
            " paling panjang 20 karakter"
        )
    else:
        return _("%(value)s tidak sesuai pola %(pattern)s") % {**shown, "pattern": pattern}
    return template % shown


def _suggestion(key: object) -> str:
    if not isinstance(key, str):
        return ""
    close = difflib.get_close_matches(key, sorted(all_field_names()), n=1, cutoff=0.75)
    return _(" (maksudnya %(key)s?)") % {"key": close[0]} if close else ""


def line_label(line: int) -> str:
    return _("baris %(line)d") % {"line": line}


def line_column_label(line: int, column: int) -> str:
    return _("baris %(line)d, kolom %(column)d") % {"line": line, "column": column}


def document_label() -> str:
    return _("(dokumen)")
