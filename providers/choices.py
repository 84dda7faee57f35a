"""Choice sets of the providers app.

The shared vocabulary (service models, SOC models, delivery, industries,
frameworks) lives in ``providers.vocabulary`` as plain enums; the constants here
turn them into Django choices once, so models, serializers, filters and the
OpenAPI enum components all use the same (value, label) pairs.
"""

from django.db import models

from providers.vocabulary import Delivery, Framework, Industry, ServiceModel, SocModel, choices_of

SERVICE_MODEL_CHOICES = choices_of(ServiceModel)
SOC_MODEL_CHOICES = choices_of(SocModel)
DELIVERY_CHOICES = choices_of(Delivery)
INDUSTRY_CHOICES = choices_of(Industry)
FRAMEWORK_CHOICES = choices_of(Framework)


class EmployeeBand(models.TextChoices):
    """Head-count bands, for providers and for the clients behind their references."""

    B1_10 = "1-10", "1-10 employees"
    B11_50 = "11-50", "11-50 employees"
    B51_200 = "51-200", "51-200 employees"
    B201_500 = "201-500", "201-500 employees"
    B501_1000 = "501-1000", "501-1000 employees"
    B1000_PLUS = "1000+", "More than 1000 employees"


class DeliveredBy(models.TextChoices):
    SELF = "self", "The provider itself"
    PARTNER = "partner", "A partner of the provider"


class SlaMetric(models.TextChoices):
    INCIDENT_RESPONSE_TIME = "incident_response_time", "Incident response time"
    TIME_TO_ACKNOWLEDGE = "time_to_acknowledge", "Time to acknowledge"
    TIME_TO_RESOLVE = "time_to_resolve", "Time to resolve"
    PATCH_WINDOW = "patch_window", "Patch window"
    UPTIME = "uptime", "Uptime"
    REPORT_DELIVERY = "report_delivery", "Report delivery"
    OTHER = "other", "Other"


class SlaUnit(models.TextChoices):
    MINUTES = "minutes", "Minutes"
    HOURS = "hours", "Hours"
    DAYS = "days", "Days"
    PERCENT = "percent", "Percent"


class RemedyType(models.TextChoices):
    SERVICE_CREDIT = "service_credit", "Service credit"
    FEE_REDUCTION = "fee_reduction", "Fee reduction"
    ESCALATION = "escalation", "Escalation"
    TERMINATION_RIGHT = "termination_right", "Right to terminate"
    NONE = "none", "No remedy"


class DocumentKind(models.TextChoices):
    SAMPLE_MONTHLY_REPORT = "sample_monthly_report", "Sample monthly security report"
    SOC2_REPORT = "soc2_report", "SOC 2 report"
    ISO_CERTIFICATE = "iso_certificate", "ISO 27001 certificate"
    INSURANCE_CERTIFICATE = "insurance_certificate", "Insurance certificate"
    PENETRATION_TEST = "penetration_test", "Penetration test summary"
    INCIDENT_RESPONSE_PLAN = "incident_response_plan", "Incident response plan"
    SLA_CONTRACT = "sla_contract", "Contract or SLA document"
    OTHER = "other", "Other evidence"


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", "Write nothing unless every row is valid"
    BEST_EFFORT = "best_effort", "Write the valid rows, report the others"


class ImportRowAction(models.TextChoices):
    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    UNCHANGED = "unchanged", "Unchanged"
    SUPERSEDED = "superseded", "Superseded by a later row for the same slug"
    INVALID = "invalid", "Invalid (see errors)"
