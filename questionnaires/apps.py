from django.apps import AppConfig


class QuestionnairesConfig(AppConfig):
    name = "questionnaires"

    def load_builtin_content(self) -> str:
        """Load ``content/*.yaml`` as built-in questionnaires (``load_builtin_content``)."""
        from questionnaires.services import load_builtin_questionnaires

        return str(load_builtin_questionnaires())
