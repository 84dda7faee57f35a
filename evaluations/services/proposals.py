"""Proposals: a candidate's priced offers for its bid lots (docs/scoring.md v2).

A proposal covers a non-empty part of its candidate's bid (two or more lots: a
bundle), is priced in the evaluation's currency and prices only units the
evaluation counts in ``quantities``. They change while the evaluation is in
draft or collecting, like the candidates; every change is audited. The total
cost is the engine's business: :func:`proposal_data` is the plain shape it reads.
"""

from decimal import Decimal

from django.db import transaction

from config.exceptions import Conflict
from evaluations.engine.lots import Violation, cover_violations
from evaluations.models import Candidate, Evaluation, EvaluationStatus, Proposal
from evaluations.services.audit import Change, record
from evaluations.services.status import require_status
from evaluations.services.violations import raise_violations

MAX_PROPOSALS = 20  # per candidate
MAX_UNIT_PRICES = 20
OPEN = {EvaluationStatus.DRAFT, EvaluationStatus.COLLECTING}
FIELDS = (
    "lots",
    "one_time",
    "monthly",
    "unit_prices",
    "annual_increase_pct",
    "term_months",
    "currency",
    "notes",
)


def _money(value) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def proposal_data(proposal: Proposal) -> dict:
    """The proposal as JSON-serialisable plain data: decimals as exact strings with two
    places (``"1200.00"``; the percentage too), lot codes in the proposal's order."""
    return {
        "id": proposal.pk,
        "candidate": proposal.candidate_id,
        "lots": list(proposal.lots),
        "one_time": _money(proposal.one_time),
        "monthly": _money(proposal.monthly),
        "unit_prices": [
            {"unit": price["unit"], "monthly_price": _money(price["monthly_price"])}
            for price in proposal.unit_prices
        ],
        "annual_increase_pct": _money(proposal.annual_increase_pct),
        "term_months": proposal.term_months,
        "currency": proposal.currency,
    }


def removal_changes(candidate: Candidate) -> list[Change]:
    """The audit changes of the proposals a candidate's removal takes along."""
    return [
        Change("proposal.deleted", old=proposal_data(proposal), candidate_id=candidate.pk)
        for proposal in candidate.proposals.order_by("id")
    ]


def _stored_prices(unit_prices) -> list[dict]:
    return [
        {"unit": price["unit"], "monthly_price": _money(price["monthly_price"])}
        for price in unit_prices
    ]


def _violations(evaluation: Evaluation, candidate: Candidate, values: dict) -> list[Violation]:
    found = cover_violations(values["lots"], candidate.lots)
    seen = set()
    for index, price in enumerate(values["unit_prices"]):
        path = f"unit_prices[{index}].unit"
        if price["unit"] not in evaluation.quantities:
            units = ", ".join(sorted(evaluation.quantities)) or "none yet"
            found.append(
                Violation(
                    path,
                    f"Unit `{price['unit']}` is not in the evaluation's quantities "
                    f"(units: {units}).",
                )
            )
        elif price["unit"] in seen:
            found.append(Violation(path, f"Unit `{price['unit']}` is priced twice."))
        seen.add(price["unit"])
    return found


def _check_currency(evaluation: Evaluation, currency: str | None) -> None:
    if not evaluation.currency:
        raise_violations(
            [
                Violation(
                    "currency",
                    "Set the evaluation's currency first: its proposals are priced in it.",
                )
            ]
        )
    if currency is not None and currency != evaluation.currency:
        raise_violations(
            [
                Violation(
                    "currency",
                    f"Proposals are priced in the evaluation's currency, {evaluation.currency}.",
                )
            ]
        )


@transaction.atomic
def create_proposal(evaluation: Evaluation, *, user, candidate: Candidate, data: dict) -> Proposal:
    evaluation = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    require_status(evaluation, OPEN, "Adding a proposal")
    if candidate.evaluation_id != evaluation.pk:
        raise_violations([Violation("candidate", "Not a candidate of this evaluation.")])
    _check_currency(evaluation, data.get("currency"))
    values = {"unit_prices": [], **data, "currency": evaluation.currency}
    raise_violations(_violations(evaluation, candidate, values))
    if candidate.proposals.count() >= MAX_PROPOSALS:
        raise Conflict(f"This candidate holds {MAX_PROPOSALS} proposals, the most it may.")
    values["unit_prices"] = _stored_prices(values["unit_prices"])
    proposal = Proposal.objects.create(candidate=candidate, **values)
    proposal.refresh_from_db()  # decimals as stored (two places)
    record(
        evaluation,
        user,
        [Change("proposal.created", new=proposal_data(proposal), candidate_id=candidate.pk)],
    )
    return proposal


@transaction.atomic
def update_proposal(proposal: Proposal, *, user, data: dict) -> Proposal:
    candidate = Candidate.objects.get(pk=proposal.candidate_id)
    evaluation = Evaluation.objects.select_for_update().get(pk=candidate.evaluation_id)
    require_status(evaluation, OPEN, "Changing a proposal")
    if "currency" in data:
        _check_currency(evaluation, data["currency"])
    proposal = Proposal.objects.get(pk=proposal.pk)
    values = {field: getattr(proposal, field) for field in FIELDS} | data
    raise_violations(_violations(evaluation, candidate, values))
    old = proposal_data(proposal)
    values["unit_prices"] = _stored_prices(values["unit_prices"])
    for field, value in values.items():
        setattr(proposal, field, value)
    proposal.save()
    proposal.refresh_from_db()
    new = proposal_data(proposal)
    if new != old:
        record(
            evaluation,
            user,
            [Change("proposal.updated", old=old, new=new, candidate_id=candidate.pk)],
        )
    return proposal


@transaction.atomic
def delete_proposal(proposal: Proposal, *, user) -> None:
    evaluation = Evaluation.objects.select_for_update().get(
        pk=Candidate.objects.filter(pk=proposal.candidate_id).values("evaluation_id")[:1]
    )
    require_status(evaluation, OPEN, "Deleting a proposal")
    record(
        evaluation,
        user,
        [
            Change(
                "proposal.deleted", old=proposal_data(proposal), candidate_id=proposal.candidate_id
            )
        ],
    )
    proposal.delete()
