"""The provider catalog: providers, the capabilities they offer, references, SLA
terms and evidence documents. Capabilities are global (the built-in catalog);
everything else belongs to one organization through its provider.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from providers import rules
from providers.choices import (
    DELIVERY_CHOICES,
    INDUSTRY_CHOICES,
    SERVICE_MODEL_CHOICES,
    SOC_MODEL_CHOICES,
    DeliveredBy,
    DocumentKind,
    EmployeeBand,
    RemedyType,
    SlaMetric,
    SlaUnit,
)
from providers.uploads import extension_of


def document_path(instance, filename: str) -> str:
    """A random storage name: nothing about the provider or the original name leaks."""
    return f"provider-documents/{secrets.token_hex(16)}{extension_of(filename)}"


def _raise_violations(violations):
    if violations:
        errors = {}
        for violation in violations:
            key = violation.field or "__all__"
            errors.setdefault(key, []).append(
                ValidationError(violation.message, code=violation.code)
            )
        raise ValidationError(errors)


class Capability(models.Model):
    """One function of a service model, from ``providers/content/capabilities.yaml``."""

    code = models.CharField(max_length=64, unique=True, help_text="Stable id, e.g. `mssp.edr`.")
    name = models.CharField(max_length=120)
    description = models.TextField()
    service_model = models.CharField(max_length=16, choices=SERVICE_MODEL_CHOICES, db_index=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the catalog file.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name_plural = "capabilities"

    def __str__(self):
        return self.code


class Provider(models.Model):
    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="providers"
    )
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, help_text="Unique within the organization.")
    website = models.URLField(max_length=300, blank=True)
    headquarters = models.CharField(max_length=200, blank=True)
    # Null means "not stated", which the vetting treats differently from any answer.
    employee_band = models.CharField(  # noqa: DJ001
        max_length=16, choices=EmployeeBand.choices, null=True, blank=True
    )
    service_models = models.JSONField(default=list, blank=True)
    soc_model = models.CharField(  # noqa: DJ001
        max_length=16, choices=SOC_MODEL_CHOICES, null=True, blank=True
    )
    third_party_soc_name = models.CharField(max_length=200, blank=True)
    delivery = models.CharField(  # noqa: DJ001
        max_length=16, choices=DELIVERY_CHOICES, null=True, blank=True
    )
    industries = models.JSONField(default=list, blank=True)
    frameworks = models.JSONField(default=list, blank=True)
    certifications = models.JSONField(default=list, blank=True)
    tags = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "slug"], name="uniq_provider_slug"),
        ]
        indexes = [
            # Incremental sync pages through (updated_at, id) within an organization.
            models.Index(fields=["organization", "updated_at", "id"], name="provider_sync_idx"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        _raise_violations(
            rules.provider_violations(
                {
                    "service_models": self.service_models,
                    "soc_model": self.soc_model,
                    "third_party_soc_name": self.third_party_soc_name,
                }
            )
        )


class ProviderExternalId(models.Model):
    """The provider's id in a connected system (a CRM): one per system, and an id
    names one provider of the organization per system. ``organization`` repeats
    the provider's so the database enforces that uniqueness."""

    tenant_path = "organization"

    organization = models.ForeignKey(
        "accounts.Organization", on_delete=models.CASCADE, related_name="+"
    )
    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="external_ids")
    system = models.CharField(max_length=rules.MAX_EXTERNAL_SYSTEM_LENGTH)
    external_id = models.CharField(max_length=rules.MAX_EXTERNAL_ID_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["system", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "system"], name="uniq_provider_external_system"
            ),
            models.UniqueConstraint(
                fields=["organization", "system", "external_id"], name="uniq_external_id"
            ),
        ]

    def __str__(self):
        return f"{self.system}:{self.external_id} of {self.provider_id}"


class CapabilityOffering(models.Model):
    """A capability a provider offers, delivered itself or through a named partner."""

    tenant_path = "provider__organization"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="offerings")
    capability = models.ForeignKey(Capability, on_delete=models.PROTECT, related_name="offerings")
    delivered_by = models.CharField(
        max_length=16, choices=DeliveredBy.choices, default=DeliveredBy.SELF
    )
    partner_name = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["capability__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "capability"], name="uniq_provider_capability"
            ),
            models.CheckConstraint(
                condition=(Q(delivered_by=DeliveredBy.PARTNER) & ~Q(partner_name=""))
                | (Q(delivered_by=DeliveredBy.SELF) & Q(partner_name="")),
                name="offering_partner_name_iff_partner",
            ),
        ]

    def __str__(self):
        return f"{self.provider} offers {self.capability_id}"

    def clean(self):
        _raise_violations(
            rules.offering_violations(
                {"delivered_by": self.delivered_by, "partner_name": self.partner_name}
            )
        )


class Reference(models.Model):
    """A client the provider names as a reference. Contact details are shown only to
    admins and evaluators (see the API docs)."""

    tenant_path = "provider__organization"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="references")
    client_industry = models.CharField(max_length=32, choices=INDUSTRY_CHOICES)
    frameworks = models.JSONField(default=list, blank=True)
    client_size = models.CharField(  # noqa: DJ001
        max_length=16, choices=EmployeeBand.choices, null=True, blank=True
    )
    contactable = models.BooleanField(default=False)
    contact_name = models.CharField(max_length=200, blank=True)
    contact_email = models.EmailField(max_length=254, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True)
    verified = models.BooleanField(default=False)
    verified_at = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(verified=True),
                name="reference_verified_at_needs_verified",
            ),
        ]

    def __str__(self):
        return f"{self.provider} reference ({self.client_industry})"

    def clean(self):
        _raise_violations(
            rules.reference_violations(
                {
                    "verified": self.verified,
                    "verified_at": self.verified_at,
                    "contactable": self.contactable,
                    "contact_email": self.contact_email,
                    "contact_phone": self.contact_phone,
                }
            )
        )


class SlaCommitment(models.Model):
    """A service-level commitment and what the buyer gets when it is missed: the
    fields a provider's SLA record and a contract's SLA term (``contracts``) share."""

    metric = models.CharField(max_length=32, choices=SlaMetric.choices)
    target_value = models.DecimalField(
        max_digits=12, decimal_places=3, validators=[MinValueValidator(0)]
    )
    unit = models.CharField(max_length=16, choices=SlaUnit.choices)
    remedy_type = models.CharField(
        max_length=32, choices=RemedyType.choices, default=RemedyType.NONE
    )
    remedy_details = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def clean(self):
        _raise_violations(
            rules.sla_violations(
                {
                    "metric": self.metric,
                    "unit": self.unit,
                    "target_value": self.target_value,
                    "remedy_type": self.remedy_type,
                    "remedy_details": self.remedy_details,
                }
            )
        )


class SlaTerm(SlaCommitment):
    """A provider's SLA record."""

    tenant_path = "provider__organization"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="slas")

    class Meta:
        ordering = ["id"]
        verbose_name = "SLA term"
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__gte=0), name="sla_target_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.provider}: {self.metric} {self.target_value} {self.unit}"


class Document(models.Model):
    """Evidence a provider supplied. The file lives in Django's default storage under a
    random name; it is removed when the row is deleted (after commit)."""

    tenant_path = "provider__organization"

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=32, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(max_length=300, upload_to=document_path)
    original_filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title
