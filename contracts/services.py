"""Writing contracts and their SLA terms, each change audited (``contracts.audit``).

The term dates are recomputed by the pure ``contracts.dates`` on every write, so
the stored ``renewal_date`` and ``notice_deadline`` always follow the term.
"""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from contracts import dates, finding_sync
from contracts.audit import Change, field_changes, record
from contracts.models import Contract, ContractSla
from integrations import events
from providers.models import SlaTerm

# The SLA fields a contract term copies from the provider's SLA record.
SLA_FIELDS = ("metric", "target_value", "unit", "remedy_type", "remedy_details", "notes")
# How a contract's SLA term computes its remedy (contracts.sla_rules).
REMEDY_SETTINGS = (
    "credit_percent_per_miss",
    "credit_cap_percent",
    "escalate_on_breach",
    "termination_breaches",
    "termination_window_months",
)
# The contract fields the trail records (the computed dates follow the term).
AUDITED = (
    "title",
    "currency",
    "one_time_fee",
    "monthly_fee",
    "start_date",
    "term_months",
    "auto_renew",
    "notice_period_days",
    "renewal_date",
    "notice_deadline",
    "notes",
)


def _set_dates(contract: Contract) -> None:
    computed = dates.term_dates(
        contract.start_date, contract.term_months, contract.notice_period_days
    )
    contract.renewal_date = computed["renewal_date"]
    contract.notice_deadline = computed["notice_deadline"]


def _state(contract: Contract) -> dict:
    return {name: getattr(contract, name) for name in AUDITED}


def copy_provider_slas(contracts: list[Contract]) -> None:
    """Each contract gets a copy of its provider's SLA records, in one read and one write."""
    records = SlaTerm.objects.filter(provider_id__in={c.provider_id for c in contracts})
    by_provider: dict[int, list[SlaTerm]] = {}
    for sla in records.order_by("id"):
        by_provider.setdefault(sla.provider_id, []).append(sla)
    ContractSla.objects.bulk_create(
        ContractSla(
            contract=contract,
            source_sla=sla,
            **{name: getattr(sla, name) for name in SLA_FIELDS},
        )
        for contract in contracts
        for sla in by_provider.get(contract.provider_id, [])
    )


def save_new(contracts: list[Contract], user) -> list[Contract]:
    """Store new contracts with their dates and SLA copies, and audit their creation."""
    for contract in contracts:
        _set_dates(contract)
        contract.save()
    copy_provider_slas(contracts)
    # The candidates now under contract get their scorecard findings.
    finding_sync.sync_contracts(contracts)
    events.emit_many(
        contracts[0].organization_id,
        events.CONTRACT_CREATED,
        [events.contract_data(contract) for contract in contracts],
    )
    record(
        user,
        [
            Change(contract, "contract.created", new=field_changes({}, _state(contract))[1])
            for contract in contracts
        ],
    )
    return contracts


@transaction.atomic
def create_contract(organization, user, data: dict) -> Contract:
    return save_new([Contract(organization=organization, **data)], user)[0]


@transaction.atomic
def update_contract(contract: Contract, user, data: dict) -> Contract:
    before = _state(contract)
    for name, value in data.items():
        setattr(contract, name, value)
    _set_dates(contract)
    contract.save()
    old, new = field_changes(before, _state(contract))
    if new:
        record(user, [Change(contract, "contract.updated", old=old, new=new)])
        events.emit(
            contract.organization_id,
            events.CONTRACT_UPDATED,
            events.contract_data(contract, changed=new),
        )
    return contract


def touch(contract_id: int) -> None:
    """A change of an SLA term changes the contract's representation: its
    ``updated_at`` moves, so the incremental sync delivers it again."""
    Contract.objects.filter(pk=contract_id).update(updated_at=timezone.now())


@transaction.atomic
def delete_contract(contract: Contract, user) -> None:
    record(user, [Change(contract, "contract.deleted", old={"title": contract.title})])
    contract.delete()


def _sla_state(term: ContractSla) -> dict:
    return {name: getattr(term, name) for name in (*SLA_FIELDS, *REMEDY_SETTINGS)}


def _sla_values(data: dict) -> dict:
    """The API sends the target as a number: stored (and compared) as the Decimal
    of three places the column holds."""
    if "target_value" in data:
        target = Decimal(str(data["target_value"])).quantize(Decimal("0.001"))
        data = {**data, "target_value": target}
    return data


@transaction.atomic
def create_sla_term(contract: Contract, user, data: dict) -> ContractSla:
    term = ContractSla.objects.create(contract=contract, **_sla_values(data))
    new = field_changes({}, _sla_state(term))[1]
    record(user, [Change(contract, "contract.sla_term.created", new={"id": term.pk, **new})])
    touch(contract.pk)
    return term


@transaction.atomic
def update_sla_term(term: ContractSla, user, data: dict) -> ContractSla:
    before = _sla_state(term)
    for name, value in _sla_values(data).items():
        setattr(term, name, value)
    term.save()
    old, new = field_changes(before, _sla_state(term))
    if new:
        record(
            user,
            [
                Change(
                    term.contract,
                    "contract.sla_term.updated",
                    old={"id": term.pk, **old},
                    new={"id": term.pk, **new},
                )
            ],
        )
        touch(term.contract_id)
        # Another target or remedy makes other months breached.
        finding_sync.sync_sla_terms(term.contract.organization_id, [term.pk])
    return term


@transaction.atomic
def delete_sla_term(term: ContractSla, user) -> None:
    old = {"id": term.pk, **field_changes({}, _sla_state(term))[1]}
    record(user, [Change(term.contract, "contract.sla_term.deleted", old=old)])
    term.delete()
    touch(term.contract_id)
