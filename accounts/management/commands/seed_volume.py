import time

from django.core.management.base import BaseCommand, CommandError

from accounts.volume import seed_volume, volume_users


class Command(BaseCommand):
    help = "Crée un grand volume de données (second bailleur « Volume Habitat ») pour les mesures de performance."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=10000, help="nombre de ménages (défaut : 10 000)")

    def handle(self, *args, households, **options):
        if households < 1:
            raise CommandError("Indiquez un nombre de ménages positif.")
        started = time.perf_counter()
        try:
            counts = seed_volume(households=households)
        except ValueError as error:
            raise CommandError(str(error)) from error
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"Données de volume créées en {elapsed:.0f} s :"))
        for name, count in counts.items():
            self.stdout.write(f"  {name:<14} {count:>8}")
        referents = [email for email in volume_users() if email.startswith("vol.referent")]
        others = [email for email in volume_users() if email not in referents]
        self.stdout.write(
            "Comptes (mot de passe et codes de secours de la démonstration) : "
            f"{', '.join(others)}, et {referents[0]} … {referents[-1]}"
        )
