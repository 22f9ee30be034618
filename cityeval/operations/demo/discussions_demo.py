"""Item discussions in Kutai Kartanegara's evaluation: an internal thread between the Dinkes
contributor and the coordinator (resolved), a thread shared with the assessor team, and one
data request from another OPD to Dinkes that shows on the Dinkes contributor's home.

Written through the services (audit entries and notifications as in real use). The due date
lies two weeks after the build day: a request's due date may not be in the past.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cityeval.discussions.services import add_post, request_data, set_resolved, start_thread
from cityeval.evaluations.models import AssessorAssignment, Evaluation, ItemValue
from cityeval.operations.demo.people import KUKAR
from cityeval.regions.models import OPD


def create_demo_discussions(*, year: int = 2020) -> int:
    """Threads on Kutai Kartanegara's `year` evaluation; returns how many were opened."""
    evaluation = (
        Evaluation.objects.filter(region__code=KUKAR, cycle__year=year)
        .select_related("region", "cycle")
        .first()
    )
    people = {u.username: u for u in get_user_model().objects.filter(username__contains="kukar")}
    lead = AssessorAssignment.objects.filter(
        cycle__year=year, region__code=KUKAR, is_lead=True
    ).first()
    items = ItemValue.objects.filter(evaluation=evaluation).select_related("opd", "indicator")
    health_item = items.filter(opd__code="DINKES").order_by("indicator__sequence").first()
    other_item = (
        items.exclude(opd__code="DINKES").exclude(opd=None).order_by("indicator__sequence").first()
    )
    coordinator, contributor = people.get("koordinator.kukar"), people.get("kontributor.kukar")
    if (
        evaluation is None
        or lead is None
        or health_item is None
        or other_item is None
        or coordinator is None
        or contributor is None
    ):
        return 0
    internal = start_thread(
        item=health_item,
        evaluation=evaluation,
        user=contributor,
        title="Data jumlah fasilitas kesehatan terhubung",
        body=(
            "Kami punya data 32 puskesmas yang sudah memakai rekam medis elektronik. "
            "@koordinator.kukar, apakah cukup dengan rekap dari aplikasi atau perlu SK "
            "Kepala Dinas?"
        ),
        shared=False,
    ).post.thread
    add_post(
        thread=internal,
        user=coordinator,
        body="Rekap dari aplikasi ditambah SK Kepala Dinas; unggah keduanya sebagai bukti dukung.",
    )
    set_resolved(thread=internal, user=contributor, resolved=True)
    shared = start_thread(
        item=health_item,
        evaluation=evaluation,
        user=coordinator,
        title="Bukti untuk tingkat 4",
        body=(
            "Mohon arahan tim asesor: apakah laporan bulanan pengguna layanan cukup untuk "
            "tingkat 4?"
        ),
        shared=True,
    ).post.thread
    add_post(
        thread=shared,
        user=lead.user,
        body="Cukup bila laporan menunjukkan tren 12 bulan dan ditandatangani kepala OPD.",
    )
    request_data(
        item=other_item,
        evaluation=evaluation,
        user=coordinator,
        to_opd=OPD.objects.get(region=evaluation.region, code="DINKES"),
        due_on=timezone.localdate() + timedelta(days=14),
        body="Mohon data jumlah kunjungan layanan kesehatan daring per bulan tahun lalu.",
    )
    return 3
