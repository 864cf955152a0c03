import hashlib

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from accounts import perms
from accounts.audit import audited
from accounts.models import Organisation
from committee.enums import Attendance, DecisionKind, ItemKind, SessionStatus
from finance.models import Programme
from households.enums import Track
from households.models import Household, SituationReport
from measures.enums import TYPES_FOR_TRACK, Intensity, MeasureType, Outcome
from measures.models import Measure


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The secretary and staff of the landlord see its sessions; partners see the sessions they
        are convened to."""
        landlords = perms.landlord_ids_for_case_files(user)
        partners = perms.social_work_organisation_ids(user)
        return self.filter(
            Q(programme__landlord_id__in=landlords) | Q(attendees__organisation_id__in=partners)
        ).distinct()


@audited()
class Session(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="sessions", verbose_name="programme"
    )
    number = models.PositiveSmallIntegerField("séance n°")
    starts_at = models.DateTimeField("date et heure")
    place = models.CharField("lieu", max_length=200)
    status = models.CharField("statut", max_length=20, choices=SessionStatus.choices, default=SessionStatus.PLANNED)
    convened_at = models.DateTimeField("convocation envoyée le", null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        verbose_name = "séance du comité"
        verbose_name_plural = "séances du comité"
        ordering = ["-starts_at"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="session_unique_number")]

    def __str__(self):
        return f"Comité n° {self.number} du {self.starts_at:%d/%m/%Y}"

    @property
    def is_frozen(self) -> bool:
        return self.status == SessionStatus.VALIDATED


@audited()
class Attendee(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendees")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="organisation"
    )
    name = models.CharField("personne", max_length=150)
    email = models.EmailField("e-mail", blank=True)
    attendance = models.CharField("présence", max_length=20, choices=Attendance.choices, default=Attendance.INVITED)

    class Meta:
        verbose_name = "participant"
        ordering = ["organisation__name", "name"]

    def __str__(self):
        return f"{self.name} ({self.organisation})"


@audited()
class AgendaItem(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField("ordre")
    kind = models.CharField("type", max_length=30, choices=ItemKind.choices)
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="agenda_items", verbose_name="ménage"
    )
    situation_report = models.ForeignKey(
        SituationReport, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items"
    )
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="agenda_items")
    presented_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="présenté par"
    )
    summary = models.TextField(
        "résumé pour le comité",
        blank=True,
        help_text="Lu par tous les partenaires : ni nom complet, ni note confidentielle.",
    )

    class Meta:
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "ordre du jour"
        ordering = ["position", "pk"]

    def __str__(self):
        return f"{self.position}. {self.get_kind_display()} — {self.household.reference}"


@audited()
class Decision(models.Model):
    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="decision")
    kind = models.CharField("décision", max_length=20, choices=DecisionKind.choices)
    operator = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="association"
    )
    measure_type = models.CharField("type de mesure", max_length=20, choices=MeasureType.choices, blank=True)
    content = models.TextField("contenu de la mesure", blank=True)
    duration_months = models.PositiveSmallIntegerField(
        "durée (mois)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    planned_end = models.DateField("fin prévue", null=True, blank=True)
    intensity = models.CharField("intensité", max_length=20, choices=Intensity.choices, blank=True)
    outcome = models.CharField("issue", max_length=20, choices=Outcome.choices, blank=True)
    reason = models.CharField("motif", max_length=300, blank=True)
    summary = models.TextField("résumé des échanges", blank=True, help_text="Repris au procès-verbal.")
    applied_at = models.DateTimeField("appliquée le", null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result = models.CharField("effet", max_length=300, blank=True)
    result_measure = models.ForeignKey(
        Measure, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions", verbose_name="mesure"
    )

    class Meta:
        verbose_name = "décision"

    def __str__(self):
        return f"{self.get_kind_display()} — {self.item.household.reference}"

    def clean(self):
        errors = {}
        required = {
            DecisionKind.ORIENT: ["operator", "measure_type"],
            DecisionKind.CALIBRATE: ["measure_type", "intensity"],
            DecisionKind.CLOSE: ["outcome"],
            DecisionKind.NOT_RETAINED: ["reason"],
        }
        for name in required.get(self.kind, []):
            if not getattr(self, name) and not getattr(self, f"{name}_id", None):
                errors[name] = "Ce champ est nécessaire pour ce type de décision."
        if self.kind in (DecisionKind.EXTEND,) and not (self.planned_end or self.duration_months):
            errors["planned_end"] = "Indiquez la nouvelle fin prévue ou la durée de la prolongation."
        if self.kind in (DecisionKind.CALIBRATE, DecisionKind.EXTEND, DecisionKind.ADJUST, DecisionKind.CLOSE):
            if self.item_id and not self.item.measure_id:
                errors["kind"] = "Ce point ne porte sur aucune mesure : choisissez une orientation ou un autre type."
        if self.kind in (DecisionKind.ORIENT, DecisionKind.CALIBRATE) and self.measure_type and self.item_id:
            track = self.item.household.track
            if self.measure_type not in TYPES_FOR_TRACK[track]:
                allowed = ", ".join(f"« {MeasureType(kind).label} »" for kind in TYPES_FOR_TRACK[track])
                errors["measure_type"] = (
                    f"Ce ménage relève du parcours « {Track(track).label} » : choisissez {allowed}."
                )
        if errors:
            raise ValidationError(errors)


@audited(exclude=["pdf"])
class Minutes(models.Model):
    """A validated version of the minutes: the PDF bytes and their SHA-256 never change afterwards
    (a PostgreSQL trigger refuses updates and deletes). A correction is a new version."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="minutes")
    version = models.PositiveSmallIntegerField("version")
    pdf = models.BinaryField("PDF")
    sha256 = models.CharField("empreinte SHA-256", max_length=64)
    validated_at = models.DateTimeField("validé le", auto_now_add=True)
    validated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    correction_reason = models.CharField("motif de la correction", max_length=300, blank=True)

    class Meta:
        verbose_name = "procès-verbal validé"
        verbose_name_plural = "procès-verbaux validés"
        ordering = ["session", "version"]
        constraints = [models.UniqueConstraint(fields=["session", "version"], name="minutes_unique_version")]
        triggers = [
            pgtrigger.Protect(name="minutes_frozen", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self):
        return f"PV {self.session} — version {self.version}"

    def clean(self):
        if self.pdf and hashlib.sha256(bytes(self.pdf)).hexdigest() != self.sha256:
            raise ValidationError("L'empreinte ne correspond pas au PDF.")
