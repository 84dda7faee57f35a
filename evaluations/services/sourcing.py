"""The evaluation's sourcing settings (lots, currency, horizon, quantities, price
weight): the checks a change must pass, and what follows from it.

``lifecycle.create_evaluation`` and ``update_evaluation`` call these, so every
writer of an evaluation gets the same rules. The lots themselves are checked by
the pure :func:`evaluations.engine.lots.lot_violations`, against the required
service models the evaluation will have; the stored proposals decide whether
the currency or a priced unit may change.
"""

from config.exceptions import Conflict
from evaluations.engine.lots import Violation, lot_violations
from evaluations.models import Evaluation, Proposal
from evaluations.services import bids
from evaluations.services.violations import raise_violations

# The sourcing fields, audited as `evaluation.<field>` when they change.
SOURCING_FIELDS = ("lots", "currency", "horizon_months", "quantities", "price_weight")


def _proposals(evaluation: Evaluation):
    return Proposal.objects.filter(candidate__evaluation=evaluation).order_by("id")


def check_settings(evaluation: Evaluation | None, data: dict) -> list[bids.Rebid]:
    """Refuse what ``data`` may not change in ``evaluation`` (None: a new one); the
    bids that follow from a change of lots, to apply once it is saved."""
    lots = data.get("lots", evaluation.lots if evaluation else [])
    required = data.get(
        "required_service_models", evaluation.required_service_models if evaluation else []
    )
    if "lots" in data or "required_service_models" in data:
        raise_violations(lot_violations(lots, required))
    if evaluation is None:
        return []
    changes_currency = "currency" in data and data["currency"] != evaluation.currency
    if changes_currency and _proposals(evaluation).exists():
        raise Conflict(
            f"The currency cannot change while the evaluation has proposals (priced in "
            f"{evaluation.currency}); delete them first."
        )
    if "quantities" in data:
        _check_priced_units(evaluation, set(data["quantities"]))
    if "lots" in data and data["lots"] != evaluation.lots:
        return bids.plan_lot_change(evaluation, data["lots"])
    return []


def _check_priced_units(evaluation: Evaluation, units: set[str]) -> None:
    found = []
    for proposal in _proposals(evaluation).only("id", "unit_prices"):
        for price in proposal.unit_prices:
            if price["unit"] not in units:
                found.append(
                    Violation(
                        "quantities",
                        f"Proposal {proposal.pk} prices unit `{price['unit']}`; keep the unit "
                        "or change the proposal first.",
                    )
                )
    raise_violations(found)
