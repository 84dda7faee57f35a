"""Plain snapshots of provider records (``questionnaires.prefill.ProviderRecord``), for
prefilled answers and record conflicts: five queries whatever the number of
providers."""

from collections import defaultdict

from providers.choices import DocumentKind
from providers.models import CapabilityOffering, Document, Provider, Reference, SlaTerm
from questionnaires.prefill import (
    DocumentRow,
    OfferingRow,
    ProviderRecord,
    ReferenceRow,
    SlaRow,
)


def provider_records(provider_ids) -> dict[int, ProviderRecord]:
    """The records of ``provider_ids``, without a buyer (``questionnaires.prefill.for_buyer``
    adds the evaluation's industry and frameworks)."""
    ids = set(provider_ids)
    references = defaultdict(list)
    for provider_id, client_industry, frameworks, contactable in Reference.objects.filter(
        provider_id__in=ids
    ).values_list("provider_id", "client_industry", "frameworks", "contactable"):
        references[provider_id].append(
            ReferenceRow(client_industry, tuple(frameworks or ()), contactable)
        )
    slas = defaultdict(list)
    for provider_id, metric, target, unit, remedy in SlaTerm.objects.filter(
        provider_id__in=ids
    ).values_list("provider_id", "metric", "target_value", "unit", "remedy_type"):
        slas[provider_id].append(SlaRow(metric, float(target), unit, remedy))
    reports = defaultdict(list)
    for provider_id, pk, title in (
        Document.objects.filter(provider_id__in=ids, kind=DocumentKind.SAMPLE_MONTHLY_REPORT)
        .order_by("-created_at", "-id")
        .values_list("provider_id", "pk", "title")
    ):
        reports[provider_id].append(DocumentRow(pk, title))
    offerings = defaultdict(list)
    for provider_id, code, partner in (
        CapabilityOffering.objects.filter(provider_id__in=ids)
        .order_by("capability__position", "id")
        .values_list("provider_id", "capability__code", "partner_name")
    ):
        offerings[provider_id].append(OfferingRow(code, partner))
    return {
        pk: ProviderRecord(
            soc_model=soc_model,
            frameworks=tuple(frameworks or ()),
            references=tuple(references[pk]),
            slas=tuple(slas[pk]),
            sample_reports=tuple(reports[pk]),
            offerings=tuple(offerings[pk]),
        )
        for pk, soc_model, frameworks in Provider.objects.filter(pk__in=ids).values_list(
            "pk", "soc_model", "frameworks"
        )
    }
