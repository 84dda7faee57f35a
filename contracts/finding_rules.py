"""Which findings a provider under contract has, and how a finding moves. Pure
(standard library only): ``contracts.finding_sync`` loads the rows and persists.

A finding raised automatically is keyed by its cause (``*_key``), unique in its
organization, so raising it again finds the same finding:

- ``knockout:<candidate>:<question>``: a knockout question the candidate failed
  on any latest scorecard (the lots of those scorecards in ``details``);
- ``red_flag:<candidate>:<question>:<tag>``: a red flag of a latest scorecard;
- ``record_conflict:<candidate>:<question>``: an answer contradicting the
  provider's record (``evaluations.record_conflicts``);
- ``sla_breach:<term>:<YYYY-MM>``: a breached month of a contract SLA term.

``plan`` compares the causes found now with the findings already raised *in the
same scope* (the candidates or SLA terms synced): a new cause is created, a
cause gone marks its finding cleared, a cause back un-clears it, and a cause
still there refreshes the value that raised it. Nothing is ever deleted, and
what people set (owner, due date, severity, status) is never touched.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

# Values of contracts.models.FindingSource / Severity / FindingStatus.
KNOCKOUT, RED_FLAG, RECORD_CONFLICT, SLA_BREACH, MANUAL = (
    "knockout",
    "red_flag",
    "record_conflict",
    "sla_breach",
    "manual",
)
LOW, MEDIUM, HIGH, CRITICAL = "low", "medium", "high", "critical"
OPEN, IN_REMEDIATION, RESOLVED, ACCEPTED_RISK = (
    "open",
    "in_remediation",
    "resolved",
    "accepted_risk",
)
ACTIVE = frozenset({OPEN, IN_REMEDIATION})
CLOSED = frozenset({RESOLVED, ACCEPTED_RISK})
SCORECARD_SOURCES = (KNOCKOUT, RED_FLAG, RECORD_CONFLICT)

# Severity of a finding raised automatically, and the days it is due in by default.
SOURCE_SEVERITY = {KNOCKOUT: CRITICAL, RED_FLAG: HIGH, RECORD_CONFLICT: MEDIUM}
DUE_IN_DAYS = {CRITICAL: 14, HIGH: 30, MEDIUM: 60, LOW: 90}

# Where a finding's status may go from each status (the same status is no move).
TRANSITIONS = {
    OPEN: frozenset({IN_REMEDIATION, ACCEPTED_RISK}),
    IN_REMEDIATION: frozenset({RESOLVED, ACCEPTED_RISK}),
    RESOLVED: frozenset({OPEN}),
    ACCEPTED_RISK: frozenset({OPEN}),
}
TITLE_LENGTH = 200


def knockout_key(candidate_id: int, question: str) -> str:
    return f"{KNOCKOUT}:{candidate_id}:{question}"


def red_flag_key(candidate_id: int, question: str, tag: str) -> str:
    return f"{RED_FLAG}:{candidate_id}:{question}:{tag}"


def conflict_key(candidate_id: int, question: str) -> str:
    return f"{RECORD_CONFLICT}:{candidate_id}:{question}"


def sla_key(term_id: int, period: date) -> str:
    return f"{SLA_BREACH}:{term_id}:{period:%Y-%m}"


def due_date(severity: str, today: date) -> date:
    return today + timedelta(days=DUE_IN_DAYS[severity])


@dataclass(frozen=True)
class Cause:
    """What raises one finding, with everything the finding records of it."""

    key: str
    source: str
    severity: str
    title: str
    provider_id: int
    contract_id: int | None
    raised_value: Any = None
    details: dict = field(default_factory=dict)
    evaluation_id: int | None = None
    candidate_id: int | None = None
    question_id: int | None = None
    question_code: str = ""
    sla_term_id: int | None = None
    measurement_id: int | None = None
    period: date | None = None


@dataclass(frozen=True)
class Raised:
    """A finding raised before: its key, whether its cause is cleared, its snapshot."""

    id: int
    key: str
    cleared: bool
    raised_value: Any
    details: dict


@dataclass(frozen=True)
class Plan:
    create: list[Cause]
    clear: list[int]
    restore: list[tuple[int, Cause]]
    refresh: list[tuple[int, Cause]]


def plan(causes: list[Cause], raised: list[Raised]) -> Plan:
    """The writes that make the findings of one scope follow ``causes``."""
    by_key = {row.key: row for row in raised}
    now = {cause.key: cause for cause in causes}
    create, restore, refresh = [], [], []
    for key, cause in sorted(now.items()):
        row = by_key.get(key)
        if row is None:
            create.append(cause)
        elif row.cleared:
            restore.append((row.id, cause))
        elif (row.raised_value, row.details) != (cause.raised_value, cause.details):
            refresh.append((row.id, cause))
    clear = sorted(row.id for row in raised if row.key not in now and not row.cleared)
    return Plan(create=create, clear=clear, restore=restore, refresh=refresh)


# ---------------------------------------------------------------- who is tracked


@dataclass(frozen=True)
class CandidateRow:
    id: int
    provider_id: int
    evaluation_id: int


@dataclass(frozen=True)
class ContractRow:
    id: int
    provider_id: int
    evaluation_id: int | None
    candidate_id: int | None
    start_date: date


def tracked_candidates(
    candidates: list[CandidateRow], contracts: list[ContractRow]
) -> dict[int, int]:
    """``{candidate id: contract id}`` of the candidates findings are raised for.

    A contract's own candidate is tracked, under that contract. A candidate of an
    evaluation some contract was awarded from, but not a winner of it, is not: a
    losing bidder's findings would only flood the list. Any other candidate of a
    provider under contract (a later round, a reassessment) is tracked under the
    provider's latest contract (by start date, then id).
    """
    by_candidate = {c.candidate_id: c.id for c in contracts if c.candidate_id is not None}
    awarded = {c.evaluation_id for c in contracts if c.evaluation_id is not None}
    latest: dict[int, ContractRow] = {}
    for contract in contracts:
        current = latest.get(contract.provider_id)
        if current is None or (contract.start_date, contract.id) > (
            current.start_date,
            current.id,
        ):
            latest[contract.provider_id] = contract
    tracked = {}
    for candidate in candidates:
        if candidate.id in by_candidate:
            tracked[candidate.id] = by_candidate[candidate.id]
        elif candidate.evaluation_id not in awarded and candidate.provider_id in latest:
            tracked[candidate.id] = latest[candidate.provider_id].id
    return tracked


# ---------------------------------------------------------------- causes


@dataclass(frozen=True)
class Question:
    id: int | None
    code: str
    text: str


@dataclass(frozen=True)
class CardRow:
    """What a latest scorecard says of one candidate in one lot."""

    lot: str
    failed_knockouts: list[str]
    red_flags: list[dict]


def _title(text: str) -> str:
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1] + "…"


def _question(questions: dict[str, Question], code: str) -> Question:
    return questions.get(code) or Question(id=None, code=code, text="")


def _about(question: Question) -> str:
    return f"{question.code}: {question.text}" if question.text else question.code


def scorecard_causes(
    candidate: CandidateRow,
    contract_id: int,
    cards: list[CardRow],
    conflicts: list[dict],
    answers: dict[str, Any],
    questions: dict[str, Question],
) -> list[Cause]:
    """The knockout, red flag and record conflict causes of one tracked candidate:
    its latest scorecards (one per lot), its record conflicts, its answers and
    the questions by code."""
    lots: dict[str, set[str]] = {}
    flags: dict[tuple[str, str], set[str]] = {}
    for card in cards:
        for code in card.failed_knockouts:
            lots.setdefault(code, set()).add(card.lot)
        for flag in card.red_flags:
            flags.setdefault((flag["question"], flag["tag"]), set()).add(card.lot)
    common = {
        "provider_id": candidate.provider_id,
        "contract_id": contract_id,
        "evaluation_id": candidate.evaluation_id,
        "candidate_id": candidate.id,
    }
    causes = []
    for code, in_lots in lots.items():
        question = _question(questions, code)
        causes.append(
            Cause(
                key=knockout_key(candidate.id, code),
                source=KNOCKOUT,
                severity=SOURCE_SEVERITY[KNOCKOUT],
                title=_title(f"Failed knockout {_about(question)}"),
                raised_value=answers.get(code),
                details={"lots": sorted(in_lots)},
                question_id=question.id,
                question_code=code,
                **common,
            )
        )
    for (code, tag), in_lots in flags.items():
        question = _question(questions, code)
        causes.append(
            Cause(
                key=red_flag_key(candidate.id, code, tag),
                source=RED_FLAG,
                severity=SOURCE_SEVERITY[RED_FLAG],
                title=_title(f"Red flag {tag} on {_about(question)}"),
                raised_value=answers.get(code),
                details={"tag": tag, "lots": sorted(in_lots)},
                question_id=question.id,
                question_code=code,
                **common,
            )
        )
    for conflict in conflicts:
        code = conflict["question"]
        question = _question(questions, code)
        causes.append(
            Cause(
                key=conflict_key(candidate.id, code),
                source=RECORD_CONFLICT,
                severity=SOURCE_SEVERITY[RECORD_CONFLICT],
                title=_title(f"Answer contradicts the provider's record: {_about(question)}"),
                raised_value=conflict["answer"],
                details={
                    "record_value": conflict["record_value"],
                    "expected": conflict["expected"],
                    "source": conflict["source"],
                    "note": conflict["note"],
                },
                question_id=question.id,
                question_code=code,
                **common,
            )
        )
    return sorted(causes, key=lambda cause: cause.key)


@dataclass(frozen=True)
class BreachedMonth:
    """A breached month of an SLA term, with its remedies (``sla_rules.MonthResult``)."""

    period: date
    value: str
    misses: int
    escalated: bool
    termination_right: bool
    measurement_id: int | None


@dataclass(frozen=True)
class TermRow:
    id: int
    contract_id: int
    provider_id: int
    metric: str
    target_value: str
    unit: str


def sla_causes(term: TermRow, months: list[BreachedMonth]) -> list[Cause]:
    """One cause per breached month; high when the month is escalated or gives the
    right to terminate, medium otherwise."""
    causes = []
    for month in months:
        serious = month.escalated or month.termination_right
        causes.append(
            Cause(
                key=sla_key(term.id, month.period),
                source=SLA_BREACH,
                severity=HIGH if serious else MEDIUM,
                title=_title(
                    f"SLA {term.metric} missed in {month.period:%Y-%m}: {month.value} "
                    f"{term.unit} against {term.target_value}"
                ),
                provider_id=term.provider_id,
                contract_id=term.contract_id,
                raised_value=month.value,
                details={
                    "misses": month.misses,
                    "escalated": month.escalated,
                    "termination_right": month.termination_right,
                    "target_value": term.target_value,
                    "unit": term.unit,
                },
                sla_term_id=term.id,
                measurement_id=month.measurement_id,
                period=month.period,
            )
        )
    return causes


# ---------------------------------------------------------------- status


def transition_problem(current: str, new: str) -> str | None:
    """Why a finding ``current`` may not become ``new``, or None when it may."""
    if new == current or new in TRANSITIONS[current]:
        return None
    allowed = ", ".join(sorted(TRANSITIONS[current]))
    return f"A finding {current} cannot become {new}; from {current}: {allowed}."


def rationale_problem(new: str, rationale: str) -> str | None:
    """Why the rationale a finding would have does not do for status ``new``."""
    if new == ACCEPTED_RISK and not rationale.strip():
        return "Accepting the risk needs a rationale."
    return None


def reminder_kind(status: str, due: date | None, today: date, days: int) -> str | None:
    """``due`` (the due date is at most ``days`` away), ``overdue`` (it passed) or
    None, for a finding still to remediate."""
    if status not in ACTIVE or due is None:
        return None
    left = (due - today).days
    if left < 0:
        return "overdue"
    return "due" if left <= days else None
