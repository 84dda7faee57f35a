"""Seeds one provider with a reference, an SLA term, an offering and a document, for
the generic tenant-isolation and schemathesis tests."""

from tests.providers.factories import (
    OfferingFactory,
    ProviderFactory,
    ReferenceFactory,
    SlaTermFactory,
    make_document,
)
from tests.seeding import seeder


@seeder
def seed_providers(context):
    provider = ProviderFactory(
        organization=context["organization"],
        service_models=["mssp", "vciso"],
        soc_model="own",
        industries=["healthcare"],
        frameworks=["hipaa"],
        tags=["shortlist"],
    )
    ReferenceFactory(provider=provider)
    SlaTermFactory(provider=provider)
    OfferingFactory(provider=provider)
    make_document(provider)
    context["provider_pk"] = provider.pk
