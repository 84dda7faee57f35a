"""Filters of the accounts lists."""

import django_filters

from accounts.models import Invitation, InvitationStatus


class InvitationFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=InvitationStatus.choices, method="filter_status", help_text="Computed status."
    )
    email = django_filters.CharFilter(
        field_name="email", lookup_expr="iexact", max_length=254, help_text="Exact address."
    )

    class Meta:
        model = Invitation
        fields = ["status", "role", "email"]

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value)
