"""The URLs of a seeded organization's objects, for the tests that walk every
operation of the OpenAPI schema (the ``seeded`` fixture is in conftest.py)."""

import re

from rest_framework.test import APIClient

from evaluations.models import Evaluation
from tests.evaluations.builders import assign

PARAMETER = re.compile(r"\{(\w+)\}")
RESPONDENT_TAG = "Respondents"


def _items(body):
    return body["results"] if isinstance(body, dict) and "results" in body else body


def _own_declaration(context) -> int:
    """An assignment of the admin: only evaluators declare their own conflicts."""
    evaluation = Evaluation.objects.get(pk=context["evaluation_pk"])
    return assign(evaluation, context["admin"]).pk


# Objects the admin may write to, where the first one listed is someone else's.
OBJECT_FOR = {"evaluation_evaluators_declaration": _own_declaration}


def caller(client, context, operation: dict):
    """The client an operation takes: the seeded contact's link for the respondent API
    (its only credential), ``client`` everywhere else."""
    if RESPONDENT_TAG not in operation.get("tags", ()):
        return client
    respondent = APIClient()
    respondent.credentials(HTTP_AUTHORIZATION=f"Bearer {context['respondent_token']}")
    return respondent


def url_for(client, context, path: str, operation_id: str = "") -> str:
    """``path`` with its parameters filled: parents from the seeding context, ``{id}``
    with the first object of the list it belongs to."""
    if operation_id in OBJECT_FOR:
        path = path.replace("{id}", str(OBJECT_FOR[operation_id](context)))
    if "{id}" in path:
        list_path = path[: path.index("{id}")]
        response = client.get(url_for(client, context, list_path))
        assert response.status_code == 200, (list_path, response.content[:300])
        assert _items(response.json()), f"{list_path}: seed something to try"
        path = path.replace("{id}", str(_items(response.json())[0]["id"]))
    return PARAMETER.sub(lambda match: str(context[match.group(1)]), path)


def if_match(client, url) -> dict:
    """The ETag of a conditional resource, for the writes that require it."""
    read = client.get(url)
    return {"HTTP_IF_MATCH": read["ETag"]} if read.has_header("ETag") else {}
