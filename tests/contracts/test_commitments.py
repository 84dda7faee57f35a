"""What each winner commits to, hand-computed from its proposals."""

from decimal import Decimal

from contracts.commitments import Commitment, commitments
from evaluations.engine.pricing import ProposalInput, UnitPrice

QUANTITIES = {"user": 100}


def proposal(pk, candidate_id, lots, one_time, monthly, *prices, pct="0"):
    return ProposalInput(
        id=pk,
        candidate_id=candidate_id,
        lots=frozenset(lots),
        one_time=Decimal(one_time),
        monthly=Decimal(monthly),
        unit_prices=tuple(UnitPrice(unit, Decimal(price)) for unit, price in prices),
        annual_increase_pct=Decimal(pct),
    )


def test_each_winner_gets_its_lots_and_cheapest_cover():
    proposals = [
        # Candidate 1 offers the two lots separately (TCO 36 months: 1000 + 36*500 +
        # 600 + 36*(300 + 100*2.25) = 19000 + 19500 = 38500) or bundled (2000 +
        # 36*1050 = 39800): the separate pair is cheaper.
        proposal(11, 1, ["it"], "1000.00", "500.00"),
        proposal(12, 1, ["security"], "600.00", "300.00", ("user", "2.25")),
        proposal(13, 1, ["it", "security"], "2000.00", "1050.00"),
        proposal(21, 2, ["ops"], "0.00", "99.99"),
    ]
    award = {"it": 1, "ops": 2, "security": 1}
    assert commitments(award, proposals, QUANTITIES, 36) == [
        # Monthly: 500 + 300 + 100 * 2.25 = 1025.00; one-time 1000 + 600.
        Commitment(1, ("it", "security"), (11, 12), Decimal("1600.00"), Decimal("1025.00")),
        Commitment(2, ("ops",), (21,), Decimal("0.00"), Decimal("99.99")),
    ]


def test_a_bundle_wins_when_it_is_cheaper_over_the_horizon():
    proposals = [
        proposal(11, 1, ["it"], "1000.00", "500.00"),
        proposal(12, 1, ["security"], "600.00", "600.00"),
        proposal(13, 1, ["it", "security"], "500.00", "1000.00"),
    ]
    [commitment] = commitments({"it": 1, "security": 1}, proposals, QUANTITIES, 12)
    assert commitment.proposal_ids == (13,)
    assert (commitment.one_time_fee, commitment.monthly_fee) == (
        Decimal("500.00"),
        Decimal("1000.00"),
    )


def test_unpriced_winner_commits_to_no_fee():
    assert commitments({"all": 5}, [], QUANTITIES, 36) == [Commitment(5, ("all",), (), None, None)]


def test_proposals_of_other_lots_do_not_count():
    proposals = [proposal(11, 1, ["it", "security"], "10.00", "10.00")]
    [commitment] = commitments({"it": 1}, proposals, QUANTITIES, 12)
    assert commitment == Commitment(1, ("it",), (), None, None)
