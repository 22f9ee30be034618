"""`{% help_link "section" %}`: the link from a page to its help section, and
`{% first_steps as checklists %}` for the first-login checklist include."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from cityeval.help.checklist import Checklist, checklists_for
from cityeval.help.sections import SECTIONS

register = template.Library()


@register.simple_tag
def help_link(section: str) -> SafeString:
    if section not in SECTIONS:
        # Loud in development and tests: a page must not link to a section that is not there.
        raise template.TemplateSyntaxError(f"unknown help section {section!r}")
    url_name, title = SECTIONS[section]
    return format_html(
        '<a class="help-link" href="{}#{}" title="{}">{}</a>',
        reverse(url_name),
        section,
        title,
        _("Bantuan: %(title)s") % {"title": title},
    )


@register.simple_tag(takes_context=True)
def first_steps(context: dict[str, Any]) -> list[Checklist]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    return checklists_for(user)
