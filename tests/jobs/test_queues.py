"""Each kind of work has its own queue, and workers consume all of them."""

import pytest
from django.conf import settings

from config.celery import app

QUEUES = {
    "evaluations.tasks.score_evaluation": "scoring",
    "evaluations.tasks_reports.generate_report": "reports",
    "integrations.tasks.deliver_webhook": "webhooks",
    "jobs.tasks.ping": "celery",
    "jobs.tasks.sweep_stale_jobs": "celery",
    "integrations.tasks.maintenance": "celery",
    "notifications.tasks.deliver_notification": "celery",
    "notifications.tasks.requeue_stalled": "celery",
    "notifications.tasks.send_reminders": "celery",
    "responses.tasks.send_response_reminders": "celery",
    "contracts.tasks.open_due_reassessments": "celery",
    "contracts.tasks.send_contract_reminders": "celery",
    "contracts.tasks.send_finding_reminders": "celery",
}


def our_tasks() -> set[str]:
    app.loader.import_default_modules()
    return {name for name in app.tasks if not name.startswith("celery.")}


def test_every_task_is_listed_here():
    assert our_tasks() == set(QUEUES)


@pytest.mark.parametrize(("task", "queue"), QUEUES.items())
def test_each_task_routes_to_its_queue(task, queue):
    assert app.amqp.router.route({}, task)["queue"].name == queue


def test_every_routed_queue_is_declared():
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert declared == set(QUEUES.values())


@pytest.mark.worker
def test_the_real_worker_consumes_every_queue(real_worker):
    consumed = {queue.name for queue in real_worker.consumer.task_consumer.queues}
    assert consumed == set(QUEUES.values())
