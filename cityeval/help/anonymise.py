"""Take the region and the people out of a question before it goes to every region's FAQ.

The assessor edits the published text too; this is the floor under that edit: the names the
system knows (the region, its province, its OPDs, the asker and the answerer) never reach the FAQ.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from cityeval.accounts.models import User
from cityeval.regions.models import Region


def names_of(*, region: Region, people: Iterable[User | None]) -> list[str]:
    names = [region.name, region.full_name, region.province.name]
    for opd in region.opds.all():
        names += [opd.name, opd.short_name]
    for person in people:
        if person is not None:
            names += [person.full_name, person.username, person.first_name, person.last_name]
    # Longest first, so "Kabupaten Kutai Kartanegara" goes before "Kutai Kartanegara".
    return sorted({name.strip() for name in names if len(name.strip()) >= 3}, key=len, reverse=True)


def anonymise(text: str, *, region: Region, people: Iterable[User | None]) -> str:
    placeholder = _("[disamarkan]")
    for name in names_of(region=region, people=people):
        text = re.sub(rf"(?<!\w){re.escape(name)}(?!\w)", placeholder, text, flags=re.IGNORECASE)
    return text
