"""Incremental sync: keyset pages in (updated_at, id) order that neither skip nor
repeat while data changes, `updated_since`, and the `deleted` tombstone feed."""

import base64
from datetime import timedelta

import pytest
from django.utils import timezone

from evaluations.models import Evaluation, Scorecard
from evaluations.services import scoring
from integrations.models import Tombstone
from tests.evaluations.builders import make_evaluation, make_version
from tests.providers.factories import ProviderFactory

SYNC = "/api/v1/evaluations/sync/"


@pytest.fixture(autouse=True)
def no_settle_window(settings):
    settings.SYNC_SETTLE_SECONDS = 0


@pytest.fixture
def version(organization):
    return make_version(organization)


def make_evaluations(organization, version, count):
    return [make_evaluation(organization, version, status="draft") for _ in range(count)]


def touch(evaluation, **changes):
    for field, value in changes.items():
        setattr(evaluation, field, value)
    evaluation.save()


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content
    return response.json()


def test_pages_follow_updated_at_then_id(admin_client, organization, version):
    rows = make_evaluations(organization, version, 5)
    same = timezone.now() - timedelta(minutes=1)
    Evaluation.objects.filter(pk__in=[r.pk for r in rows]).update(updated_at=same)
    page = fetch(admin_client, f"{SYNC}?page_size=2")
    assert [item["id"] for item in page["results"]] == [rows[0].pk, rows[1].pk]
    assert page["has_more"] is True and "cursor=" in page["next"]
    seen = [item["id"] for item in page["results"]]
    while page["has_more"]:
        page = fetch(admin_client, page["next"])
        seen += [item["id"] for item in page["results"]]
    assert seen == [r.pk for r in rows]  # ties broken by id
    assert page["next"] is None and page["next_cursor"]


def test_no_skips_and_no_repeats_while_rows_change_between_pages(
    admin_client, organization, version
):
    """Interleave updates with page fetches: every row is seen, each version once."""
    rows = make_evaluations(organization, version, 9)
    seen: list[tuple[int, str]] = []
    url = f"{SYNC}?page_size=2"
    step = 0
    while url:
        page = fetch(admin_client, url)
        seen += [(item["id"], item["updated_at"]) for item in page["results"]]
        # Between pages: change a row already seen and one not yet seen; add one.
        if step == 0:
            touch(rows[0], name="E0 changed")
            touch(rows[6], name="E6 changed")
        if step == 1:
            touch(rows[2], name="E2 changed")
            rows.append(make_evaluation(organization, version, status="draft"))
        step += 1
        url = page["next"]
    assert len(seen) == len(set(seen)), "the same version of a row came twice"
    ids = [pk for pk, _ in seen]
    assert set(ids) == {r.pk for r in rows}, "a row was skipped"
    # changed rows came again at the end, with their new version
    final = {r.pk: r for r in Evaluation.objects.filter(organization=organization)}
    last_seen = {pk: stamp for pk, stamp in seen}
    for pk, row in final.items():
        assert last_seen[pk] == row.updated_at.isoformat().replace("+00:00", "Z")
    assert ids.count(rows[0].pk) == 2  # changed after it was seen
    assert ids.count(rows[6].pk) == 1  # changed before it was seen: only the new version
    # the whole stream is in (updated_at, id) order
    assert seen == sorted(seen, key=lambda pair: (pair[1], pair[0]))


def test_a_saved_cursor_returns_only_later_changes(admin_client, organization, version):
    rows = make_evaluations(organization, version, 3)
    page = fetch(admin_client, SYNC)
    assert page["has_more"] is False
    cursor = page["next_cursor"]
    again = fetch(admin_client, f"{SYNC}?cursor={cursor}")
    assert again["results"] == [] and again["next_cursor"] == cursor
    touch(rows[1], name="changed")
    later = fetch(admin_client, f"{SYNC}?cursor={cursor}")
    assert [item["id"] for item in later["results"]] == [rows[1].pk]
    assert later["results"][0]["name"] == "changed"


def test_updated_since_on_sync_and_on_the_list(admin_client, organization, version):
    old, new = make_evaluations(organization, version, 2)
    Evaluation.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=2))
    since = (timezone.now() - timedelta(days=1)).isoformat()
    for url in (SYNC, "/api/v1/evaluations/"):
        response = admin_client.get(url, {"updated_since": since})
        assert [item["id"] for item in response.json()["results"]] == [new.pk], url
    assert admin_client.get(SYNC, {"updated_since": "not a date"}).status_code == 400


def test_rows_newer_than_the_settle_window_wait(admin_client, organization, version, settings):
    settings.SYNC_SETTLE_SECONDS = 60
    [fresh] = make_evaluations(organization, version, 1)
    assert fetch(admin_client, SYNC)["results"] == []
    Evaluation.objects.filter(pk=fresh.pk).update(updated_at=timezone.now() - timedelta(minutes=2))
    assert [item["id"] for item in fetch(admin_client, SYNC)["results"]] == [fresh.pk]


@pytest.mark.parametrize(
    "cursor",
    [
        "garbage",
        base64.urlsafe_b64encode(b'{"t": "2024-01-01T00:00:00", "id": 1}').decode(),  # naive
        base64.urlsafe_b64encode(b'{"t": "2024-01-01T00:00:00+00:00", "id": "1"}').decode(),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        "x" * 300,
    ],
)
def test_malformed_cursors_are_a_400(admin_client, cursor):
    response = admin_client.get(SYNC, {"cursor": cursor})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cursor"


@pytest.mark.parametrize("size", ["0", "101", "x", "-1"])
def test_page_size_is_bounded(admin_client, size):
    assert admin_client.get(SYNC, {"page_size": size}).status_code == 400


def test_sync_is_scoped_to_the_organization(make_client, version, organization):
    make_evaluations(organization, version, 2)
    outsider = make_client()
    assert fetch(outsider, SYNC)["results"] == []


def test_sync_runs_a_constant_number_of_queries(admin_client, organization, version, count_queries):
    make_evaluations(organization, version, 2)
    admin_client.get(SYNC)  # warm up

    def measure(size):
        with count_queries() as queries:
            assert admin_client.get(SYNC, {"page_size": size}).status_code == 200
        return len(queries)

    small = measure(1)
    make_evaluations(organization, version, 6)
    assert measure(8) == small


def test_scorecards_sync_under_rescoring(admin_client, organization):
    version = make_version(organization)
    providers = [ProviderFactory(organization=organization) for _ in range(3)]
    evaluation = make_evaluation(organization, version, providers=providers)
    scoring.score_evaluation(evaluation.pk)
    first = fetch(admin_client, "/api/v1/scorecards/sync/?page_size=2")
    seen = [(item["id"], item["updated_at"]) for item in first["results"]]
    # Superseding marks old versions not-latest, which moves them to the end.
    evaluation.section_weights = {"soc": 5}
    evaluation.save()
    scoring.score_evaluation(evaluation.pk)
    page = fetch(admin_client, first["next"])
    seen += [(item["id"], item["updated_at"]) for item in page["results"]]
    while page["has_more"]:
        page = fetch(admin_client, page["next"])
        seen += [(item["id"], item["updated_at"]) for item in page["results"]]
    assert len(seen) == len(set(seen))
    assert {pk for pk, _ in seen} == set(Scorecard.objects.values_list("pk", flat=True))


# ------------------------------------------------------------------ tombstones


def test_deleting_records_a_tombstone_in_the_deleted_feed(
    admin_client, organization, version, settings
):
    provider = ProviderFactory(organization=organization)
    draft = make_evaluation(organization, version, status="draft")
    assert admin_client.delete(f"/api/v1/providers/{provider.pk}/").status_code == 204
    assert admin_client.delete(f"/api/v1/evaluations/{draft.pk}/").status_code == 204
    feed = fetch(admin_client, "/api/v1/deleted/")
    assert [(i["resource"], i["object_id"]) for i in feed["results"]] == [
        ("providers", provider.pk),
        ("evaluations", draft.pk),
    ]
    only = fetch(admin_client, "/api/v1/deleted/?resource=providers")
    assert [i["object_id"] for i in only["results"]] == [provider.pk]
    since = (timezone.now() + timedelta(minutes=1)).isoformat()
    assert admin_client.get("/api/v1/deleted/", {"since": since}).json()["results"] == []
    resumed = fetch(admin_client, f"/api/v1/deleted/?cursor={feed['next_cursor']}")
    assert resumed["results"] == []


def test_cascades_record_tombstones_of_scorecards_and_reports(organization):
    version = make_version(organization)
    evaluation = make_evaluation(
        organization, version, providers=[ProviderFactory(organization=organization)]
    )
    scoring.score_evaluation(evaluation.pk)
    card = Scorecard.objects.get()
    evaluation_id = evaluation.pk
    evaluation.delete()
    assert set(Tombstone.objects.values_list("resource", "object_id")) == {
        ("evaluations", evaluation_id),
        ("scorecards", card.pk),
    }


def test_deleting_an_organization_leaves_no_tombstones(organization, other_organization):
    ProviderFactory(organization=organization)
    ProviderFactory(organization=other_organization).delete()
    organization.delete()
    assert list(Tombstone.objects.values_list("organization_id", flat=True)) == [
        other_organization.pk
    ]


def test_the_deleted_feed_is_scoped_to_the_organization(make_client, organization):
    ProviderFactory(organization=organization).delete()
    outsider = make_client()
    assert fetch(outsider, "/api/v1/deleted/")["results"] == []
