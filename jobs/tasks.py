from celery import shared_task

from jobs import services


@shared_task(name="jobs.tasks.ping")
def ping(job_id: str):
    """Round-trips through the queue: proves a worker is consuming and can write."""
    services.run_job(job_id, lambda job: ({"pong": True}, ""))


@shared_task(name="jobs.tasks.sweep_stale_jobs")
def sweep_stale_jobs():
    """Fail abandoned jobs and re-send pending ones (beat runs it every minute)."""
    return services.sweep_stale_jobs()
