"""Coverage counts only qualified bids: per lot, and combinations that are awards."""

import pytest

from evaluations.models import Answer
from evaluations.reports.summary import coverage_points
from evaluations.services import scoring
from tests.evaluations.builders import make_evaluation, make_version
from tests.evaluations.test_coverage_api import all_of, provider, url

KNOCKOUT_VERSION = [
    {
        "code": "soc",
        "questions": [
            # Applies only where an MSSP is bought: the SOC lot, or a v1 evaluation.
            {"code": "SOC-KO", "kind": "boolean", "knockout": True, "applies_to": ["mssp"]},
            {"code": "SOC-01", "kind": "boolean", "applies_to": ["mssp"]},
        ],
    },
    {"code": "gov", "questions": [{"code": "GOV-01", "kind": "boolean", "applies_to": ["vciso"]}]},
]
SPLIT_LOTS = [
    {"code": "soc", "title": "SOC", "service_models": ["mssp"], "weight": 1.0},
    {"code": "gov", "title": "Governance", "service_models": ["vciso"], "weight": 1.0},
]


def answer(evaluation, name: str, code: str, value):
    candidate = evaluation.candidates.get(provider__name=name)
    question = evaluation.questionnaire_version.questions.get(code=code)
    Answer.objects.create(candidate=candidate, question=question, value=value)


@pytest.mark.django_db
class TestOnlyQualifiedBidsCount:
    """A capability counts only from candidates qualified in the lot holding it."""

    def test_without_lots_a_knocked_out_or_unscored_firm_covers_nothing(
        self, organization, admin_client
    ):
        version = make_version(organization, KNOCKOUT_VERSION, code="ko-v1")
        evaluation = make_evaluation(
            organization,
            version,
            providers=[
                provider(organization, "Passes", ["mssp"], ["mssp.edr"]),
                provider(
                    organization, "Fails", ["mssp", "vciso"], all_of("mssp") + all_of("vciso")
                ),
            ],
            required_service_models=["mssp", "vciso"],
        )
        answer(evaluation, "Passes", "SOC-KO", True)
        answer(evaluation, "Fails", "SOC-KO", False)
        scoring.score_evaluation(evaluation.pk)
        late = evaluation.candidates.create(
            provider=provider(organization, "Late", ["vciso"], all_of("vciso"))
        )
        ids = {c.provider.name: c.pk for c in evaluation.candidates.select_related("provider")}

        body = admin_client.get(url(evaluation)).json()
        assert body["candidate_ids"] == [ids["Passes"]]
        assert body["complete"] is False
        assert set(body["summary"]["gap"]) == set(all_of("vciso")) | (
            set(all_of("mssp")) - {"mssp.edr"}
        )
        assert body["not_counted"] == [
            {"candidate_id": ids["Fails"], "lot": "all", "reason": "disqualified"},
            {"candidate_id": late.pk, "lot": "all", "reason": "not_scored"},
        ]
        # The firm that covers everything is knocked out: no gap-free combination.
        combos = admin_client.get(url(evaluation, "combinations/")).json()
        assert combos["results"] == []
        assert combos["not_counted"] == body["not_counted"]

    @pytest.fixture
    def lots_market(self, organization):
        version = make_version(organization, KNOCKOUT_VERSION, code="ko-lots")
        evaluation = make_evaluation(
            organization,
            version,
            required_service_models=["mssp", "vciso"],
            lots=SPLIT_LOTS,
        )
        everything = all_of("mssp") + all_of("vciso")
        bids = {
            "Soc": (["mssp"], all_of("mssp"), ["soc"]),
            "KnockedOut": (["mssp", "vciso"], everything, ["soc", "gov"]),
            # Sells both, bids only on governance: its SOC capabilities do not count.
            "GovOnly": (["mssp", "vciso"], everything, ["gov"]),
            "HalfSoc": (["mssp"], all_of("mssp")[:2], ["soc"]),
            "OtherHalf": (["mssp"], all_of("mssp")[2:], ["soc"]),
        }
        for name, (models, offered, lots) in bids.items():
            evaluation.candidates.create(
                provider=provider(organization, name, models, offered), lots=lots
            )
        for name in ("Soc", "HalfSoc", "OtherHalf"):
            answer(evaluation, name, "SOC-KO", True)
        answer(evaluation, "KnockedOut", "SOC-KO", False)
        scoring.score_evaluation(evaluation.pk)
        ids = {c.provider.name: c.pk for c in evaluation.candidates.select_related("provider")}
        return evaluation, ids

    def test_with_lots_each_firm_counts_only_where_it_is_qualified(self, lots_market, admin_client):
        evaluation, ids = lots_market
        body = admin_client.get(url(evaluation)).json()
        assert body["complete"] is True
        assert body["not_counted"] == [
            {"candidate_id": ids["KnockedOut"], "lot": "soc", "reason": "disqualified"}
        ]
        providers = {
            c["code"]: {p["candidate_id"] for p in c["providers"]} for c in body["capabilities"]
        }
        for code in all_of("mssp"):
            assert ids["GovOnly"] not in providers[code]
            assert ids["KnockedOut"] not in providers[code]
            assert ids["Soc"] in providers[code]
        for code in all_of("vciso"):
            # Qualified in the governance lot: counts there (both firms).
            assert providers[code] == {ids["KnockedOut"], ids["GovOnly"]}

    def test_with_lots_combinations_are_awards(self, lots_market, admin_client):
        evaluation, ids = lots_market
        body = admin_client.get(url(evaluation, "combinations/")).json()
        # soc: Soc, HalfSoc, OtherHalf qualified; gov: KnockedOut, GovOnly.
        assert body["total_combinations"] == 6 and body["truncated"] is False
        awards = [r["award"] for r in body["results"]]
        # Half a SOC from each of two firms is no award: only Soc completes the lot.
        assert awards == [
            {"soc": ids["Soc"], "gov": ids["KnockedOut"]},
            {"soc": ids["Soc"], "gov": ids["GovOnly"]},
        ]
        for result in body["results"]:
            assert result["complete"] is True
            assert result["candidate_ids"] == sorted(result["award"].values())
        single = admin_client.get(url(evaluation, "combinations/"), {"max_size": 1}).json()
        assert single["results"] == []  # nobody qualified in both lots


@pytest.mark.django_db
class TestEveryCapabilityCoveredFollowsAwards:
    @pytest.fixture
    def halves(self, organization):
        """SOC capabilities split between two firms: offered, but by no award."""
        version = make_version(organization, KNOCKOUT_VERSION, code="halves")
        evaluation = make_evaluation(
            organization, version, required_service_models=["mssp", "vciso"], lots=SPLIT_LOTS
        )
        for name, models, offered, lots in (
            ("HalfSoc", ["mssp"], all_of("mssp")[:2], ["soc"]),
            ("OtherHalf", ["mssp"], all_of("mssp")[2:], ["soc"]),
            ("Gov", ["vciso"], all_of("vciso"), ["gov"]),
        ):
            evaluation.candidates.create(
                provider=provider(organization, name, models, offered), lots=lots
            )
            if lots == ["soc"]:
                answer(evaluation, name, "SOC-KO", True)
        scoring.score_evaluation(evaluation.pk)
        ids = {c.provider.name: c.pk for c in evaluation.candidates.select_related("provider")}
        return evaluation, ids

    def test_offered_by_two_halves_is_not_complete(self, halves, admin_client):
        evaluation, ids = halves
        body = admin_client.get(url(evaluation)).json()
        assert body["summary"]["gap"] == []
        assert body["complete"] is False
        assert body["lots"] == [
            {
                "lot": "soc",
                "capabilities": all_of("mssp"),
                "qualified": [ids["HalfSoc"], ids["OtherHalf"]],
                "sole_cover": [],
                "gap": [],
            },
            {
                "lot": "gov",
                "capabilities": all_of("vciso"),
                "qualified": [ids["Gov"]],
                "sole_cover": [ids["Gov"]],
                "gap": [],
            },
        ]
        assert coverage_points(body)[0] == (
            "Every capability that MSSP and vCISO call for is offered, but no award covers "
            "them all: in 1 lot (soc) no qualified candidate offers every capability on its own."
        )

    def test_one_firm_covering_the_lot_makes_it_complete(self, halves, admin_client, organization):
        evaluation, _ = halves
        whole = evaluation.candidates.create(
            provider=provider(organization, "WholeSoc", ["mssp"], all_of("mssp")), lots=["soc"]
        )
        answer(evaluation, "WholeSoc", "SOC-KO", True)
        scoring.score_evaluation(evaluation.pk)
        body = admin_client.get(url(evaluation)).json()
        assert body["complete"] is True
        assert body["lots"][0]["sole_cover"] == [whole.pk]
        assert coverage_points(body)[0].startswith("An award can cover every capability")

    def test_without_lots_the_block_is_null(self, organization, admin_client):
        version = make_version(organization, KNOCKOUT_VERSION, code="plain")
        evaluation = make_evaluation(
            organization,
            version,
            providers=[provider(organization, "Gov", ["vciso"], all_of("vciso"))],
            required_service_models=["vciso"],
        )
        scoring.score_evaluation(evaluation.pk)
        body = admin_client.get(url(evaluation)).json()
        assert body["lots"] is None and body["complete"] is True
        assert coverage_points(body)[0] == (
            "Together the candidates cover every capability that vCISO call for."
        )
