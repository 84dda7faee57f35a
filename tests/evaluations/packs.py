"""Pack versions for tests: a base questionnaire (the worked example) plus packs."""

from evaluations.models import EvaluationPack
from tests.evaluations.builders import make_version

# A healthcare-style pack (W=2): a knockout, a choice a lead overrides, a judged scale.
HEALTH_PACK = [
    {
        "code": "hc",
        "title": "Health data",
        "weight": 2,
        "questions": [
            {"code": "HC-01", "kind": "boolean", "weight": 2, "knockout": True},
            {
                "code": "HC-02",
                "kind": "single_choice",
                "options": [
                    {"value": "a", "label": "Full", "score": 1.0},
                    {"value": "b", "label": "Partial", "score": 0.4},
                ],
                "text": "How are the audit logs kept?",
            },
            {"code": "HC-03", "kind": "scale", "scoring": "judged", "scale_max": 4},
        ],
    }
]
LEGAL_PACK = [
    {"code": "legal", "weight": 1, "questions": [{"code": "LEG-01", "kind": "boolean"}]},
]


def pack_version(organization, sections=HEALTH_PACK, *, code="health-pack", status="published"):
    return make_version(organization, sections, code=code, status=status)


def pin(evaluation, *versions) -> None:
    EvaluationPack.objects.bulk_create(
        EvaluationPack(evaluation=evaluation, version=version, position=position)
        for position, version in enumerate(versions)
    )
