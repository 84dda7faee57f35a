"""Isolation seeder: a response request to the seeded candidate, answered, returned.

``respondent_token`` is its contact's link, for the walkers of the respondent API
(``tests.api.seeded.caller``)."""

from datetime import timedelta

from django.utils import timezone

from evaluations.models import Evaluation
from responses.services import requests, respondent, review
from tests.responses.helpers import link_token
from tests.seeding import seeder


@seeder
def seed_responses(context):
    evaluation = Evaluation.objects.get(pk=context["evaluation_pk"])
    candidate = evaluation.candidates.select_related("provider").get()
    user = context["admin"].user
    request = requests.create_request(
        evaluation,
        user=user,
        candidate=candidate,
        due_date=timezone.localdate() + timedelta(days=10),
        message="seed",
        contacts=[{"name": "Seed", "email": f"seed@{context['organization'].slug}.example"}],
    )
    contact = request.contacts.get()
    respondent.save_draft(contact, base_version=0, items=[{"question": "SOC-02", "value": True}])
    respondent.submit(contact)
    review.review_answers(
        request, user=user, items=[{"question": "SOC-02", "decision": "return", "message": "Why?"}]
    )
    context["response_request_pk"] = request.pk
    context["respondent_token"] = link_token(contact.email)
