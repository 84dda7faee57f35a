from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Load the built-in content every organization can read (capability catalog, "
        "vetting questionnaire and industry packs). Idempotent: unchanged content is "
        "left alone."
    )

    def handle(self, *args, **options):
        loaders = [
            config for config in apps.get_app_configs() if hasattr(config, "load_builtin_content")
        ]
        for config in loaders:
            summary = config.load_builtin_content()
            self.stdout.write(f"{config.label}: {summary}")
        if not loaders:
            self.stdout.write("No built-in content to load.")
