"""Hypothesis strategies for award instances, shared by the award tests."""

from decimal import Decimal
from fractions import Fraction

from hypothesis import strategies as st

from evaluations.engine.award_types import LotBid, LotInput
from evaluations.engine.pricing import ProposalInput, UnitPrice

LOT_MODELS = {"msp": "msp", "soc": "mssp", "vciso": "vciso"}
NAMES = ["Acme", "acme", "Beta", "Beta", "Zed"]
OVERALLS = [0.0, 50.0, 60.0, 75.5, 80.0, 100.0, 62.123456789]
PRICE_WEIGHTS = st.one_of(
    st.sampled_from([Fraction(0), Fraction(1, 4), Fraction(1, 2), Fraction(9, 10)]),
    st.fractions(min_value=0, max_value=Fraction(49, 50), max_denominator=50),
)


@st.composite
def instances(draw, max_lots=3, max_candidates=5, priced=None, varied=False):
    """(lots, bids, proposals, options) with ties made likely: few distinct
    overalls, names and prices; ``varied``: many distinct ones, so that
    quality and price trade off (tipping points)."""
    overalls = st.integers(20, 100) if varied else st.sampled_from(OVERALLS)
    monthly = st.integers(1, 80) if varied else st.sampled_from([0, 10, 20, 30, 45])
    codes = draw(
        st.lists(st.sampled_from(sorted(LOT_MODELS)), min_size=1, max_size=max_lots, unique=True)
    )
    lots = [
        LotInput(code, draw(st.sampled_from([1, 2, Decimal("0.5"), 1.5])), {LOT_MODELS[code]})
        for code in codes
    ]
    priced = draw(st.booleans()) if priced is None else priced
    bids, proposals = [], []
    for cid in range(1, draw(st.integers(1, max_candidates)) + 1):
        name = draw(st.sampled_from(NAMES))
        mine = sorted(draw(st.sets(st.sampled_from(codes), min_size=1)))
        for code in mine:
            bids.append(
                LotBid(
                    cid,
                    name,
                    code,
                    float(draw(overalls)),
                    draw(st.integers(0, 5)) == 0,
                    draw(st.booleans()),
                )
            )
        if not priced:
            continue
        for _ in range(draw(st.integers(1 if varied else 0, 3))):
            proposals.append(
                ProposalInput(
                    draw(
                        st.integers(1, 10**6).filter(lambda i: i not in {p.id for p in proposals})
                    ),
                    cid,
                    draw(st.sets(st.sampled_from(mine), min_size=1)),
                    one_time=Decimal(draw(st.sampled_from([0, 0, 100]))),
                    monthly=Decimal(draw(monthly)),
                    unit_prices=(UnitPrice("user", Decimal(draw(st.sampled_from([0, 1])))),),
                    annual_increase_pct=Decimal(draw(st.sampled_from([0, 0, 10]))),
                )
            )
    options = {
        "quantities": {"user": draw(st.integers(0, 3))},
        "horizon_months": draw(st.sampled_from([12, 24])),
        "price_weight": draw(PRICE_WEIGHTS),
    }
    return lots, bids, proposals, options
