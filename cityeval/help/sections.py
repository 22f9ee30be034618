"""The sections of the help centre that pages link to with `{% help_link "section" %}`.

Each key is an anchor on the help centre page (or the FAQ/glossary pages) and names a part that
page renders; `tests/help/test_context_help.py` collects every `help_link` in the templates and
checks that each section exists and renders.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# section -> (URL name of the page that holds it, title)
SECTIONS: dict[str, tuple[str, Promise]] = {
    "stages": ("help:centre", _("Tahapan evaluasi")),
    # Plural ("Roles"): a section listing several; "Peran" alone is a form's "Role".
    "roles": ("help:centre", pgettext_lazy("heading over several roles", "Peran")),
    "index": ("help:centre", _("Cara indeks dihitung")),
    "items": ("help:centre", _("Mengisi butir")),
    "review": ("help:centre", _("Reviu asesor")),
    "report": ("help:centre", _("Laporan asesor")),
    "scorecard": ("help:centre", _("Membaca kartu skor")),
    "dashboard": ("help:centre", _("Dasbor")),
    "cycles": ("help:centre", _("Siklus dan batas waktu")),
    "visits": ("help:centre", _("Kunjungan evaluasi dan bimbingan teknis")),
    "discussions": ("help:centre", _("Diskusi butir dan permintaan data")),
    "library": ("help:centre", _("Belajar dari daerah lain")),
    "glossary": ("help:glossary", _("Glosarium")),
    "faq": ("help:faq", _("Pertanyaan yang sering diajukan")),
}
