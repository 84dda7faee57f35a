"""Comparison reports: requested through the API, built by a Celery task.

The task **scores first** (``scoring.score_evaluation``, which adds a scorecard
version only for candidates whose inputs changed) and then builds the report
from the latest scorecards, so a report never shows stale or missing
scorecards. What cannot be scored is refused when the report is requested: a
cancelled evaluation (409), one without candidates or without an applicable
section (400). A report is an immutable snapshot; asking again makes a new one.
Each report belongs to the job that built it, so a redelivered task returns the
report already built instead of adding a second.
"""

import secrets

import orjson
from django.db import IntegrityError, models, transaction
from django.db.models import Value
from django.db.models.functions import Cast
from django.utils import timezone
from rest_framework.exceptions import ValidationError

from config.collection import collection_paused
from config.exceptions import Conflict
from evaluations.engine.scoring import NotScorable
from evaluations.models import Evaluation, EvaluationStatus, Report
from evaluations.services import scoring
from evaluations.services.report_content import build_snapshot
from integrations import events
from jobs import services as jobs
from jobs.kinds import JobKind

DEFAULT_TRIALS = 1000
MIN_TRIALS = 100
MAX_TRIALS = 20_000
DEFAULT_SPREAD = 0.25
MAX_SPREAD = 0.9
MAX_SEED = 2**32 - 1


def check_reportable(evaluation: Evaluation):
    if evaluation.status == EvaluationStatus.CANCELLED:
        raise Conflict("A cancelled evaluation gets no report.")
    if not evaluation.candidates.exists():
        raise ValidationError({"candidates": ["Add at least one candidate first."]})
    try:
        scoring.check_scorable(evaluation)
    except NotScorable as exc:
        raise ValidationError({"questionnaire_version": [str(exc)]}) from None


def request_report(
    evaluation: Evaluation,
    *,
    user,
    seed: int | None = None,
    trials: int = DEFAULT_TRIALS,
    spread: float = DEFAULT_SPREAD,
):
    """Queue a report after commit and return its Job. Without a seed, one is drawn and kept."""
    check_reportable(evaluation)
    if seed is None:
        seed = secrets.randbelow(MAX_SEED + 1)
    return jobs.submit(
        evaluation.organization,
        JobKind.REPORT,
        params={"evaluation_id": evaluation.pk, "seed": seed, "trials": trials, "spread": spread},
        created_by=user,
    )


def encoded_snapshot(snapshot: dict) -> Cast:
    """The snapshot as JSON text for the column, encoded by orjson.

    A report holds megabytes of JSON; orjson encodes it about five times faster
    than the standard library, which the field would use. The stored document
    is the same: the same values (floats as their shortest round-tripping
    digits, as ``json`` writes them; non-string keys as ``json`` converts
    them), and PostgreSQL's jsonb keeps the parsed values, not the text.
    """
    text = orjson.dumps(snapshot, option=orjson.OPT_NON_STR_KEYS).decode()
    return Cast(Value(text), output_field=models.JSONField())


def generate_report(job) -> Report:
    """Score, snapshot and store; returns the job's report (the existing one on redelivery)."""
    existing = Report.objects.filter(job=job).first()
    if existing is not None:
        return existing
    params = job.params
    evaluation_id = params["evaluation_id"]
    if Evaluation.objects.filter(pk=evaluation_id, status=EvaluationStatus.CANCELLED).exists():
        raise ValueError("The evaluation was cancelled before its report was built.")
    scoring.score_evaluation(evaluation_id)
    jobs.report_progress(job, 50)
    evaluation = Evaluation.objects.select_related(
        "questionnaire_version__questionnaire", "needs_assessment"
    ).get(pk=evaluation_id)
    with collection_paused():
        snapshot = build_snapshot(
            evaluation,
            seed=params["seed"],
            trials=params["trials"],
            spread=params["spread"],
            generated_at=timezone.now(),
        )
        encoded = encoded_snapshot(snapshot)
    try:
        with transaction.atomic():
            report = Report.objects.create(
                organization_id=evaluation.organization_id,
                evaluation=evaluation,
                job=job,
                seed=params["seed"],
                trials=params["trials"],
                spread=params["spread"],
                snapshot=encoded,
                created_by_id=job.created_by_id,
            )
            report.snapshot = snapshot
            events.emit(
                report.organization_id,
                events.REPORT_COMPLETED,
                events.report_completed_data(report),
            )
            return report
    except IntegrityError:
        # Another delivery of the same job got there first.
        return Report.objects.get(job=job)
