"""How an evaluation runs, read from the workflow itself: the stages are `EvaluationStatus` in
order, what may follow each comes from `workflow.ALLOWED`, the deadline of each stage is the
cycle's field, and the roles are `Role`. Only the explanations are written here, keyed by the
enum values, so a new stage or role without an explanation fails
`test_every_stage_and_role_is_explained`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cityeval.accounts.models import Role
from cityeval.evaluations.models import Cycle, EvaluationStatus
from cityeval.evaluations.workflow import ALLOWED

S = EvaluationStatus

STAGE_TEXT: dict[str, Promise] = {
    S.SELF_ASSESSMENT: _(
        "Daerah mengisi setiap butir: koordinator membagi butir ke OPD, kontributor OPD mengisi "
        "tingkat atau nilai, narasi dan bukti dukung."
    ),
    S.SUBMITTED: _(
        "Koordinator menyerahkan penilaian mandiri; isian terkunci sampai asesor memulai reviu."
    ),
    S.DOCUMENT_REVIEW: _(
        "Tim asesor memeriksa setiap butir dan bukti dukungnya: menerima, menyesuaikan dengan "
        "alasan, atau menandai butir yang perlu klarifikasi."
    ),
    S.CLARIFICATION: _(
        "Hanya butir yang ditandai dibuka kembali; daerah menjawab dan mengirim jawabannya."
    ),
    S.FIELD_VISIT: _(
        "Wawancara atau presentasi, peninjauan lapangan dan pemeriksaan silang; asesor mencatat "
        "kunjungan, foto dan pertanyaan daerah."
    ),
    S.FINALISED: _(
        "Ketua tim asesor memfinalkan: mesin menghitung indeks dari nilai terverifikasi dan "
        "laporan asesor berisi kekuatan, kelemahan dan rekomendasi."
    ),
    S.PUBLISHED: _(
        "Admin program mempublikasikan hasil: indeks, predikat, peringkat dan laporan terbuka "
        "bagi daerah dan publik."
    ),
}

STAGE_ROLES: dict[str, tuple[Role, ...]] = {
    S.SELF_ASSESSMENT: (Role.COORDINATOR, Role.CONTRIBUTOR),
    S.SUBMITTED: (Role.COORDINATOR,),
    S.DOCUMENT_REVIEW: (Role.ASSESSOR,),
    S.CLARIFICATION: (Role.COORDINATOR, Role.CONTRIBUTOR),
    S.FIELD_VISIT: (Role.ASSESSOR, Role.COORDINATOR),
    S.FINALISED: (Role.ASSESSOR,),
    S.PUBLISHED: (Role.PROGRAM_ADMIN,),
}

# The cycle's date field that closes a stage (stages without one have none).
STAGE_DEADLINE: dict[str, str] = {
    S.SELF_ASSESSMENT: "self_assessment_deadline",
    S.DOCUMENT_REVIEW: "review_deadline",
    S.FIELD_VISIT: "field_visit_deadline",
    S.FINALISED: "finalisation_deadline",
}

ROLE_TEXT: dict[str, Promise] = {
    Role.PROGRAM_ADMIN: _(
        "Tim program kementerian: menyiapkan instrumen dan siklus beserta batas waktunya, "
        "menetapkan daerah peserta dan tim asesor, mempublikasikan atau membuka kembali hasil."
    ),
    Role.ASSESSOR: _(
        "Praktisi atau akademisi dalam tim dengan seorang ketua: mereviu dokumen, mewawancarai, "
        "meninjau lapangan, memberi nilai terverifikasi, menulis laporan dan rekomendasi, serta "
        "menjawab pertanyaan daerah."
    ),
    Role.COORDINATOR: _(
        "Diskominfo atau Tim Pelaksana Smart City: membagi butir ke OPD, memantau kelengkapan, "
        "menyerahkan penilaian mandiri, menjawab klarifikasi dan menindaklanjuti rekomendasi."
    ),
    Role.CONTRIBUTOR: _(
        "Staf OPD: mengisi butir yang ditugaskan dengan tingkat atau nilai, narasi dan "
        "bukti dukung."
    ),
    Role.VIEWER: _(
        "Bupati/wali kota, Dewan Smart City atau kementerian lain: membaca hasil satu daerah "
        "atau seluruh negeri tanpa mengubah apa pun."
    ),
}


@dataclass(frozen=True)
class Stage:
    code: str
    label: str
    text: str
    roles: tuple[str, ...]
    next_labels: tuple[str, ...]
    deadline_label: str
    deadline: date | None


def stages(cycle: Cycle | None = None) -> list[Stage]:
    """Every stage in workflow order, with the cycle's deadlines when a cycle is given."""
    found = []
    for status in EvaluationStatus:
        field = STAGE_DEADLINE.get(status.value, "")
        label = str(getattr(Cycle._meta.get_field(field), "verbose_name", "")) if field else ""
        found.append(
            Stage(
                code=status.value,
                label=str(status.label),
                text=str(STAGE_TEXT[status.value]),
                roles=tuple(str(role.label) for role in STAGE_ROLES[status.value]),
                next_labels=tuple(
                    str(to.label) for to in EvaluationStatus if to in ALLOWED.get(status, ())
                ),
                deadline_label=label,
                deadline=getattr(cycle, field) if cycle is not None and field else None,
            )
        )
    return found


@dataclass(frozen=True)
class RoleHelp:
    code: str
    label: str
    text: str


def roles() -> list[RoleHelp]:
    return [RoleHelp(role.value, str(role.label), str(ROLE_TEXT[role.value])) for role in Role]
