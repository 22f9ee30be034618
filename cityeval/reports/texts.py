"""Texts the reports app composes from framework data: proposals.

(Predicate names are `FrameworkVersion.predicate_label`.)

Both read the framework in the active language, so the caller decides the language: proposals
are stored in Indonesian (composed under `translation.override("id")`) and shown in the
reader's language while the assessor has not rewritten them.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from cityeval.frameworks.models import FrameworkNode


def proposal_text(node: FrameworkNode, level: int) -> str:
    """A recommendation to reach `level` of an item: that level's rubric and its evidence."""
    text = _("Capai tingkat %(level)d pada butir %(code)s (%(name)s): %(rubric)s") % {
        "level": level,
        "code": node.code,
        "name": node.name,
        "rubric": node.rubric(level),
    }
    evidence = node.evidence(level)
    if evidence:
        text += " " + _("Bukti dukung yang diharapkan: %(evidence)s") % {"evidence": evidence}
    return text
