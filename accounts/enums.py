from django.db import models


class OrganisationKind(models.TextChoices):
    LANDLORD = "landlord", "Bailleur"
    ASSOCIATION = "association", "Opérateur associatif"
    INSTITUTION = "institution", "Institution"
    FUNDER = "funder", "Financeur"


class Role(models.TextChoices):
    TENANCY_STAFF = "tenancy_staff", "Gestion locative"
    REFERENT = "referent", "Référent social"
    COORDINATOR = "coordinator", "Responsable"
    SECRETARY = "secretary", "Secrétariat du comité"
    STEERING = "steering", "Pilotage"
    DATA_PROTECTION = "data_protection", "Délégué à la protection des données"


class AccessAction(models.TextChoices):
    VIEW_HOUSEHOLD = "view_household", "Consultation du dossier"
    VIEW_MEASURE = "view_measure", "Consultation de la mesure"
    DOWNLOAD_PDF = "download_pdf", "Téléchargement d'un PDF"
    DOWNLOAD_DOCUMENT = "download_document", "Téléchargement d'un document"
    EXPORT = "export", "Export"
    GDPR_EXPORT = "gdpr_export", "Export RGPD (droit d'accès)"
