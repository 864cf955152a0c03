from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes et organisations"

    def ready(self):
        from accounts import home_sections  # noqa: F401  (registers the home-page sections)

        pre_migrate.connect(_drop_data_version_triggers, sender=self)
        post_migrate.connect(_install_data_version_triggers, sender=self)


def _drop_data_version_triggers(sender, using, plan=None, **kwargs):
    if plan:  # only when migrations are about to run (see accounts/data_version.py)
        from accounts import data_version

        data_version.uninstall(using)


def _install_data_version_triggers(sender, using, **kwargs):
    from accounts import data_version

    data_version.install(using)
