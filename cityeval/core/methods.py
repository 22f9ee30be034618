"""The HTTP methods a page accepts, declared on every view (tests/security/test_view_methods.py
fails for a view that declares none): a page that only reads answers 405 to a POST instead of
behaving as a GET.

- `require_safe` (Django's): a page that only reads (GET, HEAD);
- `require_form`: a page that shows a form or a confirmation on GET and acts on POST;
- `require_POST` (Django's): an action only.

Put the declaration under `login_required`, so an anonymous request still goes to the login page.
"""

from django.views.decorators.http import require_http_methods, require_POST, require_safe

require_form = require_http_methods(["GET", "HEAD", "POST"])

__all__ = ["require_POST", "require_form", "require_safe"]
