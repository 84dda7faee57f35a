"""Rescoring unchanged inputs stops after two small queries; every input change rescores.

The inputs revision is kept by database triggers (migration 0017), so each
change below is made the way the code or a script might make it: through the
ORM, with bulk ``update()`` and ``delete()`` too. After each, scoring must not
take the shortcut, and a change that moves a number gets a new version.
"""

import pytest

from evaluations.engine.scoring import ENGINE_VERSION
from evaluations.models import (
    Answer,
    Candidate,
    EvaluationPack,
    Override,
    Rating,
    RatingSheet,
    Scorecard,
    ScoringState,
)
from evaluations.services import scoring, scoring_state
from questionnaires.models import Question, Section
from tests.evaluations.builders import assign, make_evaluation, make_version, submit_sheets
from tests.evaluations.test_scoring_service import answer, rate
from tests.factories import MembershipFactory
from tests.providers.factories import ProviderFactory

INPUT_TABLES = ("evaluations_answer", "evaluations_rating", "evaluations_override")
PACK = [{"code": "pk", "questions": [{"code": "PK-01", "kind": "boolean"}]}]


@pytest.fixture
def scored(organization):
    """The worked example with two candidates, an override, scored once."""
    version = make_version(organization)
    providers = [ProviderFactory(organization=organization, name=n) for n in ("Acme", "Bolt")]
    evaluation = make_evaluation(organization, version, providers=providers)
    first, second = evaluation.candidates.order_by("pk")
    for candidate in (first, second):
        answer(candidate, "SOC-01", "white_label")
        answer(candidate, "SOC-02", True)
    rate(first, "REP-01", [4, 2])
    Override.objects.create(
        candidate=second,
        question=Question.objects.get(version=version, code="REP-02"),
        score=0.5,
        rationale="Seen in person.",
    )
    first_run = scoring.score_evaluation(evaluation.pk)
    assert len(first_run["created"]) == 2
    return evaluation, first, second


def reads_inputs(queries) -> bool:
    return any(table in query["sql"] for query in queries for table in INPUT_TABLES)


@pytest.mark.django_db
class TestNothingChanged:
    def test_rescoring_unchanged_inputs_reads_no_input(self, scored, count_queries):
        evaluation, _, _ = scored
        latest = list(
            Scorecard.objects.filter(evaluation=evaluation, is_latest=True)
            .order_by("candidate_id")
            .values_list("pk", flat=True)
        )
        with count_queries() as queries:
            result = scoring.score_evaluation(evaluation.pk)
        assert result == {"evaluation": evaluation.pk, "created": [], "unchanged": latest}
        assert not reads_inputs(queries)
        # The evaluation with its state, then the latest scorecards' ids (plus
        # the transaction's savepoint and its release inside the test's own).
        reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT")]
        assert len(reads) == 2 and len(queries) <= 4

    def test_the_full_path_keeps_the_same_order_of_unchanged_scorecards(self, scored):
        evaluation, _, _ = scored
        fast = scoring.score_evaluation(evaluation.pk)["unchanged"]
        ScoringState.objects.filter(evaluation=evaluation).update(scored_revision=None)
        full = scoring.score_evaluation(evaluation.pk)
        assert full["created"] == [] and full["unchanged"] == fast

    def test_changes_to_what_scoring_does_not_read_keep_the_shortcut(self, scored, organization):
        evaluation, first, _ = scored
        evaluation.name, evaluation.description = "Renamed", "Other words"
        evaluation.save()
        make_version(organization, PACK, code="unpinned")  # questions of another version
        first.provider.website = "https://example.org"
        first.provider.save()
        assert scoring_state.unchanged_scorecards(evaluation_with_state(evaluation)) is not None

    def test_another_engine_version_rescores(self, scored, monkeypatch):
        evaluation, _, _ = scored
        monkeypatch.setattr(scoring_state, "ENGINE_VERSION", ENGINE_VERSION + "-next")
        assert scoring_state.unchanged_scorecards(evaluation_with_state(evaluation)) is None

    def test_a_failed_scoring_records_nothing(self, scored):
        evaluation, _, _ = scored
        evaluation.section_weights = {"nope": 1}  # unknown section: the engine refuses
        evaluation.save()
        with pytest.raises(ValueError, match="unknown sections"):
            scoring.score_evaluation(evaluation.pk)
        assert scoring_state.unchanged_scorecards(evaluation_with_state(evaluation)) is None


def evaluation_with_state(evaluation):
    return type(evaluation).objects.select_related("scoring_state").get(pk=evaluation.pk)


def _question(evaluation, code):
    return Question.objects.get(version=evaluation.questionnaire_version, code=code)


def _new_evaluator_rates(evaluation, first, second):
    evaluator = assign(
        evaluation, MembershipFactory(organization=evaluation.organization, role="evaluator")
    )
    Rating.objects.create(
        candidate=second, question=_question(evaluation, "REP-01"), evaluator=evaluator, score=5
    )
    submit_sheets(evaluation)


def _pin_pack(evaluation, first, second):
    pack = make_version(evaluation.organization, PACK, code="pack")
    EvaluationPack.objects.create(evaluation=evaluation, version=pack, position=1)


def _swap_version(evaluation, first, second):
    # As the draft-only version change requires: no input refers to the old questions.
    for model in (Answer, Override, RatingSheet, Rating):
        model.objects.filter(candidate__evaluation=evaluation).delete()
    evaluation.questionnaire_version = make_version(evaluation.organization, code="other")
    evaluation.save()


def _settings(**fields):
    def change(evaluation, first, second):
        for name, value in fields.items():
            setattr(evaluation, name, value)
        evaluation.save()

    return change


# (name, change, whether a new scorecard version follows). Settings, the version,
# packs and names are in the input hash; a published version's questions are
# not (they never change once published), so editing them in place rescores
# in full but creates nothing.
CHANGES = [
    ("answer added", lambda e, f, s: answer(f, "REP-02", True), True),
    (
        "answer updated in bulk",
        lambda e, f, s: Answer.objects.filter(candidate=f, question__code="SOC-02").update(
            value=False
        ),
        True,
    ),
    ("answer deleted", lambda e, f, s: Answer.objects.filter(candidate=s).delete(), True),
    ("rating updated in bulk", lambda e, f, s: Rating.objects.update(score=5), True),
    ("rating deleted", lambda e, f, s: Rating.objects.filter(score=2).delete(), True),
    ("sheet submitted", _new_evaluator_rates, True),
    ("sheets withdrawn", lambda e, f, s: RatingSheet.objects.all().delete(), True),
    (
        "override added",
        lambda e, f, s: Override.objects.create(
            candidate=f, question=_question(e, "REP-02"), score=1.0, rationale="Checked."
        ),
        True,
    ),
    ("override updated in bulk", lambda e, f, s: Override.objects.update(score=0.25), True),
    ("override deleted", lambda e, f, s: Override.objects.all().delete(), True),
    ("section weights", _settings(section_weights={"soc": 1}), True),
    ("excluded questions", _settings(excluded_questions=["REP-02"]), True),
    ("aggregation", _settings(aggregation="median"), True),
    ("industry", _settings(industry="health"), True),
    ("required service models", _settings(required_service_models=["mssp"]), True),
    ("questionnaire version", _swap_version, True),
    ("pack pinned", _pin_pack, True),
    (
        "candidate added",
        lambda e, f, s: Candidate.objects.create(
            evaluation=e, provider=ProviderFactory(organization=e.organization)
        ),
        True,
    ),
    (
        "candidate removed",
        lambda e, f, s: (Scorecard.objects.filter(candidate=s).delete(), s.delete()),
        False,
    ),
    (
        "provider renamed",
        lambda e, f, s: type(f.provider).objects.filter(pk=f.provider_id).update(name="Acme 2"),
        True,
    ),
    (
        "question changed in bulk",
        lambda e, f, s: Question.objects.filter(
            version=e.questionnaire_version, code="REP-02"
        ).update(weight=3),
        False,
    ),
    (
        "section changed in bulk",
        lambda e, f, s: Section.objects.filter(version=e.questionnaire_version, code="rep").update(
            weight=2
        ),
        False,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("change", "moves"), [c[1:] for c in CHANGES], ids=[c[0] for c in CHANGES])
def test_every_input_change_rescores(scored, change, moves, count_queries):
    evaluation, first, second = scored
    assert scoring_state.unchanged_scorecards(evaluation_with_state(evaluation)) is not None
    change(evaluation, first, second)
    assert scoring_state.unchanged_scorecards(evaluation_with_state(evaluation)) is None
    with count_queries() as queries:
        result = scoring.score_evaluation(evaluation.pk)
    assert reads_inputs(queries)
    assert bool(result["created"]) == moves
    # Scored again: now nothing changed.
    assert scoring.score_evaluation(evaluation.pk)["created"] == []
    assert scoring_state.unchanged_scorecards(evaluation_with_state(evaluation)) is not None


@pytest.mark.django_db
def test_candidate_bids_count(scored):
    evaluation, first, _ = scored
    before = ScoringState.objects.get(evaluation=evaluation).inputs_revision
    Candidate.objects.filter(pk=first.pk).update(lots=["soc"])
    assert ScoringState.objects.get(evaluation=evaluation).inputs_revision > before
    evaluation.lots = [{"code": "soc", "weight": 1, "service_models": []}]
    evaluation.save()
    assert ScoringState.objects.get(evaluation=evaluation).inputs_revision > before + 1
