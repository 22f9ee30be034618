"""Threads, posts and data requests: typed services, one transaction, one audit entry each.

The views fetch through `access.py` (404 across regions, 403 for a reader who may not post);
the services check what depends on the data: an attachment of the thread's own item, the post's
own author, an OPD of the same region, a due date not in the past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityeval.accounts.access import scope_of
from cityeval.accounts.models import Role, User
from cityeval.audit.log import audited
from cityeval.discussions.access import answers_request, may_ask_data, rights_on
from cityeval.discussions.mentions import Mentions, resolve
from cityeval.discussions.models import DataRequest, Post, PostRevision, Thread, Visibility
from cityeval.evaluations.models import Evaluation, ItemValue
from cityeval.evidence.models import Evidence
from cityeval.evidence.services import add_file_evidence
from cityeval.notifications.services import notify
from cityeval.regions.models import OPD


@dataclass(frozen=True)
class Posted:
    post: Post
    mentions: Mentions


def _body(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(_("Pesan tidak boleh kosong."))
    return text


def _attachment(item: ItemValue, evidence: Evidence | None) -> Evidence | None:
    if evidence is None:
        return None
    if evidence.item_id != item.pk or evidence.removed_at is not None:
        raise ValidationError(_("Lampiran harus bukti dukung butir ini."))
    return evidence


def _refuse_unless_posting(user: User, thread: Thread) -> None:
    if not rights_on(user, thread.evaluation).may_post(thread):
        raise PermissionDenied


def thread_url(thread: Thread) -> str:
    return reverse("discussions:thread", args=[thread.pk])


def _params(thread: Thread, **more: str) -> dict[str, str]:
    return {
        "item": thread.item.indicator.code,
        "region": thread.evaluation.region.full_name,
        "cycle": str(thread.evaluation.cycle),
        **more,
    }


def _write_post(*, thread: Thread, user: User, body: str, attachment: Evidence | None) -> Posted:
    post = Post.objects.create(
        thread=thread,
        author=user,
        body=_body(body),
        attachment=_attachment(thread.item, attachment),
    )
    mentions = resolve(thread, post.body, user)
    if mentions.people:
        notify(
            kind="discussion_mention",
            recipients=mentions.people.values(),
            params=_params(thread, person=user.get_full_name() or user.username),
            url=thread_url(thread),
            quoted={"message": post.body},
        )
    audited(
        actor=user,
        action="discussions.post.created",
        target=post,
        after={
            "thread": thread.pk,
            "body": post.body,
            "attachment": attachment.pk if attachment else None,
            "mentioned": mentions.names,
        },
    )
    return Posted(post, mentions)


@transaction.atomic
def start_thread(
    *,
    item: ItemValue,
    evaluation: Evaluation,
    user: User,
    title: str,
    body: str,
    shared: bool,
    attachment: Evidence | None = None,
    upload: UploadedFile[bytes] | None = None,
) -> Posted:
    """Open a thread on an item with its first post. `shared` opens it to the assessor team.
    The first post attaches like a reply (`add_post`): one of the item's evidence or a new file."""
    rights = rights_on(user, evaluation)
    if not (rights.post_shared if shared else rights.post_internal):
        raise PermissionDenied
    if item.evaluation_id != evaluation.pk:
        raise ValidationError(_("Butir tidak termasuk evaluasi ini."))
    thread = Thread.objects.create(
        item=item,
        evaluation=evaluation,
        title=title.strip()[:200],
        visibility=Visibility.SHARED if shared else Visibility.REGION,
        created_by=user,
    )
    thread.evaluation = evaluation
    audited(
        actor=user,
        action="discussions.thread.started",
        target=thread,
        after={"item": item.pk, "title": thread.title, "visibility": thread.visibility},
    )
    _body(body)  # an empty message stores no file
    attachment = _attach(thread=thread, user=user, attachment=attachment, upload=upload)
    return _write_post(thread=thread, user=user, body=body, attachment=attachment)


@transaction.atomic
def add_post(
    *,
    thread: Thread,
    user: User,
    body: str,
    attachment: Evidence | None = None,
    upload: UploadedFile[bytes] | None = None,
) -> Posted:
    """A reply. `attachment` is one of the item's evidence; `upload` a new file that becomes
    the item's evidence first (the evidence rule decides who may: the item's OPD and its
    coordinator, and the OPD asked for data in this thread while the request is open)."""
    _refuse_unless_posting(user, thread)
    _body(body)  # an empty message stores no file
    attachment = _attach(thread=thread, user=user, attachment=attachment, upload=upload)
    return _write_post(thread=thread, user=user, body=body, attachment=attachment)


def _attach(
    *,
    thread: Thread,
    user: User,
    attachment: Evidence | None,
    upload: UploadedFile[bytes] | None,
) -> Evidence | None:
    """What a post (the first or a reply) attaches: one of the item's evidence as chosen, or
    `upload` stored first as the item's evidence through the evidence rule."""
    if upload is None:
        return attachment
    if attachment is not None:
        raise ValidationError(_("Pilih lampiran atau unggah berkas, tidak keduanya."))
    thread.item.evaluation = thread.evaluation
    return add_file_evidence(
        item=thread.item,
        user=user,
        upload=upload,
        description=_("Dikirim dalam diskusi: %(title)s")
        % {"title": thread.title or thread.item.indicator.code},
        asked=answers_request(user, thread),
    )


@transaction.atomic
def edit_post(*, post: Post, user: User, body: str) -> Post:
    """Only the author edits their post; the former text is kept as a revision."""
    locked = Post.objects.select_for_update(of=("self",)).get(pk=post.pk)
    if locked.author_id != user.pk:
        raise PermissionDenied
    _refuse_unless_posting(user, post.thread)
    text = _body(body)
    if text == locked.body:
        return locked
    PostRevision.objects.create(post=locked, body=locked.body, edited_by=user)
    before = locked.body
    locked.body = text
    locked.edited_at = timezone.now()
    locked.save(update_fields=["body", "edited_at"])
    locked.thread = post.thread  # its evaluation loaded: the entry's scope needs no query
    audited(
        actor=user,
        action="discussions.post.edited",
        target=locked,
        before={"body": before},
        after={"body": text},
    )
    return locked


@transaction.atomic
def set_resolved(*, thread: Thread, user: User, resolved: bool) -> Thread:
    _refuse_unless_posting(user, thread)
    locked = Thread.objects.select_for_update(of=("self",)).get(pk=thread.pk)
    before = locked.is_resolved
    if resolved and not before:
        locked.resolved_at, locked.resolved_by = timezone.now(), user
    elif not resolved and before:
        locked.resolved_at, locked.resolved_by = None, None
    else:
        return locked
    locked.save(update_fields=["resolved_at", "resolved_by"])
    locked.evaluation = thread.evaluation  # the entry's scope needs no query then
    audited(
        actor=user,
        action="discussions.thread.resolved" if resolved else "discussions.thread.reopened",
        target=locked,
        before={"resolved": before},
        after={"resolved": resolved},
    )
    return locked


def _contributors(opd: OPD) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, grants__role=Role.CONTRIBUTOR, grants__opd=opd
        ).distinct()
    )


@transaction.atomic
def request_data(
    *,
    item: ItemValue,
    evaluation: Evaluation,
    user: User,
    to_opd: OPD,
    due_on: date,
    body: str,
    today: date | None = None,
) -> DataRequest:
    """The OPD holding the item (its contributor, or the coordinator for it) asks another OPD
    of the same region for data, by `due_on`; the asked OPD's contributors are notified."""
    from_opd = item.opd
    if from_opd is None:
        raise ValidationError(_("Butir ini belum ditugaskan kepada perangkat daerah."))
    if not may_ask_data(user, evaluation, item):
        raise PermissionDenied
    if to_opd.region_id != evaluation.region_id or not to_opd.active:
        raise ValidationError(_("Perangkat daerah yang diminta harus dari daerah yang sama."))
    if to_opd.pk == from_opd.pk:
        raise ValidationError(_("Pilih perangkat daerah lain."))
    if due_on < (today or timezone.localdate()):
        raise ValidationError(_("Batas waktu tidak boleh di masa lalu."))
    title = _("Permintaan data untuk %(opd)s") % {"opd": to_opd.short_name or to_opd.name}
    posted = start_thread(
        item=item, evaluation=evaluation, user=user, title=title, body=body, shared=False
    )
    thread = posted.post.thread
    data_request = DataRequest.objects.create(
        thread=thread, from_opd=from_opd, to_opd=to_opd, due_on=due_on, asked_by=user
    )
    notify(
        kind="data_requested",
        recipients=_contributors(to_opd),
        params=_params(
            thread,
            opd=from_opd.short_name or from_opd.name,
            due=due_on.isoformat(),
        ),
        url=thread_url(thread),
        quoted={"message": posted.post.body},
    )
    audited(
        actor=user,
        action="discussions.data_request.created",
        target=data_request,
        after={"from": from_opd.code, "to": to_opd.code, "due": due_on, "thread": thread.pk},
    )
    return data_request


def may_close(user: User, data_request: DataRequest, evaluation: Evaluation) -> bool:
    scope = scope_of(user)
    return (
        data_request.to_opd_id in scope.contributor_opds
        or data_request.from_opd_id in scope.contributor_opds
        or evaluation.region_id in scope.coordinator_regions
    )


@transaction.atomic
def close_data_request(*, data_request: DataRequest, user: User) -> DataRequest:
    """The asked OPD (or the asking one, or the coordinator) closes the request."""
    thread = data_request.thread
    if not may_close(user, data_request, thread.evaluation):
        raise PermissionDenied
    locked = DataRequest.objects.select_for_update(of=("self",)).get(pk=data_request.pk)
    if not locked.is_open:
        raise ValidationError(_("Permintaan data ini sudah ditutup."))
    locked.closed_at, locked.closed_by = timezone.now(), user
    locked.save(update_fields=["closed_at", "closed_by"])
    locked.thread = thread  # its evaluation loaded: the entry's scope needs no query
    notify(
        kind="data_request_closed",
        recipients=[p for p in _contributors(locked.from_opd) if p.pk != user.pk],
        params=_params(thread, opd=locked.to_opd.short_name or locked.to_opd.name),
        url=thread_url(thread),
    )
    audited(
        actor=user,
        action="discussions.data_request.closed",
        target=locked,
        before={"open": True},
        after={"open": False},
    )
    return locked
