"""Pages of the item discussions: start a thread, the thread page, reply, edit a post (author
only), resolve, an attachment, ask another OPD for data and close the request.
Thin: access helper → form → one service → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from cityeval.accounts.access import actor_of
from cityeval.core.methods import require_form
from cityeval.core.redirects import safe_next
from cityeval.discussions import services
from cityeval.discussions.access import (
    may_ask_data,
    may_upload,
    may_upload_starting,
    rights_on,
    thread_for,
)
from cityeval.discussions.forms import DataRequestForm, EditForm, PostForm, ThreadForm
from cityeval.discussions.models import DataRequest, Post
from cityeval.evaluations.access import item_for
from cityeval.evaluations.errors import WorkflowError
from cityeval.evidence.storage import too_large_message
from cityeval.evidence.uploads import limit_uploads, max_bytes
from cityeval.evidence.views import file_response


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    return redirect(safe_next(request, fallback))


def _say_mentions(request: HttpRequest, posted: services.Posted) -> None:
    if posted.mentions.names:
        messages.info(
            request,
            _("Diberi tahu: %(names)s.") % {"names": ", ".join(posted.mentions.names)},
        )
    if posted.mentions.unreached:
        messages.warning(
            request,
            _("Tidak diberi tahu (tidak dikenal atau tidak dapat membaca utas ini): %(names)s.")
            % {"names": ", ".join(posted.mentions.unreached)},
        )


def _first_error(form: PostForm | EditForm | DataRequestForm) -> str:
    for errors in form.errors.values():
        return str(errors[0])
    return _("Periksa isian.")


# The first post may carry a file like a reply: the size limit goes in before the body is read.
@csrf_exempt
@login_required
@require_POST
def start(request: HttpRequest, item_pk: int) -> HttpResponse:
    limiter = limit_uploads(request)
    return _start(request, item_pk, limiter.too_large)


@csrf_protect
def _start(request: HttpRequest, item_pk: int, too_large: list[str]) -> HttpResponse:
    evaluation, item = item_for(request.user, item_pk)
    if not rights_on(request.user, evaluation).starts:
        raise PermissionDenied
    form = ThreadForm(
        request.POST,
        request.FILES,
        item=item,
        uploads=may_upload_starting(request.user, evaluation, item),
    )
    if too_large:
        messages.error(request, f"“{too_large[0]}”: {too_large_message(max_bytes())}")
    elif form.is_valid():
        try:
            posted = services.start_thread(
                item=item,
                evaluation=evaluation,
                user=actor_of(request),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                shared=form.cleaned_data["shared"],
                attachment=form.cleaned_data["attachment"],
                upload=form.cleaned_data.get("upload"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Utas diskusi dibuka."))
            _say_mentions(request, posted)
            return redirect("discussions:thread", pk=posted.post.thread_id)
    else:
        messages.error(request, _first_error(form))
    return _back(request, reverse("evaluations:item", args=[evaluation.pk, item.pk]))


@login_required
@require_GET
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    found = thread_for(request.user, pk)
    rights = rights_on(request.user, found.evaluation)
    may_post = rights.may_post(found)
    uploads = may_post and may_upload(request.user, found)
    data_request: DataRequest | None = getattr(found, "data_request", None)
    return render(
        request,
        "discussions/thread.html",
        {
            "thread": found,
            "evaluation": found.evaluation,
            "posts": found.posts.select_related("author", "attachment").prefetch_related(
                "revisions__edited_by"
            ),
            "may_post": may_post,
            "reply_form": PostForm(item=found.item, uploads=uploads) if may_post else None,
            "may_upload": uploads,
            "data_request": data_request,
            "may_close": data_request is not None
            and data_request.is_open
            and services.may_close(actor_of(request), data_request, found.evaluation),
        },
    )


# A reply may carry a file: the size limit is installed before anything reads the body, so the
# CSRF check runs inside (the pattern of `evidence.views.add_files`).
@csrf_exempt
@login_required
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    limiter = limit_uploads(request)
    return _reply(request, pk, limiter.too_large)


@csrf_protect
def _reply(request: HttpRequest, pk: int, too_large: list[str]) -> HttpResponse:
    found = thread_for(request.user, pk, posting=True)
    form = PostForm(
        request.POST, request.FILES, item=found.item, uploads=may_upload(request.user, found)
    )
    if too_large:
        messages.error(request, f"“{too_large[0]}”: {too_large_message(max_bytes())}")
    elif form.is_valid():
        try:
            posted = services.add_post(
                thread=found,
                user=actor_of(request),
                body=form.cleaned_data["body"],
                attachment=form.cleaned_data["attachment"],
                upload=form.cleaned_data.get("upload"),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Pesan terkirim."))
            _say_mentions(request, posted)
    else:
        messages.error(request, _first_error(form))
    return redirect("discussions:thread", pk=found.pk)


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    found = thread_for(request.user, pk, posting=True)
    resolved = request.POST.get("resolved") == "1"
    services.set_resolved(thread=found, user=actor_of(request), resolved=resolved)
    messages.success(
        request, _("Utas ditandai selesai.") if resolved else _("Utas dibuka kembali.")
    )
    return _back(request, reverse("discussions:thread", args=[found.pk]))


def _post_for(request: HttpRequest, pk: int) -> Post:
    post = Post.objects.filter(pk=pk).values_list("thread_id", flat=True).first()
    if post is None:
        raise Http404
    found = thread_for(request.user, post)
    chosen = found.posts.filter(pk=pk).select_related("attachment").first()
    if chosen is None:
        raise Http404
    chosen.thread = found
    return chosen


@login_required
@require_form
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_for(request, pk)
    if post.author_id != request.user.pk or not rights_on(
        request.user, post.thread.evaluation
    ).may_post(post.thread):
        raise PermissionDenied
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        services.edit_post(post=post, user=actor_of(request), body=form.cleaned_data["body"])
        messages.success(request, _("Pesan diubah; versi sebelumnya disimpan."))
        return redirect("discussions:thread", pk=post.thread_id)
    return render(request, "discussions/edit.html", {"post": post, "form": form})


@login_required
@require_GET
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An evidence file attached to a post, for whoever reads the thread (attaching shares it)."""
    post = _post_for(request, pk)
    if post.attachment is None or not post.attachment.is_file:
        raise Http404
    return file_response(post.attachment, force_download=bool(request.GET.get("download")))


@login_required
@require_form
def ask(request: HttpRequest, item_pk: int) -> HttpResponse:
    evaluation, item = item_for(request.user, item_pk)
    if not may_ask_data(request.user, evaluation, item):
        raise PermissionDenied
    form = DataRequestForm(request.POST or None, item=item, region_id=evaluation.region_id)
    if request.method == "POST" and form.is_valid():
        try:
            asked = services.request_data(
                item=item,
                evaluation=evaluation,
                user=actor_of(request),
                to_opd=form.cleaned_data["to_opd"],
                due_on=form.cleaned_data["due_on"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Permintaan data dikirim."))
            return redirect("discussions:thread", pk=asked.thread_id)
    return render(
        request, "discussions/ask.html", {"evaluation": evaluation, "item": item, "form": form}
    )


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    thread_pk = DataRequest.objects.filter(pk=pk).values_list("thread_id", flat=True).first()
    if thread_pk is None:
        raise Http404
    found = thread_for(request.user, thread_pk)
    data_request = DataRequest.objects.select_related("from_opd", "to_opd").get(pk=pk)
    data_request.thread = found
    try:
        services.close_data_request(data_request=data_request, user=actor_of(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Permintaan data ditutup."))
    return redirect("discussions:thread", pk=found.pk)
