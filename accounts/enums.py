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
