"""Any JSON value anywhere in a document is a list of problems, never a crash."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from questionnaires import services
from questionnaires.conversion import document_problems
from tests.questionnaires.documents import make_document
from tests.questionnaires.helpers import errors_of, import_json

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**60), max_value=2**60)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=6,
)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*prefix, index))


PATHS = [p for p in _paths(make_document()) if p]


def _replace(document, path, value):
    target = document
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return document


@settings(max_examples=300, deadline=None)
@given(path=st.sampled_from(PATHS), value=json_values)
def test_validation_never_crashes(path, value):
    problems = document_problems(_replace(make_document(), path, value))
    assert all(p.code and p.message for p in problems)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(path=st.sampled_from(PATHS), value=json_values)
@pytest.mark.django_db
def test_import_either_stores_or_reports(organization, path, value):
    document = _replace(make_document(), path, value)
    try:
        version = services.import_document(organization, document)
    except services.DocumentInvalid as exc:
        assert exc.problems
    else:
        version.questionnaire.delete()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", [{}, [], ["boolean"], 1, None])
def test_a_kind_of_the_wrong_type_is_a_400(admin_client, kind):
    document = make_document()
    document["sections"][0]["questions"][0]["kind"] = kind
    errors = errors_of(import_json(admin_client, document))
    codes = {code for field, code in errors if field == "sections[0].questions[0].kind"}
    assert codes and codes <= {"wrong_type", "invalid_value"}
