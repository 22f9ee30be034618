"""Texts the reports app composes from framework data: proposals and predicate names.

Both read the framework in the active language, so the caller decides the language: proposals
are stored in Indonesian (composed under `translation.override("id")`) and shown in the
reader's language while the assessor has not rewritten them.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from cityeval.frameworks.models import FrameworkNode, FrameworkVersion, pick_language


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


def predicate_label(version: FrameworkVersion, code: str) -> str:
    """The name of a predicate band in the active language; the code if the band is unknown."""
    predicates: dict[str, Any] = version.document.get("predicates") or {}
    for band in predicates.get("bands") or []:
        if band.get("code") == code:
            label = band.get("label") or {}
            return pick_language(label.get("id", ""), label.get("en", "")) or code
    return code
