"""The help centre, glossary, FAQ, questions and the checklist's dismissal. Thin views."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from cityeval.accounts.models import Role, User
from cityeval.core.methods import require_form
from cityeval.evaluations.models import Cycle
from cityeval.frameworks.models import FrameworkVersion
from cityeval.help import access, services
from cityeval.help.forms import AnswerForm, AskForm, FaqSearchForm
from cityeval.help.framework_guide import index_guide
from cityeval.help.glossary import glossary as glossary_terms
from cityeval.help.models import FaqEntry
from cityeval.help.search import search
from cityeval.help.workflow_guide import roles, stages


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_GET
def centre(request: HttpRequest) -> HttpResponse:
    """Stages and roles, and the index of the framework a cycle pins (?siklus=, else the latest)."""
    cycles = list(Cycle.objects.select_related("framework_version").order_by("-year", "-round"))
    chosen = request.GET.get("siklus", "")
    cycle = next((c for c in cycles if str(c.pk) == chosen), cycles[0] if cycles else None)
    guide = index_guide(cycle.framework_version) if cycle is not None else None
    return render(
        request,
        "help/centre.html",
        {
            "cycles": cycles,
            "cycle": cycle,
            "stages": stages(cycle),
            "roles": roles(),
            "guide": guide,
            "versions": FrameworkVersion.objects.filter(cycles__isnull=False).distinct(),
        },
    )


@login_required
@require_GET
def framework(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(FrameworkVersion, pk=pk)
    return render(request, "help/framework.html", {"guide": index_guide(version)})


@login_required
@require_GET
def glossary(request: HttpRequest) -> HttpResponse:
    return render(request, "help/glossary.html", {"terms": glossary_terms()})


@login_required
@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    form = FaqSearchForm(request.GET)
    entries = FaqEntry.objects.all()
    if form.is_valid():
        entries = search(entries.of_program(form.cleaned_data["program"]), form.cleaned_data["q"])
    programs = FaqEntry.objects.order_by("program").values_list("program", flat=True).distinct()
    return render(
        request,
        "help/faq.html",
        {"form": form, "entries": entries[:200], "programs": list(programs)},
    )


@login_required
@require_GET
def questions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(
        request,
        "help/questions.html",
        {
            "questions": access.visible_questions(user)[:200],
            "askable": access.askable_evaluations(user),
        },
    )


@login_required
@require_form
def ask(request: HttpRequest, evaluation_pk: int) -> HttpResponse:
    user = _user(request)
    evaluation, source = access.evaluation_for_asking(user, evaluation_pk)
    form = AskForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        question = services.ask_question(
            evaluation=evaluation, text=form.cleaned_data["text"], user=user, source=source
        )
        return redirect("help:question", pk=question.pk)
    return render(request, "help/ask.html", {"form": form, "evaluation": evaluation})


@login_required
@require_form
def question(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    found = access.question_for(user, pk, answering=request.method == "POST")
    may_answer = access.may_answer(user, found.evaluation)
    entry = getattr(found, "faq_entry", None)
    initial = {
        "answer": found.answer,
        "is_general": found.is_general,
        "faq_question": getattr(entry, "question", ""),
        "faq_answer": getattr(entry, "answer", ""),
    }
    form = AnswerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.answer_question(question=found, user=user, **form.cleaned_data)
        return redirect("help:question", pk=found.pk)
    return render(
        request,
        "help/question.html",
        {"question": found, "form": form if may_answer else None},
    )


@login_required
@require_POST
def dismiss(request: HttpRequest) -> HttpResponse:
    role = request.POST.get("role", "")
    if role in Role.values:
        services.dismiss_checklist(user=_user(request), role=role)
    return redirect("home")
