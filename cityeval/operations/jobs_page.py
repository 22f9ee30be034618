"""`/jobs/`: the program admin's view of the queue's batches, each with its done/total.

Here, on the top floor, because it needs the admin rule of `accounts`, which sits beside `jobs`
on the ground floor and queues its e-mails through it (the two may not import each other)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render

from cityeval.accounts.access import require_admin
from cityeval.core.methods import require_form
from cityeval.jobs.models import Job, JobBatch, JobStatus
from cityeval.jobs.runner import progress

SHOWN = 20


@login_required
@require_form
def batches(request: HttpRequest) -> HttpResponse:
    require_admin(request.user)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    rows = [(batch, progress(batch)) for batch in JobBatch.objects.all()[:SHOWN]]
    context = {
        "rows": rows,
        "failed": Job.objects.filter(status=JobStatus.FAILED).order_by("-finished_at")[:SHOWN],
    }
    return render(request, "jobs/batches.html", context)
