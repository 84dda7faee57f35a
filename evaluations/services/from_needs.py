"""A draft evaluation started from a needs assessment.

It takes from the assessment what creating an evaluation with ``needs_assessment``
pre-fills (``needs.services.prefill``: industry, employee count, frameworks,
and as required service models every model judged required or recommended),
proposes one lot per required service model (the model's code, a readable
title, weight 1), pins the questionnaire (by default the published built-in
provider vetting version) and, unless the request names packs, the published
built-in version of every pack the assessment recommends. It is created by
``lifecycle.create_evaluation``, so every rule of a created evaluation holds;
lots and packs stay editable while it is a draft.
"""

from django.db import transaction
from rest_framework.exceptions import ValidationError

from evaluations.models import Evaluation
from evaluations.services import lifecycle
from needs import services as needs_service
from needs.assessment import PACK_VETTING
from needs.models import NeedsAssessment
from providers.vocabulary import ServiceModel
from questionnaires.models import QuestionnaireVersion, VersionStatus

LOT_TITLES = {
    ServiceModel.MSP: "Managed IT operations (MSP)",
    ServiceModel.MSSP: "Managed security operations (MSSP)",
    ServiceModel.VCISO: "Security leadership (vCISO)",
    ServiceModel.VCIO: "IT leadership (vCIO)",
}


def proposed_lots(service_models: list[str]) -> list[dict]:
    """One lot per service model, in the order given."""
    return [
        {
            "code": model,
            "title": LOT_TITLES[ServiceModel(model)],
            "service_models": [model],
            "weight": 1,
        }
        for model in service_models
    ]


def _builtin_versions(codes: list[str]) -> dict[str, QuestionnaireVersion]:
    """The published version of each built-in questionnaire of ``codes``, by code."""
    versions = QuestionnaireVersion.objects.filter(
        questionnaire__organization__isnull=True,
        questionnaire__code__in=codes,
        status=VersionStatus.PUBLISHED,
    ).select_related("questionnaire")
    return {version.questionnaire.code: version for version in versions}


def default_base() -> QuestionnaireVersion:
    version = _builtin_versions([PACK_VETTING]).get(PACK_VETTING)
    if version is None:
        raise ValidationError(
            {
                "questionnaire_version": [
                    f"No published built-in `{PACK_VETTING}` questionnaire to pin; load the "
                    "built-in content or name the questionnaire_version."
                ]
            }
        )
    return version


def recommended_packs(
    assessment: NeedsAssessment, base: QuestionnaireVersion
) -> list[QuestionnaireVersion]:
    """The published built-in version of each pack the assessment recommends, in its
    order; the vetting questionnaire and the base's own questionnaire are no packs."""
    codes = [
        pack["code"]
        for pack in assessment.result["packs"]
        if pack["code"] not in (PACK_VETTING, base.questionnaire.code)
    ]
    versions = _builtin_versions(codes)
    missing = [code for code in codes if code not in versions]
    if missing:
        listed = ", ".join(f"`{code}`" for code in missing)
        raise ValidationError(
            {
                "packs": [
                    f"No published built-in questionnaire for the recommended packs {listed}; "
                    "load the built-in content or name the packs."
                ]
            }
        )
    return [versions[code] for code in codes]


@transaction.atomic
def create_from_assessment(
    assessment: NeedsAssessment, *, organization, user, lead, data: dict
) -> Evaluation:
    """A draft evaluation from ``assessment``; ``data`` holds ``name`` and, optionally,
    ``description``, ``questionnaire_version`` and ``packs``."""
    base = data.get("questionnaire_version") or default_base()
    packs = data["packs"] if "packs" in data else recommended_packs(assessment, base)
    prefill = needs_service.prefill(assessment)
    return lifecycle.create_evaluation(
        organization=organization,
        user=user,
        lead=lead,
        data={
            "name": data["name"],
            "description": data.get("description", ""),
            "questionnaire_version": base,
            "packs": packs,
            "needs_assessment": assessment,
            **prefill,
            "lots": proposed_lots(prefill["required_service_models"]),
        },
    )
