"""Item discussions and OPD data requests: who reads, who posts, what is kept and who hears.

One world for the module (`shared_world`); each test runs in its own savepoint.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cityeval.accounts.models import RoleGrant
from cityeval.audit.models import AuditEntry
from cityeval.discussions.access import thread_for
from cityeval.discussions.models import Post, PostRevision, Thread
from cityeval.discussions.services import (
    Posted,
    add_post,
    close_data_request,
    edit_post,
    request_data,
    set_resolved,
    start_thread,
)
from cityeval.evaluations.errors import WorkflowError
from cityeval.evaluations.models import Evaluation, EvaluationStatus
from cityeval.evidence.models import Evidence
from cityeval.evidence.samples import tiny_pdf
from cityeval.notifications.models import Notification
from tests.world import World

pytestmark = pytest.mark.django_db


def _start(
    w: World, *, persona: str = "contributor_a", shared: bool = False, body: str = "Halo"
) -> Posted:
    return start_thread(
        item=w.item,
        evaluation=w.running,
        user=w.people[persona],
        title="Data puskesmas",
        body=body,
        shared=shared,
    )


def _thread(posted: Posted) -> Thread:
    return posted.post.thread


def _notified(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


# Reading: the region reads everything of its own, the assessor team and the ministry shared
# threads only, another region nothing.
@pytest.mark.parametrize(
    ("persona", "internal", "shared"),
    [
        ("coordinator_a", True, True),
        ("contributor_a", True, True),
        ("contributor_a2", True, True),  # another OPD of the region: the exchange
        ("viewer_a", True, True),
        ("lead_a", False, True),
        ("member_a", False, True),
        ("admin", False, True),
        ("national_viewer", False, True),
        ("assessor_b", False, False),
        ("coordinator_b", False, False),
        ("contributor_b", False, False),
        ("viewer_b", False, False),
    ],
)
def test_who_reads_which_thread(
    shared_world: World, persona: str, internal: bool, shared: bool
) -> None:
    w = shared_world
    for thread, expected in (
        (_thread(_start(w)), internal),
        (_thread(_start(w, shared=True)), shared),
    ):
        if expected:
            assert thread_for(w.people[persona], thread.pk).pk == thread.pk
        else:
            with pytest.raises(Http404):
                thread_for(w.people[persona], thread.pk)


def test_an_assessor_may_not_post_in_or_open_an_internal_thread(shared_world: World) -> None:
    w = shared_world
    internal = _thread(_start(w))
    internal.evaluation = w.running
    with pytest.raises(PermissionDenied):
        add_post(thread=internal, user=w.people["lead_a"], body="Boleh kami lihat?")
    with pytest.raises(PermissionDenied):
        _start(w, persona="lead_a", shared=False)
    shared = _thread(_start(w, persona="lead_a", shared=True, body="Mohon unggah SK."))
    reply = add_post(thread=shared, user=w.people["contributor_a"], body="Sudah kami unggah.")
    assert reply.post.thread_id == shared.pk


def test_a_viewer_reads_but_may_not_post(shared_world: World) -> None:
    w = shared_world
    thread = _thread(_start(w))
    with pytest.raises(PermissionDenied):
        thread_for(w.people["viewer_a"], thread.pk, posting=True)
    with pytest.raises(PermissionDenied):
        add_post(thread=thread, user=w.people["viewer_a"], body="Saya ikut.")


def test_only_the_author_edits_a_post_and_every_version_is_kept(shared_world: World) -> None:
    w = shared_world
    post = _start(w, body="Versi pertama").post
    with pytest.raises(PermissionDenied):
        edit_post(post=post, user=w.people["contributor_a2"], body="Diubah orang lain")
    with pytest.raises(PermissionDenied):
        edit_post(post=post, user=w.people["coordinator_a"], body="Diubah koordinator")
    edit_post(post=post, user=w.people["contributor_a"], body="Versi kedua")
    edit_post(post=post, user=w.people["contributor_a"], body="Versi ketiga")
    post.refresh_from_db()
    assert post.body == "Versi ketiga"
    assert post.edited_at is not None
    kept = list(PostRevision.objects.filter(post=post).values_list("body", flat=True))
    assert kept == ["Versi pertama", "Versi kedua"]
    edits = AuditEntry.objects.filter(action="discussions.post.edited", target_id=str(post.pk))
    assert [(e.before or {}).get("body") for e in edits.order_by("pk")] == [
        "Versi pertama",
        "Versi kedua",
    ]


def test_every_post_and_thread_is_audited(shared_world: World) -> None:
    w = shared_world
    posted = _start(w)
    add_post(thread=_thread(posted), user=w.people["coordinator_a"], body="Terima kasih")
    set_resolved(thread=_thread(posted), user=w.people["coordinator_a"], resolved=True)
    actions = list(
        AuditEntry.objects.filter(region_id=w.region_a.pk, action__startswith="discussions.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions[-4:] == [
        "discussions.thread.started",
        "discussions.post.created",
        "discussions.post.created",
        "discussions.thread.resolved",
    ]
    assert Thread.objects.get(pk=_thread(posted).pk).resolved_by == w.people["coordinator_a"]


def test_an_attachment_comes_from_the_items_own_evidence(shared_world: World) -> None:
    w = shared_world
    ok = start_thread(
        item=w.item,
        evaluation=w.running,
        user=w.people["contributor_a"],
        title="",
        body="Lihat lampiran",
        shared=False,
        attachment=w.evidence_file,
    )
    assert ok.post.attachment == w.evidence_file
    with pytest.raises(ValidationError):
        start_thread(
            item=w.other_item,
            evaluation=w.running,
            user=w.people["contributor_a2"],
            title="",
            body="Lampiran butir lain",
            shared=False,
            attachment=w.evidence_file,
        )


def test_a_mention_notifies_readers_only_and_names_the_others(shared_world: World) -> None:
    w = shared_world
    Notification.objects.all().delete()
    posted = _start(w, body="Mohon dicek @coordinator_a, @PUPR, @lead_a, @coordinator_b, @siapa.")
    assert _notified("discussion_mention") == {"coordinator_a", "contributor_a2"}
    assert posted.mentions.names == ["@coordinator_a", "@PUPR"]
    assert posted.mentions.unreached == ["@lead_a", "@coordinator_b", "@siapa"]
    Notification.objects.all().delete()
    shared = _start(w, shared=True, body="@lead_a mohon arahan")
    assert _notified("discussion_mention") == {"lead_a"}
    assert shared.mentions.unreached == []


def test_another_regions_opd_is_not_found_by_a_mention(shared_world: World) -> None:
    w = shared_world
    Notification.objects.all().delete()
    # Dinkes exists in both regions: only A's is reached, never B's contributors.
    _start(w, persona="contributor_a2", body="@DINKES tolong")
    dinkes_a = set(
        RoleGrant.objects.filter(opd=w.health, user__is_active=True).values_list(
            "user__username", flat=True
        )
    )
    assert "contributor_a" in dinkes_a
    assert _notified("discussion_mention") == dinkes_a


def _ask(w: World, *, persona: str = "contributor_a", due: date | None = None, to: str = "roads"):  # type: ignore[no-untyped-def]
    return request_data(
        item=w.item,
        evaluation=w.running,
        user=w.people[persona],
        to_opd=getattr(w, to),
        due_on=due or timezone.localdate() + timedelta(days=7),
        body="Mohon data panjang jalan ke puskesmas.",
    )


def test_a_data_request_reaches_the_asked_opds_home_and_is_closed_by_it(
    shared_world: World,
) -> None:
    w = shared_world
    Notification.objects.all().delete()
    asked = _ask(w)
    assert _notified("data_requested") == {"contributor_a2"}
    home = w.client("contributor_a2").get("/").content.decode()
    assert 'data-testid="home-data-requests"' in home
    assert reverse("discussions:thread", args=[asked.thread_id]) in home
    assert (
        'data-testid="home-data-requests"'
        not in w.client("contributor_a").get("/").content.decode()
    )
    thread = asked.thread
    add_post(thread=thread, user=w.people["contributor_a2"], body="Data terlampir di SIPD.")
    with pytest.raises(PermissionDenied):
        close_data_request(data_request=asked, user=w.people["viewer_a"])
    close_data_request(data_request=asked, user=w.people["contributor_a2"])
    closed = _notified("data_request_closed")
    assert "contributor_a" in closed
    assert "contributor_a2" not in closed
    home = w.client("contributor_a2").get("/").content.decode()
    assert 'data-testid="home-data-requests"' not in home


def test_a_data_request_refuses_a_past_date_another_region_and_wrong_hands(
    shared_world: World,
) -> None:
    w = shared_world
    with pytest.raises(ValidationError):
        _ask(w, due=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ValidationError):
        _ask(w, to="opd_b")
    with pytest.raises(ValidationError):
        _ask(w, to="health")  # the item's own OPD
    with pytest.raises(PermissionDenied):
        _ask(w, persona="contributor_a2")  # not the OPD holding the item
    with pytest.raises(PermissionDenied):
        _ask(w, persona="lead_a")
    assert _ask(w, persona="coordinator_a").from_opd == w.health


def test_the_pages_answer_404_across_regions_and_403_to_a_reader(shared_world: World) -> None:
    w = shared_world
    thread = _thread(_start(w))
    url = reverse("discussions:thread", args=[thread.pk])
    assert w.client("contributor_a2").get(url).status_code == 200
    assert w.client("coordinator_b").get(url).status_code == 404
    assert w.client("lead_a").get(url).status_code == 404
    assert w.client("anonymous").get(url).status_code == 302
    reply = reverse("discussions:reply", args=[thread.pk])
    assert w.client("viewer_a").post(reply, {"body": "x"}).status_code == 403
    assert w.client("coordinator_b").post(reply, {"body": "x"}).status_code == 404
    edit = reverse("discussions:edit", args=[thread.posts.get().pk])
    assert w.client("contributor_a2").post(edit, {"body": "x"}).status_code == 403


def test_the_item_pages_show_the_threads_beside_the_rubric(shared_world: World) -> None:
    w = shared_world
    _start(w, body="Catatan internal daerah")
    _start(w, shared=True, body="Pertanyaan untuk asesor")
    page = reverse("evaluations:item", args=[w.running.pk, w.item.pk])
    own = w.client("contributor_a").get(page).content.decode()
    assert "Catatan internal daerah" in own
    assert "Pertanyaan untuk asesor" in own
    assert 'data-testid="start-thread"' in own
    assert "data-unsaved" in own
    review = reverse("reviews:item", args=[w.running.pk, w.item.pk])
    team = w.client("lead_a").get(review)
    assert team.status_code == 200
    text = team.content.decode()
    assert "Pertanyaan untuk asesor" in text
    assert "Catatan internal daerah" not in text


def _count(w: World, persona: str, url: str) -> int:
    client = w.client(persona)
    client.get(url)  # warm caches (sessions, framework conversion)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries.captured_queries)


def test_the_item_pages_make_the_same_number_of_queries_for_more_threads(
    shared_world: World,
) -> None:
    w = shared_world
    _start(w, shared=True)  # one thread each reader sees: the posts' prefetch runs
    page = reverse("evaluations:item", args=[w.running.pk, w.item.pk])
    review = reverse("reviews:item", args=[w.running.pk, w.item.pk])
    few = (_count(w, "contributor_a", page), _count(w, "lead_a", review))
    for n in range(4):
        posted = _start(w, shared=True, body=f"Utas {n} @coordinator_a")
        add_post(thread=_thread(posted), user=w.people["coordinator_a"], body="Balasan")
        add_post(
            thread=_thread(posted),
            user=w.people["contributor_a"],
            body="Lampiran",
        )
    many = (_count(w, "contributor_a", page), _count(w, "lead_a", review))
    assert few == many


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf([name]), "application/pdf")


def test_the_asked_opd_answers_with_a_file_that_becomes_the_items_evidence(
    shared_world: World,
) -> None:
    w = shared_world
    asked = _ask(w)
    url = reverse("discussions:thread", args=[asked.thread_id])
    page = w.client("contributor_a2").get(url).content.decode()
    assert 'name="upload"' in page
    assert 'enctype="multipart/form-data"' in page
    response = w.client("contributor_a2").post(
        reverse("discussions:reply", args=[asked.thread_id]),
        {"body": "Data panjang jalan terlampir.", "upload": _pdf("panjang-jalan.pdf")},
    )
    assert response.status_code == 302
    answer = Post.objects.filter(thread_id=asked.thread_id).order_by("pk").last()
    assert answer is not None
    assert answer.attachment is not None
    evidence = answer.attachment
    assert (evidence.item_id, evidence.uploaded_by) == (w.item.pk, w.people["contributor_a2"])
    assert evidence.original_name == "panjang-jalan.pdf"
    assert AuditEntry.objects.filter(action="evidence.add", target_id=str(evidence.pk)).exists()
    # The asking OPD reads it in the thread and finds it among its item's evidence.
    download = w.client("contributor_a").get(reverse("discussions:attachment", args=[answer.pk]))
    assert download.status_code == 200
    item_page = reverse("evaluations:item", args=[w.running.pk, w.item.pk])
    assert "panjang-jalan.pdf" in w.client("contributor_a").get(item_page).content.decode()


def test_a_new_file_in_a_post_follows_the_evidence_rule(shared_world: World) -> None:
    w = shared_world
    plain = _thread(_start(w))  # no data request: PUPR does not hold the item
    page = w.client("contributor_a2").get(reverse("discussions:thread", args=[plain.pk]))
    assert 'name="upload"' not in page.content.decode()
    with pytest.raises(WorkflowError):
        add_post(
            thread=thread_for(w.people["contributor_a2"], plain.pk),
            user=w.people["contributor_a2"],
            body="Ini datanya",
            upload=_pdf("tanpa-permintaan.pdf"),
        )
    # The item's own OPD may; so may the coordinator.
    own = add_post(
        thread=thread_for(w.people["contributor_a"], plain.pk),
        user=w.people["contributor_a"],
        body="Terlampir",
        upload=_pdf("milik-sendiri.pdf"),
    )
    assert own.post.attachment is not None
    assert own.post.attachment.item_id == w.item.pk
    # The assessor team in a shared thread may not bring files into the region's evidence.
    shared = _thread(_start(w, shared=True))
    with pytest.raises(WorkflowError):
        add_post(
            thread=thread_for(w.people["lead_a"], shared.pk),
            user=w.people["lead_a"],
            body="Contoh format",
            upload=_pdf("dari-asesor.pdf"),
        )
    # A closed request gives no more right to add evidence; nor does a locked evaluation.
    asked = _ask(w)
    close_data_request(data_request=asked, user=w.people["contributor_a2"])
    with pytest.raises(WorkflowError):
        add_post(
            thread=thread_for(w.people["contributor_a2"], asked.thread_id),
            user=w.people["contributor_a2"],
            body="Terlambat",
            upload=_pdf("terlambat.pdf"),
        )
    still_open = _ask(w)
    Evaluation.objects.filter(pk=w.running.pk).update(status=EvaluationStatus.SUBMITTED)
    with pytest.raises(WorkflowError):
        add_post(
            thread=thread_for(w.people["contributor_a2"], still_open.thread_id),
            user=w.people["contributor_a2"],
            body="Setelah diserahkan",
            upload=_pdf("setelah.pdf"),
        )
    names = set(Evidence.objects.filter(item=w.item).values_list("original_name", flat=True))
    assert not names & {"tanpa-permintaan.pdf", "dari-asesor.pdf", "terlambat.pdf", "setelah.pdf"}
    # Another region's OPD does not even find the thread; a viewer may not post.
    reply = reverse("discussions:reply", args=[still_open.thread_id])
    assert w.client("contributor_b").post(reply, {"body": "x"}).status_code == 404
    assert w.client("viewer_a").post(reply, {"body": "x"}).status_code == 403


def test_an_empty_answer_stores_no_file(shared_world: World) -> None:
    w = shared_world
    asked = _ask(w)
    with pytest.raises(ValidationError):
        add_post(
            thread=thread_for(w.people["contributor_a2"], asked.thread_id),
            user=w.people["contributor_a2"],
            body="   ",
            upload=_pdf("kosong.pdf"),
        )
    assert not Evidence.objects.filter(original_name="kosong.pdf").exists()


def test_a_threads_first_post_attaches_like_a_reply(shared_world: World) -> None:
    """The new-thread form offers what the reply form offers: one of the item's evidence, or a
    new file that becomes the item's evidence (the evidence rule decides who may)."""
    w = shared_world
    item_page = reverse("evaluations:item", args=[w.running.pk, w.item.pk])
    page = w.client("contributor_a").get(item_page).content.decode()
    start_form = page.split('data-testid="start-thread"', 1)[1].split("</form>", 1)[0]
    assert 'name="attachment"' in start_form
    assert w.evidence_file.original_name in start_form
    assert 'name="upload"' in start_form
    assert 'enctype="multipart/form-data"' in page.split('data-testid="start-thread"', 1)[0][-400:]
    response = w.client("contributor_a").post(
        reverse("discussions:start", args=[w.item.pk]),
        {"title": "Peta", "body": "Peta terlampir.", "upload": _pdf("peta-awal.pdf")},
    )
    assert response.status_code == 302
    first = Post.objects.get(thread__title="Peta")
    assert first.attachment is not None
    assert (first.attachment.item_id, first.attachment.original_name) == (
        w.item.pk,
        "peta-awal.pdf",
    )
    assert AuditEntry.objects.filter(
        action="evidence.add", target_id=str(first.attachment.pk)
    ).exists()
    # Both at once is refused, and nothing is stored.
    before = Evidence.objects.count()
    w.client("contributor_a").post(
        reverse("discussions:start", args=[w.item.pk]),
        {
            "title": "Dua",
            "body": "Dua lampiran",
            "attachment": w.evidence_file.pk,
            "upload": _pdf("dua.pdf"),
        },
    )
    assert not Thread.objects.filter(title="Dua").exists()
    assert Evidence.objects.count() == before


def test_a_threads_first_post_brings_no_file_from_the_wrong_hands(shared_world: World) -> None:
    """The assessor team starts a shared thread but brings no new file into the region's
    evidence; another OPD of the region (the item is not its own) neither; a viewer starts none."""
    w = shared_world
    review_page = reverse("reviews:item", args=[w.running.pk, w.item.pk])
    page = w.client("lead_a").get(review_page).content.decode()
    start_form = page.split('data-testid="start-thread"', 1)[1].split("</form>", 1)[0]
    assert 'name="attachment"' in start_form
    assert 'name="upload"' not in start_form
    before = Evidence.objects.count()
    for persona, status in (("lead_a", 302), ("viewer_a", 403), ("contributor_b", 404)):
        response = w.client(persona).post(
            reverse("discussions:start", args=[w.item.pk]),
            {"title": "Berkas", "body": "Berkas", "shared": "on", "upload": _pdf("bukan.pdf")},
        )
        assert response.status_code == status
    assert not Post.objects.filter(attachment__original_name="bukan.pdf").exists()
    assert Evidence.objects.count() == before
    with pytest.raises(WorkflowError):
        start_thread(
            item=w.item,
            evaluation=w.running,
            user=w.people["contributor_a2"],
            title="",
            body="Ini datanya",
            shared=False,
            upload=_pdf("lewat-layanan.pdf"),
        )
    assert Evidence.objects.count() == before


def test_a_thread_names_its_one_item_in_english(shared_world: World) -> None:
    w = shared_world
    thread = _thread(_start(w))
    client = w.client("contributor_a")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("discussions:thread", args=[thread.pk])).content.decode()
    label = page.split('data-testid="thread-item">', 1)[1].split("<strong>", 1)[0]
    assert label == "Item: "


def test_starting_a_thread_with_a_file_still_checks_csrf(shared_world: World) -> None:
    """The start view reads its body under the upload size limit (outer view exempt, like a
    reply's); the CSRF check runs inside: a post without a token opens nothing."""
    w = shared_world
    client = w.client("contributor_a", enforce_csrf_checks=True)
    response = client.post(
        reverse("discussions:start", args=[w.item.pk]),
        {"title": "Tanpa token", "body": "Halo", "upload": _pdf("tanpa-token.pdf")},
    )
    assert response.status_code == 403
    assert not Thread.objects.filter(title="Tanpa token").exists()
