from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = "Mesures d'accompagnement"

    def ready(self):
        from measures import home_sections  # noqa: F401  (registers the home-page sections)
