"""Which lots each candidate bids on: the default, named bids, and lot changes.

A bid is derived (``BidSource.DEFAULT``: every lot all of whose service models the
provider offers, docs/scoring.md v2) unless the buyer named it (``EXPLICIT``). When the
evaluation's lots change, derived bids are derived again; a named bid that names
a removed lot, or a proposal that would cover a lot its candidate no longer bids
on, refuses the change (400 naming them): nothing is dropped silently. Going
back to no lots puts every candidate on the implicit lot `all`, as in v1.
"""

from dataclasses import dataclass

from django.db import transaction

from evaluations.engine import lots as lot_rules
from evaluations.engine.lots import Violation
from evaluations.models import BidSource, Candidate, Evaluation, EvaluationStatus, Proposal
from evaluations.services.audit import Change, record
from evaluations.services.status import require_status
from evaluations.services.violations import raise_violations


def _label(candidate: Candidate) -> str:
    return f"Candidate {candidate.pk} ({candidate.provider.name})"


def _no_default(provider, lots) -> Violation:
    held = "; ".join(f"{lot['code']}: {', '.join(lot['service_models'])}" for lot in lots)
    return Violation(
        "lots",
        f"{provider.name} offers all the service models of none of the lots ({held}); "
        "name the lots it bids on.",
    )


def initial_bid(evaluation: Evaluation, provider, lots: list[str] | None) -> tuple[list, str]:
    """The bid of a new candidate and its source: ``lots`` as named, else the default."""
    if lots is None:
        bid = lot_rules.default_bid(evaluation.lots, provider.service_models)
        if not bid:
            raise_violations([_no_default(provider, evaluation.lots)])
        return bid, BidSource.DEFAULT
    raise_violations(lot_rules.bid_violations(lots, evaluation.lots))
    # Without lots every candidate bids on `all` whatever it names: nothing to keep.
    source = BidSource.EXPLICIT if evaluation.lots else BidSource.DEFAULT
    return lot_rules.ordered_bid(lots, evaluation.lots), source


def _uncovered(proposals, bids: dict[int, list[str]], candidates: dict[int, Candidate]):
    """Violations for proposals covering a lot their candidate would not bid on."""
    found = []
    for proposal in proposals:
        missing = [code for code in proposal.lots if code not in bids[proposal.candidate_id]]
        if missing:
            found.append(
                Violation(
                    "lots",
                    f"Proposal {proposal.pk} of {_label(candidates[proposal.candidate_id])} "
                    f"covers lot `{missing[0]}`, which its candidate would no longer bid on; "
                    "change or delete the proposal first.",
                )
            )
    return found


@transaction.atomic
def set_candidate_lots(candidate: Candidate, *, user, lots: list[str] | None) -> Candidate:
    """Name the candidate's lots (``None``: derive them again, from now on). Naming
    the bid it has changes nothing, not even its source."""
    evaluation = Evaluation.objects.select_for_update().get(pk=candidate.evaluation_id)
    require_status(
        evaluation, {EvaluationStatus.DRAFT, EvaluationStatus.COLLECTING}, "Changing a bid"
    )
    candidate = Candidate.objects.select_related("provider").get(pk=candidate.pk)
    bid, source = initial_bid(evaluation, candidate.provider, lots)
    if bid == candidate.lots and (lots is not None or source == candidate.bid_source):
        return candidate
    raise_violations(
        _uncovered(candidate.proposals.all(), {candidate.pk: bid}, {candidate.pk: candidate})
    )
    old = candidate.lots
    candidate.lots, candidate.bid_source = bid, source
    candidate.save(update_fields=["lots", "bid_source"])
    record(
        evaluation,
        user,
        [
            Change(
                "candidate.lots",
                old=old,
                new={"lots": bid, "source": source},
                candidate_id=candidate.pk,
            )
        ],
    )
    return candidate


@dataclass(frozen=True)
class Rebid:
    candidate: Candidate
    lots: list[str]
    source: str


def plan_lot_change(evaluation: Evaluation, new_lots: list[dict]) -> list[Rebid]:
    """The bids that change when the evaluation's lots become ``new_lots``; a 400 naming
    every candidate or proposal the change would leave dangling."""
    candidates = {c.pk: c for c in evaluation.candidates.select_related("provider")}
    codes = set(lot_rules.lot_codes(new_lots))
    found, bids, plan = [], {}, []
    for candidate in candidates.values():
        source = candidate.bid_source
        if not new_lots:
            bid, source = lot_rules.default_bid(new_lots, ()), BidSource.DEFAULT
        elif source == BidSource.EXPLICIT:
            removed = [code for code in candidate.lots if code not in codes]
            for code in removed:
                found.append(
                    Violation(
                        "lots",
                        f"{_label(candidate)} bids on lot `{code}`, which this change "
                        "removes; change its lots first.",
                    )
                )
            bid = lot_rules.ordered_bid(candidate.lots, new_lots)
        else:
            bid = lot_rules.default_bid(new_lots, candidate.provider.service_models)
            if not bid:
                found.append(
                    Violation(
                        "lots",
                        f"{_label(candidate)} would bid on no lot: its provider offers all "
                        "the service models of none of them. Change the provider's service "
                        "models or remove the candidate first.",
                    )
                )
        bids[candidate.pk] = bid
        if (bid, source) != (candidate.lots, candidate.bid_source):
            plan.append(Rebid(candidate, bid, source))
    proposals = Proposal.objects.filter(candidate__evaluation=evaluation).order_by("id")
    found += _uncovered(proposals, bids, candidates)
    raise_violations(found)
    return plan


def apply_rebids(evaluation: Evaluation, plan: list[Rebid]) -> list[Change]:
    """Store the planned bids; the audit changes of each."""
    changes = []
    for rebid in plan:
        old = rebid.candidate.lots
        rebid.candidate.lots, rebid.candidate.bid_source = rebid.lots, rebid.source
        changes.append(
            Change(
                "candidate.lots",
                old=old,
                new={"lots": rebid.lots, "source": rebid.source},
                candidate_id=rebid.candidate.pk,
            )
        )
    Candidate.objects.bulk_update([rebid.candidate for rebid in plan], ["lots", "bid_source"])
    return changes
