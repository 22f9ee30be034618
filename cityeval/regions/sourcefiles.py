"""Reading and checking the region list files before anything touches the database.

The files are `provinces.csv` (code,name) and `regencies.csv` (code,province_code,name) as
shipped by the npm package idn-area-data. Every problem stops the load with the file and line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from cityeval.regions.models import PROVINCE_CODE_PATTERN, REGION_CODE_PATTERN, Region

PROVINCES_FILE = "provinces.csv"
REGIONS_FILE = "regencies.csv"
# Far above the real files (about 1 KB and 20 KB): pointing at the wrong folder, e.g. one
# holding villages.csv, must fail fast instead of reading megabytes.
MAX_FILE_BYTES = 1024 * 1024

# Longest first: Jakarta's regency and cities are administrative ("Kota Administrasi Jakarta
# Pusat"); people and the ministry call it "Jakarta Pusat", so that is the short name.
_KIND_PREFIXES = (
    ("Kabupaten Administrasi ", Region.Kind.KABUPATEN),
    ("Kota Administrasi ", Region.Kind.KOTA),
    ("Kabupaten ", Region.Kind.KABUPATEN),
    ("Kota ", Region.Kind.KOTA),
)


class RegionDataError(Exception):
    """A region list file is missing or malformed; nothing has been written."""

    def __init__(self, file: Path, message: str, line: int | None = None) -> None:
        self.file = file
        self.line = line
        self.message = message
        where = f"{file}, line {line}" if line is not None else str(file)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class ProvinceRow:
    code: str
    name: str


@dataclass(frozen=True)
class RegionRow:
    code: str
    province_code: str
    name: str
    full_name: str
    kind: Region.Kind


@dataclass(frozen=True)
class SourceInfo:
    name: str
    version: str
    author: str
    licence: str
    url: str
    checksum: str


def read_provinces(path: Path) -> list[ProvinceRow]:
    rows: list[ProvinceRow] = []
    seen: dict[str, int] = {}
    for line, record in _records(path, ("code", "name")):
        code, name = record["code"], record["name"]
        if not re.match(PROVINCE_CODE_PATTERN, code):
            raise RegionDataError(path, f"province code {code!r} is not of the form NN", line)
        _refuse_duplicate(path, line, code, seen)
        if not name:
            raise RegionDataError(path, f"province {code} has no name", line)
        rows.append(ProvinceRow(code=code, name=name))
    return rows


def read_regions(path: Path, province_codes: set[str]) -> list[RegionRow]:
    rows: list[RegionRow] = []
    seen: dict[str, int] = {}
    for line, record in _records(path, ("code", "province_code", "name")):
        code, province_code = record["code"], record["province_code"]
        if not re.match(REGION_CODE_PATTERN, code):
            raise RegionDataError(path, f"region code {code!r} is not of the form NN.NN", line)
        if province_code not in province_codes:
            message = f"province {province_code!r} of region {code} is not in {PROVINCES_FILE}"
            raise RegionDataError(path, message, line)
        if not code.startswith(f"{province_code}."):
            message = f"region code {code} does not belong to province {province_code}"
            raise RegionDataError(path, message, line)
        _refuse_duplicate(path, line, code, seen)
        try:
            kind, name = split_kind(record["name"])
        except ValueError as error:
            raise RegionDataError(path, f"region {code}: {error}", line) from error
        rows.append(RegionRow(code, province_code, name, record["name"], kind))
    return rows


def split_kind(full_name: str) -> tuple[Region.Kind, str]:
    """'Kabupaten Kutai Kartanegara' -> (KABUPATEN, 'Kutai Kartanegara')."""
    for prefix, kind in _KIND_PREFIXES:
        if full_name.startswith(prefix):
            return kind, _checked_short_name(full_name, full_name.removeprefix(prefix))
    raise ValueError(f"name {full_name!r} does not start with 'Kabupaten ' or 'Kota '")


def _checked_short_name(full_name: str, rest: str) -> str:
    # "Kota Kotamobagu" and "Kabupaten Lima Puluh Kota" are real; "Kota Kabupaten X" is not.
    if any(rest.startswith(prefix) for prefix, _kind in _KIND_PREFIXES):
        raise ValueError(f"name {full_name!r} has more than one kind prefix")
    if not rest.strip():
        raise ValueError(f"name {full_name!r} has nothing after the kind prefix")
    return rest


def read_source_info(source_dir: Path, files: Sequence[Path]) -> SourceInfo:
    """Name, version and licence of the data, from the npm package that holds the folder.

    A folder outside an npm package (a hand-made list) is attributed to its path with an
    unknown licence rather than to idn-area-data, which it may not be.
    """
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.read_bytes())
    package = _package_json(source_dir.parent / "package.json")
    author = str(package.get("author", ""))
    return SourceInfo(
        name=str(package.get("name", str(source_dir.resolve())[-100:])),
        version=str(package.get("version", "")),
        # npm's "Name <email> (url)" form; the credit line needs only the name.
        author=author.split("<")[0].split("(")[0].strip(),
        licence=_data_licence(source_dir / "LICENSE.md"),
        url=str(package.get("homepage", "")).removesuffix("#readme"),
        checksum=digest.hexdigest(),
    )


def _package_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _data_licence(path: Path) -> str:
    # The package's own licence (MIT) covers its code; the data folder carries the ODbL.
    try:
        heading = path.read_text(encoding="utf-8").lstrip().splitlines()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        return ""
    match = re.search(r"\(([^)]+)\)", heading)
    return match.group(1) if match else heading.lstrip("# ").strip()


def _refuse_duplicate(path: Path, line: int, code: str, seen: dict[str, int]) -> None:
    if code in seen:
        raise RegionDataError(path, f"code {code} already appears on line {seen[code]}", line)
    seen[code] = line


def _records(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row) with stripped values; the header is line 1."""
    reader = csv.reader(io.StringIO(_read_text(path), newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        if not header:
            raise RegionDataError(path, "the file is empty; expected a CSV header", 1)
        missing = [column for column in columns if column not in header]
        if missing:
            found = ",".join(header)[:80]
            message = f"missing column(s) {', '.join(missing)} (header is {found!r})"
            raise RegionDataError(path, message, 1)
        for row in reader:
            if not row:
                continue  # a blank line, e.g. a trailing newline, is no record
            if len(row) != len(header):
                message = f"expected {len(header)} fields, found {len(row)}"
                raise RegionDataError(path, message, reader.line_num)
            record = dict(zip(header, (value.strip() for value in row), strict=True))
            yield reader.line_num, {column: record[column] for column in columns}
    except csv.Error as error:
        raise RegionDataError(path, f"not a valid CSV file ({error})", reader.line_num) from error


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RegionDataError(path, f"the file is {size} bytes; a region list is far smaller")
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise RegionDataError(path, "file not found") from error
    except OSError as error:
        raise RegionDataError(path, f"cannot read the file ({error.strerror})") from error
    if b"\x00" in data:
        raise RegionDataError(path, "not a CSV file (it contains binary data)")
    try:
        # utf-8-sig: a spreadsheet program saving the list adds a byte-order mark.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise RegionDataError(path, f"not UTF-8 text (bad byte at offset {error.start})") from error
