"""Demonstration FAQ and questions: the program team's FAQ, and questions of the two demo
regions in the running cycle, answered by their assessor team (some published to the FAQ).

Deterministic: fixed texts in a fixed order; only the timestamps are the build's.
"""

from __future__ import annotations

from cityeval.accounts.models import User
from cityeval.evaluations.models import AssessorAssignment, Evaluation
from cityeval.help.models import QuestionSource
from cityeval.help.services import answer_question, ask_question, publish_faq_entry

PROGRAM = "G100SC"
YEAR = 2020

# (question, answer): written by the program team, for every region of the program. Data, like
# the regions' own texts: one language, not translated.
FAQ: tuple[tuple[str, str], ...] = (
    (
        "Siapa yang mengisi butir penilaian mandiri?",
        "Koordinator daerah membagi butir ke OPD; kontributor OPD mengisi tingkat, narasi "
        "dan bukti dukung butir yang ditugaskan kepada OPD-nya.",
    ),
    (
        "Apakah bukti dukung harus berupa berkas PDF?",
        "Tidak. Berkas PDF, gambar, dokumen Office atau tautan ke laman resmi diterima; "
        "yang penting bukti menunjukkan tingkat yang dipilih menurut rubrik.",
    ),
    (
        "Bagaimana jika batas waktu penilaian mandiri terlewat?",
        "Isian terkunci setelah batas waktu. Admin program dapat memberi pengecualian "
        "batas waktu untuk satu daerah bila ada alasan yang dapat diterima.",
    ),
    (
        "Bagaimana indeks dihitung?",
        "Indeks adalah rata-rata tertimbang nilai terverifikasi menurut bobot instrumen, "
        "dibulatkan setengah ke atas menjadi dua desimal. Rinciannya ada di pusat bantuan.",
    ),
)

# (question by the region, answer by the lead assessor, published to the FAQ), asked by the
# demo regions with a coordinator and an assessor team in the running cycle (Kutai Kartanegara).
QUESTIONS: tuple[tuple[str, str, bool], ...] = (
    (
        "Apakah Perbup masterplan smart city Kutai Kartanegara yang masih draf boleh diunggah "
        "sebagai bukti untuk dimensi Output?",
        "Draf belum cukup untuk tingkat regulasi; unggah draf sebagai bukti tingkat "
        "perencanaan dan tambahkan peraturan yang sudah ditetapkan bila ada.",
        True,
    ),
    (
        "Dinas Kesehatan belum menerima akun; siapa yang harus mengundang?",
        "Koordinator daerah mengundang kontributor OPD dari halaman Pengguna.",
        False,
    ),
    (
        "Apakah program quick win yang dimulai tahun ini sudah dapat dinilai?",
        "Ya, bila program sudah berjalan dan ada bukti manfaatnya; program yang baru "
        "direncanakan dinilai pada siklus berikutnya.",
        True,
    ),
)


def create_demo_help() -> int:
    """FAQ entries and answered questions; the number of rows created."""
    admin = User.objects.get(username="admin")
    created = 0
    for asked, answer in FAQ:
        publish_faq_entry(program=PROGRAM, question=asked, answer=answer, user=admin)
        created += 1
    evaluations = list(
        Evaluation.objects.filter(cycle__program=PROGRAM, cycle__year=YEAR)
        .filter(region__grants__role="coordinator", region__assessor_assignments__cycle__year=YEAR)
        .select_related("cycle", "region")
        .distinct()
        .order_by("region__code")
    )
    for index, (text, answer, general) in enumerate(QUESTIONS):
        if not evaluations:
            break
        evaluation = evaluations[index % len(evaluations)]
        coordinator = User.objects.filter(
            grants__role="coordinator", grants__region=evaluation.region
        ).order_by("username")[0]
        lead = (
            AssessorAssignment.objects.filter(cycle=evaluation.cycle, region=evaluation.region)
            .order_by("-is_lead", "user__username")
            .first()
        )
        question = ask_question(
            evaluation=evaluation, text=text, user=coordinator, source=QuestionSource.REGION
        )
        created += 1
        if lead is not None:
            answer_question(
                question=question,
                answer=answer,
                is_general=general,
                faq_question="",
                faq_answer="",
                user=lead.user,
            )
            created += int(general)
    return created
