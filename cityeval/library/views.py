"""The good-practice library, the program library and the peer comparison. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cityeval.accounts.access import actor_of, region_for_reading, scope_of
from cityeval.core.methods import require_form
from cityeval.evaluations.access import Can, item_for
from cityeval.evaluations.errors import WorkflowError
from cityeval.evidence.models import Evidence
from cityeval.evidence.views import file_response
from cityeval.library import access, queries, services
from cityeval.library.forms import HideForm, ShareForm, library_filters, program_filters
from cityeval.library.models import GoodPractice
from cityeval.masterplans.dimensions import smart_axis
from cityeval.masterplans.models import ProgramStatus
from cityeval.regions.models import Province, Region
from cityeval.results.models import ResultSnapshot


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    filters = library_filters(request.GET)
    listed = GoodPractice.objects.listed()
    found = queries.practices(listed.for_list(), filters).prefetch_related(
        Prefetch("evidence", Evidence.objects.current(), to_attr="shared_evidence")
    )
    scope = scope_of(request.user)
    return render(
        request,
        "library/index.html",
        {
            "filters": filters,
            "practices": list(found[: queries.PAGE]),
            "choices": queries.library_choices(listed),
            "kinds": Region.Kind.choices,
            "levels": range(1, 6),
            "own_regions": sorted(scope.region_ids),
        },
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = access.practice_for(request.user, pk)
    return render(
        request,
        "library/detail.html",
        {
            "practice": practice,
            "files": list(practice.evidence.current()),
            "listed": GoodPractice.objects.listed().filter(pk=pk).exists(),
            "may_manage": access.may_manage(request.user, practice),
            "may_hide": scope_of(request.user).admin,
            "hide_form": HideForm(),
        },
    )


@login_required
@require_GET
def practice_file(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponseBase:
    evidence = access.practice_file(request.user, pk, evidence_pk)
    return file_response(evidence, force_download=bool(request.GET.get("download")))


@login_required
@require_form
def share(request: HttpRequest, item_pk: int) -> HttpResponse:
    evaluation, item = item_for(request.user, item_pk, Can.COORDINATE)
    published = ResultSnapshot.objects.published().filter(evaluation_id=evaluation.pk).exists()
    shared = GoodPractice.objects.active().filter(item=item).first()
    evidence = list(Evidence.objects.current().filter(item=item).for_panel())
    form = ShareForm(request.POST or None, evidence=evidence, initial={"narrative": item.narrative})
    if request.method == "POST" and form.is_valid():
        try:
            practice = services.share_practice(
                item=item,
                narrative=form.cleaned_data["narrative"],
                evidence_ids=form.evidence_ids(),
                user=actor_of(request),
            )
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Butir dibagikan sebagai praktik baik."))
            return redirect("library:detail", pk=practice.pk)
    return render(
        request,
        "library/share.html",
        {
            "evaluation": evaluation,
            "item": item,
            "form": form,
            "published": published,
            "shared": shared,
        },
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    practice = access.practice_for_managing(request.user, pk)
    try:
        services.withdraw_practice(practice=practice, user=actor_of(request))
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("library:detail", pk=pk)
    messages.success(request, _("Praktik baik ditarik dari pustaka."))
    return redirect("library:index")


@login_required
@require_POST
def hide(request: HttpRequest, pk: int) -> HttpResponse:
    practice = access.practice_for_hiding(request.user, pk)
    form = HideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tulis alasan menyembunyikan praktik baik ini."))
        return redirect("library:detail", pk=pk)
    try:
        services.hide_practice(
            practice=practice, reason=form.cleaned_data["reason"], user=actor_of(request)
        )
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Praktik baik disembunyikan dari pustaka."))
    return redirect("library:detail", pk=pk)


@login_required
@require_POST
def unhide(request: HttpRequest, pk: int) -> HttpResponse:
    practice = access.practice_for_hiding(request.user, pk)
    try:
        services.unhide_practice(practice=practice, user=actor_of(request))
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Praktik baik ditampilkan kembali."))
    return redirect("library:detail", pk=pk)


@login_required
@require_GET
def programs(request: HttpRequest) -> HttpResponse:
    filters = program_filters(request.GET)
    found = queries.programs(filters)
    rows = list(found[: queries.PAGE])
    return render(
        request,
        "library/programs.html",
        {
            "filters": filters,
            "programs": [
                (
                    p,
                    queries.band_of(p.budget),
                    queries.status_label(getattr(p, "latest_status", None)),
                )
                for p in rows
            ],
            "total": found.count(),
            "page": queries.PAGE,
            "dimensions": [(d.code, d.name) for d in smart_axis().dimensions],
            "statuses": ProgramStatus.choices,
            "bands": queries.bands(),
            "kinds": Region.Kind.choices,
            "provinces": Province.objects.order_by("code"),
        },
    )


@login_required
@require_GET
def peers(request: HttpRequest, region_id: int) -> HttpResponse:
    region = region_for_reading(request.user, region_id)
    cycle = request.GET.get("cycle", "")
    chosen = [code for code in request.GET.get("regions", "").replace(",", " ").split() if code]
    comparison = queries.peer_comparison(
        region,
        cycle_pk=int(cycle) if cycle.isdigit() else None,
        group_code=request.GET.get("group", ""),
        chosen_codes=chosen,
    )
    return render(
        request,
        "library/peers.html",
        {"c": comparison, "chosen_text": " ".join(r.code for r in comparison.chosen)},
    )
