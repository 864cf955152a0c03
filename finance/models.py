from django.core.exceptions import ValidationError
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
