"""Questions, answers, the FAQ and the checklist: each a typed service, one transaction, audited.

Each checks its actor itself with the rule of `access.py` the page applies (PermissionDenied,
nothing written): the region or its assessor team asks, the team or the admin answers, the
program admin publishes an FAQ entry; the checklist is the person's own.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityeval.accounts.access import Actor, require_admin
from cityeval.accounts.models import User
from cityeval.audit.log import Changes, audited
from cityeval.evaluations.models import Evaluation
from cityeval.help.access import asking_source, require_answerer
from cityeval.help.anonymise import anonymise
from cityeval.help.models import ChecklistDismissal, FaqEntry, Question, QuestionSource


def _clean(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise ValidationError(_("%(what)s tidak boleh kosong.") % {"what": what})
    return text


@transaction.atomic
def ask_question(
    *, evaluation: Evaluation, text: str, user: User, source: QuestionSource
) -> Question:
    """A region person asks, or an assessor records a question heard during a visit; `source`
    must be the one `access.asking_source` gives this person (a forged source is refused)."""
    if asking_source(user, evaluation) != source:
        raise PermissionDenied
    question = Question.objects.create(
        evaluation=evaluation,
        region_id=evaluation.region_id,
        program=evaluation.cycle.program,
        source=source,
        text=_clean(text, _("Pertanyaan")),
        asked_by=user,
    )
    audited(
        actor=user,
        action="help.question.asked",
        target=question,
        after={"text": question.text, "source": source.value},
    )
    return question


@transaction.atomic
def answer_question(
    *,
    question: Question,
    answer: str,
    is_general: bool,
    faq_question: str,
    faq_answer: str,
    user: User,
) -> Question:
    """Answer (or change the answer); a general question is published to the program's FAQ,
    anonymised, and a question no longer general leaves it."""
    require_answerer(user, question.evaluation)
    locked = Question.objects.select_for_update(of=("self",)).get(pk=question.pk)
    changes = Changes(locked, ["answer", "is_general"])
    locked.answer = _clean(answer, _("Jawaban"))
    locked.answered_by = user
    locked.answered_at = timezone.now()
    locked.is_general = is_general
    locked.save(update_fields=["answer", "answered_by", "answered_at", "is_general"])
    entry = FaqEntry.objects.filter(source=locked).first()
    published: dict[str, str] = {}
    if is_general:
        people = [locked.asked_by, user]
        region = locked.region
        published = {
            "question": anonymise(
                faq_question.strip() or locked.text, region=region, people=people
            ),
            "answer": anonymise(faq_answer.strip() or locked.answer, region=region, people=people),
        }
        if entry is None:
            entry = FaqEntry.objects.create(program=locked.program, source=locked, **published)
        else:
            entry.question, entry.answer = published["question"], published["answer"]
            entry.save(update_fields=["question", "answer"])
    elif entry is not None:
        entry.delete()
    audited(
        actor=user,
        action="help.question.answered",
        target=locked,
        changes=changes,
        after={"faq": published},
    )
    question.refresh_from_db()
    return locked


@transaction.atomic
def dismiss_checklist(*, user: User, role: str) -> ChecklistDismissal:
    dismissal, created = ChecklistDismissal.objects.get_or_create(user=user, role=role)
    if created:
        audited(
            actor=user, action="help.checklist.dismissed", target=dismissal, after={"role": role}
        )
    return dismissal


@transaction.atomic
def publish_faq_entry(*, program: str, question: str, answer: str, user: Actor) -> FaqEntry:
    """An FAQ entry written directly by the program team (and the demo), not from a question."""
    require_admin(user)
    entry = FaqEntry.objects.create(
        program=program,
        question=_clean(question, _("Pertanyaan")),
        answer=_clean(answer, _("Jawaban")),
    )
    audited(
        actor=user,
        action="help.faq.published",
        target=entry,
        after={"program": program, "question": entry.question, "answer": entry.answer},
    )
    return entry
