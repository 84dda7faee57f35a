"""Reads of contracts, each in a constant number of queries."""

from django.db.models import QuerySet


def with_sla_terms(queryset: QuerySet) -> QuerySet:
    """Contracts with their SLA terms: one more query for a whole page."""
    return queryset.prefetch_related("sla_terms")
