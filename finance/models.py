from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from accounts.audit import audited
from accounts.models import Organisation


@audited()
class Programme(models.Model):
    """A landlord's programme under one call for projects (e.g. LMH, 2014 call, two years)."""

    landlord = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="programmes", verbose_name="bailleur"
    )
    name = models.CharField("nom", max_length=200)
    call_year = models.PositiveSmallIntegerField("année de l'appel à projets")
    start = models.DateField("début")
    end = models.DateField("fin")
    maintien_planned_per_year = models.PositiveSmallIntegerField("mesures maintien prévues par an", default=0)
    acces_planned_per_year = models.PositiveSmallIntegerField("mesures accès prévues par an", default=0)
    committee_place = models.CharField("lieu habituel du comité", max_length=200, blank=True)

    class Meta:
        verbose_name = "programme"
        ordering = ["-start"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": "La fin du programme doit suivre son début."})

    @property
    def measures_planned_per_year(self) -> int:
        return self.maintien_planned_per_year + self.acces_planned_per_year


class RateKind(models.TextChoices):
    DIAGNOSTIC = "diagnostic", "Diagnostic (par mesure)"
    ACCOMPANIMENT = "accompaniment", "Accompagnement (par an)"


class ValidityQuerySet(models.QuerySet):
    def valid_on(self, day):
        return self.filter(valid_from__lte=day).filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))


class Validity(models.Model):
    """Reference data changes with each call for projects: each row says from when (and until when) it holds."""

    valid_from = models.DateField("valable à partir du")
    valid_to = models.DateField("valable jusqu'au", null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": "La fin de validité doit suivre son début."})


@audited()
class Rate(Validity):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="rates", verbose_name="programme")
    kind = models.CharField("tarif", max_length=20, choices=RateKind.choices)
    amount = models.DecimalField(
        "montant (€)", max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )

    class Meta:
        verbose_name = "tarif"
        ordering = ["programme", "kind", "valid_from"]

    def __str__(self):
        return f"{self.get_kind_display()} : {self.amount} € à partir du {self.valid_from:%d/%m/%Y}"


@audited()
class TimeNormSetting(Validity):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="norms", verbose_name="programme")
    diagnostic_household_minutes = models.PositiveIntegerField("diagnostic : temps avec le ménage (min)", default=150)
    diagnostic_admin_minutes = models.PositiveIntegerField("diagnostic : temps administratif (min)", default=60)
    meeting_minutes = models.PositiveIntegerField("rencontre avec le ménage (min)", default=90)
    meeting_every_weeks = models.PositiveSmallIntegerField(
        "une rencontre toutes les (semaines)", default=3, validators=[MinValueValidator(1)]
    )
    admin_minutes_per_month = models.PositiveIntegerField("suivi administratif par mois (min)", default=90)

    class Meta:
        verbose_name = "norme de temps"
        verbose_name_plural = "normes de temps"
        ordering = ["programme", "valid_from"]

    def __str__(self):
        return f"Normes à partir du {self.valid_from:%d/%m/%Y}"

    def as_norm(self):
        from measures.norms import TimeNorm

        return TimeNorm(
            diagnostic_household_minutes=self.diagnostic_household_minutes,
            diagnostic_admin_minutes=self.diagnostic_admin_minutes,
            meeting_minutes=self.meeting_minutes,
            meeting_every_weeks=self.meeting_every_weeks,
            admin_minutes_per_month=self.admin_minutes_per_month,
        )


@audited()
class FundingShare(Validity):
    """Who pays what share of each measure's cost: e.g. FNAVDL + CGLLS 50 %, landlord's own funds 50 %."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="shares", verbose_name="programme")
    label = models.CharField("financeur", max_length=100)
    funders = models.ManyToManyField(Organisation, blank=True, related_name="+", verbose_name="organisations")
    percent = models.DecimalField(
        "part (%)", max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    is_subsidy = models.BooleanField(
        "subvention", default=True, help_text="Décochez pour les fonds propres du bailleur."
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "part de financement"
        verbose_name_plural = "parts de financement"
        ordering = ["programme", "position", "pk"]

    def __str__(self):
        return f"{self.label} : {self.percent} %"
