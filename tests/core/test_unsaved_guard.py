"""Every form where typed work can be lost warns before the page is left (`data-unsaved`).

The demo program has every persona and every workflow state. As each demo person, the test walks
the pages reachable by links from the home page (a few of each URL shape) and checks that every
POST form holding a text area (its own, or one tied to it by `form="…"`) carries the marker that
`static/js/behaviours.js` guards. A new editing page is covered without being listed here.
"""

from __future__ import annotations

import re
from collections import deque
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from cityeval.accounts.models import User
from cityeval.operations.demo.people import DEMO_PEOPLE

# Files, not pages: a PDF takes seconds to render and holds no form (PDFs were 60% of the walk).
SKIP = re.compile(
    r"^/(static|admin|api|accounts/logout|logout|i18n)/"
    r"|[.](pdf|csv|xlsx|json|svg|png|jpg)$|/download|/pdf/$"
)
PER_SHAPE = 2


class Forms(HTMLParser):
    """The POST forms of a page, which of them hold a text area, and the page's links."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, str | None]] = []
        self.open: dict[str, str | None] | None = None
        self.with_text: set[int] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "a" and named.get("href"):
            self.links.append(str(named["href"]))
        elif tag == "form":
            self.open = named if (named.get("method") or "").lower() == "post" else None
            if self.open is not None:
                self.forms.append(self.open)
        elif tag == "textarea":
            owner = named.get("form")
            if owner:
                index = next(i for i, f in enumerate(self.forms) if f.get("id") == owner)
            elif self.open is not None:
                index = len(self.forms) - 1
            else:
                return
            self.with_text.add(index)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.open = None

    def unguarded(self) -> list[dict[str, str | None]]:
        forms = [self.forms[i] for i in sorted(self.with_text)]
        return [form for form in forms if "data-unsaved" not in form]


def crawl(client: Client) -> tuple[dict[str, list[str]], int]:
    """Unguarded forms by page, and how many guarded forms with text areas were seen."""
    queue: deque[str] = deque(["/"])
    seen: set[str] = set()
    per_shape: dict[str, int] = {}
    unguarded: dict[str, list[str]] = {}
    guarded = 0
    while queue:
        path = queue.popleft()
        shape = re.sub(r"\d+", "N", path)
        if path in seen or per_shape.get(shape, 0) >= PER_SHAPE:
            continue
        seen.add(path)
        per_shape[shape] = per_shape.get(shape, 0) + 1
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = Forms()
        page.feed(response.content.decode())
        missing = page.unguarded()
        guarded += len(page.with_text) - len(missing)
        if missing:
            unguarded[path] = [str(form.get("action") or path) for form in missing]
        for link in page.links:
            target = link.split("#")[0].split("?")[0]
            if target.startswith("/") and not SKIP.search(target):
                queue.append(target)
    return unguarded, guarded


@pytest.mark.django_db
def test_every_form_with_typed_text_warns_before_leaving(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", stdout=StringIO(), stderr=StringIO())
    unguarded: dict[str, list[str]] = {}
    guarded = 0
    for person in DEMO_PEOPLE:
        client = Client()
        client.force_login(User.objects.get(username=person.username))
        missing, count = crawl(client)
        unguarded.update(missing)
        guarded += count
    assert unguarded == {}
    # The walk reached the editing pages (the item page, the report editor, the review page...).
    assert guarded >= 10
