"""The findings list's filters."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from config.filters import IdFilter
from config.sync import UpdatedSinceFilter
from contracts.models import Finding, FindingSource, FindingStatus, Severity

ACTIVE = (FindingStatus.OPEN, FindingStatus.IN_REMEDIATION)


class FindingFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(
        choices=FindingStatus.choices, help_text="Any of these statuses (repeat the parameter)."
    )
    severity = django_filters.MultipleChoiceFilter(
        choices=Severity.choices, help_text="Any of these severities (repeat the parameter)."
    )
    source = django_filters.MultipleChoiceFilter(
        choices=FindingSource.choices, help_text="Raised from any of these sources."
    )
    provider = IdFilter(field_name="provider_id", help_text="Only this provider's (its id).")
    contract = IdFilter(field_name="contract_id", help_text="Only this contract's (its id).")
    owner = IdFilter(field_name="owner_id", help_text="Owned by this membership (its id).")
    overdue = django_filters.BooleanFilter(
        method="filter_overdue",
        help_text="`true`: open or in remediation and past its due date; `false`: not.",
    )
    due_before = django_filters.DateFilter(
        field_name="due_date", lookup_expr="lt", help_text="Due before this date."
    )
    cause_cleared = django_filters.BooleanFilter(
        field_name="cause_cleared_at",
        lookup_expr="isnull",
        exclude=True,
        help_text="`true`: the cause that raised it is gone; `false`: still there.",
    )
    updated_since = UpdatedSinceFilter()

    class Meta:
        model = Finding
        fields = [
            "status",
            "severity",
            "source",
            "provider",
            "contract",
            "owner",
            "overdue",
            "due_before",
            "cause_cleared",
            "updated_since",
        ]

    def filter_overdue(self, queryset, name, value):
        late = Q(status__in=ACTIVE, due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)
