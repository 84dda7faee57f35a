"""Who may stop being an admin: never the last one, never the lead of open work."""

import pytest

from accounts.models import Membership, Role
from tests.evaluations.builders import make_evaluation, make_version
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _led(organization, version, lead, status, name):
    evaluation = make_evaluation(organization, version, lead=lead, status=status)
    evaluation.name = name
    evaluation.save(update_fields=["name"])
    return evaluation


def _demote(client, membership, role="evaluator"):
    return client.patch(f"/api/v1/members/{membership.pk}/", {"role": role}, format="json")


def test_an_admin_leading_open_evaluations_cannot_be_demoted(admin_client, organization):
    lead = MembershipFactory(organization=organization, role=Role.ADMIN)
    version = make_version(organization)
    open_ones = [
        _led(organization, version, lead, status, f"Open {status}")
        for status in ("draft", "collecting", "scoring")
    ]
    finished = [
        _led(organization, version, lead, status, f"Done {status}")
        for status in ("decided", "cancelled")
    ]
    response = _demote(admin_client, lead)
    assert response.status_code == 409, response.content
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["code"] == "leads_evaluations"
    for evaluation in open_ones:
        assert f"{evaluation.pk} ({evaluation.name})" in problem["detail"]
    for evaluation in finished:
        assert f"{evaluation.pk} (" not in problem["detail"]
    assert Membership.objects.get(pk=lead.pk).role == Role.ADMIN


def test_after_handing_over_the_open_ones_the_demotion_goes_through(admin_client, organization):
    lead = MembershipFactory(organization=organization, role=Role.ADMIN)
    version = make_version(organization)
    handed = make_evaluation(organization, version, lead=lead, status="collecting")
    make_evaluation(organization, version, lead=lead, status="decided")
    assert _demote(admin_client, lead).status_code == 409
    handed.lead = admin_client.membership
    handed.save()
    response = _demote(admin_client, lead)
    assert response.status_code == 200
    assert response.json()["role"] == "evaluator"


def test_removal_still_counts_finished_evaluations(admin_client, organization):
    lead = MembershipFactory(organization=organization, role=Role.EVALUATOR)
    decided = make_evaluation(organization, make_version(organization), lead=lead, status="decided")
    response = admin_client.delete(f"/api/v1/members/{lead.pk}/")
    assert response.status_code == 409
    assert f"{decided.pk} ({decided.name})" in response.json()["detail"]
    assert "removing them" in response.json()["detail"]


def test_the_last_admin_is_kept_whether_demoted_or_removed(admin_client):
    own = admin_client.membership
    for response in (
        _demote(admin_client, own, "viewer"),
        admin_client.delete(f"/api/v1/members/{own.pk}/"),
    ):
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "role"
    assert Membership.objects.get(pk=own.pk).role == Role.ADMIN


def test_an_admin_changed_to_admin_is_no_demotion(admin_client, organization):
    lead = MembershipFactory(organization=organization, role=Role.ADMIN)
    make_evaluation(organization, make_version(organization), lead=lead)
    assert _demote(admin_client, lead, "admin").status_code == 200
