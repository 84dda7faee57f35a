"""Build questionnaire versions and evaluations straight from rows, for tests."""

from accounts.models import Role
from evaluations.models import Candidate, Evaluation, EvaluatorAssignment, Rating, RatingSheet
from questionnaires.models import Question, Questionnaire, QuestionnaireVersion, Section
from tests.factories import MembershipFactory

QUESTION_DEFAULTS = {
    "weight": 1.0,
    "scoring": "auto",
    "options": [],
    "bands": [],
    "scale_max": 5,
    "knockout": False,
    "pass_threshold": 1.0,
    "tags": [],
    "applies_to": [],
    "industries": [],
    "true_score": 1.0,
    "false_score": 0.0,
}

# The worked example of docs/scoring.md.
WORKED_EXAMPLE = [
    {
        "code": "soc",
        "weight": 3,
        "questions": [
            {
                "code": "SOC-01",
                "kind": "single_choice",
                "weight": 2,
                "tags": ["soc_ownership"],
                "options": [
                    {"value": "own", "label": "Own", "score": 1.0},
                    {"value": "white_label", "label": "White label", "score": 0.3},
                ],
            },
            {"code": "SOC-02", "kind": "boolean", "weight": 1, "knockout": True},
        ],
    },
    {
        "code": "rep",
        "weight": 1,
        "questions": [
            {"code": "REP-01", "kind": "scale", "scoring": "judged", "scale_max": 5},
            {"code": "REP-02", "kind": "boolean"},
        ],
    },
]


def make_version(
    organization, sections=WORKED_EXAMPLE, *, code="vetting", status="published"
) -> QuestionnaireVersion:
    questionnaire, _ = Questionnaire.objects.get_or_create(
        organization=organization, code=code, defaults={"name": code}
    )
    number = questionnaire.versions.count() + 1
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=number, status=status
    )
    for s_order, section in enumerate(sections):
        row = Section.objects.create(
            version=version,
            order=s_order,
            code=section["code"],
            title=section.get("title", section["code"]),
            weight=section.get("weight", 1.0),
        )
        for q_order, question in enumerate(section["questions"]):
            fields = {**QUESTION_DEFAULTS, **question}
            fields.setdefault("text", fields["code"])
            Question.objects.create(version=version, section=row, order=q_order, **fields)
    return version


def make_evaluation(
    organization, version, *, lead=None, providers=(), status="collecting", **fields
) -> Evaluation:
    lead = lead or MembershipFactory(organization=organization, role=Role.ADMIN)
    evaluation = Evaluation.objects.create(
        organization=organization,
        name="Pick an MSSP",
        questionnaire_version=version,
        lead=lead,
        status=status,
        **fields,
    )
    for provider in providers:
        Candidate.objects.create(evaluation=evaluation, provider=provider)
    return evaluation


def assign(evaluation, membership, *, declared=True) -> EvaluatorAssignment:
    return EvaluatorAssignment.objects.create(
        evaluation=evaluation,
        membership=membership,
        conflict_status="none" if declared else "undeclared",
    )


def submit_sheets(evaluation):
    """Submit the sheet of every evaluator for every candidate they rated: only
    submitted ratings count (drafts are private to their author)."""
    pairs = (
        Rating.objects.filter(candidate__evaluation=evaluation)
        .values_list("candidate_id", "evaluator_id")
        .distinct()
        .order_by()
    )
    RatingSheet.objects.bulk_create(
        (RatingSheet(candidate_id=c, evaluator_id=e) for c, e in pairs), ignore_conflicts=True
    )
