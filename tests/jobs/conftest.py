import pytest


@pytest.fixture
def queue_for_real():
    """Send tasks to the broker instead of running them inline (test settings)."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = previous
