from django.apps import AppConfig


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = "Comité d'orientation et de suivi"

    def ready(self):
        from committee import home_sections  # noqa: F401  (registers the home-page sections)
