"""Isolation seeder: a contract made by hand, with the SLA term copied from its
provider's SLA record (its own provider, so deleting the seeded one stays possible),
a measured month and a signed contract document, tied to an award of its own, with
a reassessment schedule and one round opened; a finding raised by hand on it."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from contracts import (
    documents,
    finding_thread,
    findings,
    performance,
    reassessments,
    schedules,
    services,
)
from contracts.models import Contract
from evaluations.models import Evaluation
from evaluations.services import scoring
from tests.evaluations.builders import make_evaluation
from tests.providers.factories import PDF_BYTES, ProviderFactory, SlaTermFactory
from tests.seeding import seeder


@seeder
def seed_contracts(context):
    organization = context["organization"]
    provider = ProviderFactory(organization=organization)
    SlaTermFactory(provider=provider)
    contract = services.create_contract(
        organization,
        context["admin"].user,
        {
            "provider": provider,
            "title": "Managed security",
            "currency": "EUR",
            "monthly_fee": Decimal("900.00"),
            "start_date": date(2026, 1, 31),
            "term_months": 12,
            "notice_period_days": 90,
        },
    )
    measurement = performance.save_measurement(
        contract.sla_terms.get(),
        {"period": date(2026, 2, 1), "measured_value": Decimal("45"), "breach_dates": []},
    )
    documents.create_document(
        contract,
        context["admin"].user,
        kind="signed_contract",
        title="Signed contract",
        upload=SimpleUploadedFile("signed.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    context["contract_pk"] = contract.pk
    context["measurement_pk"] = measurement.pk
    seed_reassessment(context, contract)


def seed_reassessment(context, contract):
    """The contract's award is an evaluation of its own (the seeded one stays free
    for the award tests), decided for the contract's provider."""
    seeded = Evaluation.objects.get(pk=context["evaluation_pk"])
    award = make_evaluation(
        context["organization"],
        seeded.questionnaire_version,
        lead=context["admin"],
        providers=[contract.provider],
        status="decided",
    )
    Contract.objects.filter(pk=contract.pk).update(
        evaluation=award, candidate=award.candidates.get()
    )
    contract.refresh_from_db()
    schedules.save_schedule(
        contract, None, context["admin"].user, {"mode": "interval", "interval_months": 12}
    )
    # Opened today: a second "open now" today is the same 409 with or without a slash.
    round_ = reassessments.open_now(contract, user=context["admin"].user)
    # Both rounds scored, so the comparison has something to show.
    scoring.score_evaluation(award.pk)
    scoring.score_evaluation(round_.evaluation_id)


@seeder
def seed_findings(context):
    """A finding raised by hand on the seeded contract, owned by the admin, written
    about to its provider (so its thread and trail have a row each)."""
    contract = Contract.objects.get(pk=context["contract_pk"])
    finding = findings.create_finding(
        contract.organization,
        context["admin"].user,
        {
            "provider": contract.provider,
            "contract": contract,
            "title": "Incident runbook missing",
            "severity": "high",
            "owner": context["admin"],
        },
    )
    finding_thread.post_message(finding, context["admin"].user, "Please send the runbook.")
    context["finding_pk"] = finding.pk
