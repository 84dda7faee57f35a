"""What a job does, and the Celery task that does it.

A service asks for work by kind (``jobs.services.submit(..., JobKind.SCORE)``);
the task is found by name in Celery's registry when the job is sent. So a
service never imports the task module that imports it back, and a job can
never be paired with the wrong task.
"""

from enum import StrEnum


class JobKind(StrEnum):
    SCORE = "score"
    REPORT = "report"
    PING = "ping"


# Names are stable: queued messages and `Job.task_name` carry them.
TASK_NAMES = {
    JobKind.SCORE: "evaluations.tasks.score_evaluation",
    JobKind.REPORT: "evaluations.tasks_reports.generate_report",
    JobKind.PING: "jobs.tasks.ping",
}
