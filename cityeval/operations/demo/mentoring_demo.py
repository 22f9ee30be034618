"""The model case as demo data: the visit to Kutai Kartanegara on 25–26 February 2020.

Day 1 the *pembahasan program evaluasi* with *bimbingan teknis* at the regent's hall, every OPD
invited; day 2 the *peninjauan lapangan*. Rows are written directly (like the other demo data),
with fixed dates and no random draw, so `cityeval demo` stays deterministic and fast.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model

from cityeval.audit.log import audited
from cityeval.evaluations.models import AssessorAssignment, Evaluation
from cityeval.frameworks.tags import dimension_names
from cityeval.mentoring.models import (
    AgendaItem,
    AgendaKind,
    AgreedAction,
    Attendance,
    MinutePoint,
    Visit,
    VisitInvitation,
)
from cityeval.operations.demo.people import KUKAR
from cityeval.regions.models import OPD

DAY1, DAY2 = date(2020, 2, 25), date(2020, 2, 26)
PLANNED_AT = datetime(2020, 2, 10, 2, 0, tzinfo=UTC)

AGENDA = [
    (DAY1, AgendaKind.OTHER, "Pembukaan oleh Asisten Bupati"),
    (DAY1, AgendaKind.DISCUSSION, "Pembahasan hasil evaluasi 2018–2019"),
    (DAY1, AgendaKind.GUIDANCE, "Bimbingan teknis tata cara evaluasi mandiri 2020"),
    (DAY2, AgendaKind.FIELD_REVIEW, "Peninjauan lapangan program quick win"),
]
# (OPD code, names of the people present who have no account in the demo).
WALKINS = [
    ("KOMINFO", "Kepala Bidang Aplikasi Informatika"),
    ("BAPPEDA", "Kepala Bidang Perencanaan"),
    ("DUKCAPIL", "Sekretaris Dinas"),
    ("DISPAR", "Kepala Seksi Promosi"),
    ("DINKES", "Kepala Bidang Pelayanan Kesehatan"),
    ("DLH", "Kepala Bidang Pengelolaan Sampah"),
]
# (dimension position in the framework, discussion, question, answer).
POINTS = [
    (
        0,
        "Hasil evaluasi 2018–2019: program layanan publik daring sudah berjalan, tetapi bukti "
        "dukung belum menunjukkan jumlah pengguna.",
        "Bukti apa yang diterima untuk tingkat pemanfaatan layanan?",
        "Laporan statistik pengguna bulanan dari sistem, ditandatangani kepala OPD.",
    ),
    (
        1,
        "Branding daerah: agenda pariwisata tahunan perlu dikaitkan dengan masterplan.",
        "",
        "",
    ),
    (
        4,
        "Peninjauan lapangan: bank sampah digital berjalan di tiga kecamatan.",
        "Apakah data timbulan sampah sudah terhubung ke dasbor daerah?",
        "Belum; direncanakan pada triwulan II 2020.",
    ),
]
ACTIONS = [
    ("KOMINFO", "Menyusun laporan statistik pengguna layanan daring per bulan.", date(2020, 4, 30)),
    ("DISPAR", "Memasukkan agenda pariwisata tahunan ke dalam masterplan.", date(2020, 6, 30)),
    ("DLH", "Menghubungkan data bank sampah ke dasbor daerah.", date(2020, 6, 30)),
]


def create_demo_visit(*, year: int = 2020) -> int:
    """The Kutai Kartanegara visit in the `year` cycle; returns 1 when created, 0 otherwise."""
    evaluation = (
        Evaluation.objects.filter(region__code=KUKAR, cycle__year=year)
        .select_related("region", "cycle__framework_version")
        .first()
    )
    lead = (
        AssessorAssignment.objects.filter(cycle__year=year, region__code=KUKAR, is_lead=True)
        .select_related("user")
        .first()
    )
    if evaluation is None or lead is None:
        return 0
    opds = {opd.code: opd for opd in OPD.objects.of_region(evaluation.region).active()}
    visit = Visit.objects.create(
        evaluation=evaluation,
        title="Pembahasan program evaluasi dan bimbingan teknis Gerakan Menuju 100 Smart City",
        venue="Ruang serbaguna kantor Bupati Kutai Kartanegara, Tenggarong",
        starts_on=DAY1,
        ends_on=DAY2,
        planned_by=lead.user,
        planned_at=PLANNED_AT,
        invitations_sent_at=PLANNED_AT,
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(visit=visit, day=day, kind=kind, title=title, sequence=n)
        for n, (day, kind, title) in enumerate(AGENDA)
    )
    VisitInvitation.objects.bulk_create(
        VisitInvitation(visit=visit, opd=opd) for opd in sorted(opds.values(), key=lambda o: o.code)
    )
    users = get_user_model().objects.filter(username__in=["koordinator.kukar", "kontributor.kukar"])
    attendance = [
        Attendance(
            visit=visit, day=visit.starts_on, user=user, name=str(user), recorded_by=lead.user
        )
        for user in users.order_by("username")
    ]
    attendance += [
        Attendance(
            visit=visit,
            day=visit.starts_on,
            name=position,
            position=position,
            opd=opds[code],
            recorded_by=lead.user,
        )
        for code, position in WALKINS
        if code in opds
    ]
    Attendance.objects.bulk_create(attendance)
    dimensions = list(dimension_names(evaluation.cycle.framework_version))
    points = MinutePoint.objects.bulk_create(
        MinutePoint(
            visit=visit,
            sequence=n,
            dimension=dimensions[position] if position < len(dimensions) else "",
            discussion=discussion,
            question=question,
            answer=answer,
            recorded_by=lead.user,
            recorded_at=datetime(2020, 2, 25, 5, n, tzinfo=UTC),
        )
        for n, (position, discussion, question, answer) in enumerate(POINTS, start=1)
    )
    AgreedAction.objects.bulk_create(
        AgreedAction(
            visit=visit,
            point=points[n] if n < len(points) else None,
            text=text,
            opd=opds[code],
            due_on=due,
            recorded_by=lead.user,
            recorded_at=datetime(2020, 2, 26, 8, n, tzinfo=UTC),
        )
        for n, (code, text, due) in enumerate(ACTIONS)
        if code in opds
    )
    audited(
        actor=lead.user,
        action="mentoring.plan",
        target=visit,
        after={"title": visit.title, "starts_on": DAY1, "ends_on": DAY2, "opds": len(opds)},
        note="demo",
    )
    return 1
