"""Signals other apps listen to, so evaluations never depends on them."""

from django.dispatch import Signal

# Sent with ``evaluation`` at the end of ``scoring.score_evaluation``, inside its
# transaction, when scoring read its inputs (not on the shortcut that finds nothing
# changed, which reads none); contracts raises the findings of the candidates under
# contract.
scoring_persisted = Signal()
