from evaluations.models.evaluation import (
    Aggregation,
    Candidate,
    ConflictStatus,
    Evaluation,
    EvaluationStatus,
    EvaluatorAssignment,
)
from evaluations.models.inputs import Answer, Override, Rating, RatingSheet
from evaluations.models.reports import Report
from evaluations.models.results import AuditEvent, Scorecard

__all__ = [
    "Aggregation",
    "Answer",
    "AuditEvent",
    "Candidate",
    "ConflictStatus",
    "Evaluation",
    "EvaluationStatus",
    "EvaluatorAssignment",
    "Override",
    "Rating",
    "RatingSheet",
    "Report",
    "Scorecard",
]
