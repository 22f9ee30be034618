"""Changes to masterplans and their programs. Each runs in one transaction with one audit entry.

Model rules (dimension and element from the framework, the owner OPD's region, years inside the
masterplan's period) are checked by `full_clean`, so a service refuses what a form would refuse;
the ValidationError it raises names the field.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityeval.accounts.access import Actor, require_region_manager
from cityeval.audit.log import Changes, audited, snapshot
from cityeval.masterplans.importing import PROGRAM_FIELDS, YEAR_FIELDS, read_plan
from cityeval.masterplans.models import Masterplan, Program, ProgramStatus, ProgramYear
from cityeval.masterplans.upload import opened_workbook
from cityeval.regions.models import OPD, Region

MASTERPLAN_FIELDS = ["title", "start_year", "end_year", "regulation", "regulation_date", "notes"]


class MasterplanError(Exception):
    """A request the service refuses; the message is shown to the person as it is."""


class StaleProgramEdit(MasterplanError):
    """Someone saved the program after this person opened it; nothing was overwritten."""

    def __init__(self, program: Program) -> None:
        self.current = program
        super().__init__(
            _(
                "Program ini sudah diubah oleh %(who)s sejak Anda membukanya. Isian Anda belum "
                "disimpan: bandingkan dengan data terbaru yang ditampilkan, lalu simpan lagi."
            )
            % {"who": program.updated_by or _("orang lain")}
        )


@dataclass(frozen=True)
class MasterplanData:
    title: str
    start_year: int
    end_year: int
    regulation: str = ""
    regulation_date: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class ProgramData:
    code: str
    name: str
    element: str
    dimension: str
    owner: OPD
    budget: Decimal
    start_year: int
    end_year: int
    quick_win: bool = False
    description: str = ""


@dataclass(frozen=True)
class ImportOutcome:
    created: list[str]
    updated: list[str]
    years: int


def _apply(instance: Any, data: Any) -> None:
    for item in fields(data):
        setattr(instance, item.name, getattr(data, item.name))


@transaction.atomic
def create_masterplan(*, region: Region, user: Actor, data: MasterplanData) -> Masterplan:
    """A new current masterplan; the previous current one (if any) stays as history."""
    require_region_manager(user, region.pk)
    previous = (
        Masterplan.objects.select_for_update(of=("self",))
        .filter(region=region, is_current=True)
        .first()
    )
    masterplan = Masterplan(region=region)
    _apply(masterplan, data)
    masterplan.full_clean(exclude=["region"])
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current", "updated_at"])
    masterplan.save()
    audited(
        actor=user,
        action="masterplan.create",
        target=masterplan,
        changes=Changes(masterplan, MASTERPLAN_FIELDS, created=True),
        note=_("menggantikan masterplan #%(id)s") % {"id": previous.pk} if previous else "",
    )
    return masterplan


@transaction.atomic
def update_masterplan(*, masterplan: Masterplan, user: Actor, data: MasterplanData) -> Masterplan:
    require_region_manager(user, masterplan.region_id)
    locked = (
        Masterplan.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=masterplan.pk)
    )
    changes = Changes(locked, MASTERPLAN_FIELDS)
    _apply(locked, data)
    locked.full_clean(exclude=["region"])
    outside = (
        locked.programs.exclude(
            start_year__gte=locked.start_year, end_year__lte=locked.end_year
        ).count()
        + ProgramYear.objects.filter(program__masterplan=locked)
        .exclude(year__range=(locked.start_year, locked.end_year))
        .count()
    )
    if outside:
        raise ValidationError(
            {
                "start_year": _(
                    "Periode ini tidak mencakup %(n)s program atau status tahunan yang sudah "
                    "tercatat. Sesuaikan programnya dahulu."
                )
                % {"n": outside}
            }
        )
    if not changes.changed:
        return locked
    locked.save()
    audited(actor=user, action="masterplan.update", target=locked, changes=changes)
    return locked


@transaction.atomic
def create_program(*, masterplan: Masterplan, user: Actor, data: ProgramData) -> Program:
    require_region_manager(user, masterplan.region_id)
    program = Program(masterplan=masterplan, updated_by=user)
    _apply(program, data)
    _check(program)
    program.save()
    changes = Changes(program, PROGRAM_FIELDS, created=True)
    audited(actor=user, action="program.create", target=program, changes=changes)
    return program


@transaction.atomic
def update_program(
    *, program: Program, user: Actor, data: ProgramData, expected_version: int
) -> Program:
    """Save a program edit, refusing it when the program changed since the form was opened."""
    require_region_manager(user, _region_of(program))
    locked = (
        Program.objects.select_for_update(of=("self",))
        .select_related("masterplan__region", "updated_by")
        .get(pk=program.pk)
    )
    if locked.version != expected_version:
        raise StaleProgramEdit(locked)
    changes = Changes(locked, PROGRAM_FIELDS, only_changed=True)
    _apply(locked, data)
    _check(locked)
    if not changes.changed:
        return locked  # saving an unchanged form is not a change
    locked.version += 1
    locked.updated_by = user
    locked.save()
    audited(actor=user, action="program.update", target=locked, changes=changes)
    return locked


def _region_of(program: Program) -> int:
    region_id: int = Masterplan.objects.values_list("region_id", flat=True).get(
        pk=program.masterplan_id
    )
    return region_id


def _check(program: Program) -> None:
    program.full_clean(exclude=["masterplan"], validate_unique=False)
    duplicate = (
        Program.objects.filter(masterplan=program.masterplan, code=program.code)
        .exclude(pk=program.pk)
        .exists()
    )
    if duplicate:
        raise ValidationError(
            {"code": _("Kode %(code)s sudah dipakai program lain.") % {"code": program.code}}
        )


@transaction.atomic
def set_year_status(
    *,
    program: Program,
    user: Actor,
    year: int,
    status: ProgramStatus,
    progress: Decimal,
    note: str = "",
) -> ProgramYear:
    """Record how far a program ran in a year (creating the year's row the first time)."""
    require_region_manager(user, _region_of(program))
    # Locking the program serialises two people recording the same program's year.
    locked = (
        Program.objects.select_for_update(of=("self",))
        .select_related("masterplan")
        .get(pk=program.pk)
    )
    # Through the program's manager: the row knows its program, its audit scope.
    item = locked.years.filter(year=year).first()
    created = item is None
    if item is None:
        item = ProgramYear(program=locked, year=year)
    changes = Changes(item, [*YEAR_FIELDS, "note"], created=created)
    item.status, item.progress, item.note = status, progress, note
    item.full_clean(exclude=["program"], validate_unique=False)
    if not changes.changed:
        return item
    item.save()
    audited(
        actor=user,
        action="program.year_status",
        target=item,
        changes=changes,
        after={"program": locked.code, "year": year},
    )
    return item


@transaction.atomic
def import_programs(
    *, masterplan: Masterplan, user: Actor | None, content: bytes, filename: str = ""
) -> ImportOutcome:
    """Create or update programs from an uploaded sheet: every row valid, or nothing written.

    Raises UploadRefused (not a workbook we read) or ImportRejected (row-level problems).
    """
    if user is not None:  # None: the `import_programs` command, run by an operator
        require_region_manager(user, masterplan.region_id)
    # Locking the masterplan makes two imports of the same masterplan run one after the other.
    locked = (
        Masterplan.objects.select_for_update(of=("self",))
        .select_related("region")
        .get(pk=masterplan.pk)
    )
    with opened_workbook(content=content) as workbook:
        plan = read_plan(workbook=workbook, masterplan=locked)
    now = timezone.now()
    new = [p for p in plan.programs if p.is_new]
    changed = [p for p in plan.programs if not p.is_new and p.changed]
    for planned in new:
        planned.program.updated_by = user
    Program.objects.bulk_create([p.program for p in new])
    for planned in changed:
        planned.program.version += 1
        planned.program.updated_by, planned.program.updated_at = user, now
    Program.objects.bulk_update(
        [p.program for p in changed], [*PROGRAM_FIELDS, "version", "updated_by", "updated_at"]
    )
    years = [item for p in plan.programs for item in p.years]
    for item in years:
        item.updated_at = now
    ProgramYear.objects.bulk_create([y for y in years if y.pk is None])
    ProgramYear.objects.bulk_update(
        [y for y in years if y.pk is not None], [*YEAR_FIELDS, "updated_at"]
    )
    audited(
        actor=user,
        action="masterplan.import_programs",
        target=locked,
        before={
            "programs": {p.program.code: p.before for p in changed},
            "years": {p.program.code: p.years_before for p in plan.programs if p.years_before},
        },
        after={
            "programs": {
                p.program.code: snapshot(p.program, PROGRAM_FIELDS) for p in [*new, *changed]
            },
            "years": {
                p.program.code: {y.year: snapshot(y, YEAR_FIELDS) for y in p.years}
                for p in plan.programs
                if p.years
            },
        },
        note=filename,
    )
    return ImportOutcome(
        created=[p.program.code for p in new],
        updated=[p.program.code for p in changed],
        years=len(years),
    )
