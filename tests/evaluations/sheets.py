"""An evaluation team over the API: members with clients, and the requests they send."""

from tests.evaluations.builders import make_evaluation, make_version
from tests.providers.factories import ProviderFactory


def team_evaluation(make_client, organization, roles: dict[str, str]):
    """An evaluation with one candidate (Acme) led by ``roles["lead"]``; one API
    client per named member. Returns (clients, evaluation, candidate id, url)."""
    clients = {name: make_client(role, organization) for name, role in roles.items()}
    version = make_version(organization)
    provider = ProviderFactory(organization=organization, name="Acme")
    evaluation = make_evaluation(
        organization, version, lead=clients["lead"].membership, providers=[provider]
    )
    url = f"/api/v1/evaluations/{evaluation.pk}/"
    return clients, evaluation, evaluation.candidates.get().pk, url


def declare(client, url, assignment, has_conflict, details=""):
    body = {"has_conflict": has_conflict, "details": details}
    return client.post(f"{url}evaluators/{assignment.pk}/declaration/", body, format="json")


def rate(client, url, candidate, score=4, comment=""):
    body = [{"candidate": candidate, "question": "REP-01", "score": score, "comment": comment}]
    return client.post(f"{url}ratings/", body, format="json")
