from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = "Financement et pilotage"

    def ready(self):
        from finance import home_sections  # noqa: F401  (registers the home-page sections)
