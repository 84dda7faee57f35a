"""The lot and bid rules of docs/scoring.md v2, as plain data (no database)."""

import pytest

from evaluations.engine.lots import (
    IMPLICIT_LOT,
    Violation,
    bid_violations,
    cover_violations,
    default_bid,
    lot_codes,
    lot_violations,
    ordered_bid,
)

REQUIRED = ["msp", "mssp", "vciso"]


def lot(code, models, *, title=None, weight=1):
    return {
        "code": code,
        "title": title or code.title(),
        "service_models": models,
        "weight": weight,
    }


VALID = [lot("it", ["msp"], weight=2), lot("security", ["mssp", "vciso"], weight=3.5)]


def paths(violations):
    return [violation.path for violation in violations]


def test_valid_lots_and_no_lots_have_no_violations():
    assert lot_violations(VALID, REQUIRED) == []
    assert lot_violations([], REQUIRED) == []
    assert lot_violations([], []) == []


@pytest.mark.parametrize(
    "code", ["", "A", "-x", "_x", "x y", "ü", "a" * 41, 7, None, "x\n"], ids=repr
)
def test_a_code_that_is_not_slug_like_is_named(code):
    lots = [lot("it", ["msp"]), {**lot("x", ["mssp", "vciso"]), "code": code}]
    assert paths(lot_violations(lots, REQUIRED)) == ["lots[1].code"]


def test_codes_of_forty_characters_digits_dash_and_underscore_pass():
    lots = [lot("a" * 40, ["msp"]), lot("0-sec_ops", ["mssp", "vciso"])]
    assert lot_violations(lots, REQUIRED) == []


def test_all_is_reserved_for_the_implicit_lot():
    lots = [lot("all", ["msp"]), lot("sec", ["mssp", "vciso"])]
    [violation] = lot_violations(lots, REQUIRED)
    assert violation.path == "lots[0].code"
    assert "reserved" in violation.message


def test_a_code_used_twice_is_named_at_its_second_use():
    lots = [lot("it", ["msp"]), lot("it", ["mssp", "vciso"])]
    [violation] = lot_violations(lots, REQUIRED)
    assert violation == Violation("lots[1].code", "Lot code `it` is used twice.")


@pytest.mark.parametrize("title", ["", "   ", "\u200b\ufeff", "x" * 201, None, 3], ids=repr)
def test_a_title_must_be_1_to_200_visible_characters(title):
    lots = [{**lot("it", ["msp"]), "title": title}, lot("sec", ["mssp", "vciso"])]
    assert paths(lot_violations(lots, REQUIRED)) == ["lots[0].title"]


def test_a_title_of_200_characters_passes():
    lots = [lot("it", ["msp"], title="x" * 200), lot("sec", ["mssp", "vciso"])]
    assert lot_violations(lots, REQUIRED) == []


@pytest.mark.parametrize(
    "weight", [0, -1, 1000.5, float("inf"), float("nan"), True, "2", None], ids=repr
)
def test_a_weight_must_be_above_0_and_at_most_1000(weight):
    lots = [lot("it", ["msp"], weight=weight), lot("sec", ["mssp", "vciso"])]
    assert paths(lot_violations(lots, REQUIRED)) == ["lots[0].weight"]


@pytest.mark.parametrize("weight", [0.001, 1, 1000])
def test_weights_in_range_pass(weight):
    assert lot_violations([lot("it", ["msp"], weight=weight), VALID[1]], REQUIRED) == []


def test_a_lot_without_service_models_is_named():
    lots = [lot("it", []), lot("sec", ["mssp", "vciso"])]
    [violation] = lot_violations(lots, REQUIRED)
    assert violation.path == "lots[0].service_models"
    assert "at least one" in violation.message


def test_an_unknown_service_model_is_named_and_missing_ones_are_not_guessed():
    lots = [lot("it", ["msp", "soc"]), lot("sec", ["mssp", "vciso"])]
    [violation] = lot_violations(lots, REQUIRED)
    assert violation.path == "lots[0].service_models"
    assert "`soc`" in violation.message


def test_a_model_listed_twice_in_a_lot_is_named():
    lots = [lot("it", ["msp", "msp"]), lot("sec", ["mssp", "vciso"])]
    [violation] = lot_violations(lots, REQUIRED)
    assert (violation.path, "`msp` is listed twice." in violation.message) == (
        "lots[0].service_models",
        True,
    )


def test_overlapping_lots_name_the_lot_and_the_model():
    lots = [lot("it", ["msp", "mssp"]), lot("sec", ["mssp", "vciso"])]
    [violation] = lot_violations(lots, REQUIRED)
    assert violation.path == "lots[1].service_models"
    assert "`sec`" in violation.message and "`mssp`" in violation.message
    assert "`it`" in violation.message


def test_a_model_the_evaluation_does_not_require_names_the_lot_and_the_model():
    lots = [lot("it", ["msp"]), lot("sec", ["mssp", "vciso"]), lot("cio", ["vcio"])]
    [violation] = lot_violations(lots, REQUIRED)
    assert violation.path == "lots[2].service_models"
    assert "`cio`" in violation.message and "`vcio`" in violation.message


def test_a_required_model_no_lot_holds_names_only_the_model():
    violations = lot_violations([lot("it", ["msp"])], REQUIRED)
    assert violations == [
        Violation("lots", "No lot holds `mssp`, a required service model."),
        Violation("lots", "No lot holds `vciso`, a required service model."),
    ]


def test_lots_need_required_models_to_hold():
    [violation] = lot_violations([lot("it", ["msp"])], [])
    assert violation.path == "lots[0].service_models"


def test_a_lot_that_is_not_an_object_is_named():
    assert paths(lot_violations(["it", *VALID], REQUIRED)) == ["lots[0]"]


def test_every_problem_is_reported_at_once():
    lots = [
        {"code": "all", "title": "", "service_models": ["msp"], "weight": 0},
        lot("it", ["msp", "mssp"]),
    ]
    assert paths(lot_violations(lots, ["msp", "mssp"])) == [
        "lots[0].code",
        "lots[0].title",
        "lots[0].weight",
        "lots[1].service_models",
    ]


def test_codes_are_the_lots_or_the_implicit_one():
    assert lot_codes(VALID) == ["it", "security"]
    assert lot_codes([]) == [IMPLICIT_LOT] == ["all"]


def test_the_default_bid_is_every_lot_whose_models_the_provider_all_offers():
    assert default_bid(VALID, ["mssp", "vciso", "msp"]) == ["it", "security"]
    assert default_bid(VALID, ["mssp", "vciso"]) == ["security"]
    assert default_bid(VALID, ["mssp"]) == []  # offers only part of `security`
    assert default_bid(VALID, []) == []


def test_without_lots_everyone_bids_on_all_whatever_they_offer():
    assert default_bid([], []) == ["all"]
    assert default_bid([], ["vcio"]) == ["all"]


def test_an_explicit_bid_may_name_any_lot_of_the_evaluation():
    assert bid_violations(["security"], VALID) == []
    assert bid_violations(["it", "security"], VALID) == []


def test_a_bid_must_name_a_lot_known_lots_only_and_none_twice():
    assert bid_violations([], VALID) == [Violation("lots", "Name at least one lot to bid on.")]
    assert paths(bid_violations(["it", "ops", "it"], VALID)) == ["lots[1]", "lots[2]"]
    assert "`ops`" in bid_violations(["ops"], VALID)[0].message
    assert paths(bid_violations(["it"], [])) == ["lots[0]"]
    assert bid_violations(["all"], []) == []


def test_a_proposal_covers_part_of_its_candidates_bid():
    assert cover_violations(["it"], ["it", "security"]) == []
    assert cover_violations(["it", "security"], ["it", "security"]) == []  # a bundle
    assert paths(cover_violations([], ["it"])) == ["lots"]
    [violation] = cover_violations(["it", "security"], ["it"])
    assert violation.path == "lots[1]" and "`security`" in violation.message
    assert paths(cover_violations(["it", "it"], ["it"])) == ["lots[1]"]


def test_bids_are_kept_in_the_lot_order():
    assert ordered_bid(["security", "it"], VALID) == ["it", "security"]
    assert ordered_bid(["security", "gone"], VALID) == ["security"]
    assert ordered_bid(["all"], []) == ["all"]
