"""One of everything in an organization, for the generic tenant-isolation test.

Each app adds a seeder here. A seeder receives the context dict (which holds
``organization`` and ``admin`` membership) and stores the URL kwargs of the
parents it creates (e.g. ``provider_pk``), so nested routes can be walked.
The isolation test fails for any list route that a seeder leaves empty, so a
new endpoint cannot slip through uncovered.
"""

import importlib

from accounts import invitations
from jobs import services as job_services
from tests.factories import MembershipFactory, token_for

SEEDERS = []


def seeder(function):
    SEEDERS.append(function)
    return function


def seed_organization(organization, admin_membership) -> dict:
    context = {"organization": organization, "admin": admin_membership}
    for function in ordered_seeders():
        function(context)
    return context


def ordered_seeders() -> list:
    """SEEDERS in APP_SEEDERS order, whatever order their modules were imported in.

    A test module importing one seed module directly registers it early or late;
    order matters (the webhook seeded last must not receive the events of the
    scorecards and report seeded before it).
    """
    rank = {name: i for i, name in enumerate([__name__, *APP_SEEDERS])}
    return sorted(SEEDERS, key=lambda function: rank[function.__module__])


@seeder
def seed_accounts(context):
    member = MembershipFactory(organization=context["organization"], role="viewer")
    token_for(member)
    invitations.invite(
        organization=context["organization"],
        email=f"invitee@{context['organization'].slug}.example",
        role="evaluator",
        invited_by=context["admin"].user,
    )


@seeder
def seed_jobs(context):
    job_services.create_job(context["organization"], "ping")


# Each app's seeders register themselves when their module is imported.
APP_SEEDERS = [
    "tests.providers.seed",
    "tests.questionnaires.seed",
    "tests.evaluations.seed",
    "tests.evaluations.seed_reports",
    "tests.contracts.seed",
    "tests.integrations.seed",
    "tests.notifications.seed",
    "tests.responses.seed",
]
for module in APP_SEEDERS:
    importlib.import_module(module)
