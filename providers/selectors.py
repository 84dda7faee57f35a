"""Read querysets for the provider catalog, with the prefetches each representation needs.

Every function returns a queryset whose evaluation costs a constant number of
queries whatever the number of rows (one per prefetched relation).
"""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from accounts.tenancy import scope_to_organization
from providers.models import (
    Capability,
    CapabilityOffering,
    Document,
    Provider,
    Reference,
    SlaTerm,
)


def capabilities() -> QuerySet[Capability]:
    return Capability.objects.all()


def providers_for(organization) -> QuerySet[Provider]:
    """The organization's providers, as the compact list shows them (no relations)."""
    return scope_to_organization(Provider.objects.all(), organization)


def provider_details(queryset: QuerySet[Provider]) -> QuerySet[Provider]:
    """Add what the detailed representation reads: offerings with their capability,
    references, SLA terms, documents and external ids (five queries, whatever the
    page size)."""
    return queryset.prefetch_related(
        Prefetch(
            "offerings",
            queryset=CapabilityOffering.objects.select_related("capability"),
        ),
        Prefetch("references", queryset=Reference.objects.all()),
        Prefetch("slas", queryset=SlaTerm.objects.all()),
        Prefetch("documents", queryset=Document.objects.all()),
        "external_ids",
    )


def offering_with_capability(queryset: QuerySet[CapabilityOffering]):
    return queryset.select_related("capability")


def offering_exists(capability_code: str):
    """An ``Exists`` condition: the provider offers the capability with this code."""
    return Exists(
        CapabilityOffering.objects.filter(provider=OuterRef("pk"), capability__code=capability_code)
    )


def json_list_contains(field: str, value: str) -> dict:
    """A lookup matching JSON lists of strings that contain ``value``, portable across
    SQLite and PostgreSQL.

    JSONField's ``contains`` is not supported on SQLite, so this matches the quoted
    JSON string inside the list's text. It is exact for the values we store (enum
    members and slugs: no quotes, backslashes or non-ASCII to escape).
    """
    return {f"{field}__icontains": f'"{value}"'}
