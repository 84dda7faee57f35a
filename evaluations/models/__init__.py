from evaluations.models.evaluation import (
    Aggregation,
    BidSource,
    Candidate,
    ConflictStatus,
    Evaluation,
    EvaluationPack,
    EvaluationStatus,
    EvaluatorAssignment,
)
from evaluations.models.inputs import Answer, Override, Rating, RatingSheet
from evaluations.models.proposals import Proposal
from evaluations.models.reports import Report
from evaluations.models.results import AuditEvent, ChangeSource, Scorecard
from evaluations.models.scoring_state import ScoringState

__all__ = [
    "Aggregation",
    "Answer",
    "AuditEvent",
    "BidSource",
    "Candidate",
    "ChangeSource",
    "ConflictStatus",
    "Evaluation",
    "EvaluationPack",
    "EvaluationStatus",
    "EvaluatorAssignment",
    "Override",
    "Proposal",
    "Rating",
    "RatingSheet",
    "Report",
    "Scorecard",
    "ScoringState",
]
