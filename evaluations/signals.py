"""Signals other apps listen to, so evaluations never depends on them."""

from django.dispatch import Signal

# Sent with ``evaluation`` at the end of ``scoring.score_evaluation``, inside its
# transaction, whether the scoring added scorecards or found them up to date;
# contracts raises the findings of the candidates under contract.
scoring_persisted = Signal()
