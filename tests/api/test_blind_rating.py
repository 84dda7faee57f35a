"""Blind rating over the whole API: a draft rating is visible to its author only.

Walks every GET route under /api/v1/ (and every value of a `format` query
parameter: exports and report downloads), so routes added later are covered
without writing a test for them. An evaluation of the seeded organization gets
a draft rating with a distinctive comment; then, for every other principal (the
lead, an admin who is an evaluator and submitted, another evaluator who
submitted, a viewer, read and read-write integration keys):

- no response body ever contains the draft's comment;
- no response body changes when the author changes the draft's score and
  comment and the evaluation is scored again: the draft is neither shown nor
  counted in scorecards, reports, the audit trail, sync feeds or webhooks.
"""

import io
import re
import zipfile

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from accounts.models import Role, TokenScope
from accounts.services import issue_token
from evaluations.models import Evaluation, Report
from evaluations.services import scoring
from evaluations.tasks import reports as tasks_reports
from jobs import services as jobs
from tests.api.routes import api_routes
from tests.evaluations.builders import assign
from tests.factories import MembershipFactory
from tests.seeding import seed_organization

ROUTES = [route for route in api_routes() if "GET" in route.methods]
DRAFT = "draft-comment-q8zk41"
CHANGED_DRAFT = "draft-comment-w3vx77"


def _schema_path(route) -> str:
    """The OpenAPI path of a route: `(?P<pk>...)` -> `{id}`, other kwargs by name."""
    path = "/" + route.pattern.replace("^", "").replace("$", "")
    return re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: "{id}" if m[1] == "pk" else f"{{{m[1]}}}", path)


def _format_values() -> dict[str, list[str]]:
    """Every documented value of a `format` query parameter, by OpenAPI path."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = {}
    for path, operations in schema["paths"].items():
        for parameter in operations.get("get", {}).get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] == "format":
                found[path] = list(parameter["schema"].get("enum", []))
    return found


def _client(raw_token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    return client


def _items(response):
    body = response.json()
    return body["results"] if isinstance(body, dict) and "results" in body else body


# What changes from one read to the next whatever the ratings: a token's last use
# (every request uses one), and a workbook's creation time in its properties.
LAST_USED = re.compile(r'"last_used_at":(null|"[^"]*")')
PROPERTIES = "docProps/"


def _body(response) -> str:
    """The response's bytes as text, with zip containers (XLSX) unpacked."""
    content = (
        b"".join(response.streaming_content) if response.streaming else bytes(response.content)
    )
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(
                archive.read(name) for name in archive.namelist() if not name.startswith(PROPERTIES)
            )
    return LAST_USED.sub('"last_used_at":-', content.decode("utf-8", errors="replace"))


def _rate(client, evaluation, candidate, score, comment):
    body = [{"candidate": candidate.pk, "question": "REP-01", "score": score, "comment": comment}]
    response = client.post(f"/api/v1/evaluations/{evaluation.pk}/ratings/", body, format="json")
    assert response.status_code == 200, response.content


def _submit(client, evaluation, candidate):
    url = f"/api/v1/evaluations/{evaluation.pk}/ratings/submit/"
    assert client.post(url, {"candidate": candidate.pk}, format="json").status_code == 201


def _report(context, evaluation) -> Report:
    """A report built as the worker builds it: it scores first."""
    job = jobs.create_job(
        evaluation.organization,
        "report",
        params={"evaluation_id": evaluation.pk, "seed": 7, "trials": 200, "spread": 0.25},
        created_by=context["admin"].user,
    )
    tasks_reports.generate_report(str(job.id))
    return Report.objects.get(job=job)


@pytest.fixture
def world(make_client, settings):
    # Sync pages show rows once they are a few seconds old; without this a page
    # read again later would differ for the clock's sake, not the draft's.
    settings.SYNC_SETTLE_SECONDS = 0
    lead = make_client(Role.ADMIN)
    organization = lead.organization
    context = seed_organization(organization, lead.membership)
    evaluation = Evaluation.objects.get(pk=context["evaluation_pk"])
    assert evaluation.lead_id == lead.membership.pk
    candidate = evaluation.candidates.get()
    author = make_client(Role.EVALUATOR, organization)
    admin = make_client(Role.ADMIN, organization)
    peer = make_client(Role.EVALUATOR, organization)
    for client in (author, admin, peer):
        assign(evaluation, client.membership)
    # The admin and the peer have submitted their sheets: they may read others'
    # submitted ratings of the candidate, never a draft.
    for client, score in ((admin, 2), (peer, 4)):
        _rate(client, evaluation, candidate, score, "submitted")
        _submit(client, evaluation, candidate)
    _rate(author, evaluation, candidate, 0, DRAFT)
    others = {
        "lead": lead,
        "admin-evaluator": admin,
        "evaluator": peer,
        "viewer": make_client(Role.VIEWER, organization),
    }
    for scope in (TokenScope.READ, TokenScope.READ_WRITE):
        _, raw = issue_token(organization, name=f"integration {scope}", scope=scope)
        others[f"integration-{scope}"] = _client(raw)
    MembershipFactory(organization=organization, role=Role.VIEWER)
    return context, evaluation, candidate, author, others


def _urls(lead, context) -> list[str]:
    formats = _format_values()
    urls = []
    for route in ROUTES:
        kwargs = {name: context[name] for name in route.kwargs if name != "pk"}
        if route.is_object_route:
            listing = next(r for r in ROUTES if r.is_list and r.basename == route.basename)
            ids = [item["id"] for item in _items(lead.get(reverse(listing.name, kwargs=kwargs)))]
            assert ids, f"{listing.name}: the seeders created nothing to read"
            paths = [reverse(route.name, kwargs={**kwargs, "pk": pk}) for pk in ids]
        else:
            paths = [reverse(route.name, kwargs=kwargs)]
        values = formats.get(_schema_path(route), [])
        urls += [f"{path}?format={value}" for path in paths for value in values] or paths
    return urls


def _read_all(clients: dict, urls: list[str]) -> dict:
    return {
        (name, url): (response.status_code, _body(response))
        for name, client in clients.items()
        for url in urls
        for response in [client.get(url)]
    }


@pytest.mark.django_db
def test_a_draft_rating_reaches_no_one_but_its_author(world):
    context, evaluation, candidate, author, others = world
    first_report = _report(context, evaluation)  # scored and built with the draft present
    urls = _urls(others["lead"], context)
    assert any("download/?format=xlsx" in url for url in urls)

    own = _read_all({"author": author}, urls)
    assert any(DRAFT in body for _, body in own.values()), "the seed holds no draft to hide"

    before = _read_all(others, urls)
    for (name, url), (_, body) in before.items():
        assert DRAFT not in body, f"{name} read the draft at {url}"

    # The author changes the draft; scoring again must find nothing new.
    _rate(author, evaluation, candidate, 5, CHANGED_DRAFT)
    assert scoring.score_evaluation(evaluation.pk)["created"] == []
    after = _read_all(others, urls)
    changed = [key for key in before if before[key] != after[key]]
    assert not changed, f"these responses moved with the draft: {changed}"

    second_report = _report(context, evaluation)
    generated = {"generated_at": None}
    assert {**second_report.snapshot, **generated} == {**first_report.snapshot, **generated}
