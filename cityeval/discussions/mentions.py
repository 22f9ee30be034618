"""Mentions in a post: `@username` names a person, `@CODE` (or the short name) an OPD of the
thread's region. Only people who may read the thread are notified; the others are named back
to the author (`Mentions.unreached`), so nobody believes a message reached someone it did not.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db.models import Q

from cityeval.accounts.models import Role, User
from cityeval.discussions.access import may_read
from cityeval.discussions.models import Thread
from cityeval.regions.models import OPD

MENTION = re.compile(r"(?<![\w@])@([\w][\w.+-]*)")


@dataclass
class Mentions:
    people: dict[int, User] = field(default_factory=dict)  # to notify
    names: list[str] = field(default_factory=list)  # what reached someone, as written
    unreached: list[str] = field(default_factory=list)


def tokens(body: str) -> list[str]:
    found = [m.group(1).rstrip(".-") for m in MENTION.finditer(body)]
    return list(dict.fromkeys(t for t in found if t))


def resolve(thread: Thread, body: str, author: User) -> Mentions:
    result = Mentions()
    for token in tokens(body):
        person = User.objects.filter(username__iexact=token).first()
        if person is not None:
            if may_read(person, thread):
                if person.pk != author.pk:
                    result.people[person.pk] = person
                result.names.append(f"@{token}")
            else:
                result.unreached.append(f"@{token}")
            continue
        opd = (
            OPD.objects.filter(region_id=thread.evaluation.region_id, active=True)
            .filter(Q(code__iexact=token) | Q(short_name__iexact=token))
            .first()
        )
        if opd is None:
            result.unreached.append(f"@{token}")
            continue
        staff = User.objects.filter(
            is_active=True, grants__role=Role.CONTRIBUTOR, grants__opd=opd
        ).distinct()
        # The OPD's contributors belong to the region: they read every thread of it.
        for member in staff:
            if member.pk != author.pk:
                result.people[member.pk] = member
        result.names.append(f"@{token}")
    return result
