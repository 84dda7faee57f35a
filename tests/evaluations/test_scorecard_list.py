"""The scorecard list and sync are built from plain rows, not by ScorecardSerializer:
they must give exactly what the serializer gives (it stays the documented schema)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from evaluations.api.serializers_scorecards import ScorecardSerializer, summary_representations
from evaluations.models import Answer, Scorecard
from evaluations.record_conflicts import record_conflicts
from evaluations.selectors import SummaryRows, latest_ranked, scorecard_summaries
from evaluations.services import scoring
from questionnaires.models import Question
from tests.evaluations.builders import make_evaluation, make_version
from tests.providers.factories import ProviderFactory

LIST = "/api/v1/scorecards/"


@pytest.fixture(autouse=True)
def no_settle_window(settings):
    settings.SYNC_SETTLE_SECONDS = 0


def answer(candidate, code, value):
    question = Question.objects.get(version=candidate.evaluation.questionnaire_version, code=code)
    Answer.objects.update_or_create(
        candidate=candidate, question=question, defaults={"value": value}
    )


def scored_evaluation(organization, version, answers_by_name: dict) -> dict:
    """An evaluation of one provider per name, answered as given and scored."""
    providers = [ProviderFactory(organization=organization, name=name) for name in answers_by_name]
    evaluation = make_evaluation(organization, version, providers=providers)
    candidates = {c.provider.name: c for c in evaluation.candidates.select_related("provider")}
    for name, answers in answers_by_name.items():
        for code, value in answers.items():
            answer(candidates[name], code, value)
    scoring.score_evaluation(evaluation.pk)
    return candidates


@pytest.fixture
def scorecards(organization, other_organization):
    """Ties, disqualified candidates (one scoring above others), red flags and
    none, a superseded version, two evaluations, a whole-second timestamp, and
    another organization's scorecard."""
    version = make_version(organization)
    strong = {"SOC-01": "own", "SOC-02": True, "REP-02": True}
    flagged = {"SOC-01": "white_label", "SOC-02": True}
    knocked_out = {"SOC-01": "own", "SOC-02": False, "REP-02": True}  # scores above Bolt
    first = scored_evaluation(
        organization,
        version,
        {
            "Åcme «Sécurité»": strong,
            "Bolt": flagged,
            "Core": flagged,
            "Dyne": knocked_out,
            "Echo": {},
        },
    )
    answer(first["Åcme «Sécurité»"], "REP-02", False)
    scoring.score_evaluation(first["Åcme «Sécurité»"].evaluation_id)
    scored_evaluation(organization, version, {"Solo": strong})
    scored_evaluation(other_organization, make_version(other_organization), {"Foreign": strong})
    whole_second = timezone.now().replace(microsecond=0)
    Scorecard.objects.filter(candidate=first["Bolt"]).update(created_at=whole_second)
    return first


def serialized(cards) -> list:
    """What ScorecardSerializer gives for these scorecards, as rendered JSON."""
    context = {"record_conflicts": record_conflicts({card.candidate_id for card in cards})}
    data = ScorecardSerializer(cards, many=True, context=context).data
    return json.loads(JSONRenderer().render(data))


def items(results) -> list:
    # Key order is part of the output.
    return [list(item.items()) for item in results]


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Kolkata"])
def test_rows_represent_exactly_as_the_serializer(scorecards, organization, zone):
    queryset = scorecard_summaries().filter(evaluation__organization=organization)
    queryset = queryset.order_by("updated_at", "id")
    with timezone.override(zone):
        rows = list(SummaryRows(queryset)[:100])
        conflicts = record_conflicts({row.candidate_id for row in rows})
        fast = JSONRenderer().render(summary_representations(rows, conflicts))
        slow = JSONRenderer().render(serialized(list(queryset)))
    assert len(rows) == 7
    assert fast == slow


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        "?page_size=100",
        "?page_size=2&page=2",
        "?ordering=-overall",
        "?latest=true&disqualified=false",
        "?latest=false",
        "sync/?page_size=100",
        "sync/?page_size=3",
    ],
)
def test_list_and_sync_bodies_are_the_serializers(admin_client, scorecards, query):
    response = admin_client.get(LIST + query)
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert results
    ids = [item["id"] for item in results]
    by_id = scorecard_summaries().in_bulk(ids)
    assert items(results) == items(serialized([by_id[pk] for pk in ids]))


@pytest.mark.django_db
def test_ranks_follow_the_scoring_contract(admin_client, scorecards):
    results = admin_client.get(LIST + "?page_size=100").json()["results"]
    ranks = {(c["provider_name"], c["version"]): c["rank"] for c in results}
    assert ranks == {
        ("Åcme «Sécurité»", 1): None,  # superseded
        ("Åcme «Sécurité»", 2): 1,
        ("Bolt", 1): 2,
        ("Core", 1): 2,  # ties share a rank
        ("Dyne", 1): 4,  # disqualified last, whatever its score
        ("Echo", 1): 5,
        ("Solo", 1): 1,  # its own evaluation
    }
    evaluation = scorecards["Bolt"].evaluation
    by_name = {card.pk: rank for rank, card in latest_ranked(evaluation)}
    stored = dict(evaluation.scorecards.filter(is_latest=True).values_list("pk", "rank"))
    assert stored == by_name


@pytest.mark.django_db
def test_page_count_reads_no_providers(admin_client, scorecards):
    """Only the rows need the provider; counting with that join costs several
    times as much on a large organization."""
    admin_client.get(LIST)
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(LIST + "?page_size=2")
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "providers_provider" not in counts[0]
