"""Assessor reports for the demonstration: findings, recommendations and their follow-up.

Every finalised or published evaluation gets a report. Its findings are drawn per smart
dimension from short Indonesian sentences, more strengths where the dimension's index is high,
more weaknesses where it is low. Its recommendations are what the assessors would get from
"Usulkan rekomendasi": the steps that raise the index most (through the engine's batch path,
one call per cycle), two per dimension, with about one in five reworded by the assessor. Every
evaluation whose previous evaluation was published reports the follow-up of those
recommendations; regions still in self-assessment have reported only part of them.

Deterministic for a given `rng`; a handful of bulk inserts. It relies on the snapshots
`build.py` stores for finalised and published evaluations.
"""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

from django.utils import translation

from cityeval.accounts.models import Role, RoleGrant
from cityeval.evaluations.models import (
    AssessorAssignment,
    Evaluation,
    EvaluationStatus,
    ItemValue,
)
from cityeval.frameworks.convert import to_scoring
from cityeval.frameworks.dimensions import item_dimensions, report_dimensions
from cityeval.frameworks.models import FrameworkNode, FrameworkVersion
from cityeval.reports.models import (
    AssessorReport,
    Finding,
    FindingKind,
    FollowUpStatus,
    Recommendation,
    RecommendationFollowUp,
)
from cityeval.reports.proposals import pick
from cityeval.reports.texts import proposal_text
from cityeval.results.models import ResultSnapshot
from scoring.improve import gains_per_step_many

PER_DIMENSION = 2
DONE = [EvaluationStatus.FINALISED, EvaluationStatus.PUBLISHED]
STRENGTHS = [
    "Program unggulan dimensi ini sudah berjalan dan dimanfaatkan masyarakat.",
    "Perangkat daerah pengampu aktif berbagi data dengan OPD lain.",
    "Regulasi pendukung sudah ditetapkan dan menjadi acuan anggaran.",
    "Quick win dimensi ini terlihat nyata dan terdokumentasi dengan baik.",
    "Pemantauan capaian dilakukan berkala dan dilaporkan kepada pimpinan.",
]
WEAKNESSES = [
    "Bukti dukung sebagian program belum lengkap atau belum diperbarui.",
    "Program masih bergantung pada satu OPD dan belum terintegrasi lintas sektor.",
    "Ukuran manfaat bagi warga belum dihitung secara konsisten.",
    "Anggaran program belum berkelanjutan dari tahun ke tahun.",
    "Data capaian belum terbuka di portal data daerah.",
]
SUMMARIES = [
    "Komitmen pimpinan daerah kuat dan Tim Pelaksana Smart City berjalan. Perlu penguatan "
    "integrasi data lintas OPD serta pengukuran manfaat program bagi warga.",
    "Masterplan sudah menjadi acuan perencanaan, tetapi pelaksanaan program belum merata antar "
    "dimensi. Tindak lanjuti rekomendasi dengan prioritas tinggi lebih dahulu.",
    "Sebagian besar program berjalan sesuai rencana. Kelengkapan bukti dukung menjadi catatan "
    "utama untuk evaluasi berikutnya.",
]
EDITS = [
    "Mulai dari OPD pengampu dan anggarkan dalam RKPD tahun berikutnya.",
    "Sertakan target triwulanan dan laporkan kemajuannya kepada Dewan Smart City.",
    "Koordinasikan dengan Bappeda agar program masuk dokumen perencanaan.",
]
NOTES = {
    FollowUpStatus.DONE: "Sudah dilaksanakan; bukti dukung diunggah pada butir terkait.",
    FollowUpStatus.IN_PROGRESS: "Sedang berjalan; anggaran tahun ini sudah dialokasikan.",
    FollowUpStatus.NOT_STARTED: "Belum dimulai karena menunggu penetapan anggaran.",
}


def create_demo_reports(*, rng: random.Random) -> int:
    """Create reports, findings, recommendations and follow-ups; returns the rows created."""
    evaluations = list(
        Evaluation.objects.filter(status__in=DONE)
        .select_related("cycle")
        .order_by("cycle__year", "region__code")
    )
    # One instance per version: its document is a large JSON that each copy would decode again.
    versions = {
        v.pk: v
        for v in FrameworkVersion.objects.filter(cycles__evaluations__in=evaluations).distinct()
    }
    for evaluation in evaluations:
        evaluation.cycle.framework_version = versions[evaluation.cycle.framework_version_id]
    leads = {
        (cycle, region): user
        for cycle, region, user in AssessorAssignment.objects.filter(is_lead=True).values_list(
            "cycle_id", "region_id", "user_id"
        )
    }
    reports = _reports(evaluations, rng)
    findings = _findings(evaluations, reports, rng)
    recommendations = _recommendations(evaluations, rng, leads)
    follow_ups = _follow_ups(rng)
    return len(reports) + findings + recommendations + follow_ups


def _reports(evaluations: list[Evaluation], rng: random.Random) -> dict[int, AssessorReport]:
    created = AssessorReport.objects.bulk_create(
        [
            AssessorReport(evaluation=e, summary=rng.choice(SUMMARIES), version=1)
            for e in evaluations
        ]
    )
    return {report.evaluation_id: report for report in created}


def _findings(
    evaluations: list[Evaluation], reports: dict[int, AssessorReport], rng: random.Random
) -> int:
    indices = dict(
        ResultSnapshot.objects.current()
        .filter(evaluation__in=evaluations)
        .values_list("evaluation_id", "tag_indices")
    )
    rows = []
    dimensions_of = {
        version.pk: report_dimensions(version)
        for version in {e.cycle.framework_version for e in evaluations}
    }
    for evaluation in evaluations:
        dimensions = dimensions_of[evaluation.cycle.framework_version_id]
        tags = indices.get(evaluation.pk) or {}
        for code in dimensions:
            index = float(tags.get(code) or 3)
            strengths = 1 + (index >= 3) + (index >= 4)
            weaknesses = 1 + (index < 3) + (index < 2)
            for kind, pool, count in (
                (FindingKind.STRENGTH, STRENGTHS, strengths),
                (FindingKind.WEAKNESS, WEAKNESSES, weaknesses),
            ):
                for order, text in enumerate(rng.sample(pool, count)):
                    rows.append(
                        Finding(
                            report=reports[evaluation.pk],
                            dimension=code,
                            kind=kind,
                            text=text,
                            order=order,
                        )
                    )
    Finding.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _recommendations(
    evaluations: list[Evaluation], rng: random.Random, leads: dict[tuple[int, int], int]
) -> int:
    by_version: dict[int, list[Evaluation]] = defaultdict(list)
    for evaluation in evaluations:
        by_version[evaluation.cycle.framework_version_id].append(evaluation)
    rows: list[Recommendation] = []
    for group in by_version.values():
        version = group[0].cycle.framework_version
        nodes = {n.code: n for n in FrameworkNode.objects.filter(version=version)}
        by_node = item_dimensions(version)
        dimension_of = {code: by_node[n.pk] for code, n in nodes.items() if n.pk in by_node}
        values, items = _values(group)
        gains = gains_per_step_many(to_scoring(version), [values[e.pk] for e in group])
        for evaluation, steps in zip(group, gains, strict=True):
            order: dict[str, int] = defaultdict(int)
            for chosen in pick(steps, dimension_of, per_dimension=PER_DIMENSION):
                with translation.override("id"):
                    text = proposal_text(nodes[chosen.code], chosen.level)
                edited = rng.random() < 0.2
                rows.append(
                    Recommendation(
                        evaluation=evaluation,
                        dimension=chosen.dimension,
                        item_id=items[evaluation.pk][chosen.code],
                        text=f"{text} {rng.choice(EDITS)}" if edited else text,
                        priority=chosen.priority,
                        proposed=True,
                        edited=edited,
                        target_level=chosen.level,
                        order=order[chosen.dimension],
                        updated_by_id=leads.get((evaluation.cycle_id, evaluation.region_id)),
                    )
                )
                order[chosen.dimension] += 1
    Recommendation.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _values(
    group: list[Evaluation],
) -> tuple[dict[int, dict[str, Decimal | None]], dict[int, dict[str, int]]]:
    """Per evaluation: code -> verified (else self-assessed) value, and code -> item id."""
    values: dict[int, dict[str, Decimal | None]] = defaultdict(dict)
    items: dict[int, dict[str, int]] = defaultdict(dict)
    rows = ItemValue.objects.filter(evaluation__in=group).values_list(
        "evaluation_id", "pk", "indicator__code", "verified_value", "self_value"
    )
    for evaluation_id, pk, code, verified, own in rows:
        values[evaluation_id][code] = verified if verified is not None else own
        items[evaluation_id][code] = pk
    return values, items


def _follow_ups(rng: random.Random) -> int:
    """Each evaluation reports on the recommendations of the region's previous evaluation."""
    evaluations = list(
        Evaluation.objects.select_related("cycle").order_by("region_id", "cycle__year")
    )
    coordinators = dict(
        RoleGrant.objects.filter(role=Role.COORDINATOR).values_list("region_id", "user_id")
    )
    recommendations: dict[int, list[int]] = defaultdict(list)
    for evaluation_id, pk in Recommendation.objects.order_by("dimension", "order").values_list(
        "evaluation_id", "pk"
    ):
        recommendations[evaluation_id].append(pk)
    rows = []
    previous: Evaluation | None = None
    for evaluation in evaluations:
        earlier = previous if previous and previous.region_id == evaluation.region_id else None
        previous = evaluation
        if earlier is None or earlier.status != EvaluationStatus.PUBLISHED:
            continue
        # A region still in its self-assessment has reported on part of the list so far.
        share = 0.6 if evaluation.status == EvaluationStatus.SELF_ASSESSMENT else 1.0
        for recommendation_id in recommendations[earlier.pk]:
            if rng.random() > share:
                continue
            status = rng.choices(
                [FollowUpStatus.DONE, FollowUpStatus.IN_PROGRESS, FollowUpStatus.NOT_STARTED],
                weights=[35, 45, 20],
            )[0]
            rows.append(
                RecommendationFollowUp(
                    recommendation_id=recommendation_id,
                    evaluation=evaluation,
                    status=status,
                    note=NOTES[status] if rng.random() < 0.7 else "",
                    updated_by_id=coordinators.get(evaluation.region_id),
                )
            )
    RecommendationFollowUp.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
