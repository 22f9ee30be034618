"""Questions: the region asks, its assessor team answers, a general answer goes to the FAQ of
every region of the program, anonymised; another region never sees a question (404)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cityeval.audit.models import AuditEntry
from cityeval.help.models import FaqEntry, Question, QuestionSource
from cityeval.help.services import answer_question, ask_question, publish_faq_entry
from tests.world import World

pytestmark = pytest.mark.django_db


def _asked(w: World, text: str = "Bagaimana mengunggah bukti dukung?") -> Question:
    return ask_question(
        evaluation=w.running,
        text=text,
        user=w.people["coordinator_a"],
        source=QuestionSource.REGION,
    )


def test_region_asks_through_the_page(shared_world: World) -> None:
    w = shared_world
    response = w.client("contributor_a").post(
        reverse("help:ask", args=[w.running.pk]), {"text": "Apakah foto cukup sebagai bukti?"}
    )
    question = Question.objects.get(text="Apakah foto cukup sebagai bukti?")
    assert response.status_code == 302
    assert (question.region, question.program, question.source) == (
        w.region_a,
        w.running_cycle.program,
        QuestionSource.REGION,
    )
    assert AuditEntry.objects.filter(action="help.question.asked", target_id=str(question.pk))


def test_assessor_records_a_visit_question(shared_world: World) -> None:
    w = shared_world
    w.client("member_a").post(reverse("help:ask", args=[w.reviewing.pk]), {"text": "Q visit"})
    assert Question.objects.get(text="Q visit").source == QuestionSource.VISIT


@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator_b", 404), ("assessor_b", 404), ("viewer_a", 403), ("anonymous", 302)],
)
def test_wrong_hands_cannot_ask(shared_world: World, persona: str, status: int) -> None:
    w = shared_world
    response = w.client(persona).post(reverse("help:ask", args=[w.running.pk]), {"text": "x"})
    assert response.status_code == status
    assert not Question.objects.filter(text="x").exists()


def test_an_empty_question_is_refused(shared_world: World) -> None:
    w = shared_world
    response = w.client("coordinator_a").post(
        reverse("help:ask", args=[w.running.pk]), {"text": " "}
    )
    assert response.status_code == 200
    assert not Question.objects.exists()
    with pytest.raises(ValidationError):
        _asked(w, "   ")


@pytest.mark.parametrize("persona", ["coordinator_b", "contributor_b", "viewer_b", "assessor_b"])
def test_another_region_never_sees_a_question(shared_world: World, persona: str) -> None:
    w = shared_world
    question = _asked(w)
    client = w.client(persona)
    assert client.get(reverse("help:question", args=[question.pk])).status_code == 404
    assert (
        client.post(reverse("help:question", args=[question.pk]), {"answer": "a"}).status_code
        == 404
    )
    assert question.text not in client.get(reverse("help:questions")).content.decode()


@pytest.mark.parametrize("persona", ["coordinator_a", "contributor_a", "viewer_a"])
def test_the_region_reads_but_does_not_answer(shared_world: World, persona: str) -> None:
    w = shared_world
    question = _asked(w)
    client = w.client(persona)
    assert client.get(reverse("help:question", args=[question.pk])).status_code == 200
    response = client.post(reverse("help:question", args=[question.pk]), {"answer": "a"})
    assert response.status_code == 403
    assert Question.objects.get(pk=question.pk).answer == ""


def test_team_answers_and_a_general_answer_is_published_anonymised(shared_world: World) -> None:
    w = shared_world
    question = _asked(
        w, "Di Kutai Kartanegara, Dinas Kesehatan bertanya: apakah SK bupati cukup? (coordinator_a)"
    )
    response = w.client("member_a").post(
        reverse("help:question", args=[question.pk]),
        {"answer": "Ya, SK Kutai Kartanegara cukup bila ditandatangani.", "is_general": "on"},
    )
    assert response.status_code == 302
    entry = FaqEntry.objects.get(source=question)
    for name in (
        "Kutai Kartanegara",
        w.health.name,
        "coordinator_a",
        str(w.region_a.province.name),
    ):
        assert name.casefold() not in (entry.question + entry.answer).casefold()
    assert entry.program == w.running_cycle.program
    audit = AuditEntry.objects.get(action="help.question.answered", target_id=str(question.pk))
    assert audit.actor == w.people["member_a"]
    assert audit.after is not None
    assert audit.after["is_general"] is True
    # Every region of the program reads it, without the region's name.
    page = w.client("contributor_b").get(reverse("help:faq")).content.decode()
    assert "apakah SK bupati cukup?" in page
    assert "Kutai" not in page


def test_a_question_no_longer_general_leaves_the_faq(shared_world: World) -> None:
    w = shared_world
    question = _asked(w)
    lead = w.people["lead_a"]
    answer_question(
        question=question, answer="a", is_general=True, faq_question="", faq_answer="", user=lead
    )
    assert FaqEntry.objects.filter(source=question).exists()
    answer_question(
        question=question, answer="a", is_general=False, faq_question="", faq_answer="", user=lead
    )
    assert not FaqEntry.objects.filter(source=question).exists()


def test_a_private_answer_stays_in_the_region(shared_world: World) -> None:
    w = shared_world
    question = _asked(w, "Pertanyaan khusus daerah")
    answer_question(
        question=question,
        answer="b",
        is_general=False,
        faq_question="",
        faq_answer="",
        user=w.people["lead_a"],
    )
    assert (
        "Pertanyaan khusus daerah"
        not in w.client("coordinator_b").get(reverse("help:faq")).content.decode()
    )
    assert (
        "Pertanyaan khusus daerah"
        in w.client("viewer_a").get(reverse("help:questions")).content.decode()
    )


def test_faq_search_finds_words_in_question_or_answer(shared_world: World) -> None:
    w = shared_world
    admin = w.people["admin"]
    publish_faq_entry(
        program="G100SC",
        question="Kapan batas penilaian mandiri?",
        answer="Lihat siklus.",
        user=admin,
    )
    publish_faq_entry(
        program="G100SC",
        question="Siapa yang mengisi butir?",
        answer="Kontributor OPD.",
        user=admin,
    )
    publish_faq_entry(
        program="SPBE", question="Apa itu predikat?", answer="Pita indeks.", user=admin
    )
    client = w.client("contributor_a")

    def found(**params: str) -> str:
        return client.get(reverse("help:faq"), params).content.decode()

    page = found(q="kontributor")
    assert "Siapa yang mengisi butir?" in page
    assert "Kapan batas" not in page
    page = found(q="batas mandiri")
    assert "Kapan batas" in page
    assert "Siapa yang" not in page
    page = found(q="", program="SPBE")
    assert "Apa itu predikat?" in page
    assert "Siapa yang" not in page
    assert "Tidak ada entri FAQ" in found(q="zzzz-tidak-ada")
    assert AuditEntry.objects.filter(action="help.faq.published").count() == 3
