"""What the top bar needs to know about the person: which sections to offer."""

from __future__ import annotations

from django.http import HttpRequest

from cityeval.accounts.access import scope_of


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    scope = scope_of(user)
    return {
        "nav": {
            "admin": scope.admin,
            "assessor": scope.assessor,
            "coordinator": bool(scope.coordinator_regions),
            "member": bool(scope.region_ids),
            "national_viewer": scope.national_viewer,
        }
    }
