"""Demo organisations and personas, shared by `seed_demo` and the README."""

from accounts.enums import OrganisationKind, Role

DEMO_PASSWORD = "Accompagnement-Demo-2026"  # noqa: S105  (demo data only; seed_demo refuses unless DEBUG)
# Known single-use backup codes for every demo account (second factor), renewed by each seed_demo.
DEMO_BACKUP_CODES = [f"demo-{n:02d}" for n in range(1, 11)]

ORGANISATIONS = [
    ("Lille Métropole Habitat", "LMH", OrganisationKind.LANDLORD),
    ("EOLE", "EOLE", OrganisationKind.ASSOCIATION),
    ("AFEJI", "AFEJI", OrganisationKind.ASSOCIATION),
    ("GRAAL", "GRAAL", OrganisationKind.ASSOCIATION),
    ("Mission Locale de Lille", "Mission Locale", OrganisationKind.ASSOCIATION),
    ("Collectif des SDF", "Collectif SDF", OrganisationKind.ASSOCIATION),
    ("La Sauvegarde du Nord", "Sauvegarde du Nord", OrganisationKind.ASSOCIATION),
    ("Ensemble Autrement", "Ensemble Autrement", OrganisationKind.ASSOCIATION),
    ("SIAO du Nord", "SIAO", OrganisationKind.INSTITUTION),
    ("Département du Nord", "Département", OrganisationKind.INSTITUTION),
    ("CCAS de Lille", "CCAS Lille", OrganisationKind.INSTITUTION),
    ("DDETS du Nord", "DDETS", OrganisationKind.INSTITUTION),
    ("Caisse de garantie du logement locatif social", "CGLLS", OrganisationKind.FUNDER),
    ("Fonds national d'accompagnement vers et dans le logement", "FNAVDL", OrganisationKind.FUNDER),
]

# (e-mail, full name, organisation short name, role); role None = administrator (Django staff).
PERSONAS = [
    ("c.lefebvre@lmh.example", "Claire Lefebvre", "LMH", Role.TENANCY_STAFF),
    ("a.martin@eole.example", "Amandine Martin", "EOLE", Role.REFERENT),
    ("k.benali@afeji.example", "Karim Benali", "AFEJI", Role.REFERENT),
    ("s.dubois@eole.example", "Sophie Dubois", "EOLE", Role.COORDINATOR),
    ("n.roussel@lmh.example", "Nathalie Roussel", "LMH", Role.SECRETARY),
    ("p.vandamme@lmh.example", "Pierre Vandamme", "LMH", Role.STEERING),
    ("admin@lmh.example", "Julien Caron", None, None),
    ("dpo@lmh.example", "Mireille Hautecoeur", "LMH", Role.DATA_PROTECTION),
    # Further referents, so that every association's households have one (and EOLE can change referent).
    ("j.lemaire@eole.example", "Julie Lemaire", "EOLE", Role.REFERENT),
    ("m.dhont@graal.example", "Marc Dhont", "GRAAL", Role.REFERENT),
    ("l.ferrand@missionlocale.example", "Léa Ferrand", "Mission Locale", Role.REFERENT),
    ("y.bensaid@collectifsdf.example", "Yacine Bensaïd", "Collectif SDF", Role.REFERENT),
    ("c.vasseur@sauvegarde.example", "Camille Vasseur", "Sauvegarde du Nord", Role.REFERENT),
    ("t.morel@ensemble.example", "Thomas Morel", "Ensemble Autrement", Role.REFERENT),
]
