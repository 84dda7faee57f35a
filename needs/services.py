"""Needs assessments: run the pure rule table, store profile and result together.

The stored ``result`` is what ``needs.assessment.assess_needs`` returned for the
stored ``profile``; ``engine_version`` and ``rule_set_hash`` identify the rule
table, so re-running a profile under the same hash reproduces the result
exactly, and a changed table is visible as a different hash.

Creating an evaluation from an assessment pre-fills (unless the request gives
them) the evaluation's service models with every model whose verdict is
``required`` **or** ``recommended``, and its industry, employee count and
frameworks from the profile. Recommended models are included because the buyer
is told they would pay off: their vetting questions and capabilities belong in
the comparison, or the coverage check could never show their gaps.
"""

import hashlib
import json
from functools import cache

from django.db import transaction
from rest_framework.exceptions import ValidationError

from accounts.principal import stored_user
from needs import assessment as needs
from needs import rules as nr
from needs.models import NeedsAssessment
from needs.rules import Verdict

ENGINE_VERSION = "1"
PREFILL_VERDICTS = (Verdict.REQUIRED, Verdict.RECOMMENDED)


@cache
def rule_set_hash() -> str:
    """SHA-256 over everything in the rule table that can change a result."""
    table = {
        "rules": [
            {
                "id": rule.rule_id,
                "kind": rule.kind,
                "condition": rule.condition,
                "effects": [[model.value, verdict.value] for model, verdict in rule.effects],
            }
            for rule in nr.VERDICT_AND_CAP_RULES
        ],
        "explanations": dict(needs.RULES),
        "warnings": dict(needs.WARNINGS),
        "packs": list(needs.PACKS),
        "thresholds": [
            nr.SMALL_ORG_LIMIT,
            nr.MIDSIZE_MIN,
            nr.MIDSIZE_MAX,
            nr.MULTIPLE_FRAMEWORKS_MIN,
            needs.MAX_EMPLOYEES,
        ],
    }
    canonical = json.dumps(table, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def assess(profile_data: dict) -> tuple[dict, dict]:
    """``(normalised profile, result)``; a bad profile is a 400 naming ``profile.<field>``."""
    try:
        profile = needs.BuyerProfile.from_dict(profile_data)
    except needs.ProfileError as exc:
        raise ValidationError({"profile": {exc.field: [exc.message]}}) from None
    return profile.to_dict(), needs.assess_needs(profile).to_dict()


@transaction.atomic
def create_assessment(*, organization, user, name: str, profile: dict) -> NeedsAssessment:
    normalised, result = assess(profile)
    return NeedsAssessment.objects.create(
        organization=organization,
        name=name,
        profile=normalised,
        result=result,
        engine_version=ENGINE_VERSION,
        rule_set_hash=rule_set_hash(),
        created_by=stored_user(user),
    )


def evaluation_service_models(result: dict) -> list[str]:
    """Service models an evaluation built from this result covers, in vocabulary order."""
    wanted = {v.value for v in PREFILL_VERDICTS}
    return [m["service_model"] for m in result["models"] if m["verdict"] in wanted]


def prefill(assessment: NeedsAssessment) -> dict:
    """What creating an evaluation from ``assessment`` fills in."""
    profile = assessment.profile
    return {
        "industry": profile["industry"],
        "employee_count": profile["employee_count"],
        "frameworks": list(profile.get("frameworks", [])),
        "required_service_models": evaluation_service_models(assessment.result),
    }


def prefill_evaluation(attrs: dict, assessment: NeedsAssessment, given) -> dict:
    """``attrs`` with the assessment's values for every field the request left out."""
    for field, value in prefill(assessment).items():
        if field not in given:
            attrs[field] = value
    return attrs


def snapshot(assessment: NeedsAssessment | None) -> dict | None:
    """The assessment as a report stores it."""
    if assessment is None:
        return None
    return {
        "id": assessment.pk,
        "name": assessment.name,
        "profile": assessment.profile,
        "result": assessment.result,
        "engine_version": assessment.engine_version,
        "rule_set_hash": assessment.rule_set_hash,
        "created_at": assessment.created_at.isoformat(),
    }
