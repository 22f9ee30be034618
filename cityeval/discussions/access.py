"""Who reads and writes discussion threads: on top of the evaluation's own access rule.

- The region (its coordinators, contributors of every OPD and viewers) reads every thread of
  its evaluations, internal or shared: OPDs exchange information on each other's items here.
  The item's values stay behind `evaluations.access.item_for`; a thread shows its code and name.
- The assessor team of the evaluation, program admins and national viewers read shared threads
  only; an internal thread does not exist for them (404), like another region's threads.
- Coordinators and contributors of the region post in every thread, the assessor team in shared
  ones; other readers (viewers, the ministry) read only (403 on an action).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from cityeval.accounts.access import AnyUser, scope_of
from cityeval.discussions.models import Thread, ThreadQuerySet, Visibility
from cityeval.evaluations.access import (
    Can,
    capabilities,
    evaluation_for,
    item_lock_reason,
    visible_evaluations,
)
from cityeval.evaluations.models import Evaluation, ItemValue


@dataclass(frozen=True)
class Rights:
    """What one person may do with the threads of one evaluation."""

    internal: bool  # reads the region-internal threads
    post_internal: bool
    post_shared: bool

    def may_post(self, thread: Thread) -> bool:
        return self.post_shared if thread.is_shared else self.post_internal

    @property
    def starts(self) -> bool:
        return self.post_internal or self.post_shared


def rights_on(user: AnyUser, evaluation: Evaluation) -> Rights:
    """The person already sees the evaluation (the caller fetched it through its access rule)."""
    scope = scope_of(user)
    member = evaluation.region_id in scope.region_ids
    can = capabilities(user, evaluation)
    fills = member and Can.FILL in can
    return Rights(internal=member, post_internal=fills, post_shared=fills or Can.REVIEW in can)


def visibility_filter(user: AnyUser, evaluation: Evaluation) -> Q:
    if rights_on(user, evaluation).internal:
        return Q()
    return Q(visibility=Visibility.SHARED)


def visible_threads(user: AnyUser, evaluation: Evaluation) -> ThreadQuerySet:
    return Thread.objects.filter(evaluation=evaluation).filter(visibility_filter(user, evaluation))


def may_read(user: AnyUser, thread: Thread) -> bool:
    """For mentions: would this person find the thread (same rule as `thread_for`)."""
    if not user.is_active or not visible_evaluations(user).filter(pk=thread.evaluation_id).exists():
        return False
    return thread.is_shared or rights_on(user, thread.evaluation).internal


def thread_for(user: AnyUser, pk: int, *, posting: bool = False) -> Thread:
    """One thread: 404 outside the person's evaluations or an internal thread for the ministry
    side; 403 when they read it but may not post (`posting`)."""
    thread = Thread.objects.with_context().filter(pk=pk).first()
    if thread is None:
        raise Http404
    evaluation = evaluation_for(user, thread.evaluation_id)
    rights = rights_on(user, evaluation)
    if not thread.is_shared and not rights.internal:
        raise Http404
    if posting and not rights.may_post(thread):
        raise PermissionDenied
    thread.evaluation = evaluation
    return thread


def may_ask_data(user: AnyUser, evaluation: Evaluation, item: ItemValue) -> bool:
    """The OPD holding the item asks another OPD (its contributors, or the region's coordinator
    for it); nobody asks for an item not yet assigned."""
    scope = scope_of(user)
    return item.opd_id is not None and (
        item.opd_id in scope.contributor_opds or evaluation.region_id in scope.coordinator_regions
    )


def answers_request(user: AnyUser, thread: Thread) -> bool:
    """The person is a contributor of the OPD asked for data in this thread, the request open:
    its answer may bring a file into the item's evidence although the item is not its own."""
    data_request = getattr(thread, "data_request", None)
    return (
        data_request is not None
        and data_request.is_open
        and data_request.to_opd_id in scope_of(user).contributor_opds
    )


def may_upload(user: AnyUser, thread: Thread) -> bool:
    """A post may bring a new file (it becomes the item's evidence) when the person posts here
    and may add evidence to the item now: the item's own OPD or coordinator, or the OPD asked
    for data on it; never once the region's entry is locked (submitted, past the deadline)."""
    if not rights_on(user, thread.evaluation).may_post(thread):
        return False
    reason = item_lock_reason(
        user, thread.item, thread.evaluation, asked=answers_request(user, thread)
    )
    return not reason


def may_upload_starting(user: AnyUser, evaluation: Evaluation, item: ItemValue) -> bool:
    """The first post of a new thread brings a new file on the same rule as a reply (no data
    request exists yet): the person starts threads and may add evidence to the item now."""
    return rights_on(user, evaluation).post_internal and not item_lock_reason(
        user, item, evaluation
    )
