"""Who reads and answers questions: the evaluation's own access rule (evaluations/access.py).

A question exists only for those who see its evaluation: another region (or an assessor of
another team) gets 404. Inside, the region asks and the assessor team (or the program admin)
answers; anyone else who sees it gets 403 on an action.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from cityeval.accounts.access import AnyUser
from cityeval.evaluations.access import Can, capabilities, evaluation_for, visible_evaluations
from cityeval.evaluations.models import Evaluation
from cityeval.help.models import Question, QuestionQuerySet, QuestionSource

ANSWERS = {Can.REVIEW, Can.ADMINISTER}


def visible_questions(user: AnyUser) -> QuestionQuerySet:
    return Question.objects.filter(evaluation__in=visible_evaluations(user)).with_context()


def question_for(user: AnyUser, pk: int, *, answering: bool = False) -> Question:
    try:
        question = visible_questions(user).get(pk=pk)
    except Question.DoesNotExist:
        raise Http404 from None
    if answering:
        require_answerer(user, question.evaluation)
    return question


def may_answer(user: AnyUser, evaluation: Evaluation) -> bool:
    return bool(ANSWERS & capabilities(user, evaluation))


def require_answerer(user: AnyUser, evaluation: Evaluation) -> None:
    """Refuse (403) anyone but the assessor team and program admins: the rule of the question
    page and of `services.answer_question`."""
    if not may_answer(user, evaluation):
        raise PermissionDenied


def evaluation_for_asking(user: AnyUser, pk: int) -> tuple[Evaluation, QuestionSource]:
    """The evaluation a person asks about (404 out of scope) and how they ask."""
    evaluation = evaluation_for(user, pk)
    return evaluation, asking_source(user, evaluation)


def asking_source(user: AnyUser, evaluation: Evaluation) -> QuestionSource:
    """The region (coordinator, contributor) asks; its assessor team records visit questions;
    anyone else is refused (403). The rule of the ask page and of `services.ask_question`."""
    can = capabilities(user, evaluation)
    if Can.FILL in can:
        return QuestionSource.REGION
    if Can.REVIEW in can:
        return QuestionSource.VISIT
    raise PermissionDenied


def askable_evaluations(user: AnyUser) -> list[Evaluation]:
    found = visible_evaluations(user).order_by("-cycle__year", "-cycle__round", "region__name")
    return [e for e in found if {Can.FILL, Can.REVIEW} & capabilities(user, e)]
