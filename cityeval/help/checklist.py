"""The first-login checklist: per role, what to do first and where it is. Shown on the home page
(`templates/help/_checklist.html`) until the person dismisses it; one dismissal per role."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.help.models import ChecklistDismissal
from cityeval.help.sections import SECTIONS

# role -> steps: (text, URL name where it is done, help section that explains it)
STEPS: dict[str, tuple[tuple[Promise, str, str], ...]] = {
    Role.PROGRAM_ADMIN: (
        (
            _("Buka siklus: tahun, tahap, versi instrumen dan batas waktu"),
            "evaluations:cycles",
            "cycles",
        ),
        (_("Undang tim asesor dan koordinator daerah"), "people", "roles"),
        (_("Periksa cara indeks dihitung untuk instrumen siklus"), "help:centre", "index"),
        (_("Pantau kemajuan di dasbor nasional"), "dashboard:national", "dashboard"),
    ),
    Role.ASSESSOR: (
        (
            _("Buka antrean reviu: daerah yang ditugaskan kepada tim Anda"),
            "reviews:queue",
            "review",
        ),
        (
            _("Pahami tahapan: reviu dokumen, klarifikasi, kunjungan, finalisasi"),
            "help:centre",
            "stages",
        ),
        (
            _("Jawab pertanyaan daerah; tandai yang umum agar terbit di FAQ"),
            "help:questions",
            "faq",
        ),
    ),
    Role.COORDINATOR: (
        (_("Buka evaluasi daerah Anda dan bagi butir ke OPD"), "evaluations:mine", "items"),
        (_("Undang kontributor OPD"), "people", "roles"),
        (_("Pantau kelengkapan lalu serahkan sebelum batas waktu"), "evaluations:mine", "stages"),
        (_("Kirim pertanyaan kepada tim asesor"), "help:questions", "faq"),
    ),
    Role.CONTRIBUTOR: (
        (_("Buka butir yang ditugaskan kepada OPD Anda"), "evaluations:mine", "items"),
        (_("Isi tingkat, narasi dan unggah bukti dukung"), "evaluations:mine", "items"),
        (_("Baca glosarium bila ada istilah yang belum jelas"), "help:glossary", "glossary"),
    ),
    Role.VIEWER: (
        (_("Lihat hasil yang sudah dipublikasikan"), "dashboard:public", "scorecard"),
        (_("Pahami cara indeks dihitung"), "help:centre", "index"),
        (_("Baca pertanyaan yang sering diajukan"), "help:faq", "faq"),
    ),
}


@dataclass(frozen=True)
class Step:
    text: str
    url: str
    help_url: str


@dataclass(frozen=True)
class Checklist:
    role: str
    label: str
    steps: list[Step]


def _step(text: Promise, url_name: str, section: str) -> Step:
    help_page, _title = SECTIONS[section]
    return Step(str(text), reverse(url_name), f"{reverse(help_page)}#{section}")


def checklists_for(user: User) -> list[Checklist]:
    """One checklist per role the person holds and has not dismissed (superusers: admin's)."""
    roles = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.PROGRAM_ADMIN.value)
    roles -= set(ChecklistDismissal.objects.filter(user=user).values_list("role", flat=True))
    return [
        Checklist(role.value, str(role.label), [_step(*step) for step in STEPS[role.value]])
        for role in Role
        if role.value in roles
    ]
