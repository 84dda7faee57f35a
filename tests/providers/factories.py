"""factory-boy factories for the provider catalog."""

import factory
from django.core.files.uploadedfile import SimpleUploadedFile

from providers import services
from providers.choices import DocumentKind
from providers.models import Capability, CapabilityOffering, Provider, Reference, SlaTerm
from tests.factories import OrganizationFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


class ProviderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Provider

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Provider {n}")
    slug = factory.Sequence(lambda n: f"provider-{n}")
    website = "https://provider.example"
    service_models = factory.LazyFunction(lambda: ["msp"])
    industries = factory.LazyFunction(list)
    frameworks = factory.LazyFunction(list)
    certifications = factory.LazyFunction(list)
    tags = factory.LazyFunction(list)


def capability(code: str = "mssp.edr") -> Capability:
    """A capability of the built-in catalog (synced into the database on migrate)."""
    return Capability.objects.get(code=code)


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CapabilityOffering

    provider = factory.SubFactory(ProviderFactory)
    capability = factory.LazyFunction(lambda: capability("msp.help_desk"))


class ReferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Reference

    provider = factory.SubFactory(ProviderFactory)
    client_industry = "healthcare"
    frameworks = factory.LazyFunction(lambda: ["hipaa"])
    client_size = "51-200"
    contactable = True
    contact_name = "Dana Reyes"
    contact_email = "dana@clinic.example"
    contact_phone = "+1 555 0100"


class SlaTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlaTerm

    provider = factory.SubFactory(ProviderFactory)
    metric = "incident_response_time"
    target_value = 30
    unit = "minutes"
    remedy_type = "service_credit"
    remedy_details = "5% of the monthly fee per miss."


def make_document(provider, *, name="report.pdf", content=PDF_BYTES, kind=None, title=None):
    """A document stored through the real upload service."""
    return services.create_document(
        provider,
        kind=kind or DocumentKind.SAMPLE_MONTHLY_REPORT,
        title=title or "Sample monthly report",
        upload=SimpleUploadedFile(name, content, content_type="application/octet-stream"),
    )
