"""Two contacts saving at once over the same draft version, on PostgreSQL: the request
row lock hands out versions one at a time, so exactly one of two writes of the same
question wins and the other is a 412; writes of different questions both land."""

import pytest

from responses.models import ResponseAnswer
from tests.responses.helpers import (
    at_once,
    link_token,
    make_sourcing,
    respondent_client,
    send_request,
)
from tests.services import require_postgres


def _race(writes):
    """Send each (client, body, etag) at once; the statuses, sorted."""
    return at_once(
        [
            lambda client=client, body=body, etag=etag: (
                client.patch(
                    "/api/v1/respondent/answers/", body, format="json", HTTP_IF_MATCH=etag
                ).status_code
            )
            for client, body, etag in writes
        ]
    )


@pytest.fixture
def two_contacts(make_client):
    require_postgres()
    admin = make_client()
    evaluation = make_sourcing(admin.organization, admin.membership)
    contacts = [
        {"name": "Ann", "email": "ann@vendor.example"},
        {"name": "Bo", "email": "bo@vendor.example"},
    ]
    send_request(admin, evaluation, evaluation.candidates.first(), contacts=contacts)
    ann = respondent_client(link_token("ann@vendor.example"))
    bo = respondent_client(link_token("bo@vendor.example"))
    return ann, bo, ann.get("/api/v1/respondent/answers/")["ETag"]


@pytest.mark.django_db(transaction=True)
def test_the_same_question_at_once_one_wins_and_nothing_is_silently_lost(two_contacts):
    ann, bo, etag = two_contacts
    statuses = _race(
        [
            (ann, {"answers": [{"question": "REP-01", "value": "Ann"}]}, etag),
            (bo, {"answers": [{"question": "REP-01", "value": "Bo"}]}, etag),
        ]
    )
    assert statuses == [200, 412]
    (answer,) = ResponseAnswer.objects.all()
    assert answer.value in ("Ann", "Bo") and answer.revision == 1


@pytest.mark.django_db(transaction=True)
def test_different_questions_at_once_both_land(two_contacts):
    ann, bo, etag = two_contacts
    statuses = _race(
        [
            (ann, {"answers": [{"question": "REP-01", "value": "Ann"}]}, etag),
            (bo, {"answers": [{"question": "SOC-02", "value": True}]}, etag),
        ]
    )
    assert statuses == [200, 200]
    values = dict(ResponseAnswer.objects.values_list("question__code", "value"))
    assert values == {"REP-01": "Ann", "SOC-02": True}
    assert sorted(ResponseAnswer.objects.values_list("revision", flat=True)) == [1, 2]
