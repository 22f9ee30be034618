"""The person's own notifications: the list, and marking one or all of them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cityeval.core.methods import require_safe
from cityeval.notifications.models import Notification
from cityeval.notifications.services import mark_read

PAGE_SIZE = 50


@login_required
@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Notification.objects.of(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def read_one(request: HttpRequest, pk: int) -> HttpResponse:
    # Another person's notification does not exist for this one: 404.
    notification = get_object_or_404(Notification.objects.of(request.user), pk=pk)
    mark_read(user=request.user, notification=notification)  # type: ignore[arg-type]
    target = notification.url
    if request.POST.get("open") and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    mark_read(user=request.user)  # type: ignore[arg-type]
    return redirect("notifications:list")
