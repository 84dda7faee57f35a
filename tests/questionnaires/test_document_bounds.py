"""Hostile YAML is refused while it is parsed, not after it has been built.

Time and memory are measured by counts: how many nodes the composer built
before refusing, and where (line, column) it stopped.
"""

import pytest
import yaml

from questionnaires import document
from questionnaires.document import MAX_DEPTH, MAX_NODES, DocumentError, load_document
from tests.questionnaires.documents import make_document
from tests.questionnaires.helpers import IMPORT, assert_problem, import_json

BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]\n"
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True)
)


@pytest.fixture
def composed(monkeypatch):
    """How many YAML nodes were composed (the work and memory a parse cost)."""
    calls = {"nodes": 0}
    original = yaml.composer.Composer.compose_node

    def counting(self, parent, index):
        calls["nodes"] += 1
        return original(self, parent, index)

    monkeypatch.setattr(yaml.composer.Composer, "compose_node", counting)
    return calls


def test_an_alias_bomb_is_refused_at_the_first_alias(composed):
    with pytest.raises(DocumentError) as caught:
        load_document(BILLION_LAUGHS, "yaml")
    assert caught.value.code == "parse_error"
    assert "aliases" in caught.value.message
    assert caught.value.line == 2
    assert composed["nodes"] < 20


def test_too_many_values_stop_the_parse_at_the_budget(composed):
    text = "items:\n" + "".join(f"- {i}\n" for i in range(MAX_NODES + 5_000))
    with pytest.raises(DocumentError) as caught:
        load_document(text, "yaml")
    assert caught.value.code == "too_large"
    assert str(MAX_NODES) in caught.value.message
    # the root mapping and the list are values 1 and 2: item n is on line n + 2
    assert caught.value.line == MAX_NODES
    assert composed["nodes"] <= 2 * MAX_NODES


def test_a_deeply_nested_document_stops_at_the_depth_limit(composed):
    text = "a: " + "[" * 500_000 + "]" * 500_000
    with pytest.raises(DocumentError) as caught:
        load_document(text, "yaml")
    assert caught.value.code == "too_deep"
    assert (caught.value.line, caught.value.column) == (1, 3 + MAX_DEPTH)
    assert composed["nodes"] <= MAX_DEPTH + 1


def test_a_document_at_the_limits_loads():
    nested = "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)
    items = MAX_NODES - MAX_DEPTH - 1  # plus the root, `items` and 15 nested lists
    text = f"a: {nested}\nitems:\n" + "".join(f"- {i}\n" for i in range(items))
    assert len(load_document(text, "yaml")["items"]) == items


@pytest.mark.django_db
class TestImport:
    def test_an_alias_bomb_is_a_400(self, admin_client, composed):
        response = admin_client.post(IMPORT, data=BILLION_LAUGHS, content_type="application/yaml")
        assert "aliases" in assert_problem(response, 400, "parse_error")["detail"]
        assert composed["nodes"] < 20

    @pytest.mark.parametrize("content_type", ["application/yaml", "application/json"])
    def test_too_many_values_are_a_413_naming_the_limit(
        self, admin_client, monkeypatch, composed, content_type
    ):
        monkeypatch.setattr(document, "MAX_NODES", 1_000)
        body = "[" + ",".join(["[]"] * 5_000) + "]"
        response = admin_client.post(IMPORT, data=f'{{"x": {body}}}', content_type=content_type)
        assert "1000 values" in assert_problem(response, 413, "request_too_large")["detail"]
        assert composed["nodes"] <= 1_001

    def test_a_normal_document_still_imports(self, admin_client):
        assert import_json(admin_client, make_document()).status_code == 201
        text = yaml.safe_dump(make_document(code="as-yaml"))
        response = admin_client.post(IMPORT, data=text, content_type="application/yaml")
        assert response.status_code == 201, response.content[:300]
