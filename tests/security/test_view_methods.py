"""Every view of the project declares the HTTP methods it accepts, so a page that only reads
answers 405 to a POST instead of behaving as a GET (and a new page cannot forget).

A view declares its methods with Django's `require_safe` / `require_GET` / `require_POST` /
`require_http_methods` (found on the view's chain of wrappers), or is class-based (Django's
`View` answers 405 to a method it has no handler for). A view that does neither must be in
`UNDECLARED` with the reason it needs none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import django.views.decorators.http as http_decorators
from django.urls import URLPattern, URLResolver, get_resolver
from django.views import View

# Views that do not declare methods, keyed by the module their callable comes from.
UNDECLARED: dict[str, str] = {
    "django.contrib.admin.": "Django's admin site (staff only; the URL matrix has its rows)",
    "django.contrib.auth.admin.": "Django's admin site: adding a user, setting a password",
    "django.contrib.contenttypes.views.shortcut": "the admin's 'view on site' redirect",
    "django.views.i18n.set_language": "Django's language switch: POST sets it, GET redirects back",
    "django.views.static.": "media served only when debugging (never in production)",
    "ninja.": "django-ninja's API root, schema and docs pages (read only)",
    "cityeval.api.urls.unknown": "the API's 404 for a path it does not have, whatever the method",
}


def patterns() -> Iterator[tuple[str, URLPattern]]:
    """Every URL pattern the project serves, named or not, with its full route."""

    def walk(resolver: URLResolver, prefix: str) -> Iterator[tuple[str, URLPattern]]:
        for entry in resolver.url_patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                yield from walk(entry, route)
            else:
                yield route, entry

    yield from walk(get_resolver(), "")


def declared_methods(view: Callable[..., Any]) -> set[str] | None:
    """The methods a view accepts if it declares them, else None."""
    view_class = getattr(view, "view_class", None)
    if isinstance(view_class, type) and issubclass(view_class, View):
        # View.setup() answers HEAD with get() where the class has no head().
        return {
            method.upper()
            for method in view_class.http_method_names
            if method != "options"
            and (hasattr(view_class, method) or (method == "head" and hasattr(view_class, "get")))
        }
    found: Any = view
    while found is not None:
        code = getattr(found, "__code__", None)
        if (
            code is not None
            and code.co_filename == http_decorators.__file__
            and "request_method_list" in code.co_freevars
        ):
            cell = found.__closure__[code.co_freevars.index("request_method_list")]
            return set(cell.cell_contents)
        found = getattr(found, "__wrapped__", None)
    return None


def where(view: Callable[..., Any]) -> str:
    """The dotted name of a view's callable (of the function a partial wraps)."""
    if isinstance(view, partial):
        view = view.func
    return f"{view.__module__}.{getattr(view, '__qualname__', view)}"


def test_every_view_declares_the_methods_it_accepts() -> None:
    undeclared = []
    for route, pattern in patterns():
        view = pattern.callback
        if declared_methods(view) is not None:
            continue
        if any(where(view).startswith(module) for module in UNDECLARED):
            continue
        undeclared.append(f"{route}  {pattern.name or ''}  {where(view)}")
    assert not undeclared, (
        "Views that accept any method (decorate with require_safe / require_POST / "
        "require_http_methods, or add them to UNDECLARED with a reason):\n  "
        + "\n  ".join(sorted(undeclared))
    )


def test_the_inspection_reads_each_kind_of_declaration() -> None:
    def page(request: Any) -> None: ...

    assert declared_methods(page) is None
    assert declared_methods(http_decorators.require_safe(page)) == {"GET", "HEAD"}
    assert declared_methods(http_decorators.require_POST(page)) == {"POST"}

    class Page(View):
        def get(self, request: Any) -> None: ...

    assert declared_methods(Page.as_view()) == {"GET", "HEAD"}
