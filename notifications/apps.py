from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications: email sends, preferences, reminders"

    def ready(self):
        # Registers the tasks by name in every process (services send them by name).
        import notifications.tasks  # noqa: F401
