"""A seeded organization for the live benchmarks (load, queue latency).

Call after ``django.setup()``: migrates the database named by DATABASE_URL,
loads the built-in content, and creates an organization with providers and an
evaluation of the first of them on the built-in vetting questionnaire.
"""

import time


def vetting_evaluation(label: str, *, providers: int, candidates: int):
    """Returns ``(evaluation, token)``; names are stamped so reruns never collide."""
    from django.core.management import call_command

    from accounts.services import bootstrap_organization
    from providers.models import Provider
    from questionnaires.models import QuestionnaireVersion
    from tests.evaluations.builders import make_evaluation

    call_command("migrate", verbosity=0)
    call_command("load_builtin_content", verbosity=0)
    stamp = f"{label.lower()}-{int(time.time())}"
    organization, membership, token = bootstrap_organization(name=label, slug=stamp, username=stamp)
    rows = Provider.objects.bulk_create(
        Provider(organization=organization, name=f"Provider {i}", slug=f"p{i}")
        for i in range(providers)
    )
    version = QuestionnaireVersion.objects.get(
        questionnaire__code="provider-vetting", questionnaire__organization=None, status="published"
    )
    evaluation = make_evaluation(
        organization,
        version,
        lead=membership,
        providers=rows[:candidates],
        required_service_models=["mssp"],
    )
    return evaluation, token
