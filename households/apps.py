from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = "Ménages et logements"

    def ready(self):
        from households import home_sections  # noqa: F401  (registers the home-page sections)
