"""Contracts from a decided award: one per winning candidate, covering its lots.

The committed price comes from the winning proposals (``contracts.commitments``),
in the evaluation's currency; the term is the one asked for, else the longest
``term_months`` of those proposals, else the evaluation's horizon. Reads a
constant number of queries whatever the number of winners.
"""

from django.db import IntegrityError, transaction

from config.exceptions import Conflict
from contracts import services
from contracts.commitments import commitments
from contracts.models import Contract
from evaluations.models import Candidate, EvaluationStatus, Proposal
from evaluations.services.awards import proposal_input
from evaluations.services.status import require_status


def _term_months(requested, proposals: list[Proposal], evaluation) -> int:
    if requested is not None:
        return requested
    terms = [proposal.term_months for proposal in proposals if proposal.term_months]
    return max(terms) if terms else evaluation.horizon_months


def create_from_award(evaluation, user, *, start_date, term_months=None, **terms) -> list:
    """The award's contracts; a 409 unless decided, or when they exist already."""
    require_status(evaluation, {EvaluationStatus.DECIDED}, "Creating contracts from the award")
    if Contract.objects.filter(evaluation=evaluation).exists():
        raise Conflict("This award's contracts exist already.")
    rows = list(Proposal.objects.filter(candidate__evaluation=evaluation).order_by("pk"))
    try:
        owed = commitments(
            evaluation.decision_award,
            [proposal_input(row) for row in rows],
            evaluation.quantities,
            evaluation.horizon_months,
        )
    except ValueError as error:
        # A proposal priced per unit the evaluation no longer counts.
        raise Conflict(f"The winning proposals cannot be priced: {error}") from None
    candidates = Candidate.objects.select_related("provider").in_bulk(
        [commitment.candidate_id for commitment in owed]
    )
    by_id = {row.pk: row for row in rows}
    contracts = []
    for commitment in owed:
        candidate = candidates[commitment.candidate_id]
        chosen = [by_id[pk] for pk in commitment.proposal_ids]
        contracts.append(
            Contract(
                organization_id=evaluation.organization_id,
                provider=candidate.provider,
                evaluation=evaluation,
                candidate=candidate,
                title=f"{candidate.provider.name}: {evaluation.name}"[:200],
                lots=list(commitment.lots),
                proposal_ids=list(commitment.proposal_ids),
                currency=evaluation.currency,
                one_time_fee=commitment.one_time_fee,
                monthly_fee=commitment.monthly_fee,
                start_date=start_date,
                term_months=_term_months(term_months, chosen, evaluation),
                **terms,
            )
        )
    try:
        with transaction.atomic():
            return services.save_new(contracts, user)
    except IntegrityError:
        # Two requests raced past the check above: the unique winner constraint
        # lets one of them write.
        raise Conflict("This award's contracts exist already.") from None
