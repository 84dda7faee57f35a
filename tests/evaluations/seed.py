"""Isolation seeder: an evaluation with one of every child object."""

from evaluations.models import Answer, EvaluationPack, Override, Proposal, Rating, RatingSheet
from evaluations.services import scoring
from tests.evaluations.builders import assign, make_evaluation, make_version
from tests.factories import MembershipFactory
from tests.providers.factories import ProviderFactory
from tests.seeding import seeder

# A pack whose codes the seeded questionnaire (the worked example) does not use.
PACK_SECTIONS = [
    {"code": "pack", "weight": 1, "questions": [{"code": "PK-01", "kind": "boolean"}]},
]


@seeder
def seed_evaluations(context):
    organization = context["organization"]
    version = make_version(organization, code="seeded-vetting")
    provider = ProviderFactory(organization=organization)
    evaluation = make_evaluation(
        organization,
        version,
        lead=context["admin"],
        providers=[provider],
        currency="EUR",
        quantities={"user": 25},
    )
    pack = make_version(organization, PACK_SECTIONS, code="seeded-pack")
    EvaluationPack.objects.create(evaluation=evaluation, version=pack, position=0)
    candidate = evaluation.candidates.get()
    questions = {q.code: q for q in version.questions.all()}
    evaluator = assign(evaluation, MembershipFactory(organization=organization, role="evaluator"))
    Answer.objects.create(candidate=candidate, question=questions["SOC-02"], value=True)
    Rating.objects.create(
        candidate=candidate, question=questions["REP-01"], evaluator=evaluator, score=3
    )
    RatingSheet.objects.create(candidate=candidate, evaluator=evaluator)
    Override.objects.create(
        candidate=candidate, question=questions["REP-02"], score=0.5, rationale="seed"
    )
    Answer.objects.create(candidate=candidate, question=pack.questions.get(), value=True)
    Proposal.objects.create(
        candidate=candidate,
        lots=["all"],
        one_time="1500.00",
        monthly="900.00",
        unit_prices=[{"unit": "user", "monthly_price": "12.50"}],
        currency="EUR",
    )
    scoring.score_evaluation(evaluation.pk)
    context["evaluation_pk"] = evaluation.pk
    context["pack_version_pk"] = pack.pk
