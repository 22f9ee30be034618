"""The help centre is generated from the data: stages and roles from the workflow and the role
enum, the index explanation from the framework version a cycle pins, the glossary from
docs/translations.md; the old addresses redirect; every page's help link has its section."""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.urls import reverse
from django.utils import translation

from cityeval.accounts.models import Role
from cityeval.evaluations.models import EvaluationStatus
from cityeval.evaluations.workflow import ALLOWED
from cityeval.frameworks.schema import FrameworkDocument
from cityeval.frameworks.services import store_document
from cityeval.help import workflow_guide
from cityeval.help.glossary import glossary, parse
from cityeval.help.sections import SECTIONS
from tests.world import World, g100sc_2022

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "cityeval" / "templates"
HELP_LINK = re.compile(r"""\{%\s*help_link\s+["']([^"']+)["']\s*%\}""")
# The main pages of issue 12 §2 that must carry a link to their help section.
MAIN_PAGES = {
    "evaluations/item_detail.html",
    "evaluations/item_list.html",
    "evaluations/overview.html",
    "evaluations/cycle_detail.html",
    "evaluations/cycle_list.html",
    "reviews/workspace.html",
    "reports/edit.html",
    "scorecards/scorecard.html",
    "dashboard/dashboard.html",
    # Issue 12 §1, §3, §4: the visit, the discussions, the library.
    "mentoring/visit_list.html",
    "mentoring/visit_detail.html",
    "mentoring/attendance.html",
    "discussions/thread.html",
    "discussions/ask.html",
    "library/index.html",
    "library/detail.html",
    "library/programs.html",
    "library/peers.html",
}


def test_every_stage_and_role_is_explained() -> None:
    assert set(workflow_guide.STAGE_TEXT) == set(EvaluationStatus.values)
    assert set(workflow_guide.STAGE_ROLES) == set(EvaluationStatus.values)
    assert set(workflow_guide.ROLE_TEXT) == set(Role.values)


def test_stages_follow_the_workflow_table(shared_world: World) -> None:
    found = workflow_guide.stages(shared_world.review_cycle)
    assert [stage.code for stage in found] == list(EvaluationStatus.values)
    for stage in found:
        allowed = ALLOWED[EvaluationStatus(stage.code)]
        assert set(stage.next_labels) == {str(to.label) for to in allowed}
    self_assessment = found[0]
    assert self_assessment.deadline == shared_world.review_cycle.self_assessment_deadline


def test_centre_shows_stages_roles_and_the_pinned_framework(shared_world: World) -> None:
    client = shared_world.client("contributor_a")
    cycle = shared_world.published_cycle
    page = client.get(reverse("help:centre"), {"siklus": cycle.pk}).content.decode()
    for status in EvaluationStatus:
        assert str(status.label) in page
    for role in Role:
        assert str(role.label) in page
    assert cycle.framework_version.ref in page
    document = cycle.framework_version.parsed()
    first = document.tree.children[0]
    assert first.name.id in page
    assert f"{document.rounding.places} desimal" in page
    for band in document.predicates.bands if document.predicates else ():
        assert band.label.id in page


def _changed(document: FrameworkDocument) -> FrameworkDocument:
    """The same framework with two top-level weights split 8:3, rounding to 3 places and a
    renamed lowest predicate band: a change an admin makes by importing a new version."""
    data: dict[str, Any] = document.model_dump(mode="json")
    data["version"] = "2099"
    children = data["tree"]["children"]
    pair = Fraction(children[0]["weight"]) + Fraction(children[1]["weight"])
    children[0]["weight"] = str(pair * Fraction(8, 11))
    children[1]["weight"] = str(pair * Fraction(3, 11))
    data["rounding"]["places"] = 3
    data["predicates"]["bands"][0]["label"] = {"id": "Perlu Pembinaan", "en": "Needs mentoring"}
    return FrameworkDocument.model_validate(data)


def test_the_index_page_changes_with_the_framework_data(shared_world: World) -> None:
    client = shared_world.client("viewer_a")
    before = client.get(
        reverse("help:framework", args=[shared_world.running_cycle.framework_version.pk])
    ).content.decode()
    version = store_document(document=_changed(g100sc_2022())).version
    after = client.get(reverse("help:framework", args=[version.pk])).content.decode()
    assert "G100SC@2099" in after
    assert "12/55" in after
    assert "9/110" in after
    assert "12/55" not in before
    assert "3 desimal" in after
    assert "3 desimal" not in before
    assert "Perlu Pembinaan" in after
    assert "Perlu Pembinaan" not in before


def test_the_index_page_speaks_english_from_the_framework_file(shared_world: World) -> None:
    version = shared_world.running_cycle.framework_version
    client = shared_world.client("admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("help:framework", args=[version.pk]))
    band = version.parsed().predicates
    assert band is not None
    assert band.bands[-1].label.en in page.content.decode()


def test_glossary_is_read_from_docs_translations() -> None:
    terms = glossary()
    assert len(terms) > 50
    pairs = {(term.indonesian, term.english) for term in terms}
    assert ("butir", "item") in pairs
    assert ("kartu skor", "scorecard") in pairs
    assert ("Indonesian", "English") not in pairs  # the header row is not a term


def test_glossary_parser_stops_at_the_next_heading() -> None:
    text = (
        "# T\n## Glossary\n\n| Indonesian | English | note |\n|---|---|---|\n"
        "| *butir* | item | |\n\n## Next\n| a | b | c |\n"
    )
    assert [(t.indonesian, t.english) for t in parse(text)] == [("butir", "item")]


def test_glossary_page_lists_the_terms(shared_world: World) -> None:
    page = shared_world.client("contributor_b").get(reverse("help:glossary")).content.decode()
    assert "penilaian mandiri" in page
    assert "self-assessment" in page


@pytest.mark.parametrize(
    ("old", "new"), [("/help/", "/bantuan/"), ("/faq/?q=bukti", "/bantuan/faq/?q=bukti")]
)
def test_english_and_short_addresses_redirect(shared_world: World, old: str, new: str) -> None:
    response = shared_world.client("anonymous").get(old)
    assert response.status_code == 302
    assert response["Location"] == new


def test_help_pages_need_a_sign_in(shared_world: World) -> None:
    response = shared_world.client("anonymous").get(reverse("help:centre"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def _help_links() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in TEMPLATES.rglob("*.html"):
        sections = set(HELP_LINK.findall(path.read_text(encoding="utf-8")))
        if sections:
            found[str(path.relative_to(TEMPLATES))] = sections
    return found


def test_every_main_page_links_to_its_help_section() -> None:
    assert set(_help_links()) >= MAIN_PAGES


def test_every_referenced_section_exists_and_renders(shared_world: World) -> None:
    used = set().union(*_help_links().values())
    assert used <= set(SECTIONS)
    client = shared_world.client("admin")
    pages: dict[str, str] = {}
    for section in used | set(SECTIONS):
        url_name, _title = SECTIONS[section]
        if url_name not in pages:
            pages[url_name] = client.get(reverse(url_name)).content.decode()
        assert f'id="{section}"' in pages[url_name], section


def test_an_unknown_section_is_refused() -> None:
    with pytest.raises(TemplateSyntaxError):
        Template('{% load help %}{% help_link "nowhere" %}').render(Context({}))


def test_item_page_carries_its_help_link(shared_world: World) -> None:
    w = shared_world
    url = reverse("evaluations:item", args=[w.running.pk, w.item.pk])
    page = w.client("contributor_a").get(url).content.decode()
    assert f"{reverse('help:centre')}#items" in page


def test_a_heading_over_several_roles_is_not_the_singular_role_label(shared_world: World) -> None:
    """Indonesian "Peran" is both "Role" (a form's field) and "Roles" (a section listing them):
    the headings over several roles are their own message, so English can say "Roles"."""
    with translation.override("en"):
        role = translation.gettext("Peran")
        assert role == "Role"  # the form label, in the catalogue
        assert str(SECTIONS["roles"][1]) != role
    pages = {
        "help centre": (shared_world.client("admin"), reverse("help:centre")),
        "a person's roles": (
            shared_world.client("admin"),
            reverse("person_detail", args=[shared_world.people["coordinator_a"].pk]),
        ),
    }
    for name, (client, url) in pages.items():
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get(url).content.decode()
        assert re.search(r"<h2[^>]*>\s*Role\s*</h2>", page) is None, name
        assert re.search(r'<a href="#roles">\s*Role\s*</a>', page) is None, name
