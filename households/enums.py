from django.db import models


class Track(models.TextChoices):
    MAINTIEN = "maintien", "Maintien"
    ACCES = "acces", "Accès"


class HouseholdStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposé"
    IN_DIAGNOSTIC = "in_diagnostic", "En diagnostic"
    ACCOMPANIED = "accompanied", "Accompagné"
    CLOSED = "closed", "Clos"
    NOT_RETAINED = "not_retained", "Non retenu"


class Relation(models.TextChoices):
    HEAD = "head", "Chef de ménage"
    SPOUSE = "spouse", "Conjoint(e)"
    CHILD = "child", "Enfant"
    OTHER_ADULT = "other_adult", "Autre adulte"
    OTHER = "other", "Autre"


class ResourceSource(models.TextChoices):
    WAGES = "wages", "Salaires"
    RSA = "rsa", "RSA"
    CAF = "caf", "Prestations CAF"
    PENSION = "pension", "Pension, retraite"
    HOUSING_BENEFIT = "housing_benefit", "Aide au logement (APL / AL)"
    OTHER = "other", "Autre"


class HousingSituation(models.TextChoices):
    LMH_TENANT = "lmh_tenant", "Locataire du bailleur"
    CHRS = "chrs", "Hébergé en CHRS"
    HOSTED = "hosted", "Hébergé par un tiers"
    HOTEL = "hotel", "Hôtel"
    STREET = "street", "Sans abri"
    OTHER = "other", "Autre"


class ConsentMethod(models.TextChoices):
    SIGNED = "signed", "Formulaire signé"
    IN_PERSON = "in_person", "Information orale lors d'un entretien"
    LETTER = "letter", "Courrier"


class Typology(models.TextChoices):
    T1 = "T1", "T1"
    T2 = "T2", "T2"
    T3 = "T3", "T3"
    T4 = "T4", "T4"
    T5 = "T5", "T5"
    T6 = "T6", "T6"


class Financing(models.TextChoices):
    PLAI = "plai", "PLAI"
    SUPER_PLAI = "super_plai", "Super-PLAI"
    PLUS = "plus", "PLUS"
    PLS = "pls", "PLS"
    OTHER = "other", "Autre"


class OfferKind(models.TextChoices):
    EXISTING = "existing", "Logement existant"
    NEW = "new", "Offre nouvelle"


class Contingent(models.TextChoices):
    PREFECTORAL = "prefectoral", "Contingent préfectoral"
    LANDLORD = "landlord", "Contingent bailleur"
    OTHER = "other", "Autre réservataire"


class LeaseKind(models.TextChoices):
    DIRECT = "direct", "Bail direct"
    SLIDING = "sliding", "Bail glissant"
    TEMPORARY = "temporary", "Occupation temporaire"


class AllocationDecision(models.TextChoices):
    PENDING = "pending", "En attente de la CAL"
    GRANTED = "granted", "Attribution"
    GRANTED_WITH_CONDITION = "granted_condition", "Attribution sous condition"
    REFUSED = "refused", "Refus"


class LegalRegime(models.TextChoices):
    BEFORE_2023 = "before_2023", "Avant le 29/07/2023"
    AFTER_2023 = "after_2023", "Loi du 27/07/2023 (depuis le 29/07/2023)"


class ProcedureEventKind(models.TextChoices):
    # The main stages, in their legal order.
    CCAPEX_REFERRAL = "ccapex_referral", "Saisine de la CCAPEX"
    PAYMENT_ORDER = "payment_order", "Commandement de payer"
    SUMMONS = "summons", "Assignation"
    HEARING = "hearing", "Audience"
    JUDGMENT = "judgment", "Jugement"
    ORDER_TO_VACATE = "order_to_vacate", "Commandement de quitter les lieux"
    POLICE_REQUEST = "police_request", "Réquisition de la force publique"
    POLICE_DECISION = "police_decision", "Décision du préfet sur le concours de la force publique"
    # Ways out and other events, alongside the stages.
    SUSPENSION = "suspension", "Suspension de la procédure"
    REPAYMENT_PLAN = "repayment_plan", "Plan d'apurement"
    FSL_APPLICATION = "fsl_application", "Demande FSL"
    FSL_DECISION = "fsl_decision", "Décision FSL"
    COHESION_PROTOCOL = "cohesion_protocol", "Protocole de cohésion sociale"
    CCAPEX_OPINION = "ccapex_opinion", "Avis de la CCAPEX"
    CLOSED = "closed", "Procédure abandonnée ou éteinte"
