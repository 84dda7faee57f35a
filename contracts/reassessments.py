"""Opening reassessment rounds: a new evaluation of a contract's provider.

A round copies what makes it comparable with the previous one (the award's
evaluation for the first round): the buyer profile, section weights,
exclusions, aggregation and the contract's lots, with the questionnaire and
packs the previous round used, each at its *current* published version. The
provider is the one candidate; the response request goes to the schedule's
contacts, else to those of the previous round's request. The contract row is
locked and a round is unique per contract and due date, so beat running twice
(or at once with a request) opens one round.
"""

import logging
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from accounts.models import Membership, Role
from accounts.principal import stored_user
from config.exceptions import Conflict
from contracts import reassessment_rules as rules
from contracts.models import Contract, ReassessmentRound, ReassessmentSchedule
from evaluations.models import Candidate, Evaluation
from evaluations.services import lifecycle
from integrations import events
from questionnaires.models import QuestionnaireVersion, VersionStatus
from responses.models import ResponseContact
from responses.services.requests import MAX_CONTACTS, create_request

log = logging.getLogger(__name__)

DEFAULT_RESPONSE_DAYS = 30
# The buyer profile and scoring settings a round takes over from the previous one.
COPIED_SETTINGS = (
    "description",
    "industry",
    "employee_count",
    "frameworks",
    "profile_notes",
    "section_weights",
    "excluded_questions",
    "aggregation",
)


def previous_round(contract: Contract) -> tuple[Evaluation, Candidate]:
    """The evaluation and candidate the next round compares with: the last round's,
    else the award's. A contract made by hand has none before its first round."""
    last = (
        ReassessmentRound.objects.filter(contract=contract)
        .select_related("evaluation", "candidate")
        .order_by("-due_date", "-id")
        .first()
    )
    if last is not None:
        return last.evaluation, last.candidate
    if contract.evaluation_id is None or contract.candidate_id is None:
        raise Conflict(
            "This contract was not made from an award: there is no evaluation to reassess against."
        )
    return contract.evaluation, contract.candidate


def current_versions(evaluation: Evaluation) -> tuple[QuestionnaireVersion, list]:
    """The latest published version of the base questionnaire and of each pack the
    evaluation pinned, packs in their order (two queries)."""
    pinned = [
        evaluation.questionnaire_version_id,
        *evaluation.pack_links.values_list("version_id", flat=True),
    ]
    questionnaire_of = dict(
        QuestionnaireVersion.objects.filter(pk__in=pinned).values_list("pk", "questionnaire_id")
    )
    latest: dict[int, QuestionnaireVersion] = {}
    published = QuestionnaireVersion.objects.filter(
        questionnaire_id__in=set(questionnaire_of.values()), status=VersionStatus.PUBLISHED
    ).select_related("questionnaire")
    for version in published.order_by("questionnaire_id", "number"):
        latest[version.questionnaire_id] = version
    missing = [pk for pk in pinned if questionnaire_of[pk] not in latest]
    if missing:
        raise Conflict(
            "A questionnaire of the previous round has no published version any more "
            f"(version ids {missing})."
        )
    versions = [latest[questionnaire_of[pk]] for pk in pinned]
    return versions[0], versions[1:]


def _lots(previous: Evaluation, contract: Contract) -> dict:
    """The contract's lots of the previous evaluation, and the service models they
    hold; the previous profile as it was without lots."""
    if not previous.lots:
        return {"required_service_models": list(previous.required_service_models)}
    won = set(contract.lots)
    lots = [lot for lot in previous.lots if lot["code"] in won]
    models = [model for lot in lots for model in lot["service_models"]]
    return {"lots": lots, "required_service_models": models}


def _lead(previous: Evaluation, organization_id: int) -> Membership:
    """The previous lead while still an admin, else the organization's first admin."""
    if previous.lead.role == Role.ADMIN:
        return previous.lead
    lead = (
        Membership.objects.filter(organization_id=organization_id, role=Role.ADMIN)
        .order_by("pk")
        .first()
    )
    if lead is None:
        raise Conflict("The organization has no admin to lead the reassessment.")
    return lead


def _contacts(schedule: ReassessmentSchedule | None, previous: Candidate) -> list[dict]:
    if schedule is not None and schedule.contacts:
        return list(schedule.contacts)[:MAX_CONTACTS]
    contacts = ResponseContact.objects.filter(request__candidate=previous).order_by(
        "-request_id", "id"
    )
    chosen: dict[str, dict] = {}
    for contact in contacts:
        if contact.request_id != contacts[0].request_id:
            break
        chosen.setdefault(contact.email, {"name": contact.name, "email": contact.email})
    return list(chosen.values())[:MAX_CONTACTS]


def _schedule(contract: Contract) -> ReassessmentSchedule | None:
    return ReassessmentSchedule.objects.filter(contract=contract).first()


@transaction.atomic
def open_round(contract: Contract, *, due_date: date, user=None, scheduled: bool) -> tuple:
    """The round of ``contract`` due on ``due_date``, opened now unless it exists:
    ``(round, created)``."""
    contract = Contract.objects.select_for_update().select_related("provider").get(pk=contract.pk)
    existing = ReassessmentRound.objects.filter(contract=contract, due_date=due_date).first()
    if existing is not None:
        return existing, False
    previous, previous_candidate = previous_round(contract)
    base, packs = current_versions(previous)
    lead = _lead(previous, contract.organization_id)
    data = {name: getattr(previous, name) for name in COPIED_SETTINGS}
    data |= _lots(previous, contract)
    data |= {
        "name": f"{contract.title}: reassessment due {due_date.isoformat()}"[:200],
        "questionnaire_version": base,
        "packs": packs,
    }
    evaluation = lifecycle.create_evaluation(
        organization=contract.organization, user=user, lead=lead, data=data
    )
    lots = [lot["code"] for lot in data["lots"]] if data.get("lots") else None
    candidate = lifecycle.add_candidate(
        evaluation, user=user, provider=contract.provider, lots=lots
    )
    schedule = _schedule(contract)
    contacts = _contacts(schedule, previous_candidate)
    request = None
    if contacts:
        days = schedule.response_days if schedule is not None else DEFAULT_RESPONSE_DAYS
        request = create_request(
            evaluation,
            user=user,
            candidate=candidate,
            due_date=timezone.localdate() + timedelta(days=days),
            message=f"Reassessment of {contract.title}: please answer the current questionnaire.",
            contacts=contacts,
        )
    round_ = ReassessmentRound.objects.create(
        contract=contract,
        evaluation=evaluation,
        candidate=candidate,
        previous_evaluation=previous,
        previous_candidate=previous_candidate,
        response_request=request,
        due_date=due_date,
        scheduled=scheduled,
        created_by=stored_user(user),
    )
    events.emit(
        contract.organization_id,
        events.CONTRACT_REASSESSMENT_OPENED,
        events.reassessment_data(round_),
    )
    return round_, True


def open_now(contract: Contract, *, user) -> ReassessmentRound:
    """A round opened by hand today; a second one the same day is a 409."""
    today = timezone.localdate()
    round_, created = open_round(contract, due_date=today, user=user, scheduled=False)
    if not created:
        raise Conflict(f"Reassessment round {round_.pk} was opened today already.")
    return round_


def term_of(contract: Contract) -> rules.Term:
    return rules.Term(contract.start_date, contract.renewal_date, contract.auto_renew)


def spec_of(schedule: ReassessmentSchedule) -> rules.Schedule:
    return rules.Schedule(schedule.mode, schedule.interval_months, schedule.days_before_renewal)


def due_rounds(today: date) -> list[tuple[int, date]]:
    """(contract id, due date) of every round due ``today``, in one query."""
    schedules = (
        ReassessmentSchedule.objects.filter(active=True)
        .select_related("contract")
        .annotate(last_due=Max("contract__reassessment_rounds__due_date"))
        .order_by("contract_id")
    )
    due = []
    for schedule in schedules:
        when = rules.due_today(
            spec_of(schedule), term_of(schedule.contract), schedule.last_due, today
        )
        if when is not None:
            due.append((schedule.contract_id, when))
    return due


def open_due_rounds(today: date | None = None) -> dict[str, int]:
    """Beat: open every round due. Safe to run twice: a round exists once per due date."""
    today = today or timezone.localdate()
    opened = skipped = 0
    for contract_id, when in due_rounds(today):
        try:
            _, created = open_round(Contract(pk=contract_id), due_date=when, scheduled=True)
        except (Conflict, ValidationError) as error:
            # One contract that cannot be reassessed (no award, settings the current
            # version refuses) must not stop the others; the log says why.
            log.warning("reassessment of contract %s not opened: %s", contract_id, error)
            skipped += 1
            continue
        opened += created
    return {"opened": opened, "skipped": skipped}
