"""Reads of contracts, reassessment rounds and the portfolio, in constant queries."""

from datetime import date

from django.db.models import Case, Count, Exists, F, OuterRef, QuerySet, Subquery, Value, When

from contracts import portfolio, sla_rules
from contracts.models import Contract, ContractSla, Finding, FindingStatus, SlaMeasurement
from contracts.performance import month_of, remedy_of
from evaluations.models import EvaluationStatus, Scorecard
from providers.models import CapabilityOffering, Provider

OPEN_FINDING_STATUSES = (FindingStatus.OPEN, FindingStatus.IN_REMEDIATION)


def with_sla_terms(queryset: QuerySet) -> QuerySet:
    """Contracts with their SLA terms: one more query for a whole page."""
    return queryset.prefetch_related("sla_terms")


def with_round_state(queryset: QuerySet) -> QuerySet:
    """Reassessment rounds with their derived ``status``, in the same one query:
    ``cancelled`` with their evaluation, ``scored`` once their candidate has a
    scorecard, else ``open``."""
    scored = Scorecard.objects.filter(candidate_id=OuterRef("candidate_id"), is_latest=True)
    return queryset.annotate(
        status=Case(
            When(evaluation__status=EvaluationStatus.CANCELLED, then=Value("cancelled")),
            When(Exists(scored), then=Value("scored")),
            default=Value("open"),
        )
    )


def latest_details(candidate_ids: list[int]) -> dict[int, dict[str, tuple[int, dict]]]:
    """Per candidate, per lot: (scorecard id, stored details) of its latest
    scorecards, in one query."""
    found: dict[int, dict[str, tuple[int, dict]]] = {pk: {} for pk in candidate_ids}
    cards = Scorecard.objects.filter(candidate_id__in=candidate_ids, is_latest=True).order_by(
        "candidate_id", "id"
    )
    for card in cards.only("id", "candidate_id", "lot", "details"):
        found[card.candidate_id][card.lot] = (card.pk, card.details)
    return found


def contract_facts(contracts: QuerySet) -> dict[int, list[portfolio.ContractFacts]]:
    """The contracts of ``contracts`` with their SLA terms and measured months, by
    provider id: three queries whatever their number."""
    rows = list(contracts.select_related("evaluation").order_by("renewal_date", "id"))
    ids = [row.pk for row in rows]
    terms: dict[int, list[ContractSla]] = {}
    for term in ContractSla.objects.filter(contract_id__in=ids).order_by("id"):
        terms.setdefault(term.contract_id, []).append(term)
    months: dict[int, list[sla_rules.Month]] = {}
    measured = SlaMeasurement.objects.filter(term__contract_id__in=ids).order_by("period")
    for row in measured:
        months.setdefault(row.term_id, []).append(month_of(row))
    by_provider: dict[int, list[portfolio.ContractFacts]] = {}
    for row in rows:
        evaluation_lots = row.evaluation.lots if row.evaluation else []
        by_provider.setdefault(row.provider_id, []).append(
            portfolio.ContractFacts(
                id=row.pk,
                title=row.title,
                lots=portfolio.lots_of(row.lots, evaluation_lots),
                currency=row.currency,
                one_time_fee=row.one_time_fee,
                monthly_fee=row.monthly_fee,
                renewal_date=row.renewal_date,
                notice_deadline=row.notice_deadline,
                auto_renew=row.auto_renew,
                terms=tuple(
                    portfolio.TermFacts(
                        metric=term.metric,
                        target=term.target_value,
                        unit=term.unit,
                        remedy=remedy_of(term),
                        months=tuple(months.get(term.pk, ())),
                    )
                    for term in terms.get(row.pk, ())
                ),
            )
        )
    return by_provider


def open_findings(organization, provider_ids) -> dict[int, dict[str, int]]:
    """Open findings (open or in remediation) of these providers, counted by severity
    in one aggregate query."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Finding.objects.filter(
            organization=organization,
            provider_id__in=provider_ids,
            status__in=OPEN_FINDING_STATUSES,
        )
        .values("provider_id", "severity")
        .annotate(count=Count("id"))
        .order_by()
    )
    for row in rows:
        counts.setdefault(row["provider_id"], {})[row["severity"]] = row["count"]
    return counts


def contracted_providers(providers: QuerySet, organization, today: date) -> QuerySet:
    """The providers of ``providers`` under contract, each annotated with its
    ``next_renewal`` (null once every term has ended), next renewal first."""
    contracts = Contract.objects.filter(organization=organization, provider=OuterRef("pk"))
    upcoming = contracts.filter(renewal_date__gte=today).order_by("renewal_date")
    return (
        providers.filter(Exists(contracts))
        .annotate(next_renewal=Subquery(upcoming.values("renewal_date")[:1]))
        .order_by(F("next_renewal").asc(nulls_last=True), "name", "id")
    )


def sla_breached_provider_ids(providers: QuerySet, organization) -> set[int]:
    """The providers whose SLA status is breached or worse (``contracts.portfolio``)."""
    facts = contract_facts(
        Contract.objects.filter(organization=organization, provider__in=providers)
    )
    return {
        provider_id
        for provider_id, contracts in facts.items()
        if portfolio.provider_sla_status(tuple(contracts)) in portfolio.SLA_BREACHED
    }


def portfolio_entries(providers: list[Provider], organization, today: date) -> list[dict]:
    """The portfolio entries of a page of providers: five queries whatever its size."""
    ids = [provider.pk for provider in providers]
    facts = contract_facts(Contract.objects.filter(organization=organization, provider_id__in=ids))
    capabilities: dict[int, list[str]] = {}
    offered = (
        CapabilityOffering.objects.filter(provider_id__in=ids)
        .order_by("capability__position", "capability__code")
        .values_list("provider_id", "capability__code")
    )
    for provider_id, code in offered:
        capabilities.setdefault(provider_id, []).append(code)
    findings = open_findings(organization, ids)
    return [
        portfolio.provider_entry(
            portfolio.ProviderFacts(
                id=provider.pk,
                name=provider.name,
                service_models=tuple(provider.service_models),
                capabilities=tuple(capabilities.get(provider.pk, ())),
                contracts=tuple(facts.get(provider.pk, ())),
                open_findings=findings.get(provider.pk, {}),
            ),
            today,
        )
        for provider in providers
    ]
