"""The evaluations' Celery tasks, one module per job kind.

Celery's autodiscovery imports this package; the app's ``ready`` imports it too,
so every process (web included) knows the tasks by name (``jobs.kinds``). Task
names are fixed strings: queued messages and stored jobs carry them.
"""

from evaluations.tasks.reports import generate_report
from evaluations.tasks.scoring import score_evaluation

__all__ = ["generate_report", "score_evaluation"]
