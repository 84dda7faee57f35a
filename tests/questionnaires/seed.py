"""Seeder for the generic API tests: an organization-owned questionnaire with a
published version 1 and a draft version 2 (built-ins are not seeded: they are
shared by every organization)."""

from questionnaires import services
from tests.questionnaires.documents import make_document
from tests.seeding import seeder


@seeder
def seed_questionnaires(context):
    organization = context["organization"]
    user = context["admin"].user
    first = services.import_document(organization, make_document(), user=user)
    services.publish_version(first)
    services.new_version(first, user=user)
    context["questionnaire_pk"] = first.questionnaire_id
