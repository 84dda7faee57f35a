"""SLA performance: measurements written (one at a time or a CSV, all or nothing)
and the per-contract summary, with the rules of ``contracts.sla_rules``.

The summary reads three queries whatever the number of terms and months.
"""

from datetime import date
from decimal import Decimal

from django.db import IntegrityError, transaction
from rest_framework.exceptions import ValidationError

from config.exceptions import Conflict
from contracts import finding_sync, sla_rules
from contracts.measurement_csv import CsvFormatError, parse
from contracts.models import Contract, ContractSla, SlaMeasurement
from integrations import events


def remedy_of(term: ContractSla) -> sla_rules.Remedy:
    return sla_rules.Remedy(
        credit_percent_per_miss=term.credit_percent_per_miss,
        credit_cap_percent=term.credit_cap_percent,
        escalate_on_breach=term.escalate_on_breach,
        termination_breaches=term.termination_breaches,
        termination_window_months=term.termination_window_months,
    )


def stored_dates(values: list[date]) -> list[str]:
    return sorted(day.isoformat() for day in values)


def check(term: ContractSla, period: date, value: Decimal, breach_dates: list[date]) -> dict:
    """The problems of one month's measurement of ``term``, by field."""
    problems: dict[str, list[str]] = {}
    for name, message in sla_rules.measurement_problems(
        period, value, term.target_value, term.unit, breach_dates
    ):
        problems.setdefault(name, []).append(message)
    return problems


def save_measurement(term: ContractSla, data: dict, instance=None) -> SlaMeasurement:
    """Create (``instance`` None) or change one month; a 409 for a month measured
    already, a 400 naming the field for an inconsistent measurement."""
    try:
        with transaction.atomic():
            return _save(term, data, instance)
    except IntegrityError:
        raise Conflict("This month of this SLA term is measured already: change it.") from None


def _misses_of(row: SlaMeasurement | None, term: ContractSla) -> int:
    if row is None:
        return 0
    dates = list(month_of(row).breach_dates)
    return sla_rules.misses(row.measured_value, term.target_value, term.unit, dates)


def breach_events(contract: Contract, changes: list) -> None:
    """``sla.breach`` for each (term, measurement, misses before) whose month is breached
    now with another count of misses than before (a rewrite that changes nothing is
    silent)."""
    items = []
    for term, row, before in changes:
        after = _misses_of(row, term)
        if after and after != before:
            credit = sla_rules.service_credit(
                after, contract.monthly_fee, term.credit_percent_per_miss, term.credit_cap_percent
            )
            items.append(events.sla_breach_data(contract, term, row, after, credit))
    events.emit_many(contract.organization_id, events.SLA_BREACH, items)


def _save(term: ContractSla, data: dict, instance) -> SlaMeasurement:
    merged = {
        "period": getattr(instance, "period", None),
        "measured_value": getattr(instance, "measured_value", None),
        "breach_dates": [date.fromisoformat(d) for d in getattr(instance, "breach_dates", [])],
        **data,
    }
    problems = check(term, merged["period"], merged["measured_value"], merged["breach_dates"])
    if problems:
        raise ValidationError(problems)
    fields = {**data, "breach_dates": stored_dates(merged["breach_dates"])}
    before = _misses_of(instance, term)
    if instance is None:
        instance = SlaMeasurement.objects.create(term=term, **fields)
    else:
        for name, value in fields.items():
            setattr(instance, name, value)
        instance.save()
    breach_events(term.contract, [(term, instance, before)])
    finding_sync.sync_sla_terms(term.contract.organization_id, [term.pk])
    return instance


@transaction.atomic
def delete_measurement(measurement: SlaMeasurement) -> None:
    """Remove a month; the finding its breach raised is marked cleared, not deleted."""
    term = measurement.term
    measurement.delete()
    finding_sync.sync_sla_terms(term.contract.organization_id, [term.pk])


def import_measurements(contract: Contract, text: str) -> int:
    """Every row written (a month already measured is replaced), or none: a 400
    listing every problem as ``line N`` and its column."""
    try:
        rows, problems = parse(text)
    except CsvFormatError as error:
        raise ValidationError({"csv": [str(error)]}) from None
    errors: dict[str, dict[str, list[str]]] = {}
    for problem in problems:
        errors.setdefault(f"line {problem.line}", {}).setdefault(
            problem.column or "row", []
        ).append(problem.message)
    terms = contract.sla_terms.in_bulk()
    seen: dict[tuple[int, date], int] = {}
    for row in rows:
        where = errors.setdefault(f"line {row.line}", {})
        values = row.values
        term = terms.get(values.get("sla_term"))
        if "sla_term" in values and term is None:
            where.setdefault("sla_term", []).append("Not an SLA term of this contract.")
        key = (values.get("sla_term"), values.get("period"))
        if None not in key and key in seen:
            where.setdefault("period", []).append(f"This month is on line {seen[key]} already.")
        seen.setdefault(key, row.line)
        if term is not None and {"period", "measured_value"} <= set(values):
            dates = values.get("breach_dates", [])
            for name, messages in check(
                term, values["period"], values["measured_value"], dates
            ).items():
                where.setdefault(name, []).extend(messages)
    errors = {line: columns for line, columns in errors.items() if columns}
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError({"csv": ["No rows: nothing to import."]})
    with transaction.atomic():
        existing = SlaMeasurement.objects.select_for_update().filter(term__contract=contract)
        by_key = {(m.term_id, m.period): m for m in existing}
        create, update, changes = [], [], []
        for row in rows:
            values = row.values
            fields = {
                "measured_value": values["measured_value"],
                "breach_dates": stored_dates(values.get("breach_dates", [])),
                "notes": values.get("notes", ""),
            }
            term = terms[values["sla_term"]]
            found = by_key.get((term.pk, values["period"]))
            before = _misses_of(found, term)
            if found is None:
                found = SlaMeasurement(term=term, period=values["period"], **fields)
                create.append(found)
            else:
                for name, value in fields.items():
                    setattr(found, name, value)
                update.append(found)
            changes.append((term, found, before))
        SlaMeasurement.objects.bulk_create(create)
        SlaMeasurement.objects.bulk_update(update, ["measured_value", "breach_dates", "notes"])
        breach_events(contract, changes)
        finding_sync.sync_sla_terms(contract.organization_id, {term.pk for term, _, _ in changes})
    return len(rows)


def month_of(row: SlaMeasurement) -> sla_rules.Month:
    dates = tuple(date.fromisoformat(day) for day in row.breach_dates)
    return sla_rules.Month(row.period, row.measured_value, dates)


def summary(contract: Contract) -> dict:
    """Per SLA term: every measured month with its misses and remedies, the totals,
    and the trend of the last two months."""
    terms = list(contract.sla_terms.order_by("id"))
    months: dict[int, list[SlaMeasurement]] = {}
    for row in SlaMeasurement.objects.filter(term__contract=contract).order_by("period"):
        months.setdefault(row.term_id, []).append(row)
    result = []
    for term in terms:
        evaluated = sla_rules.evaluate(
            [month_of(row) for row in months.get(term.pk, [])],
            term.target_value,
            term.unit,
            remedy_of(term),
            contract.monthly_fee,
        )
        credits = [month.credit for month in evaluated if month.credit is not None]
        reached = next((m.period for m in evaluated if m.termination_right), None)
        result.append(
            {
                "sla_term": term.pk,
                "metric": term.metric,
                "target_value": term.target_value,
                "unit": term.unit,
                "direction": sla_rules.direction(term.unit),
                "months_measured": len(evaluated),
                "months_breached": sum(1 for month in evaluated if not month.met),
                "misses": sum(month.misses for month in evaluated),
                "credit_total": sum(credits, Decimal("0.00")) if credits else None,
                "termination_right_since": reached,
                "trend": sla_rules.trend(evaluated, term.unit),
                "months": evaluated,
            }
        )
    return {"contract": contract.pk, "currency": contract.currency, "terms": result}
