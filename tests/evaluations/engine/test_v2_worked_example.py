"""The v2 worked example of docs/scoring.md, every figure asserted."""

from decimal import Decimal
from fractions import Fraction

from evaluations.engine.award_types import LotBid, LotInput
from evaluations.engine.awards import best_awards
from evaluations.engine.pricing import ProposalInput, UnitPrice, tco

ATLAS, BASTION, CIRRUS = 1, 2, 3
LOTS = [LotInput("msp", 2, {"msp"}), LotInput("soc", 2, {"mssp"}), LotInput("vciso", 1, {"vciso"})]
BIDS = [
    LotBid(ATLAS, "Atlas IT", "msp", 80.0),
    LotBid(ATLAS, "Atlas IT", "soc", 60.0),
    LotBid(BASTION, "Bastion Security", "soc", 90.0),
    LotBid(BASTION, "Bastion Security", "vciso", 75.0),
    LotBid(CIRRUS, "Cirrus Advisory", "vciso", 85.0, handoff_weak=True),
    LotBid(CIRRUS, "Cirrus Advisory", "msp", 70.0),
]
BUNDLE = ProposalInput(
    2,
    ATLAS,
    {"msp", "soc"},
    one_time=Decimal("2000.00"),
    monthly=Decimal("1500.00"),
    unit_prices=(UnitPrice("user", Decimal("10.00")),),
    annual_increase_pct=Decimal(5),
)
PROPOSALS = [
    ProposalInput(1, ATLAS, {"msp"}, monthly=Decimal("1000.00")),
    BUNDLE,
    ProposalInput(3, ATLAS, {"soc"}, monthly=Decimal("2000.00")),
    ProposalInput(4, BASTION, {"soc"}, monthly=Decimal("1800.00")),
    ProposalInput(5, BASTION, {"vciso"}, monthly=Decimal("800.00")),
    ProposalInput(6, CIRRUS, {"vciso"}, monthly=Decimal("500.00")),
    ProposalInput(7, CIRRUS, {"msp"}, monthly=Decimal("900.00")),
]
QUANTITIES = {"user": 50}


def solve():
    return best_awards(
        LOTS,
        BIDS,
        PROPOSALS,
        quantities=QUANTITIES,
        horizon_months=24,
        price_weight=Fraction(3, 10),
    )


def test_proposal_totals():
    totals = {p.id: tco(p, QUANTITIES, 24) for p in PROPOSALS}
    assert totals == {1: 24000, 2: 51200, 3: 48000, 4: 43200, 5: 19200, 6: 12000, 7: 21600}


def test_best_five_in_order_with_exact_figures():
    result = solve()
    rows = [
        (dict(a.assignments), a.quality, a.cost, a.price_score, a.value, a.provider_count, a.flags)
        for a in result.awards
    ]
    risk = ("handoff_risk",)
    assert rows == [
        (
            {"msp": 1, "soc": 2, "vciso": 3},
            85,
            79200,
            Fraction(79, 99),
            Fraction(5507, 66),
            3,
            risk,
        ),
        (
            {"msp": 3, "soc": 2, "vciso": 3},
            81,
            76800,
            Fraction(79, 96),
            Fraction(6511, 80),
            2,
            risk,
        ),
        ({"msp": 1, "soc": 1, "vciso": 3}, 73, 63200, 1, Fraction(811, 10), 2, risk),
        ({"msp": 1, "soc": 2, "vciso": 2}, 83, 86400, Fraction(79, 108), Fraction(3602, 45), 2, ()),
        ({"msp": 3, "soc": 2, "vciso": 2}, 79, 84000, Fraction(79, 105), Fraction(5451, 70), 2, ()),
    ]
    assert result.min_cost == 63200


def test_best_award_output():
    best = solve().to_dict()["awards"][0]
    assert best == {
        "assignments": {"msp": 1, "soc": 2, "vciso": 3},
        "winners": [
            {"candidate_id": 1, "name": "Atlas IT", "lots": ["msp"], "proposal_ids": [1]},
            {"candidate_id": 2, "name": "Bastion Security", "lots": ["soc"], "proposal_ids": [4]},
            {"candidate_id": 3, "name": "Cirrus Advisory", "lots": ["vciso"], "proposal_ids": [6]},
        ],
        "quality": 85.0,
        "cost": "79200.00",
        "price_score": 0.798,
        "value": 83.44,
        "provider_count": 3,
        "flags": ["handoff_risk"],
    }


def test_bundle_is_the_cheapest_cover_of_both_atlas_lots():
    third = solve().awards[2]
    assert [(w.name, w.lots, w.proposal_ids) for w in third.winners] == [
        ("Atlas IT", ("msp", "soc"), (2,)),
        ("Cirrus Advisory", ("vciso",), (6,)),
    ]


def test_frontier_and_tipping_point():
    result = solve()
    assert [(a.quality, a.cost) for a in result.efficient] == [
        (73, 63200),
        (81, 76800),
        (85, 79200),
    ]
    assert result.efficient_total == 3
    assert result.increase.price_weight == Fraction(297, 797)
    assert dict(result.increase.award.assignments) == {"msp": 1, "soc": 1, "vciso": 3}
    assert result.decrease is None
    out = result.to_dict()["tipping_points"]
    assert out["increase"]["price_weight"] == 0.3726
    assert out["increase"]["price_weight_exact"] == "297/797"
    assert out["decrease"] is None
