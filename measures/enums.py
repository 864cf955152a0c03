from django.db import models

from households.enums import Track


class MeasureType(models.TextChoices):
    MAINTIEN = "maintien", "Maintien dans le logement"
    HOUSING_FIRST = "housing_first", "Accès – logement d'abord"
    SLIDING_LEASE = "sliding_lease", "Accès – bail glissant / transit-glissant"
    AVDL = "avdl", "AVDL"


# The measures a household's track allows, the usual one first: keeping one's home, or reaching
# one (DOMAIN.md § 1); the AVDL-type accompaniment serves both.
TYPES_FOR_TRACK = {
    Track.MAINTIEN: (MeasureType.MAINTIEN, MeasureType.AVDL),
    Track.ACCES: (MeasureType.HOUSING_FIRST, MeasureType.SLIDING_LEASE, MeasureType.AVDL),
}


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposée"
    DIAGNOSTIC = "diagnostic", "Diagnostic en cours"
    ACTIVE = "active", "Active"
    SUSPENDED = "suspended", "Suspendue"
    CLOSED = "closed", "Close"


class Intensity(models.TextChoices):
    LIGHT = "light", "Légère"
    STANDARD = "standard", "Standard"
    REINFORCED = "reinforced", "Renforcée"


class Outcome(models.TextChoices):
    KEPT_IN_HOME = "kept", "Maintien dans le logement"
    REHOUSED = "rehoused", "Relogé"
    LEASE_SLID = "slid", "Bail glissé"
    ACCESS_ACHIEVED = "access", "Accès au logement réalisé"
    MOVED_OUT = "moved_out", "Départ volontaire"
    EVICTED = "evicted", "Expulsé"
    REFUSED = "refused", "Refus ou arrêt de l'accompagnement par le ménage"
    NO_MEASURE_NEEDED = "no_measure", "Pas de mesure nécessaire après diagnostic"
    OTHER = "other", "Autre"


class Domain(models.TextChoices):
    HOUSING = "housing", "Logement et son usage"
    BUDGET = "budget", "Budget et dettes"
    RIGHTS = "rights", "Droits et prestations"
    HEALTH = "health", "Santé (pour ce qu'en demande le logement)"
    WORK = "work", "Emploi et formation"
    FAMILY = "family", "Famille et enfants"
    NETWORK = "network", "Réseau social"
    NEIGHBOURHOOD = "neighbourhood", "Voisinage et quartier"


class SignatureMethod(models.TextChoices):
    PAPER = "paper", "Sur papier (scan joint)"
    IN_PERSON = "in_person", "En personne, lors d'un entretien"


class DiagnosticConclusion(models.TextChoices):
    MEASURE = "measure", "Une mesure d'accompagnement est proposée"
    NO_MEASURE = "no_measure", "Aucune mesure n'est nécessaire"


class ContactKind(models.TextChoices):
    HOME_VISIT = "home_visit", "Visite à domicile"
    OFFICE = "office", "Entretien au bureau"
    ESCORT = "escort", "Accompagnement à un rendez-vous"
    PHONE = "phone", "Appel téléphonique"
    ADMIN = "admin", "Travail administratif"
    PARTNER_MEETING = "partner_meeting", "Réunion de partenaires"
    NOBODY_HOME = "nobody_home", "Visite à domicile, ménage absent"


class ObjectiveStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Pas commencé"
    IN_PROGRESS = "in_progress", "En cours"
    REACHED = "reached", "Atteint"
    ABANDONED = "abandoned", "Abandonné"


class EvaluationKind(models.TextChoices):
    INTERMEDIATE = "intermediate", "Intermédiaire"
    FINAL = "final", "Finale"


class Recommendation(models.TextChoices):
    CONTINUE = "continue", "Poursuivre"
    ADJUST = "adjust", "Ajuster"
    CLOSE = "close", "Clore"


class PartnerKind(models.TextChoices):
    CCAS = "ccas", "CCAS"
    CAF = "caf", "CAF"
    DEPARTMENT = "department", "Département (UTPAS)"
    SCHOOL = "school", "École, collège"
    HEALTH = "health", "Santé"
    JUSTICE = "justice", "Justice (SPIP, PJJ…)"
    EMPLOYMENT = "employment", "Emploi (France Travail, Mission locale)"
    OTHER = "other", "Autre"


class DocumentKind(models.TextChoices):
    SIGNED_DIAGNOSTIC = "signed_diagnostic", "Diagnostic signé (scan)"
    SIGNED_CONTRACT = "signed_contract", "Contrat signé (scan)"
    CONSENT = "consent", "Consentement"
    OTHER = "other", "Autre document"
