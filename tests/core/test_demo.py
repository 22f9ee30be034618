from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from cityeval.accounts.models import Role, RoleGrant, User
from cityeval.evaluations.models import Cycle, Evaluation, EvaluationStatus, ItemValue
from cityeval.help.models import FaqEntry, Question
from cityeval.regions.models import OPD, Region
from cityeval.results.models import RankAnalysis, RankInterval, RankScope, ResultSnapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db: None, settings: Any, tmp_path: Path) -> str:
    settings.MEDIA_ROOT = tmp_path / "media"
    out = StringIO()
    call_command("demo", stdout=out, stderr=StringIO())
    return out.getvalue()


def it_builds_the_three_cohorts_with_kutai_kartanegara_in_2018() -> None:
    assert Region.objects.in_program().count() == 100
    assert Region.objects.in_cohort(2017).count() == 25
    assert Region.objects.in_cohort(2018).count() == 50
    assert Region.objects.in_cohort(2019).count() == 25
    assert Region.objects.get(code="64.02").cohort is not None
    assert Region.objects.get(code="64.02").cohort.year == 2018  # type: ignore[union-attr]


def it_opens_three_yearly_cycles_with_every_workflow_state() -> None:
    assert sorted(Cycle.objects.values_list("year", flat=True)) == [2018, 2019, 2020]
    running = Evaluation.objects.filter(cycle__year=2020)
    states = set(running.values_list("status", flat=True))
    assert states == {s.value for s in EvaluationStatus if s != EvaluationStatus.PUBLISHED}
    assert (
        not Evaluation.objects.filter(cycle__year=2019)
        .exclude(status=EvaluationStatus.PUBLISHED)
        .exists()
    )


def it_scores_every_finalised_evaluation() -> None:
    done = Evaluation.objects.filter(
        status__in=[EvaluationStatus.FINALISED, EvaluationStatus.PUBLISHED]
    )
    assert ResultSnapshot.objects.filter(evaluation__in=done).count() == done.count()
    assert min(ResultSnapshot.objects.values_list("index", flat=True)) >= 1
    assert max(ResultSnapshot.objects.values_list("index", flat=True)) <= 5


def published_cycles_have_rank_intervals() -> None:
    for year in (2018, 2019):
        published = Evaluation.objects.filter(
            cycle__year=year, status=EvaluationStatus.PUBLISHED
        ).count()
        analysis = RankAnalysis.objects.get(cycle__year=year)
        assert analysis.regions == published
        national = RankInterval.objects.filter(analysis=analysis, scope=RankScope.NATIONAL)
        assert national.count() == published
    # The running cycle publishes nothing yet, so it has no analysis.
    assert not RankAnalysis.objects.filter(cycle__year=2020).exists()


def regions_improve_unevenly() -> None:
    by_year: dict[int, dict[str, float]] = {}
    for year, code, index in ResultSnapshot.objects.values_list(
        "evaluation__cycle__year", "evaluation__region__code", "index"
    ):
        by_year.setdefault(year, {})[code] = float(index)
    both = set(by_year[2018]) & set(by_year[2019])
    changes = [by_year[2019][c] - by_year[2018][c] for c in both]
    assert sum(changes) / len(changes) > 0  # on the whole, regions improve
    assert any(change < 0 for change in changes)  # but not every one


def it_has_an_faq_and_answered_questions() -> None:
    # The program team's entries and the general answers of the demo regions' questions,
    # anonymised: no FAQ entry names the region that asked.
    entries = list(FaqEntry.objects.filter(program="G100SC").values_list("question", "answer"))
    assert len(entries) >= 5
    assert not any("Kutai" in question + answer for question, answer in entries)
    assert Question.objects.filter(region__code="64.02").exclude(answer="").exists()
    assert Question.objects.filter(is_general=False).exclude(answer="").exists()


def fingerprint() -> list[tuple[str, int, str, str]]:
    values = list(
        ItemValue.objects.order_by(
            "evaluation__cycle__year", "evaluation__region__code", "indicator__sequence"
        ).values_list(
            "evaluation__region__code", "evaluation__cycle__year", "self_value", "verified_value"
        )
    )
    return [(code, year, str(s), str(v)) for code, year, s, v in values]


@pytest.mark.django_db(transaction=True)
def test_it_is_deterministic(transactional_db: None, settings: Any, tmp_path: Path) -> None:
    # A real transaction per step: PostgreSQL cannot TRUNCATE (flush) inside the test's
    # transaction while deferred foreign-key checks are pending.
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("demo", stdout=StringIO(), stderr=StringIO())
    first = fingerprint()
    call_command("flush", "--no-input", verbosity=0)
    call_command("demo", stdout=StringIO(), stderr=StringIO())
    assert fingerprint() == first


def it_creates_a_person_for_every_role() -> None:
    assert set(RoleGrant.objects.values_list("role", flat=True)) == {r.value for r in Role}
    contributor = User.objects.get(username="kontributor.kukar")
    assert contributor.check_password("kota-cerdas-2026")
    assert OPD.objects.filter(region__code="64.02").count() >= 10


def it_does_nothing_when_asked_to_fill_only_an_empty_database() -> None:
    out = StringIO()
    call_command("demo", "--if-empty", stdout=out, stderr=StringIO())
    assert "already present" in out.getvalue()
    assert Cycle.objects.count() == 3


def the_login_list_names_every_demo_person() -> None:
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "koordinator.kukar" in out.getvalue()
    assert "kota-cerdas-2026" in out.getvalue()


def it_holds_the_kutai_kartanegara_visit_with_every_opd_invited() -> None:
    from datetime import date

    from cityeval.mentoring.models import Visit

    visit = Visit.objects.get(evaluation__region__code="64.02", evaluation__cycle__year=2020)
    assert (visit.starts_on, visit.ends_on) == (date(2020, 2, 25), date(2020, 2, 26))
    invited = set(visit.invitations.values_list("opd_id", flat=True))
    assert invited == set(OPD.objects.filter(region__code="64.02").values_list("pk", flat=True))
    assert visit.attendances.exists()
    assert visit.points.exists()
    assert visit.actions.exists()


def it_holds_threads_and_a_data_request_in_kutai_kartanegara() -> None:
    from cityeval.discussions.models import DataRequest, Thread
    from cityeval.discussions.queries import open_requests_for

    threads = Thread.objects.filter(evaluation__region__code="64.02")
    assert {t.visibility for t in threads} == {"region", "shared"}
    assert threads.filter(resolved_at__isnull=False).exists()
    asked = DataRequest.objects.get(thread__evaluation__region__code="64.02")
    assert asked.to_opd.code == "DINKES"
    assert asked.is_open
    assert open_requests_for(User.objects.get(username="kontributor.kukar")) == [asked]


def it_shares_good_practices_of_published_results_and_hides_one() -> None:
    from cityeval.library.models import GoodPractice

    listed = GoodPractice.objects.listed()
    assert set(listed.values_list("region__code", flat=True)) == {"64.02", "33.74"}
    assert listed.count() >= 5
    assert listed.filter(evidence__isnull=False).exists()
    hidden = GoodPractice.objects.exclude(hidden_at=None)
    assert hidden.count() == 1
    assert hidden.get().hidden_reason
    assert not listed.filter(pk__in=hidden).exists()
    assert not GoodPractice.objects.exclude(evaluation__status="published").exists()


def test_the_demo_is_a_living_program(demo: str) -> None:
    """One demo build (several seconds) serves every check of its content."""
    it_builds_the_three_cohorts_with_kutai_kartanegara_in_2018()
    it_opens_three_yearly_cycles_with_every_workflow_state()
    it_scores_every_finalised_evaluation()
    published_cycles_have_rank_intervals()
    regions_improve_unevenly()
    it_creates_a_person_for_every_role()
    it_has_an_faq_and_answered_questions()
    it_does_nothing_when_asked_to_fill_only_an_empty_database()
    the_login_list_names_every_demo_person()
    it_holds_the_kutai_kartanegara_visit_with_every_opd_invited()
    it_holds_threads_and_a_data_request_in_kutai_kartanegara()
    it_shares_good_practices_of_published_results_and_hides_one()
