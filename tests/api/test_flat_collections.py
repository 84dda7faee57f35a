"""Flat read collections beside the nested routes (config/flat_collections.py): every
nested resource is reachable at a collection path a generic admin finds, and reads
there exactly what its nested route shows, to every kind of caller."""

import pytest
from django.urls import NoReverseMatch, get_resolver, reverse

from accounts.models import Role
from config.flat_collections import FLAT_COLLECTIONS
from config.root import walk_url_patterns
from evaluations.models import Candidate, Rating, RatingSheet
from questionnaires.models import Question
from tests.evaluations.builders import assign, make_evaluation, make_version
from tests.providers.factories import ProviderFactory

# Nested collections without a flat one, and why.
NOT_FLAT = {
    # Reports are flat already (`/reports/`, `?evaluation=`); this is the same rows.
    "EvaluationReportViewSet": "flat at /reports/",
}
FLAT = {viewset.flat_path: viewset for viewset in FLAT_COLLECTIONS}


def _nested_lists():
    """(URL name, viewset, parent kwarg) of every list route under a parent."""
    for route, entry in walk_url_patterns(get_resolver().url_patterns):
        groups = set(entry.pattern.regex.groupindex) - {"format"}
        if not route.startswith("api/v1/") or not entry.name or not entry.name.endswith("-list"):
            continue
        if len(groups) == 1 and "format" not in entry.pattern.regex.groupindex:
            yield entry.name, entry.callback.cls, groups.pop()


def _flat_of(nested):
    return next(((v.flat_path, v) for v in FLAT_COLLECTIONS if v.nested_viewset is nested), None)


def test_every_nested_collection_is_flat_too():
    missing = [
        name
        for name, nested, _ in _nested_lists()
        if _flat_of(nested) is None and nested.__name__ not in NOT_FLAT
    ]
    assert missing == []
    assert {
        "candidates",
        "ratings",
        "references",
        "webhook-deliveries",
        "questionnaire-versions",
        "response-requests",
    } <= set(FLAT)


def _ids(response):
    assert response.status_code == 200, response.content[:300]
    return sorted(item["id"] for item in response.json()["results"])


def _parent_filter(viewset) -> str:
    declared = set(viewset.filterset_class.base_filters)
    return next(
        name
        for name in ("evaluation", "provider", "webhook", "questionnaire", "contract")
        if name in declared
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.ADMIN, Role.EVALUATOR, Role.VIEWER])
def test_flat_reads_show_what_the_nested_routes_show(seeded, make_client, role):
    admin, context = seeded
    client = admin if role == Role.ADMIN else make_client(role, context["organization"])
    compared = 0
    for name, nested, parent_kwarg in _nested_lists():
        found = _flat_of(nested)
        if found is None:
            continue
        path, flat = found
        nested_response = client.get(reverse(name, kwargs={parent_kwarg: context[parent_kwarg]}))
        flat_url = f"/api/v1/{path}/"
        filtered = client.get(flat_url, {_parent_filter(flat): context[parent_kwarg]})
        if nested_response.status_code == 403:  # admins only (webhook deliveries)
            assert filtered.status_code == 403, path
            continue
        nested_ids = _ids(nested_response)
        assert nested_ids, f"{name}: seed something"
        assert _ids(filtered) == nested_ids, path
        assert set(nested_ids) <= set(_ids(client.get(flat_url, {"page_size": 100}))), path
        detail = client.get(f"{flat_url}{nested_ids[0]}/")
        assert detail.status_code == 200, path
        try:
            nested_detail = reverse(
                name.removesuffix("-list") + "-detail",
                kwargs={parent_kwarg: context[parent_kwarg], "pk": nested_ids[0]},
            )
        except NoReverseMatch:  # answers and ratings: listed only, nested
            assert detail.json()["id"] == nested_ids[0], path
        else:
            assert detail.json() == client.get(nested_detail).json(), path
        compared += 1
    assert compared >= len(FLAT_COLLECTIONS) - 1  # deliveries are admins' only


@pytest.mark.django_db
def test_flat_collections_are_read_only(seeded):
    client, _ = seeded
    for path in FLAT:
        assert client.post(f"/api/v1/{path}/", {}, format="json").status_code == 405, path


@pytest.mark.django_db
def test_the_flat_lists_run_no_more_queries_than_the_nested_ones(seeded, count_queries):
    client, context = seeded
    for name, nested, parent_kwarg in _nested_lists():
        found = _flat_of(nested)
        if found is None:
            continue
        path, flat = found
        nested_url = reverse(name, kwargs={parent_kwarg: context[parent_kwarg]})
        client.get(nested_url)  # warm: the token's last use is written once
        with count_queries() as nested_queries:
            client.get(nested_url)
        with count_queries() as flat_queries:
            client.get(f"/api/v1/{path}/", {_parent_filter(flat): context[parent_kwarg]})
        assert len(flat_queries) <= len(nested_queries), path


@pytest.fixture
def two_evaluations(make_client):
    """Evaluator A is assigned in the first evaluation only; a peer drafted and submitted
    ratings in both; A drafted in the first."""
    lead = make_client(Role.ADMIN)
    organization = lead.organization
    version = make_version(organization)
    question = Question.objects.get(version=version, code="REP-01")
    a = make_client(Role.EVALUATOR, organization)
    peer = make_client(Role.EVALUATOR, organization)
    evaluations = []
    for name in ("first", "second"):
        provider = ProviderFactory(organization=organization, name=name)
        evaluation = make_evaluation(organization, version, lead=lead.membership)
        candidate = Candidate.objects.create(evaluation=evaluation, provider=provider)
        peer_assignment = assign(evaluation, peer.membership)
        Rating.objects.create(
            candidate=candidate, question=question, evaluator=peer_assignment, score=3
        )
        RatingSheet.objects.create(candidate=candidate, evaluator=peer_assignment)
        evaluations.append((evaluation, candidate))
    (first, first_candidate), _ = evaluations
    own = Rating.objects.create(
        candidate=first_candidate,
        question=question,
        evaluator=assign(first, a.membership),
        score=1,
        comment="a's draft",
    )
    return lead, a, peer, evaluations, own


@pytest.mark.django_db
def test_flat_ratings_keep_blind_rating_in_every_evaluation(two_evaluations, make_client):
    lead, a, peer, evaluations, own = two_evaluations
    (_, first_candidate), (second, _) = evaluations
    peer_ratings = {
        evaluation.pk: Rating.objects.get(
            candidate=candidate, evaluator__membership=peer.membership
        )
        for evaluation, candidate in evaluations
    }

    def flat(client, **query):
        return _ids(client.get("/api/v1/ratings/", query))

    # A sees their draft; not the peer's submitted rating of the first evaluation (A has
    # not submitted there), but the one of the second, where A is not assigned.
    assert flat(a) == sorted([own.pk, peer_ratings[second.pk].pk])
    # Nobody else sees A's draft: not the lead, not the peer, not a viewer.
    submitted = sorted(rating.pk for rating in peer_ratings.values())
    viewer = make_client(Role.VIEWER, lead.organization)
    for other in (lead, peer, viewer):
        assert flat(other) == submitted
    # Once A submits in the first evaluation, the peer's rating there shows to A, and
    # A's rating (now submitted) to everyone.
    RatingSheet.objects.create(candidate=first_candidate, evaluator=own.evaluator)
    everything = sorted([own.pk, *submitted])
    for client in (a, lead, peer, viewer):
        assert flat(client) == everything
    # Per evaluation, exactly what the nested route answers.
    for client in (a, lead, peer, viewer):
        for evaluation, _ in evaluations:
            nested = client.get(f"/api/v1/evaluations/{evaluation.pk}/ratings/")
            assert flat(client, evaluation=evaluation.pk) == _ids(nested)


@pytest.mark.django_db
def test_another_organizations_objects_stay_out_of_reach(seeded, make_client):
    client, _ = seeded
    stranger = make_client(Role.ADMIN)
    for path in FLAT:
        ids = _ids(client.get(f"/api/v1/{path}/", {"page_size": 100}))
        if not ids:
            continue
        assert stranger.get(f"/api/v1/{path}/{ids[0]}/").status_code == 404, path
        theirs = stranger.get(f"/api/v1/{path}/", {"page_size": 100})
        if theirs.status_code == 200:
            assert set(ids).isdisjoint(_ids(theirs)), path
