"""One of everything in an organization, for the generic tenant-isolation test.

Each app adds a seeder here. A seeder receives the context dict (which holds
``organization`` and ``admin`` membership) and stores the URL kwargs of the
parents it creates (e.g. ``provider_pk``), so nested routes can be walked.
The isolation test fails for any list route that a seeder leaves empty, so a
new endpoint cannot slip through uncovered.
"""

import importlib

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


# Each app's seeders register themselves when their module is imported.
APP_SEEDERS = [
    "tests.providers.seed",
    "tests.questionnaires.seed",
    "tests.evaluations.seed",
    "tests.evaluations.seed_reports",
    "tests.integrations.seed",
]
for module in APP_SEEDERS:
    importlib.import_module(module)
