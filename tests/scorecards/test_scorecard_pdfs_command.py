"""`manage.py scorecard_pdfs`: one PDF per region, progress, clear errors, no half-written file."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from cityeval.evaluations.models import Evaluation, EvaluationStatus
from cityeval.reports.services import finalise_evaluation, publish_evaluation
from cityeval.scorecards import pdf, printing
from tests.world import Finalised, publish
from tests.world import TeamWorld as World

KUKAR = "rapor-6402-kutai-kartanegara-2024-tahap-1.pdf"
SEMARANG = "rapor-3374-semarang-2024-tahap-1.pdf"


@pytest.fixture
def semarang_published(finalised: Finalised) -> Evaluation:
    """Kota Semarang's result of the same cycle, finalised and published."""
    world = finalised.world
    world.verify(world.other, seed=2)
    world.at(EvaluationStatus.FIELD_VISIT, world.other)
    finalise_evaluation(evaluation=world.other, user=world.people["stranger_assessor"])
    publish_evaluation(evaluation=world.other, user=world.people["admin"])
    world.other.refresh_from_db()
    return world.other


def run_command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("scorecard_pdfs", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def files_in(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))  # hidden temporary files included


def test_it_writes_one_pdf_per_published_region_with_progress_and_a_summary(
    finalised: Finalised, semarang_published: Evaluation, tmp_path: Path
) -> None:
    publish(finalised)
    output = tmp_path / "out"

    out, err = run_command("--cycle", "2024", "--output", str(output))

    assert files_in(output) == [SEMARANG, KUKAR]
    for name in files_in(output):
        text = PdfReader(output / name).pages[0].extract_text()
        assert "Kabupaten Kutai Kartanegara" in text or "Kota Semarang" in text
    assert "2/2" in err  # the progress bar
    assert "wrote 2 of 2 scorecard PDFs" in out
    assert str(output) in out


def test_drafts_are_printed_only_when_asked_and_marked(
    finalised: Finalised, semarang_published: Evaluation, tmp_path: Path
) -> None:
    run_command("--cycle", "2024", "--output", str(tmp_path / "public"))
    run_command(
        "--cycle", str(finalised.world.cycle.pk), "--output", str(tmp_path / "all"),
        "--include-drafts", "--language", "en",
    )  # fmt: skip

    assert files_in(tmp_path / "public") == [SEMARANG]
    drafted = KUKAR.replace(".pdf", "-draf.pdf")
    assert files_in(tmp_path / "all") == [SEMARANG, drafted]
    text = PdfReader(tmp_path / "all" / drafted).pages[0].extract_text()
    assert "DRAF" in text
    assert "Final index" in text


def test_a_failed_region_does_not_stop_the_others_and_fails_the_run(
    finalised: Finalised,
    semarang_published: Evaluation,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    publish(finalised)
    real = pdf.scorecard_html

    def broken_for_kukar(evaluation: Evaluation, language: str) -> str:
        if evaluation.region.code == "64.02":
            raise RuntimeError("font missing")
        return real(evaluation, language)

    monkeypatch.setattr("cityeval.scorecards.batch.scorecard_html", broken_for_kukar)
    err, out = io.StringIO(), tmp_path / "out"  # tmp_path also holds the world's media folder

    with pytest.raises(CommandError, match="1 of 2 PDFs failed") as failure:
        call_command("scorecard_pdfs", "--cycle", "2024", "--output", str(out), stderr=err)

    assert failure.value.returncode == 1  # the exit status of manage.py
    assert files_in(out) == [SEMARANG]
    assert "FAILED Kabupaten Kutai Kartanegara: RuntimeError: font missing" in err.getvalue()


def test_it_runs_regions_in_worker_processes(
    finalised: Finalised, semarang_published: Evaluation, tmp_path: Path
) -> None:
    publish(finalised)

    out, _err = run_command("--cycle", "2024", "--output", str(tmp_path / "out"), "--jobs", "2")

    assert files_in(tmp_path / "out") == [SEMARANG, KUKAR]
    assert "2 workers" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cycle", "1999"], "no cycle with year or id 1999; cycles: "),
        (["--cycle", "twenty"], "--cycle must be a year or a cycle id, not 'twenty'"),
        (["--cycle", "2024", "--jobs", "0"], "--jobs must be 1 or more"),
    ],
)
def test_it_refuses_bad_arguments_clearly(world: World, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run_command(*args)


def test_it_says_when_the_cycle_has_nothing_published(finalised: Finalised) -> None:
    with pytest.raises(CommandError, match="has no published results to print"):
        run_command("--cycle", "2024")


def test_it_refuses_an_output_folder_it_cannot_create(finalised: Finalised, tmp_path: Path) -> None:
    publish(finalised)
    a_file = tmp_path / "taken"
    a_file.write_text("not a folder")

    with pytest.raises(CommandError, match=r"cannot create the output folder .*taken/pdf"):
        run_command("--cycle", "2024", "--output", str(a_file / "pdf"))


def test_it_refuses_an_output_folder_it_cannot_write_in(
    finalised: Finalised, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(finalised)

    def read_only(*args: Any, **kwargs: Any) -> None:
        raise PermissionError(13, "Permission denied")

    # Tests may run as root, whom file modes do not stop: the refusal is simulated.
    monkeypatch.setattr("tempfile.NamedTemporaryFile", read_only)

    with pytest.raises(CommandError, match=r"cannot write in the output folder .*: Permission"):
        run_command("--cycle", "2024", "--output", str(tmp_path))


def test_an_interrupted_write_leaves_neither_a_half_file_nor_a_temporary_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "rapor.pdf"

    def killed(*args: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("os.replace", killed)

    with pytest.raises(KeyboardInterrupt):
        printing.write_atomically(target, b"%PDF-1.7 ...")

    assert files_in(tmp_path) == []


def test_a_write_replaces_an_older_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "rapor.pdf"
    target.write_bytes(b"old")

    printing.write_atomically(target, b"new")

    assert target.read_bytes() == b"new"
    assert files_in(tmp_path) == ["rapor.pdf"]
