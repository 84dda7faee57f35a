"""Coverage gaps of an evaluation's candidates: gaps, partner-only, overlaps, hand-off."""

import pytest

from accounts.models import Role
from evaluations.models import Answer
from evaluations.services import scoring
from providers.models import Capability
from tests.evaluations.builders import make_evaluation, make_version
from tests.providers.factories import OfferingFactory, ProviderFactory, capability

HANDOFF_VERSION = [
    {
        "code": "roles",
        "questions": [
            {
                "code": "ROL-01",
                "kind": "single_choice",
                "tags": ["handoff"],
                "applies_to": ["vciso", "mssp"],
                "options": [
                    {"value": "full", "label": "Full", "score": 1.0},
                    {"value": "day_to_day", "label": "Day to day", "score": 0.4},
                ],
            },
            {"code": "ROL-02", "kind": "boolean"},
        ],
    }
]


def provider(organization, name, models, offerings):
    """``offerings``: capability codes delivered by the provider itself, or
    ``(code, partner name)`` for a partner's delivery."""
    row = ProviderFactory(organization=organization, name=name, service_models=models)
    for item in offerings:
        code, partner = (item, "") if isinstance(item, str) else item
        OfferingFactory(
            provider=row,
            capability=capability(code),
            delivered_by="partner" if partner else "self",
            partner_name=partner,
        )
    return row


def all_of(model: str) -> list[str]:
    return list(
        Capability.objects.filter(service_model=model)
        .order_by("position")
        .values_list("code", flat=True)
    )


@pytest.fixture
def setup(organization):
    version = make_version(organization, HANDOFF_VERSION, code="handoff")
    sec = provider(
        organization,
        "SecOps",
        ["mssp"],
        ["mssp.monitoring_detection", "mssp.edr", ("mssp.incident_response", "IR Partner Co")],
    )
    lead = provider(
        organization, "LeadCISO", ["vciso"], ["vciso.security_strategy", "vciso.risk_assessment"]
    )
    edr = provider(organization, "EdrShop", ["mssp"], ["mssp.edr"])
    evaluation = make_evaluation(
        organization,
        version,
        providers=[sec, lead, edr],
        required_service_models=["mssp", "vciso"],
    )
    ids = {c.provider.name: c.pk for c in evaluation.candidates.select_related("provider")}
    # Only scored, qualified candidates count (nothing is a knockout here).
    scoring.score_evaluation(evaluation.pk)
    return evaluation, ids


def answer_handoff(evaluation, values: dict):
    question = evaluation.questionnaire_version.questions.get(code="ROL-01")
    for candidate in evaluation.candidates.select_related("provider"):
        value = values.get(candidate.provider.name)
        if value is not None:
            Answer.objects.create(candidate=candidate, question=question, value=value)
    scoring.score_evaluation(evaluation.pk)


def url(evaluation, suffix=""):
    return f"/api/v1/evaluations/{evaluation.pk}/coverage/{suffix}"


@pytest.mark.django_db
class TestCoverage:
    def test_gaps_partner_only_overlaps_and_in_house(self, setup, viewer_client):
        evaluation, ids = setup
        response = viewer_client.get(url(evaluation))
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["candidate_ids"] == [ids["SecOps"], ids["LeadCISO"], ids["EdrShop"]]
        assert body["required_models"] == ["mssp", "vciso"]
        assert body["complete"] is False
        summary = body["summary"]
        assert summary["partner_only"] == ["mssp.incident_response"]
        assert summary["overlap"] == ["mssp.edr"]
        assert summary["in_house"] == [
            "mssp.monitoring_detection",
            "vciso.security_strategy",
            "vciso.risk_assessment",
        ]
        expected_gaps = [
            code
            for code in all_of("mssp") + all_of("vciso")
            if code not in summary["partner_only"] + summary["overlap"] + summary["in_house"]
        ]
        assert summary["gap"] == expected_gaps and "mssp.firewall_ids" in expected_gaps
        ir = next(c for c in body["capabilities"] if c["code"] == "mssp.incident_response")
        assert ir["providers"] == [
            {
                "candidate_id": ids["SecOps"],
                "candidate_name": "SecOps",
                "delivered_by": "partner",
                "partner_name": "IR Partner Co",
            }
        ]

    def test_split_vciso_and_mssp_without_a_documented_handoff_is_a_risk(self, setup, admin_client):
        evaluation, ids = setup
        body = admin_client.get(url(evaluation)).json()
        assert body["handoff_risk"] is True
        assert body["handoff_defined"] is False
        # Scored but unanswered: evidence with x = 0 for every firm.
        assert body["handoff_evidence"] == [
            {"candidate_id": ids[name], "question": "ROL-01", "x": 0.0}
            for name in ("SecOps", "LeadCISO", "EdrShop")
        ]
        assert [f["finding_id"] for f in body["findings"]] == ["handoff_risk"]
        assert body["findings"][0]["candidate_ids"] == [
            ids["SecOps"],
            ids["LeadCISO"],
            ids["EdrShop"],
        ]

    def test_a_documented_handoff_on_both_sides_defines_it(self, setup, admin_client):
        evaluation, ids = setup
        answer_handoff(evaluation, {"SecOps": "full", "LeadCISO": "full", "EdrShop": "full"})
        body = admin_client.get(url(evaluation)).json()
        assert body["handoff_defined"] is True
        assert body["handoff_risk"] is False
        assert [f["finding_id"] for f in body["findings"]] == ["handoff_split_defined"]
        assert body["handoff_evidence"] == [
            {"candidate_id": ids[name], "question": "ROL-01", "x": 1.0}
            for name in ("SecOps", "LeadCISO", "EdrShop")
        ]

    @pytest.mark.parametrize(
        "answers",
        [
            {"SecOps": "full", "LeadCISO": "day_to_day", "EdrShop": "full"},  # x = 0.4 < 0.5
            {"SecOps": "full", "EdrShop": "full"},  # LeadCISO left it unanswered
        ],
    )
    def test_one_weak_side_leaves_the_risk(self, setup, admin_client, answers):
        evaluation, _ = setup
        answer_handoff(evaluation, answers)
        body = admin_client.get(url(evaluation)).json()
        assert body["handoff_defined"] is False
        assert body["handoff_risk"] is True

    def test_only_firms_giving_vciso_or_mssp_need_to_document_it(
        self, setup, admin_client, organization
    ):
        evaluation, _ = setup
        evaluation.candidates.create(
            provider=provider(organization, "Desk", ["msp"], ["msp.help_desk"])
        )
        answer_handoff(evaluation, {"SecOps": "full", "LeadCISO": "full", "EdrShop": "full"})
        assert admin_client.get(url(evaluation)).json()["handoff_defined"] is True

    def test_a_subset_of_candidates(self, setup, admin_client):
        evaluation, ids = setup
        body = admin_client.get(url(evaluation), {"candidates": str(ids["SecOps"])}).json()
        assert body["candidate_ids"] == [ids["SecOps"]]
        assert body["summary"]["in_house"][:2] == ["mssp.monitoring_detection", "mssp.edr"]
        assert body["handoff_risk"] is False  # one firm: no boundary between firms
        assert set(all_of("vciso")) <= set(body["summary"]["gap"])

    @pytest.mark.parametrize("value", ["abc", "1,,2", "0", "01", "1,", " 1"])
    def test_malformed_candidate_lists_are_400(self, setup, admin_client, value):
        evaluation, _ = setup
        response = admin_client.get(url(evaluation), {"candidates": value})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "candidates"

    def test_candidates_of_other_evaluations_are_400(self, setup, admin_client, organization):
        evaluation, _ = setup
        other = make_evaluation(
            organization,
            make_version(organization, code="other"),
            providers=[ProviderFactory(organization=organization)],
        )
        foreign = other.candidates.get().pk
        response = admin_client.get(url(evaluation), {"candidates": str(foreign)})
        assert response.status_code == 400
        assert str(foreign) in response.json()["errors"][0]["message"]

    def test_other_organizations_get_404(self, setup, make_client):
        evaluation, _ = setup
        stranger = make_client(Role.ADMIN)
        assert stranger.get(url(evaluation)).status_code == 404
        assert stranger.get(url(evaluation, "combinations/")).status_code == 404

    def test_queries_do_not_grow_with_candidates(
        self, setup, admin_client, organization, count_queries
    ):
        evaluation, _ = setup
        scoring.score_evaluation(evaluation.pk)
        admin_client.get(url(evaluation))  # warm up (authentication bookkeeping)
        with count_queries() as three:
            admin_client.get(url(evaluation))
        for index in range(4):
            evaluation.candidates.create(
                provider=provider(organization, f"More {index}", ["mssp"], ["mssp.edr"])
            )
        scoring.score_evaluation(evaluation.pk)
        with count_queries() as seven:
            assert len(admin_client.get(url(evaluation)).json()["candidate_ids"]) == 7
        assert len(three) == len(seven)


@pytest.mark.django_db
class TestCombinations:
    @pytest.fixture
    def market(self, organization):
        version = make_version(organization, HANDOFF_VERSION, code="market")
        providers = [
            provider(organization, "Soc", ["mssp"], all_of("mssp")),
            provider(organization, "Quiet", ["vciso"], all_of("vciso")),  # no hand-off shown
            provider(organization, "Tidy", ["vciso"], all_of("vciso")),
            provider(organization, "Both", ["mssp", "vciso"], all_of("mssp") + all_of("vciso")),
            provider(organization, "Useless", ["msp"], ["msp.help_desk"]),
        ]
        evaluation = make_evaluation(
            organization,
            version,
            providers=providers,
            required_service_models=["mssp", "vciso"],
        )
        answer_handoff(evaluation, {"Soc": "full", "Tidy": "full", "Both": "full"})
        ids = {c.provider.name: c.pk for c in evaluation.candidates.select_related("provider")}
        return evaluation, ids

    def test_best_complete_combinations_first(self, market, admin_client):
        evaluation, ids = market
        body = admin_client.get(url(evaluation, "combinations/")).json()
        assert body["max_size"] == 3 and body["truncated"] is False
        combos = [r["candidate_ids"] for r in body["results"]]
        assert combos[0] == [ids["Both"]]
        # Both pairs are gap-free; the one whose vCISO documented the hand-off comes
        # first although Quiet comes before Tidy in candidate order.
        tidy = combos.index([ids["Soc"], ids["Tidy"]])
        quiet = combos.index([ids["Soc"], ids["Quiet"]])
        assert tidy == 1 and quiet > tidy
        assert body["results"][tidy]["handoff_defined"] is True
        assert body["results"][tidy]["handoff_risk"] is False
        assert body["results"][quiet]["handoff_defined"] is False
        assert body["results"][quiet]["handoff_risk"] is True
        assert all(r["complete"] for r in body["results"])
        assert all(ids["Useless"] not in combo for combo in combos)

    def test_bounds(self, market, admin_client):
        evaluation, ids = market
        single = admin_client.get(url(evaluation, "combinations/"), {"max_size": 1}).json()
        assert [r["candidate_ids"] for r in single["results"]] == [[ids["Both"]]]
        assert single["total_combinations"] == 4  # Useless covers nothing required
        limited = admin_client.get(url(evaluation, "combinations/"), {"max_results": 2}).json()
        assert len(limited["results"]) == 2
        for params in ({"max_size": 0}, {"max_size": 5}, {"max_results": 101}, {"max_size": "x"}):
            response = admin_client.get(url(evaluation, "combinations/"), params)
            assert response.status_code == 400, params
            assert response.json()["errors"][0]["field"] == next(iter(params))

    def test_candidate_subset_without_a_complete_mix(self, market, admin_client):
        evaluation, ids = market
        subset = f"{ids['Soc']},{ids['Useless']}"
        body = admin_client.get(url(evaluation, "combinations/"), {"candidates": subset}).json()
        assert body["results"] == []
