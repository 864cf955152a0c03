from django.core.management.base import BaseCommand
from django.utils import timezone

from households.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Anonymise les ménages sans contact depuis deux ans et purge le journal des accès de plus de douze mois. "
        "À lancer chaque jour (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Liste ce qui serait fait, sans rien modifier.")

    def handle(self, *args, dry_run=False, **options):
        report = apply_retention(today=timezone.localdate(), dry_run=dry_run)
        verb = "seraient anonymisés" if dry_run else "anonymisés"
        self.stdout.write(f"{len(report.households)} ménage(s) {verb} (dernier contact il y a plus de deux ans) :")
        for reference, last in report.households:
            self.stdout.write(f"  {reference} — dernière activité le {last:%d/%m/%Y}")
        verb = "seraient supprimées" if dry_run else "supprimées"
        self.stdout.write(f"{report.access_log_rows} ligne(s) du journal des accès de plus de douze mois {verb}.")
