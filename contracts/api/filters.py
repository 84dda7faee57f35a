"""The contract lists' filters."""

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from accounts.principal import resolve_principal
from config.filters import IdFilter
from config.sync import UpdatedSinceFilter
from contracts import selectors
from contracts.models import Contract, Finding, SlaMeasurement
from providers.models import Provider

MAX_WITHIN_DAYS = 3650


@extend_schema_field({"type": "integer", "minimum": 0, "maximum": MAX_WITHIN_DAYS})
class DaysFilter(django_filters.NumberFilter):
    """A whole number of days, 0 to MAX_WITHIN_DAYS."""

    field_class = forms.IntegerField


class ContractFilter(django_filters.FilterSet):
    renewing_within = DaysFilter(
        method="filter_renewing_within",
        min_value=0,
        max_value=MAX_WITHIN_DAYS,
        help_text=f"Renewal date from today to N days ahead (0 to {MAX_WITHIN_DAYS}).",
    )
    notice_deadline_passed = django_filters.BooleanFilter(
        method="filter_notice_deadline_passed",
        help_text="`true`: the last day to give notice is before today; `false`: not yet.",
    )
    auto_renew = django_filters.BooleanFilter(help_text="Renews on its own unless noticed.")
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Contract
        fields = ["renewing_within", "notice_deadline_passed", "auto_renew", "updated_since"]

    def filter_renewing_within(self, queryset, name, value):
        today = timezone.localdate()
        return queryset.filter(
            renewal_date__gte=today, renewal_date__lte=today + timedelta(days=value)
        )

    def filter_notice_deadline_passed(self, queryset, name, value):
        today = timezone.localdate()
        if value:
            return queryset.filter(notice_deadline__lt=today)
        return queryset.filter(notice_deadline__gte=today)


class MeasurementFilter(django_filters.FilterSet):
    sla_term = IdFilter(field_name="term_id", help_text="Only this SLA term's months (its id).")

    class Meta:
        model = SlaMeasurement
        fields = ["sla_term"]


class PortfolioFilter(django_filters.FilterSet):
    """The portfolio's filters, on providers under contract."""

    renewing_within = DaysFilter(
        method="filter_renewing_within",
        min_value=0,
        max_value=MAX_WITHIN_DAYS,
        help_text=f"A contract renews from today to N days ahead (0 to {MAX_WITHIN_DAYS}).",
    )
    has_open_findings = django_filters.BooleanFilter(
        method="filter_has_open_findings",
        help_text="`true`: a finding is open or in remediation; `false`: none is.",
    )
    sla_breached = django_filters.BooleanFilter(
        method="filter_sla_breached",
        help_text="`true`: the SLA status is `breached` or `termination_right`; `false`: not.",
    )

    class Meta:
        model = Provider
        fields = ["renewing_within", "has_open_findings", "sla_breached"]

    def filter_renewing_within(self, queryset, name, value):
        today = timezone.localdate()
        renewing = Contract.objects.filter(
            provider=OuterRef("pk"),
            renewal_date__gte=today,
            renewal_date__lte=today + timedelta(days=value),
        )
        return queryset.filter(Exists(renewing))

    def filter_has_open_findings(self, queryset, name, value):
        open_ = Finding.objects.filter(
            provider=OuterRef("pk"), status__in=selectors.OPEN_FINDING_STATUSES
        )
        return queryset.filter(Exists(open_) if value else ~Exists(open_))

    def filter_sla_breached(self, queryset, name, value):
        organization = resolve_principal(self.request).organization
        breached = selectors.sla_breached_provider_ids(queryset.values("pk"), organization)
        if value:
            return queryset.filter(pk__in=breached)
        return queryset.exclude(pk__in=breached)
