from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        # Registers the tasks by name in every process, so jobs can send them.
        import jobs.tasks  # noqa: F401
