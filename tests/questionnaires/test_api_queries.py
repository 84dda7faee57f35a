"""Reads run a constant number of queries whatever the amount of content."""

import pytest

from questionnaires import services
from tests.questionnaires.documents import make_document
from tests.questionnaires.helpers import LIST, version_url, versions_url

pytestmark = pytest.mark.django_db


def big_document(code, sections=6, questions=12):
    document = make_document(code=code)
    template = document["sections"][1]
    document["sections"] = [
        {
            **template,
            "code": f"s{s}",
            "questions": [
                {**question, "code": f"Q{s}-{n}-{i}"}
                for i, question in enumerate(template["questions"])
                for n in range(questions // len(template["questions"]) + 1)
            ],
        }
        for s in range(sections)
    ]
    return document


def measure(client, count_queries, url, params=None):
    client.get(url, params)  # warm-up: the token's first use writes last_used_at
    with count_queries() as ctx:
        response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    return len(ctx)


def add_questionnaires(organization, start, count):
    for n in range(start, start + count):
        version = services.import_document(organization, make_document(code=f"q-{n:03d}"))
        services.publish_version(version)
        services.new_version(version)


def test_questionnaire_list_is_constant(admin_client, count_queries, builtins):
    add_questionnaires(admin_client.organization, 0, 2)
    params = {"page_size": 100}
    small = measure(admin_client, count_queries, LIST, params)
    add_questionnaires(admin_client.organization, 2, 10)
    large = measure(admin_client, count_queries, LIST, params)
    assert small == large
    filtered = {"page_size": 100, "tag": "soc_ownership", "status": "draft"}
    assert measure(admin_client, count_queries, LIST, filtered) == large
    print(f"questionnaire list: {large} queries")


def test_version_list_is_constant(admin_client, count_queries):
    first = services.publish_version(
        services.import_document(admin_client.organization, make_document())
    )
    url = versions_url(first.questionnaire_id)
    small = measure(admin_client, count_queries, url)
    version = first
    for _ in range(5):
        version = services.publish_version(services.new_version(version))
    assert measure(admin_client, count_queries, url) == small


def test_version_retrieve_and_export_are_constant(admin_client, count_queries):
    organization = admin_client.organization
    small = services.import_document(organization, make_document(code="small"))
    large = services.import_document(organization, big_document("large"))
    assert large.questions.count() > 60
    for suffix in ("", "export"):
        counts = [
            measure(admin_client, count_queries, version_url(v, suffix)) for v in (small, large)
        ]
        assert counts[0] == counts[1], (suffix, counts)
        print(f"version {suffix or 'retrieve'}: {counts[0]} queries")
