"""The contract lists' filters."""

from datetime import timedelta

import django_filters
from django import forms
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field

from config.filters import IdFilter
from config.sync import UpdatedSinceFilter
from contracts.models import Contract, SlaMeasurement

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
