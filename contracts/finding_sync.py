"""Raising findings from their causes, idempotently (``contracts.finding_rules``).

Scorecard causes (failed knockouts, red flags, record conflicts) are synced for
the candidates of an evaluation once its scoring persists (the
``evaluations.signals.scoring_persisted`` signal, inside scoring's transaction),
and for a provider's candidates when a contract is made. SLA breaches are synced
for the terms whose measurements were written. Each sync reads a constant number
of queries whatever the number of candidates, scorecards or months.
"""

from datetime import date

from django.utils import timezone

from contracts import finding_rules as rules
from contracts import sla_rules
from contracts.finding_audit import Change, record
from contracts.models import Contract, ContractSla, Finding, FindingSource, SlaMeasurement
from evaluations.models import Answer, Candidate, Scorecard
from evaluations.record_conflicts import record_conflicts
from integrations import events
from questionnaires.models import Question

SNAPSHOT = ("raised_value", "details", "title", "measurement_id")


def _candidate_rows(candidates) -> list[rules.CandidateRow]:
    return [rules.CandidateRow(c.pk, c.provider_id, c.evaluation_id) for c in candidates]


def _contract_rows(organization_id: int, provider_ids) -> list[rules.ContractRow]:
    rows = Contract.objects.filter(
        organization_id=organization_id, provider_id__in=set(provider_ids)
    ).values_list("pk", "provider_id", "evaluation_id", "candidate_id", "start_date")
    return [rules.ContractRow(*row) for row in rows]


def _questions(candidates) -> dict[int, dict[str, rules.Question]]:
    """The questions of each candidate's evaluation by code (base version and packs,
    a pack's question after the base's), in one query."""
    versions = {}
    for candidate in candidates:
        evaluation = candidate.evaluation
        packs = [link.version_id for link in evaluation.pack_links.all()]
        versions[candidate.pk] = [evaluation.questionnaire_version_id, *packs]
    rows = Question.objects.filter(
        version_id__in={v for ids in versions.values() for v in ids}
    ).values_list("pk", "version_id", "code", "text")
    by_version: dict[int, dict[str, rules.Question]] = {}
    for pk, version_id, code, text in rows:
        by_version.setdefault(version_id, {})[code] = rules.Question(pk, code, text)
    result = {}
    for candidate_id, ids in versions.items():
        merged: dict[str, rules.Question] = {}
        for version_id in reversed(ids):
            merged.update(by_version.get(version_id, {}))
        result[candidate_id] = merged
    return result


def sync_candidates(organization_id: int, candidate_ids) -> None:
    """Make the scorecard findings of these candidates follow their latest
    scorecards and record conflicts; only candidates under contract are tracked."""
    candidates = list(
        Candidate.objects.filter(
            pk__in=set(candidate_ids), evaluation__organization_id=organization_id
        )
        .select_related("evaluation")
        .prefetch_related("evaluation__pack_links")
    )
    if not candidates:
        return
    tracked = rules.tracked_candidates(
        _candidate_rows(candidates),
        _contract_rows(organization_id, {c.provider_id for c in candidates}),
    )
    if not tracked:
        return
    cards: dict[int, list[rules.CardRow]] = {}
    for candidate_id, lot, knockouts, flags in Scorecard.objects.filter(
        candidate_id__in=tracked, is_latest=True
    ).values_list("candidate_id", "lot", "failed_knockouts", "red_flags"):
        cards.setdefault(candidate_id, []).append(rules.CardRow(lot, knockouts, flags))
    answers: dict[int, dict] = {}
    for candidate_id, code, value in Answer.objects.filter(candidate_id__in=tracked).values_list(
        "candidate_id", "question__code", "value"
    ):
        answers.setdefault(candidate_id, {})[code] = value
    conflicts = record_conflicts(tracked)
    chosen = [c for c in candidates if c.pk in tracked]
    questions = _questions(chosen)
    causes = []
    for candidate in chosen:
        causes.extend(
            rules.scorecard_causes(
                rules.CandidateRow(candidate.pk, candidate.provider_id, candidate.evaluation_id),
                tracked[candidate.pk],
                cards.get(candidate.pk, []),
                conflicts.get(candidate.pk, []),
                answers.get(candidate.pk, {}),
                questions[candidate.pk],
            )
        )
    raised = Finding.objects.filter(
        organization_id=organization_id,
        candidate_id__in=tracked,
        source__in=rules.SCORECARD_SOURCES,
    )
    apply(organization_id, causes, list(raised))


def sync_evaluation(evaluation) -> None:
    sync_candidates(evaluation.organization_id, evaluation.candidates.values_list("pk", flat=True))


def sync_contracts(contracts: list[Contract]) -> None:
    """A new contract tracks its candidate and its provider's other rounds."""
    if not contracts:
        return
    organization_id = contracts[0].organization_id
    candidate_ids = Candidate.objects.filter(
        evaluation__organization_id=organization_id,
        provider_id__in={c.provider_id for c in contracts},
    ).values_list("pk", flat=True)
    sync_candidates(organization_id, list(candidate_ids))


def sync_sla_terms(organization_id: int, term_ids) -> None:
    """Make the SLA findings of these terms follow their breached months."""
    terms = list(
        ContractSla.objects.filter(
            pk__in=set(term_ids), contract__organization_id=organization_id
        ).select_related("contract")
    )
    if not terms:
        return
    months: dict[int, list[SlaMeasurement]] = {}
    for row in SlaMeasurement.objects.filter(term__in=terms).order_by("period"):
        months.setdefault(row.term_id, []).append(row)
    causes = []
    for term in terms:
        rows = months.get(term.pk, [])
        ids = {row.period: row.pk for row in rows}
        results = sla_rules.evaluate(
            [
                sla_rules.Month(
                    row.period,
                    row.measured_value,
                    tuple(date.fromisoformat(day) for day in row.breach_dates),
                )
                for row in rows
            ],
            term.target_value,
            term.unit,
            _remedy(term),
            term.contract.monthly_fee,
        )
        causes.extend(
            rules.sla_causes(
                rules.TermRow(
                    term.pk,
                    term.contract_id,
                    term.contract.provider_id,
                    term.metric,
                    str(term.target_value),
                    term.unit,
                ),
                [
                    rules.BreachedMonth(
                        month.period,
                        str(month.value),
                        month.misses,
                        month.escalated,
                        month.termination_right,
                        ids.get(month.period),
                    )
                    for month in results
                    if not month.met
                ],
            )
        )
    raised = Finding.objects.filter(
        organization_id=organization_id, sla_term__in=terms, source=FindingSource.SLA_BREACH
    )
    apply(organization_id, causes, list(raised))


def _remedy(term: ContractSla) -> sla_rules.Remedy:
    return sla_rules.Remedy(
        credit_percent_per_miss=term.credit_percent_per_miss,
        credit_cap_percent=term.credit_cap_percent,
        escalate_on_breach=term.escalate_on_breach,
        termination_breaches=term.termination_breaches,
        termination_window_months=term.termination_window_months,
    )


def _snapshot(finding: Finding, cause: rules.Cause) -> None:
    finding.raised_value = cause.raised_value
    finding.details = cause.details
    finding.title = cause.title
    finding.measurement_id = cause.measurement_id


def apply(organization_id: int, causes: list[rules.Cause], raised: list[Finding]) -> None:
    """Persist the plan of ``causes`` against the findings ``raised`` in the same
    scope: one insert, one update, one trail write and the events."""
    plan = rules.plan(
        causes,
        [
            rules.Raised(
                f.pk, f.source_key, f.cause_cleared_at is not None, f.raised_value, f.details
            )
            for f in raised
        ],
    )
    now = timezone.now()
    today = timezone.localdate()
    by_id = {finding.pk: finding for finding in raised}
    created = Finding.objects.bulk_create(
        Finding(
            organization_id=organization_id,
            provider_id=cause.provider_id,
            contract_id=cause.contract_id,
            source=cause.source,
            source_key=cause.key,
            evaluation_id=cause.evaluation_id,
            candidate_id=cause.candidate_id,
            question_id=cause.question_id,
            question_code=cause.question_code,
            sla_term_id=cause.sla_term_id,
            measurement_id=cause.measurement_id,
            period=cause.period,
            raised_value=cause.raised_value,
            details=cause.details,
            title=cause.title,
            severity=cause.severity,
            due_date=rules.due_date(cause.severity, today),
        )
        for cause in plan.create
    )
    changes, changed = [], []
    for finding in created:
        changes.append(Change(finding, "finding.raised", new={"source_key": finding.source_key}))
    for pk in plan.clear:
        finding = by_id[pk]
        finding.cause_cleared_at = now
        changes.append(Change(finding, "finding.cause_cleared", new={"cause_cleared_at": str(now)}))
        changed.append((finding, ["cause_cleared_at"]))
    for pk, cause in plan.restore:
        finding = by_id[pk]
        old = {"cause_cleared_at": str(finding.cause_cleared_at)}
        finding.cause_cleared_at = None
        _snapshot(finding, cause)
        changes.append(
            Change(finding, "finding.cause_returned", old=old, new={"cause_cleared_at": None})
        )
        changed.append((finding, ["cause_cleared_at", "raised_value"]))
    for pk, cause in plan.refresh:
        finding = by_id[pk]
        old = {"raised_value": finding.raised_value, "details": finding.details}
        _snapshot(finding, cause)
        new = {"raised_value": finding.raised_value, "details": finding.details}
        changes.append(Change(finding, "finding.cause_changed", old=old, new=new))
        changed.append((finding, ["raised_value"]))
    for finding, _ in changed:
        finding.updated_at = now
    Finding.objects.bulk_update(
        [finding for finding, _ in changed], ["cause_cleared_at", *SNAPSHOT, "updated_at"]
    )
    record(None, changes)
    events.emit_many(
        organization_id, events.FINDING_CREATED, [events.finding_data(f) for f in created]
    )
    events.emit_many(
        organization_id,
        events.FINDING_UPDATED,
        [events.finding_data(finding, fields) for finding, fields in changed],
    )


def on_scoring_persisted(sender, evaluation, **kwargs):
    sync_evaluation(evaluation)
