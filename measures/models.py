from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Max, Q, Sum, Value
from django.utils import timezone
from encrypted_fields.fields import EncryptedTextField

from accounts import perms
from accounts.audit import audited
from accounts.models import Organisation
from households.models import MONEY, Household, Person
from measures.enums import (
    ContactKind,
    DiagnosticConclusion,
    DocumentKind,
    Domain,
    EvaluationKind,
    Intensity,
    MeasureStatus,
    MeasureType,
    ObjectiveStatus,
    Outcome,
    PartnerKind,
    Recommendation,
    SignatureMethod,
)

# Allowed status transitions; closing from the diagnostic is for "no measure needed".
TRANSITIONS = {
    MeasureStatus.PROPOSED: {MeasureStatus.DIAGNOSTIC},
    MeasureStatus.DIAGNOSTIC: {MeasureStatus.ACTIVE, MeasureStatus.CLOSED},
    MeasureStatus.ACTIVE: {MeasureStatus.SUSPENDED, MeasureStatus.CLOSED},
    MeasureStatus.SUSPENDED: {MeasureStatus.ACTIVE, MeasureStatus.CLOSED},
    MeasureStatus.CLOSED: set(),
}


class Versioned(models.Model):
    """Optimistic locking: a save states the version it was read at; a stale one is refused."""

    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        abstract = True


class MeasureQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(household__in=Household.objects.visible_to(user))

    def open(self):
        return self.exclude(status=MeasureStatus.CLOSED)

    def with_time(self):
        """Time logged and the last meeting with the household, aggregated in the database (read by
        measures.timekeeping.time_summary) rather than by loading every contact."""
        with_household = Q(contacts__with_household=True)
        return self.annotate(
            time_household=Sum("contacts__duration_minutes", filter=with_household),
            time_admin=Sum("contacts__duration_minutes", filter=Q(contacts__with_household=False)),
            time_last_met=Max("contacts__on", filter=with_household & ~Q(contacts__kind=ContactKind.NOBODY_HOME)),
        )


@audited()
class Measure(Versioned):
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="measures", verbose_name="ménage")
    measure_type = models.CharField("type de mesure", max_length=20, choices=MeasureType.choices)
    operator = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="measures", verbose_name="association"
    )
    status = models.CharField("statut", max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PROPOSED)
    intensity = models.CharField("intensité", max_length=20, choices=Intensity.choices, default=Intensity.STANDARD)
    content = models.TextField("contenu de la mesure (calibrage)", blank=True)
    start_date = models.DateField("début de l'accompagnement", null=True, blank=True)
    planned_end = models.DateField("fin prévue", null=True, blank=True)
    outcome = models.CharField("issue", max_length=20, choices=Outcome.choices, blank=True)
    closed_on = models.DateField("close le", null=True, blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)

    objects = MeasureQuerySet.as_manager()

    class Meta:
        verbose_name = "mesure"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "planned_end"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=MeasureStatus.CLOSED) | (Q(closed_on__isnull=False) & ~Q(outcome="")),
                name="measure_closed_has_outcome",
            ),
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(start_date__isnull=True)
                | Q(planned_end__gte=F("start_date")),
                name="measure_planned_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_measure_type_display()} — {self.household.reference}"

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS[MeasureStatus(self.status)]

    @property
    def current_assignment(self):
        """The current referent assignment (prefetch `assignments` to avoid a query per measure)."""
        return next((a for a in self.assignments.all() if a.end is None), None)

    @property
    def referent(self):
        assignment = self.current_assignment
        return assignment.referent if assignment else None


@audited()
class MeasureStatusChange(models.Model):
    """Each status change, dated: the days of active accompaniment (for costs) come from these."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("de", max_length=20, choices=MeasureStatus.choices, blank=True)
    to_status = models.CharField("vers", max_length=20, choices=MeasureStatus.choices)
    on = models.DateField("le")
    reason = models.CharField("motif", max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "changement de statut"
        ordering = ["on", "recorded_at"]

    def __str__(self):
        return f"{self.on:%d/%m/%Y} {self.get_from_status_display()} → {self.get_to_status_display()}"


class DateRange(Func):
    function = "daterange"
    output_field = models.Field()


@audited()
class ReferentAssignment(models.Model):
    """One single referent at a time: periods of one measure may not overlap (enforced by PostgreSQL)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="assignments")
    referent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments", verbose_name="référent"
    )
    start = models.DateField("depuis le")
    end = models.DateField("jusqu'au", null=True, blank=True)
    reason = models.CharField("motif du changement", max_length=300, blank=True)

    class Meta:
        verbose_name = "référent de la mesure"
        verbose_name_plural = "référents de la mesure"
        ordering = ["start"]
        constraints = [
            models.UniqueConstraint(fields=["measure"], condition=Q(end__isnull=True), name="assignment_one_current"),
            ExclusionConstraint(
                name="assignment_no_overlap",
                expressions=[
                    ("measure", RangeOperators.EQUAL),
                    (DateRange("start", "end", Value("[)")), RangeOperators.OVERLAPS),
                ],
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gt=F("start")), name="assignment_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.referent} depuis le {self.start:%d/%m/%Y}"


@audited()
class Diagnostic(Versioned):
    """The shared (tripartite) diagnostic: household, association and landlord; signed by the household."""

    measure = models.OneToOneField(Measure, on_delete=models.PROTECT, related_name="diagnostic")
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="travailleur social"
    )
    landlord_representative = models.CharField("représentant du bailleur", max_length=150, blank=True)
    members_present = models.ManyToManyField(Person, blank=True, verbose_name="membres du ménage présents")
    started_on = models.DateField("commencé le", default=timezone.localdate)
    held_on = models.DateField("entretien tripartite le", null=True, blank=True)
    household_minutes = models.PositiveIntegerField(
        "temps avec le ménage (minutes)", default=0, validators=[MaxValueValidator(6000)]
    )
    admin_minutes = models.PositiveIntegerField(
        "temps administratif (minutes)", default=0, validators=[MaxValueValidator(6000)]
    )
    finding_housing = models.TextField(Domain.HOUSING.label, blank=True)
    finding_budget = models.TextField(Domain.BUDGET.label, blank=True)
    finding_rights = models.TextField(Domain.RIGHTS.label, blank=True)
    finding_health = models.TextField(
        Domain.HEALTH.label, blank=True, help_text="Uniquement ce qui concerne le logement ; aucun détail médical."
    )
    finding_work = models.TextField(Domain.WORK.label, blank=True)
    finding_family = models.TextField(Domain.FAMILY.label, blank=True)
    finding_network = models.TextField(Domain.NETWORK.label, blank=True)
    finding_neighbourhood = models.TextField(Domain.NEIGHBOURHOOD.label, blank=True)
    household_words = models.TextField("paroles et souhaits du ménage", blank=True)
    needs = models.TextField("besoins repérés", blank=True)
    conclusion = models.CharField("conclusion", max_length=20, choices=DiagnosticConclusion.choices, blank=True)
    proposed_type = models.CharField("mesure proposée", max_length=20, choices=MeasureType.choices, blank=True)
    proposed_intensity = models.CharField("intensité proposée", max_length=20, choices=Intensity.choices, blank=True)
    proposed_duration_months = models.PositiveSmallIntegerField(
        "durée proposée (mois)", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    # Signatures: the household's (date and how), then the association's and the landlord's sign-off.
    household_signed_on = models.DateField("signé par le ménage le", null=True, blank=True)
    household_signature_method = models.CharField(
        "signature du ménage", max_length=20, choices=SignatureMethod.choices, blank=True
    )
    association_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    association_signed_on = models.DateField("visa de l'association le", null=True, blank=True)
    landlord_signed_by = models.CharField("visa du bailleur par", max_length=150, blank=True)
    landlord_signed_on = models.DateField("visa du bailleur le", null=True, blank=True)

    FINDINGS = [
        ("finding_housing", Domain.HOUSING),
        ("finding_budget", Domain.BUDGET),
        ("finding_rights", Domain.RIGHTS),
        ("finding_health", Domain.HEALTH),
        ("finding_work", Domain.WORK),
        ("finding_family", Domain.FAMILY),
        ("finding_network", Domain.NETWORK),
        ("finding_neighbourhood", Domain.NEIGHBOURHOOD),
    ]

    class Meta:
        verbose_name = "diagnostic partagé"
        verbose_name_plural = "diagnostics partagés"

    def __str__(self):
        return f"Diagnostic — {self.measure.household.reference}"

    @property
    def is_signed(self) -> bool:
        return self.household_signed_on is not None

    def findings(self) -> list[tuple[str, str]]:
        return [(domain.label, getattr(self, name)) for name, domain in self.FINDINGS]

    def missing_for_signature(self) -> list[str]:
        """What must be filled in before the household signs."""
        missing = []
        if not self.held_on:
            missing.append("la date de l'entretien tripartite")
        if not self.conclusion:
            missing.append("la conclusion")
        if self.conclusion == DiagnosticConclusion.MEASURE and not self.proposed_type:
            missing.append("le type de mesure proposé")
        if not any(getattr(self, name) for name, _ in self.FINDINGS):
            missing.append("au moins un constat")
        return missing


@audited()
class DiagnosticAmendment(models.Model):
    """A change after signature: the signed diagnostic stays as signed; the amendment adds to it."""

    diagnostic = models.ForeignKey(Diagnostic, on_delete=models.CASCADE, related_name="amendments")
    made_on = models.DateField("le", default=timezone.localdate)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("motif", max_length=300)
    text = models.TextField("avenant")

    class Meta:
        verbose_name = "avenant au diagnostic"
        ordering = ["made_on", "pk"]

    def __str__(self):
        return f"Avenant du {self.made_on:%d/%m/%Y}"


@audited()
class Contract(Versioned):
    measure = models.OneToOneField(Measure, on_delete=models.PROTECT, related_name="contract")
    household_commitments = models.TextField("engagements du ménage", blank=True)
    referent_commitments = models.TextField("engagements du référent", blank=True)
    landlord_commitments = models.TextField("engagements du bailleur", blank=True)
    household_signed_on = models.DateField("signé par le ménage le", null=True, blank=True)
    referent_signed_on = models.DateField("signé par le référent le", null=True, blank=True)
    amendment_number = models.PositiveSmallIntegerField("avenant n°", default=0)

    class Meta:
        verbose_name = "contrat d'accompagnement"
        verbose_name_plural = "contrats d'accompagnement"

    def __str__(self):
        return f"Contrat — {self.measure.household.reference}"

    @property
    def is_signed(self) -> bool:
        return self.household_signed_on is not None and self.referent_signed_on is not None

    def snapshot(self) -> dict:
        """The content as signed, kept readable when an amendment changes it."""
        return {
            "household_commitments": self.household_commitments,
            "referent_commitments": self.referent_commitments,
            "landlord_commitments": self.landlord_commitments,
            "household_signed_on": self.household_signed_on.isoformat() if self.household_signed_on else None,
            "referent_signed_on": self.referent_signed_on.isoformat() if self.referent_signed_on else None,
            "objectives": [
                {
                    "domain": o.get_domain_display(),
                    "description": o.description,
                    "target_date": o.target_date.isoformat() if o.target_date else None,
                    "status": o.get_status_display(),
                }
                for o in self.objectives.all()
            ],
        }


@audited()
class Objective(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="objectives")
    domain = models.CharField("domaine", max_length=20, choices=Domain.choices)
    description = models.CharField("objectif", max_length=300)
    target_date = models.DateField("échéance", null=True, blank=True)
    status = models.CharField(
        "état", max_length=20, choices=ObjectiveStatus.choices, default=ObjectiveStatus.NOT_STARTED
    )
    progress_notes = models.TextField("avancement", blank=True)

    class Meta:
        verbose_name = "objectif"
        ordering = ["pk"]

    def __str__(self):
        return self.description

    def clean(self):
        # The contract form hands each row its contract (measure included): no query per row.
        start = self.contract.measure.start_date if self.contract_id else None
        if self.target_date and start and self.target_date < start:
            raise ValidationError({"target_date": f"L'échéance suit le début de l'accompagnement ({start:%d/%m/%Y})."})


@audited()
class ContractVersion(models.Model):
    """The previous version of a contract, frozen when an amendment reopens it."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField("version")
    content = models.JSONField("contenu signé")
    reason = models.CharField("motif de l'avenant", max_length=300)
    made_on = models.DateField("avenant du", default=timezone.localdate)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "version signée du contrat"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="contract_version_unique")]

    def __str__(self):
        return f"Version {self.number}"


class ContactQuerySet(models.QuerySet):
    def with_household(self):
        return self.exclude(kind__in=[ContactKind.ADMIN, ContactKind.PARTNER_MEETING]).filter(with_household=True)


@audited()
class Contact(models.Model):
    """A meeting or piece of work for the measure, with its time. The confidential note is for the
    social workers of the household only: never shown to landlord staff, in any page, export or PDF."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField("date", default=timezone.localdate)
    kind = models.CharField("type", max_length=20, choices=ContactKind.choices, default=ContactKind.HOME_VISIT)
    duration_minutes = models.PositiveIntegerField(
        "durée (minutes)", validators=[MinValueValidator(1), MaxValueValidator(720)]
    )
    with_household = models.BooleanField(
        "avec le ménage", default=True, help_text="Décochez pour du temps administratif ou entre professionnels."
    )
    participants = models.CharField("participants", max_length=300, blank=True)
    summary = models.TextField(
        "résumé partageable", blank=True, help_text="Visible par le bailleur : des faits utiles au logement seulement."
    )
    # Encrypted at rest (Fernet); the keys come from SECRET_KEY and SALT_KEY (README: key rotation).
    confidential_note = EncryptedTextField(
        "note confidentielle",
        blank=True,
        null=True,
        help_text="Visible par les seuls travailleurs sociaux du ménage ; jamais par le bailleur.",
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="saisi par"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = "contact"
        ordering = ["-on", "-created_at"]
        indexes = [models.Index(fields=["measure", "-on"])]

    def __str__(self):
        return f"{self.on:%d/%m/%Y} {self.get_kind_display()}"

    def clean(self):
        if self.on and self.on > timezone.localdate():
            raise ValidationError({"on": "Un contact se note une fois fait : la date ne peut pas être dans le futur."})
        if self.on and self.measure_id and (message := self._before_the_measure()):
            raise ValidationError({"on": message})
        if self.kind in (ContactKind.ADMIN, ContactKind.PARTNER_MEETING) and self.with_household:
            raise ValidationError(
                {"with_household": "Le travail administratif et les réunions de partenaires se font sans le ménage."}
            )

    def _before_the_measure(self) -> str:
        """The same rule as an evaluation's: the time logged counts from the accompaniment's start (from the
        diagnostic's while the measure is at that stage), so an earlier date would swell the totals."""
        if start := self.measure.start_date:
            return f"Le contact suit le début de l'accompagnement ({start:%d/%m/%Y})." if self.on < start else ""
        diagnostic = getattr(self.measure, "diagnostic", None)
        if diagnostic and self.on < diagnostic.started_on:
            return f"Le contact suit le début du diagnostic ({diagnostic.started_on:%d/%m/%Y})."
        return ""


@audited()
class NetworkMember(models.Model):
    """A professional around the household, whom the referent keeps informed and brings together."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="network")
    kind = models.CharField("type de structure", max_length=20, choices=PartnerKind.choices)
    organisation_name = models.CharField("structure", max_length=150)
    person = models.CharField("interlocuteur", max_length=150, blank=True)
    role = models.CharField("rôle", max_length=150, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True)
    email = models.EmailField("e-mail", blank=True)
    active = models.BooleanField("intervient actuellement", default=True)

    class Meta:
        verbose_name = "professionnel du réseau"
        verbose_name_plural = "réseau autour du ménage"
        ordering = ["-active", "kind", "organisation_name"]

    def __str__(self):
        return f"{self.organisation_name} ({self.person})" if self.person else self.organisation_name


@audited()
class Evaluation(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evaluations")
    kind = models.CharField("type", max_length=20, choices=EvaluationKind.choices, default=EvaluationKind.INTERMEDIATE)
    on = models.DateField("date", default=timezone.localdate)
    objectives_reached = models.TextField("objectifs atteints")
    arrears_now = models.DecimalField("dette locative aujourd'hui (€)", null=True, blank=True, **MONEY)
    housing_now = models.TextField("logement aujourd'hui", blank=True)
    rights_now = models.TextField("droits aujourd'hui", blank=True)
    recommendation = models.CharField("préconisation", max_length=20, choices=Recommendation.choices)
    household_view = models.TextField("avis du ménage", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "évaluation"
        ordering = ["-on", "-pk"]

    def __str__(self):
        return f"Évaluation {self.get_kind_display().lower()} du {self.on:%d/%m/%Y}"

    def clean(self):
        if self.on and self.on > timezone.localdate():
            raise ValidationError({"on": "La date de l'évaluation ne peut pas être dans le futur."})


class LiaisonMeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        landlords = perms.landlord_ids_for_case_files(user)
        partners = perms.social_work_organisation_ids(user)
        return self.filter(Q(landlord_id__in=landlords) | Q(partners__in=partners)).distinct()


LIAISON_EVERY = timedelta(weeks=6)


@audited()
class LiaisonMeeting(models.Model):
    """The 6-weekly exchange between the landlord's tenancy staff and the social workers."""

    landlord = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+", verbose_name="bailleur")
    held_on = models.DateField("date")
    partners = models.ManyToManyField(Organisation, related_name="liaison_meetings", verbose_name="associations")
    participants = models.CharField("participants", max_length=500, help_text="Noms et structures.")
    next_on = models.DateField("prochain échange prévu le")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = LiaisonMeetingQuerySet.as_manager()

    class Meta:
        verbose_name = "échange bailleur / travailleurs sociaux"
        verbose_name_plural = "échanges bailleur / travailleurs sociaux"
        ordering = ["-held_on"]

    def __str__(self):
        return f"Échange du {self.held_on:%d/%m/%Y}"

    def clean(self):
        if self.held_on and self.next_on and self.next_on <= self.held_on:
            raise ValidationError({"next_on": "Le prochain échange doit suivre celui-ci."})

    @staticmethod
    def next_after(latest: "LiaisonMeeting | None", today) -> tuple:
        """The next exchange planned after the latest one, and whether it is overdue."""
        if latest is None:
            return None, False
        return latest.next_on, latest.next_on < today


@audited()
class LiaisonItem(models.Model):
    meeting = models.ForeignKey(LiaisonMeeting, on_delete=models.CASCADE, related_name="items")
    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="liaison_items", verbose_name="ménage"
    )
    note = models.CharField("note partageable", max_length=500)

    class Meta:
        verbose_name = "ménage évoqué"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "household"], name="liaison_item_unique")]

    def __str__(self):
        return f"{self.household.reference} — {self.meeting}"


# What an accepted file starts with: a text file renamed ".pdf" passes the extension check, not this one.
FILE_SIGNATURES = {
    "pdf": (b"%PDF-", "un PDF"),
    "jpg": (b"\xff\xd8\xff", "une image JPEG"),
    "jpeg": (b"\xff\xd8\xff", "une image JPEG"),
    "png": (b"\x89PNG\r\n\x1a\n", "une image PNG"),
}


def validate_file_content(file) -> None:
    """The file's content is of the type its extension announces (other extensions are refused by
    the extension validator)."""
    extension = PurePath(file.name or "").suffix.lower().lstrip(".")
    if extension not in FILE_SIGNATURES:
        return
    signature, kind = FILE_SIGNATURES[extension]
    file.seek(0)
    start = file.read(len(signature))
    file.seek(0)
    if start != signature:
        raise ValidationError(
            f"Ce fichier n'est pas {kind} malgré son extension .{extension} : joignez le document lui-même "
            "(scan enregistré en PDF, JPEG ou PNG).",
            code="invalid_content",
        )


UPLOAD_VALIDATORS = [
    FileExtensionValidator(["pdf", "jpg", "jpeg", "png"], "Formats acceptés : PDF, JPEG, PNG."),
    validate_file_content,
]


def document_path(instance, filename):
    return f"documents/{instance.household_id}/{timezone.now():%Y%m%d%H%M%S}-{filename}"


@audited()
class Document(models.Model):
    """An uploaded document. Files live outside the static/media URLs: only a view that checks
    access serves them."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="documents")
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="documents")
    kind = models.CharField("type", max_length=30, choices=DocumentKind.choices)
    title = models.CharField("titre", max_length=200)
    file = models.FileField(
        "fichier",
        upload_to=document_path,
        validators=UPLOAD_VALIDATORS,
    )
    confidential = models.BooleanField(
        "confidentiel", default=True, help_text="Un document confidentiel n'est jamais visible par le bailleur."
    )
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    MAX_BYTES = 10 * 1024 * 1024

    class Meta:
        verbose_name = "document"
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.title

    def clean(self):
        if self.file and self.file.size > self.MAX_BYTES:
            raise ValidationError({"file": "Le fichier dépasse 10 Mo : réduisez-le (scan en 150 dpi suffit)."})
