from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import demo
from accounts.models import Membership, Organisation, User
from accounts.security import replace_backup_codes
from committee import demo as committee_demo
from households import demo as households_demo
from measures import demo as measures_demo


class Command(BaseCommand):
    help = "Charge les données de démonstration (idempotent ; refuse de tourner sans DEBUG)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_demo ne s'exécute qu'en développement (DEBUG=1) : il crée des comptes connus.")
        with transaction.atomic():
            organisations = self.seed_organisations()
            users = self.seed_personas(organisations)
            created = households_demo.seed(organisations=organisations, users=users)
            measures_created = measures_demo.seed()
            sessions_created = committee_demo.seed()
        if created:
            self.stdout.write(f"{created} ménages de démonstration créés.")
        if measures_created:
            self.stdout.write(f"{measures_created} mesures de démonstration créées.")
        if sessions_created:
            self.stdout.write(f"{sessions_created} séances du comité créées.")
        self.print_logins()

    def seed_organisations(self) -> dict[str, Organisation]:
        organisations = {}
        for name, short_name, kind in demo.ORGANISATIONS:
            organisation, _ = Organisation.objects.update_or_create(
                short_name=short_name, defaults={"name": name, "kind": kind}
            )
            organisations[short_name] = organisation
        return organisations

    def seed_personas(self, organisations) -> dict[str, User]:
        users = {}
        for email, full_name, organisation, role in demo.PERSONAS:
            user = User.objects.filter(email=email).first()
            if user is None:
                create = User.objects.create_superuser if role is None else User.objects.create_user
                user = create(email, demo.DEMO_PASSWORD, full_name=full_name)
            if role is not None:
                Membership.objects.get_or_create(user=user, organisation=organisations[organisation], role=role)
            replace_backup_codes(user, list(demo.DEMO_BACKUP_CODES))
            users[email] = user
        return users

    def print_logins(self):
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes. Comptes (mot de passe commun) :"))
        for email, full_name, organisation, role in demo.PERSONAS:
            what = f"{role.label} · {organisation}" if role else "Administrateur"
            self.stdout.write(f"  {email:<28} {full_name:<18} {what}")
        self.stdout.write(f"  Mot de passe : {demo.DEMO_PASSWORD}")
        self.stdout.write(
            "  Second facteur : un code de secours à usage unique parmi "
            f"{', '.join(demo.DEMO_BACKUP_CODES)} (renouvelés à chaque « make run »)"
        )
