"""Fallback home-page sections: a role's missions, shown until an app registers that role's work."""

from accounts.dashboards import Section, register
from accounts.enums import Role

MISSIONS = {
    Role.TENANCY_STAFF: "Signaler les situations fragiles, suivre les procédures d'expulsion, "
    "préparer les échanges avec les travailleurs sociaux.",
    Role.REFERENT: "Conduire les diagnostics, suivre les contrats d'accompagnement, noter les rencontres et le temps.",
    Role.COORDINATOR: "Suivre l'activité de votre organisation et répartir les ménages entre les référents.",
    Role.SECRETARY: "Préparer les séances du comité, enregistrer les décisions, valider les procès-verbaux.",
    Role.STEERING: "Suivre les indicateurs du programme et les états financiers (données agrégées, sans nom).",
    Role.DATA_PROTECTION: "Consulter le journal des accès et répondre aux demandes d'accès des ménages (RGPD) "
    "par l'export de leurs données, depuis le journal des accès.",
}


def _mission_section(role):
    def build(user):
        return Section(
            role=role,
            title=f"{Role(role).label} — vos missions",
            template="accounts/_section_mission.html",
            context={"mission": MISSIONS[role]},
        )

    return build


for _role in Role.values:
    register(_role, fallback=True)(_mission_section(_role))
