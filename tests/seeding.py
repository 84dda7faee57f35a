"""One of everything in an organization, for the generic tenant-isolation test.

Each app adds a seeder here. A seeder receives the context dict (which holds
``organization`` and ``admin`` membership) and stores the URL kwargs of the
parents it creates (e.g. ``provider_pk``), so nested routes can be walked.
The isolation test fails for any list route that a seeder leaves empty, so a
new endpoint cannot slip through uncovered.
"""

from jobs import services as job_services
from tests.factories import MembershipFactory, token_for

SEEDERS = []


def seeder(function):
    SEEDERS.append(function)
    return function


def seed_organization(organization, admin_membership) -> dict:
    context = {"organization": organization, "admin": admin_membership}
    for function in SEEDERS:
        function(context)
    return context


@seeder
def seed_accounts(context):
    member = MembershipFactory(organization=context["organization"], role="viewer")
    token_for(member)


@seeder
def seed_jobs(context):
    job_services.create_job(context["organization"], "ping")


# Each app's seeders register themselves on import (they need `seeder` above).
import tests.providers.seed  # noqa: E402, F401
import tests.questionnaires.seed  # noqa: E402, F401
