"""Evaluations, their candidates and evaluators, and the status they move through.

Status rules (what may change when):

| status     | settings & profile | candidates/evaluators | answers | ratings | overrides |
|------------|--------------------|-----------------------|---------|---------|-----------|
| draft      | yes (and version)  | yes                   | yes     | no      | no        |
| collecting | yes                | yes                   | yes     | yes     | yes       |
| scoring    | weights/exclusions | no                    | no      | no      | yes       |
| decided    | no                 | no                    | no      | no      | no        |
| cancelled  | no                 | no                    | no      | no      | no        |

The packs change with the version: in draft only (``evaluations.services.packs``).
Sourcing (lots, currency, horizon, quantities; bids and proposals) follows the
candidates column; the price weight, like the section weights, may also change
while scoring. Their rules are in ``evaluations.services.sourcing``.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.models import Role
from accounts.principal import stored_user
from config.exceptions import Conflict
from config.text import is_blank
from evaluations.models import (
    Candidate,
    ConflictStatus,
    Evaluation,
    EvaluationStatus,
    EvaluatorAssignment,
)
from evaluations.services import bids, packs, proposals, ranks, sourcing
from evaluations.services.audit import Change, record
from evaluations.services.status import require_status
from integrations import events
from notifications import triggers
from questionnaires.models import VersionStatus

S = EvaluationStatus

TRANSITIONS = {
    S.DRAFT: {S.COLLECTING, S.CANCELLED},
    S.COLLECTING: {S.SCORING, S.CANCELLED},
    S.SCORING: {S.COLLECTING, S.CANCELLED},  # decided only through decide()
    S.DECIDED: set(),
    S.CANCELLED: set(),
}

# Fields that move scores or awards; changes to them are audited.
SCORING_FIELDS = (
    "section_weights",
    "excluded_questions",
    "aggregation",
    "industry",
    "required_service_models",
    "questionnaire_version",
    *sourcing.SOURCING_FIELDS,
)
SETTINGS_IN_SCORING = {
    "section_weights",
    "excluded_questions",
    "aggregation",
    "price_weight",
    "name",
    "description",
    "profile_notes",
    "ratings_due",
    "decision_due",
}


def _check_version(version):
    if version.status != VersionStatus.PUBLISHED:
        raise ValidationError({"questionnaire_version": ["Pin a published questionnaire version."]})


def _check_lead(membership, organization):
    if membership.organization_id != organization.id or membership.role != Role.ADMIN:
        raise ValidationError({"lead": ["The lead must be an admin of this organization."]})


@transaction.atomic
def create_evaluation(*, organization, user, lead, data: dict) -> Evaluation:
    """Create an evaluation; ``data["packs"]`` (optional) lists its pack versions in order."""
    data = dict(data)
    pack_versions = data.pop("packs", [])
    base = data["questionnaire_version"]
    _check_version(base)
    packs.check_packs(pack_versions, base=base, organization=organization)
    packs.check_clashes(base.pk, [version.pk for version in pack_versions])
    _check_lead(lead, organization)
    sourcing.check_settings(None, data)
    evaluation = Evaluation.objects.create(
        organization=organization,
        lead=lead,
        created_by=stored_user(user),
        **data,
    )
    packs.set_packs(evaluation, pack_versions)
    record(evaluation, user, [Change("evaluation.created", new={"name": evaluation.name})])
    return evaluation


@transaction.atomic
def update_evaluation(evaluation: Evaluation, *, user, data: dict) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if evaluation.status in (S.DECIDED, S.CANCELLED):
        require_status(evaluation, {S.DRAFT, S.COLLECTING, S.SCORING}, "Editing")
    if evaluation.status == S.SCORING and set(data) - SETTINGS_IN_SCORING:
        fields = ", ".join(sorted(set(data) - SETTINGS_IN_SCORING))
        raise Conflict(
            "While scoring only weights, exclusions, aggregation, the price weight, the "
            f"texts and the due dates may change (not {fields})."
        )
    new_base = "questionnaire_version" in data and data["questionnaire_version"] != (
        evaluation.questionnaire_version
    )
    if new_base:
        require_status(evaluation, {S.DRAFT}, "Changing the questionnaire version")
        _check_version(data["questionnaire_version"])
        if evaluation.candidates.filter(answers__isnull=False).exists():
            raise Conflict("Answers exist for the pinned version; start a new evaluation.")
    changes = _change_packs(evaluation, data, new_base=new_base)
    if "lead" in data:
        _check_lead(data["lead"], evaluation.organization)
    rebids = sourcing.check_settings(evaluation, data)
    for field, value in data.items():
        old = getattr(evaluation, field)
        if field in SCORING_FIELDS and old != value:
            changes.append(Change(f"evaluation.{field}", old=_as_json(old), new=_as_json(value)))
        setattr(evaluation, field, value)
    evaluation.save()
    changes += bids.apply_rebids(evaluation, rebids)
    record(evaluation, user, changes)
    return evaluation


def _change_packs(evaluation: Evaluation, data: dict, *, new_base: bool) -> list[Change]:
    """Check and apply a change of packs (``data["packs"]``, taken out of ``data``), and
    check the packs kept against a new base version; the audited change, if any."""
    base = data.get("questionnaire_version", evaluation.questionnaire_version)
    current = packs.pack_version_ids(evaluation)
    wanted = data.pop("packs", None)
    if wanted is None or [version.pk for version in wanted] == current:
        if new_base:
            packs.check_clashes(base.pk, current)
        return []
    require_status(evaluation, {S.DRAFT}, "Changing the packs")
    new = [version.pk for version in wanted]
    packs.check_packs(wanted, base=base, organization=evaluation.organization)
    packs.check_clashes(base.pk, new)
    packs.check_removal(evaluation, set(current) - set(new))
    packs.set_packs(evaluation, wanted)
    return [Change("evaluation.packs", old=current, new=new)]


def _as_json(value):
    """An audited value as JSON: a pinned version by id, a decimal as its text."""
    if isinstance(value, Decimal):
        return str(value)
    return getattr(value, "pk", value)


@transaction.atomic
def change_status(evaluation: Evaluation, *, user, status: str) -> Evaluation:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if status not in TRANSITIONS[evaluation.status]:
        raise Conflict(f"An evaluation cannot go from {evaluation.status} to {status}.")
    if status == S.COLLECTING and not evaluation.candidates.exists():
        raise ValidationError({"status": ["Add at least one candidate before collecting."]})
    old = evaluation.status
    evaluation.status = status
    evaluation.save(update_fields=["status", "updated_at"])
    if status == S.CANCELLED:
        ranks.touch_evaluation_scorecards(evaluation.pk)  # their `decision` shows it
    record(evaluation, user, [Change("evaluation.status", old=old, new=status)])
    events.emit(
        evaluation.organization_id,
        events.EVALUATION_STATUS_CHANGED,
        events.evaluation_status_changed_data(evaluation, old),
    )
    return evaluation


@transaction.atomic
def add_candidate(evaluation: Evaluation, *, user, provider, lots=None) -> Candidate:
    """Add ``provider``, bidding on ``lots`` (None: the default bid, ``services.bids``)."""
    # Locked: a concurrent change of the lots would leave this bid behind.
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    require_status(evaluation, {S.DRAFT, S.COLLECTING}, "Adding a candidate")
    if provider.organization_id != evaluation.organization_id:
        raise ValidationError({"provider": ["Unknown provider."]})
    if evaluation.candidates.filter(provider=provider).exists():
        raise Conflict("This provider is already a candidate.")
    bid, source = bids.initial_bid(evaluation, provider, lots)
    candidate = Candidate.objects.create(
        evaluation=evaluation, provider=provider, lots=bid, bid_source=source
    )
    new = {"provider": provider.pk, "lots": bid, "source": source}
    record(evaluation, user, [Change("candidate.added", new=new, candidate_id=candidate.pk)])
    return candidate


@transaction.atomic
def remove_candidate(candidate: Candidate, *, user):
    evaluation = Evaluation.objects.select_for_update().get(pk=candidate.evaluation_id)
    require_status(evaluation, {S.DRAFT, S.COLLECTING}, "Removing a candidate")
    if candidate.pk in evaluation.decision_award.values():
        raise Conflict("The chosen candidate cannot be removed.")
    if candidate.sheets.exists():
        raise Conflict("Evaluators submitted ratings of this candidate; they stay on record.")
    record(
        evaluation,
        user,
        [
            Change("candidate.removed", old={"provider": candidate.provider_id}),
            *proposals.removal_changes(candidate),
        ],
    )
    candidate.delete()
    # Its scorecards are gone (tombstones); the others may move up.
    ranks.store_ranks(evaluation.pk)


@transaction.atomic
def assign_evaluator(evaluation: Evaluation, *, user, membership) -> EvaluatorAssignment:
    require_status(evaluation, {S.DRAFT, S.COLLECTING}, "Assigning an evaluator")
    if membership.organization_id != evaluation.organization_id:
        raise ValidationError({"member": ["Unknown member."]})
    if membership.role == Role.VIEWER:
        raise ValidationError({"member": ["Viewers cannot rate; make them evaluators first."]})
    if evaluation.evaluators.filter(membership=membership).exists():
        raise Conflict("This member is already an evaluator.")
    assignment = EvaluatorAssignment.objects.create(evaluation=evaluation, membership=membership)
    record(evaluation, user, [Change("evaluator.assigned", new={"member": membership.pk})])
    triggers.evaluator_assigned(assignment, assigned_by=user)
    return assignment


@transaction.atomic
def declare_conflict(
    assignment: EvaluatorAssignment, *, user, has_conflict: bool, details: str
) -> EvaluatorAssignment:
    """Record the evaluator's declaration. A declared conflict is final: only the
    lead's override lets the evaluator rate; no later declaration clears it."""
    if has_conflict and is_blank(details):
        raise ValidationError({"details": ["Describe the conflict."]})
    assignment = EvaluatorAssignment.objects.select_for_update().get(pk=assignment.pk)
    old = assignment.conflict_status
    if old == ConflictStatus.CONFLICT:
        raise Conflict(
            "You declared a conflict; it stands. Only the lead can let you rate "
            "(override-conflict)."
        )
    assignment.conflict_status = ConflictStatus.CONFLICT if has_conflict else ConflictStatus.NONE
    assignment.conflict_details = details if has_conflict else ""
    assignment.declared_at = timezone.now()
    assignment.save()
    record(
        assignment.evaluation,
        user,
        [
            Change(
                "evaluator.declared",
                old=old,
                new={"member": assignment.membership_id, "status": assignment.conflict_status},
            )
        ],
    )
    return assignment


def override_conflict(assignment: EvaluatorAssignment, *, user, reason: str):
    if assignment.conflict_status != ConflictStatus.CONFLICT:
        raise Conflict("Only a declared conflict can be overridden.")
    if is_blank(reason):
        raise ValidationError({"reason": ["Give the reason for letting this evaluator rate."]})
    assignment.conflict_override_reason = reason
    assignment.conflict_overridden_at = timezone.now()
    assignment.save()
    record(
        assignment.evaluation,
        user,
        [
            Change(
                "evaluator.conflict_overridden",
                new={"member": assignment.membership_id, "reason": reason},
            )
        ],
    )
    return assignment
