"""A sourcing event over the API: an evaluation with lots, candidates, proposals."""

from itertools import count

from rest_framework.test import APIClient

from accounts.models import Role, TokenScope
from accounts.services import issue_token
from evaluations.engine.lots import default_bid
from evaluations.models import Candidate, Evaluation, Proposal
from tests.evaluations.builders import make_evaluation, make_version
from tests.factories import MembershipFactory
from tests.providers.factories import ProviderFactory

REQUIRED = ["msp", "mssp", "vciso"]
LOTS = [
    {"code": "it", "title": "Managed IT", "service_models": ["msp"], "weight": 1.0},
    {"code": "security", "title": "Security", "service_models": ["mssp", "vciso"], "weight": 2.0},
]


_versions = count(1)


def sourcing_evaluation(organization, lead, *, lots=LOTS, status="draft", **fields) -> Evaluation:
    fields = {
        "required_service_models": REQUIRED,
        "currency": "EUR",
        "quantities": {"user": 100, "device": 150},
        **fields,
    }
    return make_evaluation(
        organization,
        make_version(organization, code=f"sourcing-{next(_versions)}"),
        lead=lead,
        status=status,
        lots=lots,
        **fields,
    )


def url_of(evaluation) -> str:
    return f"/api/v1/evaluations/{evaluation.pk}/"


def provider(organization, *models, name=None):
    extra = {"name": name} if name else {}
    return ProviderFactory(organization=organization, service_models=list(models), **extra)


def candidate(evaluation, offered=("msp", "mssp", "vciso"), *, lots=None, source="default"):
    """A candidate straight from rows (its bid as given, else the v2 default)."""
    row = provider(evaluation.organization, *offered)
    bid = lots if lots is not None else default_bid(evaluation.lots, offered)
    return Candidate.objects.create(
        evaluation=evaluation, provider=row, lots=bid, bid_source=source
    )


def proposal(candidate, lots=None, **fields) -> Proposal:
    fields = {"one_time": "1000.00", "monthly": "500.00", "currency": "EUR", **fields}
    return Proposal.objects.create(candidate=candidate, lots=lots or candidate.lots, **fields)


def patch(client, url, body):
    """PATCH with the current ETag, as conditional updates require."""
    return client.patch(url, body, format="json", HTTP_IF_MATCH=client.get(url)["ETag"])


def fields_of(response) -> set:
    return {error["field"] for error in response.json()["errors"]}


def messages_of(response) -> str:
    return " ".join(error["message"] for error in response.json()["errors"])


def read_token_client(organization, role=Role.ADMIN) -> APIClient:
    membership = MembershipFactory(organization=organization, role=role)
    _, raw = issue_token(organization, name="read", membership=membership, scope=TokenScope.READ)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client
