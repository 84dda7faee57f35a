"""A CRM syncing scorecards with a stored cursor receives every change it can see:
superseded versions, ranks moved by another candidate's (re)scoring or removal,
and decisions. It ends with exactly the server's rows, one rank 1 per evaluation."""

from itertools import count

import pytest

from evaluations.models import Answer, EvaluationStatus, Override
from evaluations.services import decisions, lifecycle, scoring
from questionnaires.models import Question
from tests.evaluations.builders import make_evaluation, make_version
from tests.providers.factories import ProviderFactory
from tests.services import require_postgres

STRONG = {"SOC-01": "own", "SOC-02": True, "REP-02": True}
MIDDLE = {"SOC-01": "own", "SOC-02": True}
WEAK = {"SOC-01": "white_label", "SOC-02": True}
QUESTIONNAIRES = count()


@pytest.fixture(autouse=True)
def no_settle_window(settings):
    settings.SYNC_SETTLE_SECONDS = 0


@pytest.fixture(params=["default", "postgresql"])
def database(request):
    """Every scenario on the configured database, and once more demanding PostgreSQL
    (skipped locally without it, a failure in CI)."""
    if request.param == "postgresql":
        require_postgres()
    return request.param


class SyncingClient:
    """What a CRM does: pull pages from its stored cursor, upsert rows by id, apply
    the tombstones of the `deleted` feed from its own cursor."""

    def __init__(self, client, route="/api/v1/scorecards/sync/"):
        self.client = client
        self.route = route
        self.rows: dict[int, dict] = {}
        self.cursor = None
        self.deleted_cursor = None

    def _pages(self, url, cursor):
        url = f"{url}?page_size=2" + (f"&cursor={cursor}" if cursor else "")
        while True:
            response = self.client.get(url)
            assert response.status_code == 200, response.content
            page = response.json()
            yield page
            if not page["has_more"]:
                return
            url = page["next"]

    def pull(self) -> set[int]:
        """Sync once; returns the ids delivered this time."""
        delivered = set()
        for page in self._pages(self.route, self.cursor):
            for row in page["results"]:
                self.rows[row["id"]] = row
                delivered.add(row["id"])
            self.cursor = page["next_cursor"]
        for page in self._pages("/api/v1/deleted/", self.deleted_cursor):
            for tombstone in page["results"]:
                if tombstone["resource"] == "scorecards":
                    self.rows.pop(tombstone["object_id"], None)
            self.deleted_cursor = page["next_cursor"]
        return delivered

    def rank_ones(self) -> dict[int, list[int]]:
        ones: dict[int, list[int]] = {}
        for row in self.rows.values():
            if row["is_latest"] and row["rank"] == 1:
                ones.setdefault(row["evaluation"], []).append(row["id"])
        return ones


def server_rows(client) -> dict[int, dict]:
    response = client.get("/api/v1/scorecards/?page_size=100")
    return {row["id"]: row for row in response.json()["results"]}


def set_answers(candidate, answers: dict):
    Answer.objects.filter(candidate=candidate).delete()
    for code, value in answers.items():
        question = Question.objects.get(
            version=candidate.evaluation.questionnaire_version, code=code
        )
        Answer.objects.create(candidate=candidate, question=question, value=value)


def evaluation_of(organization, answers_by_name: dict):
    version = make_version(organization, code=f"vetting-{next(QUESTIONNAIRES)}")
    providers = [ProviderFactory(organization=organization, name=name) for name in answers_by_name]
    evaluation = make_evaluation(organization, version, providers=providers)
    candidates = {c.provider.name: c for c in evaluation.candidates.select_related("provider")}
    for name, answers in answers_by_name.items():
        set_answers(candidates[name], answers)
    scoring.score_evaluation(evaluation.pk)
    return evaluation, candidates


def test_rescoring_delivers_superseded_versions_and_moved_ranks(
    admin_client, organization, database
):
    evaluation, candidates = evaluation_of(
        organization, {"Alpha": STRONG, "Bravo": MIDDLE, "Charlie": WEAK}
    )
    crm = SyncingClient(admin_client)
    crm.pull()
    assert crm.rows == server_rows(admin_client)
    old = {row["provider_name"]: row for row in crm.rows.values()}
    assert [old[name]["rank"] for name in ("Alpha", "Bravo", "Charlie")] == [1, 2, 3]

    # Only Charlie's inputs change, and it overtakes both others.
    set_answers(candidates["Charlie"], STRONG)
    Override.objects.create(
        candidate=candidates["Charlie"],
        question=Question.objects.get(version=evaluation.questionnaire_version, code="REP-01"),
        score=1,
        rationale="Seen the reports",
    )
    scoring.score_evaluation(evaluation.pk)

    delivered = crm.pull()
    assert crm.rows == server_rows(admin_client), "the client missed a change"
    assert old["Charlie"]["id"] in delivered  # superseded: is_latest false, no rank
    assert crm.rows[old["Charlie"]["id"]]["is_latest"] is False
    assert crm.rows[old["Charlie"]["id"]]["rank"] is None
    # Not rescored, but their ranks moved.
    assert {old["Alpha"]["id"], old["Bravo"]["id"]} <= delivered
    latest = {row["provider_name"]: row for row in crm.rows.values() if row["is_latest"]}
    assert {name: row["rank"] for name, row in latest.items()} == {
        "Alpha": 2,
        "Bravo": 3,
        "Charlie": 1,
    }
    assert crm.rank_ones() == {evaluation.pk: [latest["Charlie"]["id"]]}


def test_a_rank_moved_by_another_candidate_alone_is_delivered(admin_client, organization, database):
    evaluation, candidates = evaluation_of(
        organization, {"Alpha": STRONG, "Bravo": MIDDLE, "Charlie": WEAK}
    )
    crm = SyncingClient(admin_client)
    crm.pull()
    set_answers(candidates["Charlie"], STRONG)  # ties with Alpha: both rank 1, Bravo 3
    scoring.score_evaluation(evaluation.pk)
    delivered = crm.pull()
    assert crm.rows == server_rows(admin_client)
    ranks = {row["provider_name"]: row["rank"] for row in crm.rows.values() if row["is_latest"]}
    assert ranks == {"Alpha": 1, "Bravo": 3, "Charlie": 1}
    bravo = next(r for r in crm.rows.values() if r["provider_name"] == "Bravo")
    assert bravo["id"] in delivered and bravo["version"] == 1


def test_removing_the_leader_moves_the_others_up(admin_client, organization, database):
    _, candidates = evaluation_of(organization, {"Alpha": STRONG, "Bravo": MIDDLE, "Charlie": WEAK})
    crm = SyncingClient(admin_client)
    crm.pull()
    lifecycle.remove_candidate(candidates["Alpha"], user=None)
    crm.pull()
    assert crm.rows == server_rows(admin_client)
    ranks = {row["provider_name"]: row["rank"] for row in crm.rows.values()}
    assert ranks == {"Bravo": 1, "Charlie": 2}


def test_unchanged_rescoring_delivers_nothing(admin_client, organization, database):
    evaluation, _ = evaluation_of(organization, {"Alpha": STRONG, "Bravo": MIDDLE})
    crm = SyncingClient(admin_client)
    crm.pull()
    scoring.score_evaluation(evaluation.pk)
    assert crm.pull() == set()


def test_cancelling_and_deciding_deliver_the_evaluations_scorecards(
    admin_client, organization, database
):
    decided, decided_candidates = evaluation_of(organization, {"Alpha": STRONG, "Bravo": WEAK})
    cancelled, _ = evaluation_of(organization, {"Solo": STRONG})
    crm = SyncingClient(admin_client)
    crm.pull()
    lifecycle.change_status(decided, user=None, status=EvaluationStatus.SCORING)
    decisions.decide(
        decided, user=None, award={"all": decided_candidates["Alpha"].pk}, rationale="Best"
    )
    lifecycle.change_status(cancelled, user=None, status=EvaluationStatus.CANCELLED)
    assert crm.pull() == set(crm.rows)
