"""The offline Excel round-trip: download, fill with openpyxl, upload, preview, confirm."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from cityeval.audit.models import AuditEntry
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.evaluations.services import (
    assign_items,
    save_self_assessment,
)
from cityeval.workbooks import workbook_format as fmt
from tests.evaluations.workbook_helpers import (
    COLUMN,
    client_for,
    confirm,
    download,
    edited,
    fill,
    items_sheet,
    row_of,
    text,
    upload,
)
from tests.world import TeamWorld as World

pytestmark = pytest.mark.django_db


def maturity_items(world: World, count: int, **filters: object) -> list[ItemValue]:
    items = ItemValue.objects.filter(
        evaluation=world.evaluation, indicator__kind="maturity", **filters
    ).select_related("indicator")
    return list(items.order_by("indicator__sequence")[:count])


def test_the_coordinators_workbook_holds_every_fillable_item_with_its_rubric(world: World) -> None:
    content = download(client_for(world.people["coordinator"]), world.evaluation)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == [fmt.GUIDE_SHEET, fmt.ITEMS_SHEET, fmt.META_SHEET]
    assert book[fmt.META_SHEET].sheet_state == "hidden"
    sheet = items_sheet(book)
    assert [c.value for c in sheet[1]] == [str(c.header) for c in fmt.COLUMNS]
    fillable = ItemValue.objects.filter(evaluation=world.evaluation).exclude(
        indicator__data_source="programs"
    )
    assert sheet.max_row - 1 == fillable.count()
    assert sheet.freeze_panes == "B2"
    assert sheet.protection.sheet
    item = maturity_items(world, 1)[0]
    row = row_of(sheet, item.indicator.code)
    assert text(sheet, row, "rubric").startswith(f"1 — {item.indicator.rubric(1)}")
    assert sheet.cell(row=row, column=COLUMN["rubric"]).alignment.wrap_text
    assert sheet.cell(row=row, column=COLUMN["version"]).value == item.version
    # Only the value and narrative cells are unlocked, and level cells offer the levels.
    assert not sheet.cell(row=row, column=COLUMN["value"]).protection.locked
    assert sheet.cell(row=row, column=COLUMN["rubric"]).protection.locked
    value_cell = sheet.cell(row=row, column=COLUMN["value"]).coordinate
    lists = [dv for dv in sheet.data_validations.dataValidation if dv.type == "list"]
    assert any(value_cell in dv.sqref and dv.formula1 == '"1,2,3,4,5"' for dv in lists)
    guide = book[fmt.GUIDE_SHEET]
    assert world.evaluation.region.full_name in guide["A1"].value
    assert "coordinator" in guide["A3"].value


def test_a_contributors_workbook_holds_only_their_opds_items(world: World) -> None:
    content = download(client_for(world.people["contributor"]), world.evaluation)
    sheet = items_sheet(load_workbook(io.BytesIO(content)))
    codes = {sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)}
    expected = set(
        ItemValue.objects.filter(evaluation=world.evaluation, opd=world.health)
        .exclude(indicator__data_source="programs")
        .values_list("indicator__code", flat=True)
    )
    assert codes == expected
    assert len(codes) > 0
    assert all(
        sheet.cell(row=r, column=COLUMN["opd"]).value == str(world.health)
        for r in range(2, sheet.max_row + 1)
    )


def test_the_workbook_lists_attached_evidence_read_only(world: World, settings: object) -> None:
    from cityeval.evidence.models import Evidence, EvidenceKind

    item = maturity_items(world, 1)[0]
    Evidence.objects.create(
        item=item, kind=EvidenceKind.LINK, url="https://example.id/perbup.pdf", description="Perbup"
    )
    content = download(client_for(world.people["coordinator"]), world.evaluation)
    sheet = items_sheet(load_workbook(io.BytesIO(content)))
    cell = sheet.cell(row=row_of(sheet, item.indicator.code), column=COLUMN["evidence"])
    assert cell.value == "Perbup"
    assert cell.protection.locked


def test_filled_rows_are_previewed_then_written_through_the_service(world: World) -> None:
    client = client_for(world.people["coordinator"])
    first, second, third = maturity_items(world, 3)
    content = download(client, world.evaluation)

    def fill_three(book: Workbook) -> None:
        fill(first.indicator.code, 4, "Sudah ada Perbup dan SOP.")(book)
        fill(second.indicator.code, "2")(book)  # typed as text
        fill(third.indicator.code, 5.0)(book)  # a numeric cell

    response = upload(client, world.evaluation, edited(content, fill_three), "kukar-isian.xlsx")
    preview = response.context["preview"]
    assert response.context["problems"] == []
    assert [c.item.pk for c in preview.changes] == [first.pk, second.pk, third.pk]
    assert preview.conflicts == []
    assert preview.unchanged == preview.rows - 3
    assert b"kukar-isian.xlsx" in response.content
    # Nothing is written before the person confirms.
    first.refresh_from_db()
    assert first.self_value is None
    assert first.version == 1

    response = confirm(client, world.evaluation, response.context["token"])
    assert response.status_code == 302
    first, second, third = (ItemValue.objects.get(pk=i.pk) for i in (first, second, third))
    assert (first.self_value, first.narrative, first.version) == (
        Decimal(4),
        "Sudah ada Perbup dan SOP.",
        2,
    )
    assert second.self_value == Decimal(2)
    assert third.self_value == Decimal(5)
    assert first.updated_by == world.people["coordinator"]
    entries = AuditEntry.objects.filter(
        action="item.self_assessment", evaluation_id=world.evaluation.pk
    )
    assert {e.target_id for e in entries} == {str(first.pk), str(second.pk), str(third.pk)}
    assert (entries.get(target_id=str(third.pk)).after or {})["self_value"] == "5"
    assert entries.get(target_id=str(first.pk)).after == {
        "self_value": "4",
        "narrative": "Sudah ada Perbup dan SOP.",
    }
    summary = AuditEntry.objects.get(action="evaluation.workbook_import").after or {}
    assert summary["file"] == "kukar-isian.xlsx"
    assert len(summary["items"]) == 3


def test_percentages_and_measures_round_trip(world: World, kinds: Evaluation) -> None:
    client = client_for(world.people["coordinator"])
    content = download(client, kinds)
    sheet = items_sheet(load_workbook(io.BytesIO(content)))
    assert sheet.cell(row=row_of(sheet, "OUT-2"), column=COLUMN["rubric"]).value == (
        "Persentase, 0 sampai 100."
    )
    assert "Satuan: %" in text(sheet, row_of(sheet, "IMP-1"), "rubric")

    def fill_kinds(book: Workbook) -> None:
        sheet = items_sheet(book)
        cell = sheet.cell(row=row_of(sheet, "OUT-2"), column=COLUMN["value"])
        cell.value = 0.725  # typed as 72,5% in a percentage-formatted cell
        cell.number_format = "0.0%"
        fill("IMP-1", "1.234,5")(book)  # Indonesian grouping, typed as text

    response = upload(client, kinds, edited(content, fill_kinds))
    assert response.context["problems"] == []
    confirm(client, kinds, response.context["token"])
    values = dict(
        ItemValue.objects.filter(evaluation=kinds).values_list("indicator__code", "self_value")
    )
    assert values["OUT-2"] == Decimal("72.5")
    assert values["IMP-1"] == Decimal("1234.5")
    again = upload(client, kinds, edited(download(client, kinds), lambda book: None))
    assert again.context["preview"].changes == []


def test_uploading_the_same_workbook_again_changes_nothing(world: World) -> None:
    client = client_for(world.people["coordinator"])
    item = maturity_items(world, 1)[0]
    content = edited(download(client, world.evaluation), fill(item.indicator.code, 3, "Ada."))
    first = upload(client, world.evaluation, content)
    confirm(client, world.evaluation, first.context["token"])
    item.refresh_from_db()
    version, entries = item.version, AuditEntry.objects.count()

    again = upload(client, world.evaluation, content)
    preview = again.context["preview"]
    assert preview.changes == []
    assert preview.conflicts == []
    assert preview.unchanged == preview.rows
    assert again.context["token"] == ""
    assert b'data-testid="nothing-to-save"' in again.content
    item.refresh_from_db()
    assert item.version == version
    assert AuditEntry.objects.count() == entries


def test_a_row_changed_on_the_server_since_the_download_is_a_conflict(world: World) -> None:
    client = client_for(world.people["coordinator"])
    contested, free = maturity_items(world, 2, opd=world.health)
    content = download(client, world.evaluation)
    # Meanwhile the Dinkes contributor saves the contested item in the application.
    save_self_assessment(
        item=contested,
        user=world.people["contributor"],
        value=Decimal(5),
        narrative="Diisi di aplikasi.",
        expected_version=contested.version,
    )

    def fill_both(book: Workbook) -> None:
        fill(contested.indicator.code, 2)(book)
        fill(free.indicator.code, 3)(book)

    response = upload(client, world.evaluation, edited(content, fill_both))
    preview = response.context["preview"]
    assert [c.item.pk for c in preview.changes] == [free.pk]
    [conflict] = preview.conflicts
    assert conflict.item.pk == contested.pk
    assert conflict.item.self_value == Decimal(5)
    assert conflict.item.updated_by == world.people["contributor"]
    assert b'data-testid="conflicts"' in response.content
    assert b"contributor" in response.content
    assert "Diisi di aplikasi." in response.content.decode()  # the server's narrative

    confirm(client, world.evaluation, response.context["token"])
    contested.refresh_from_db()
    free.refresh_from_db()
    assert contested.self_value == Decimal(5)  # not overwritten
    assert free.self_value == Decimal(3)


def test_someone_elses_later_edit_survives_a_row_the_person_left_alone(world: World) -> None:
    client = client_for(world.people["coordinator"])
    untouched, filled = maturity_items(world, 2, opd=world.health)
    content = download(client, world.evaluation)
    save_self_assessment(
        item=untouched,
        user=world.people["contributor"],
        value=Decimal(5),
        narrative="Diisi di aplikasi.",
        expected_version=untouched.version,
    )
    response = upload(client, world.evaluation, edited(content, fill(filled.indicator.code, 1)))
    preview = response.context["preview"]
    assert [c.item.pk for c in preview.changes] == [filled.pk]
    assert preview.conflicts == []
    confirm(client, world.evaluation, response.context["token"])
    untouched.refresh_from_db()
    assert untouched.self_value == Decimal(5)


def test_a_reassignment_alone_is_not_a_conflict(world: World) -> None:
    client = client_for(world.people["coordinator"])
    item = maturity_items(world, 1, opd=world.health)[0]
    content = download(client, world.evaluation)
    assign_items(
        evaluation=world.evaluation, items=[item], opd=world.roads, user=world.people["coordinator"]
    )
    response = upload(client, world.evaluation, edited(content, fill(item.indicator.code, 2)))
    assert [c.item.pk for c in response.context["preview"].changes] == [item.pk]
    confirm(client, world.evaluation, response.context["token"])
    item.refresh_from_db()
    assert item.self_value == Decimal(2)
    assert item.version == 3


def test_clearing_a_value_in_the_workbook_clears_it(world: World) -> None:
    client = client_for(world.people["coordinator"])
    item = maturity_items(world, 1)[0]
    save_self_assessment(
        item=item,
        user=world.people["coordinator"],
        value=Decimal(3),
        narrative="Awal.",
        expected_version=1,
    )
    response = upload(
        client,
        world.evaluation,
        edited(download(client, world.evaluation), fill(item.indicator.code, None)),
    )
    confirm(client, world.evaluation, response.context["token"])
    item.refresh_from_db()
    assert item.self_value is None
    assert item.narrative == "Awal."


def test_a_narrative_saved_with_windows_line_ends_round_trips_unchanged(world: World) -> None:
    client = client_for(world.people["coordinator"])
    item = maturity_items(world, 1)[0]
    save_self_assessment(
        item=item,
        user=world.people["coordinator"],
        value=Decimal(3),
        narrative="Baris satu.\r\nBaris dua.",
        expected_version=1,
    )
    response = upload(client, world.evaluation, download(client, world.evaluation))
    assert response.context["preview"].changes == []


def test_a_contributor_fills_their_own_items(world: World) -> None:
    client = client_for(world.people["contributor"])
    item = maturity_items(world, 1, opd=world.health)[0]
    response = upload(
        client,
        world.evaluation,
        edited(download(client, world.evaluation), fill(item.indicator.code, 4)),
    )
    confirm(client, world.evaluation, response.context["token"])
    item.refresh_from_db()
    assert item.self_value == Decimal(4)
    assert item.updated_by == world.people["contributor"]


def test_an_edit_between_preview_and_confirm_rolls_everything_back(world: World) -> None:
    client = client_for(world.people["coordinator"])
    first, second = maturity_items(world, 2)

    def fill_both(book: Workbook) -> None:
        fill(first.indicator.code, 2)(book)
        fill(second.indicator.code, 2)(book)

    response = upload(
        client, world.evaluation, edited(download(client, world.evaluation), fill_both)
    )
    save_self_assessment(
        item=second,
        user=world.people["contributor"],
        value=Decimal(5),
        narrative="",
        expected_version=second.version,
    )
    done = confirm(client, world.evaluation, response.context["token"])
    assert done.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.self_value is None  # the first row was rolled back with the second
    assert second.self_value == Decimal(5)
    assert not AuditEntry.objects.filter(action="evaluation.workbook_import").exists()
    page = client.get(done["Location"])
    assert second.indicator.code in page.content.decode()


def test_a_confirm_without_the_previews_token_writes_nothing(world: World) -> None:
    client = client_for(world.people["coordinator"])
    item = maturity_items(world, 1)[0]
    response = upload(
        client,
        world.evaluation,
        edited(download(client, world.evaluation), fill(item.indicator.code, 2)),
    )
    assert response.context["token"]
    confirm(client, world.evaluation, "forged")
    item.refresh_from_db()
    assert item.self_value is None
    # And a token is used once.
    confirm(client, world.evaluation, response.context["token"])
    confirm(client, world.evaluation, response.context["token"])
    assert AuditEntry.objects.filter(action="evaluation.workbook_import").count() == 1


def test_a_person_who_works_in_english_gets_english_item_texts_and_can_upload(
    world: World,
) -> None:
    client = client_for(world.people["coordinator"])
    client.cookies["django_language"] = "en"
    item = maturity_items(world, 1)[0]
    content = download(client, world.evaluation)
    sheet = items_sheet(load_workbook(io.BytesIO(content)))
    row = row_of(sheet, item.indicator.code)
    assert text(sheet, row, "item").startswith(item.indicator.name_en)
    assert text(sheet, row, "rubric").startswith(
        f"1 — {item.indicator.levels['1']['rubric']['en']}"
    )
    response = upload(client, world.evaluation, edited(content, fill(item.indicator.code, 2)))
    confirm(client, world.evaluation, response.context["token"])
    assert ItemValue.objects.get(pk=item.pk).self_value == Decimal(2)


def test_a_narrative_that_looks_like_a_formula_stays_text(world: World) -> None:
    client = client_for(world.people["coordinator"])
    item = maturity_items(world, 1)[0]
    narrative = '=HYPERLINK("http://contoh.id","Perbup 12/2020")'
    save_self_assessment(
        item=item,
        user=world.people["coordinator"],
        value=Decimal(3),
        narrative=narrative,
        expected_version=1,
    )
    content = download(client, world.evaluation)
    sheet = items_sheet(load_workbook(io.BytesIO(content)))
    cell = sheet.cell(row=row_of(sheet, item.indicator.code), column=COLUMN["narrative"])
    assert cell.data_type == "s"
    assert cell.value == narrative
    response = upload(client, world.evaluation, content)
    assert response.context["preview"].changes == []
