from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Count, F, Q
from django.utils import timezone

from accounts import perms
from accounts.audit import audited
from accounts.models import Organisation
from households.enums import (
    AllocationDecision,
    ConsentMethod,
    Contingent,
    Financing,
    HouseholdStatus,
    HousingSituation,
    LeaseKind,
    OfferKind,
    ProcedureEventKind,
    Relation,
    ResourceSource,
    Track,
    Typology,
)

postal_code_validator = RegexValidator(r"^\d{5}$", "Le code postal compte 5 chiffres, par exemple 59000.")
phone_validator = RegexValidator(
    r"^(?:(?:\+33|0)\s?[1-9])(?:[\s.-]?\d{2}){4}$", "Numéro de téléphone attendu, par exemple 03 20 12 34 56."
)
MONEY = {"max_digits": 10, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
# A household's rent arrears: beyond these, a typing slip (12 345 678,90 €, 600 months) rather than a debt.
ARREARS = {
    "max_digits": 10,
    "decimal_places": 2,
    "validators": [
        MinValueValidator(Decimal("0")),
        MaxValueValidator(Decimal("200000"), "Au plus 200 000 € : vérifiez le montant saisi."),
    ],
}
ARREARS_MONTHS = [MaxValueValidator(240, "Au plus 240 mois (20 ans) : vérifiez le nombre saisi.")]


@audited()
class SocialLoadThreshold(models.Model):
    """Reference data: the share of a sector's stock above which its social load is flagged."""

    rate = models.DecimalField(
        "seuil (%)", max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    valid_from = models.DateField("valable à partir du", unique=True)

    class Meta:
        verbose_name = "seuil de charge sociale"
        verbose_name_plural = "seuils de charge sociale"
        ordering = ["-valid_from"]

    def __str__(self):
        return f"{self.rate} % à partir du {self.valid_from:%d/%m/%Y}"

    @classmethod
    def current_rate(cls, on: date | None = None) -> Decimal | None:
        on = on or timezone.localdate()
        return cls.objects.filter(valid_from__lte=on).values_list("rate", flat=True).first()


class SectorQuerySet(models.QuerySet):
    def with_social_load(self):
        """Annotate the households carried: accompanied or fragile (proposed, in diagnostic) households
        living in the sector's dwellings now."""
        carried = Q(
            dwellings__tenancies__end__isnull=True,
            dwellings__tenancies__household__status__in=[
                HouseholdStatus.PROPOSED,
                HouseholdStatus.IN_DIAGNOSTIC,
                HouseholdStatus.ACCOMPANIED,
            ],
        )
        return self.annotate(carried=Count("dwellings__tenancies__household", filter=carried, distinct=True))


@audited()
class Sector(models.Model):
    landlord = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="sectors", verbose_name="bailleur"
    )
    name = models.CharField("nom", max_length=100)
    commune = models.CharField("commune", max_length=100)
    stock_size = models.PositiveIntegerField(
        "logements du bailleur dans le secteur", validators=[MinValueValidator(1)]
    )

    objects = SectorQuerySet.as_manager()

    class Meta:
        verbose_name = "secteur"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["landlord", "name"], name="sector_unique_name")]

    def __str__(self):
        return f"{self.name} ({self.commune})"

    @staticmethod
    def load_rate(carried: int, stock_size: int) -> Decimal:
        """Households carried per 100 dwellings of the stock, to one decimal."""
        return (Decimal(carried) * 100 / Decimal(stock_size)).quantize(Decimal("0.1"))


class DwellingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Dwellings of the landlords the user works with (as staff or as partner of their households)."""
        landlords = perms.landlord_ids_for_case_files(user)
        partners = perms.social_work_organisation_ids(user)
        if partners:
            landlords |= set(
                Household.objects.filter(Q(proposed_by_id__in=partners) | Q(operator_id__in=partners)).values_list(
                    "landlord_id", flat=True
                )
            )
        return self.filter(landlord_id__in=landlords)


@audited()
class Dwelling(models.Model):
    landlord = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="dwellings", verbose_name="bailleur"
    )
    reference = models.CharField("référence bailleur", max_length=40)
    address = models.CharField("adresse", max_length=200)
    postal_code = models.CharField("code postal", max_length=5, validators=[postal_code_validator])
    commune = models.CharField("commune", max_length=100)
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="dwellings", verbose_name="secteur")
    typology = models.CharField("typologie", max_length=2, choices=Typology.choices)
    financing = models.CharField("financement", max_length=20, choices=Financing.choices)
    offer_kind = models.CharField("offre", max_length=20, choices=OfferKind.choices, default=OfferKind.EXISTING)
    rent = models.DecimalField("loyer mensuel (€)", **MONEY)
    charges = models.DecimalField("charges mensuelles (€)", **MONEY)
    contingent = models.CharField("contingent de réservation", max_length=20, choices=Contingent.choices)

    objects = DwellingQuerySet.as_manager()

    class Meta:
        verbose_name = "logement"
        ordering = ["reference"]
        constraints = [models.UniqueConstraint(fields=["landlord", "reference"], name="dwelling_unique_reference")]

    def __str__(self):
        return f"{self.reference} — {self.address}, {self.commune}"

    def clean(self):
        if self.sector_id and self.landlord_id and self.sector.landlord_id != self.landlord_id:
            raise ValidationError({"sector": "Ce secteur appartient à un autre bailleur."})


class HouseholdQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one rule for case files (see accounts/perms.py): the landlord's staff see its households;
        associations see those they proposed or accompany; steering and admins see none."""
        landlords = perms.landlord_ids_for_case_files(user)
        partners = perms.social_work_organisation_ids(user)
        if not landlords and not partners:
            return self.none()
        return self.filter(Q(landlord_id__in=landlords) | Q(proposed_by_id__in=partners) | Q(operator_id__in=partners))

    def open(self):
        return self.exclude(status__in=[HouseholdStatus.CLOSED, HouseholdStatus.NOT_RETAINED])

    def search(self, text: str):
        """By reference, household name or a member's last name, ignoring case and accents: « traore »
        finds « Traoré », « oeuvray » finds « Œuvray » (unaccent spells Œ as OE)."""
        text = text.strip()
        matching_people = Person.objects.filter(last_name__unaccent__icontains=text).values("household_id")
        return self.filter(
            Q(reference__icontains=text) | Q(name__unaccent__icontains=text) | Q(pk__in=matching_people)
        )


@audited()
class Household(models.Model):
    reference = models.CharField("référence", max_length=20, unique=True, editable=False)
    landlord = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="landlord_households", verbose_name="bailleur"
    )
    track = models.CharField("parcours", max_length=10, choices=Track.choices)
    status = models.CharField(
        "statut", max_length=20, choices=HouseholdStatus.choices, default=HouseholdStatus.PROPOSED
    )
    name = models.CharField(
        "nom du ménage", max_length=150, help_text="Nom d'usage du chef de ménage, par exemple « Famille Durand »."
    )
    proposed_by = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="proposed_households", verbose_name="proposé par"
    )
    proposed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="proposé par (personne)",
    )
    proposed_on = models.DateField("proposé le", default=timezone.localdate)
    operator = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="operated_households",
        verbose_name="association chargée de l'accompagnement",
    )
    # Eligibility
    dalo = models.BooleanField("éligible DALO", default=False)
    collective_agreements = models.BooleanField("accords collectifs", default=False)
    pdalhpd = models.BooleanField("public du PDALHPD", default=False)
    syplo_labelled = models.BooleanField("labellisé SYPLO", default=False)
    syplo_date = models.DateField("date de labellisation SYPLO", null=True, blank=True)
    # Difficulties
    rent_arrears = models.BooleanField("impayés de loyer", default=False)
    arrears_amount = models.DecimalField("montant de la dette (€)", null=True, blank=True, **ARREARS)
    arrears_months = models.PositiveSmallIntegerField(
        "mois d'impayés", null=True, blank=True, validators=ARREARS_MONTHS
    )
    poor_use = models.BooleanField("mauvaise appropriation du logement", default=False)
    neighbour_disturbances = models.BooleanField("troubles de voisinage", default=False)
    other_difficulty = models.CharField("autre difficulté", max_length=200, blank=True)
    # Housing and contact
    housing_situation = models.CharField(
        "situation de logement actuelle", max_length=20, choices=HousingSituation.choices
    )
    housing_situation_detail = models.CharField("précision sur la situation", max_length=200, blank=True)
    address = models.CharField("adresse postale", max_length=200, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True, validators=[postal_code_validator])
    commune = models.CharField("commune", max_length=100, blank=True)
    phone = models.CharField("téléphone", max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField("e-mail", blank=True)
    # Information and consent (RGPD): the household was told what is recorded and why.
    consent_on = models.DateField("information et consentement recueillis le", null=True, blank=True)
    consent_method = models.CharField("moyen d'information", max_length=20, choices=ConsentMethod.choices, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    anonymised_on = models.DateField(
        "anonymisé le",
        null=True,
        blank=True,
        editable=False,
        help_text="Deux ans sans contact : gardé pour les statistiques.",
    )

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = "ménage"
        ordering = ["-proposed_on", "-reference"]
        indexes = [models.Index(fields=["status", "track"]), models.Index(F("name").asc(), name="household_name")]
        constraints = [
            models.CheckConstraint(
                condition=Q(syplo_labelled=False) | Q(syplo_date__isnull=False),
                name="household_syplo_needs_date",
            ),
        ]

    def __str__(self):
        return f"{self.reference} — {self.name}"

    def clean(self):
        errors = {}
        if self.syplo_labelled and not self.syplo_date:
            errors["syplo_date"] = "Indiquez la date de labellisation SYPLO."
        if self.syplo_date and self.syplo_date > timezone.localdate():
            errors["syplo_date"] = "La date de labellisation SYPLO ne peut pas être dans le futur."
        if self.rent_arrears and self.arrears_amount is None:
            errors["arrears_amount"] = "Indiquez le montant de la dette locative."
        if self.consent_on and not self.consent_method:
            errors["consent_method"] = "Indiquez comment le ménage a été informé et a consenti."
        if self.consent_on and self.consent_on > timezone.localdate():
            errors["consent_on"] = "La date du consentement ne peut pas être dans le futur."
        if self.proposed_on and self.proposed_on > timezone.localdate():
            errors["proposed_on"] = "La date de proposition ne peut pas être dans le futur."
        if errors:
            raise ValidationError(errors)

    @property
    def initials(self) -> str:
        """« M. D. »: how minutes shared with partners name a household."""
        words = [w for w in self.name.replace("Famille ", "").replace("-", " ").split() if w]
        return " ".join(f"{w[0].upper()}." for w in words[:2])

    def lease_start(self) -> date | None:
        """Start of the current (else latest) lease: a lease running before 29/07/2023 keeps the
        2-month payment-order delay. Reads `tenancies.all()`: prefetch it for lists."""
        tenancies = sorted(self.tenancies.all(), key=lambda tenancy: tenancy.start)
        current = [tenancy for tenancy in tenancies if tenancy.end is None]
        chosen = current[-1] if current else (tenancies[-1] if tenancies else None)
        return chosen.start if chosen else None

    def procedure_deadline(self, events, *, today: date):
        """The next legal deadline of the eviction procedure, from this household's events."""
        from households.procedure import next_deadline

        return next_deadline(events, today=today, lease_signed_on=self.lease_start())

    @property
    def eligibility_labels(self) -> list[str]:
        labels = [(self.dalo, "DALO"), (self.collective_agreements, "Accords collectifs"), (self.pdalhpd, "PDALHPD")]
        result = [label for present, label in labels if present]
        if self.syplo_labelled:
            result.append(f"SYPLO (le {self.syplo_date:%d/%m/%Y})")
        return result

    @property
    def children_count(self) -> int:
        return sum(1 for person in self.people.all() if person.relation == Relation.CHILD)


def birth_date_error(value: date) -> str | None:
    today = timezone.localdate()
    if value > today:
        return "La date de naissance ne peut pas être dans le futur."
    if value.year < today.year - 110:
        return "Date de naissance peu plausible : vérifiez l'année."
    return None


@audited()
class Person(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="people", verbose_name="ménage")
    last_name = models.CharField("nom", max_length=100)
    first_names = models.CharField("prénoms", max_length=150)
    birth_date = models.DateField("date de naissance")
    relation = models.CharField("lien avec le chef de ménage", max_length=20, choices=Relation.choices)

    class Meta:
        verbose_name = "personne"
        ordering = ["birth_date"]
        indexes = [models.Index(fields=["last_name", "birth_date"])]

    def __str__(self):
        return f"{self.first_names} {self.last_name}"

    def clean(self):
        if self.birth_date and (message := birth_date_error(self.birth_date)):
            raise ValidationError({"birth_date": message})

    @property
    def age(self) -> int:
        today = timezone.localdate()
        return (
            today.year
            - self.birth_date.year
            - ((today.month, today.day) < (self.birth_date.month, self.birth_date.day))
        )


@audited()
class Resource(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="resources", verbose_name="ménage")
    source = models.CharField("source", max_length=20, choices=ResourceSource.choices)
    monthly_amount = models.DecimalField("montant mensuel (€)", **MONEY)
    as_of = models.DateField("à la date du", default=timezone.localdate)

    class Meta:
        verbose_name = "ressource"
        ordering = ["-as_of", "source"]

    def __str__(self):
        return f"{self.get_source_display()} : {self.monthly_amount} €"


class TenancyQuerySet(models.QuerySet):
    def current(self):
        return self.filter(end__isnull=True)


@audited()
class Tenancy(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="tenancies", verbose_name="ménage")
    dwelling = models.ForeignKey(Dwelling, on_delete=models.PROTECT, related_name="tenancies", verbose_name="logement")
    start = models.DateField("entrée dans les lieux")
    end = models.DateField("sortie", null=True, blank=True)
    lease_kind = models.CharField("type de bail", max_length=20, choices=LeaseKind.choices, default=LeaseKind.DIRECT)
    # Sliding lease (bail glissant): the association holds the main lease and sublets.
    main_lease_holder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_main_leases",
        verbose_name="titulaire du bail principal (association)",
    )
    sublet_start = models.DateField("début de la sous-location", null=True, blank=True)
    planned_slide_on = models.DateField("glissement prévu le", null=True, blank=True)
    slid_on = models.DateField("bail glissé le", null=True, blank=True)

    objects = TenancyQuerySet.as_manager()

    class Meta:
        verbose_name = "occupation"
        ordering = ["-start"]
        constraints = [
            # One current tenancy per household.
            models.UniqueConstraint(
                fields=["household"], condition=Q(end__isnull=True), name="tenancy_one_current_per_household"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")), name="tenancy_end_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.household} — {self.dwelling}"

    def clean(self):
        errors = {}
        if self.end and self.start and self.end < self.start:
            errors["end"] = f"La sortie doit suivre l'entrée dans les lieux ({self.start:%d/%m/%Y})."
        if self.lease_kind == LeaseKind.SLIDING:
            if not self.main_lease_holder_id:
                errors["main_lease_holder"] = "Un bail glissant a pour titulaire une association : indiquez-la."
            if not self.sublet_start:
                errors["sublet_start"] = "Indiquez le début de la sous-location."
        else:
            for name in ["main_lease_holder", "sublet_start", "planned_slide_on", "slid_on"]:
                if getattr(self, name) or getattr(self, f"{name}_id", None):
                    errors[name] = "Réservé au bail glissant."
        if self.sublet_start and self.planned_slide_on and self.planned_slide_on < self.sublet_start:
            errors["planned_slide_on"] = "Le glissement prévu doit suivre le début de la sous-location."
        if self.sublet_start and self.slid_on and self.slid_on < self.sublet_start:
            errors["slid_on"] = "Le glissement doit suivre le début de la sous-location."
        if errors:
            raise ValidationError(errors)


@audited()
class SlidingLeaseReview(models.Model):
    tenancy = models.ForeignKey(Tenancy, on_delete=models.CASCADE, related_name="reviews", verbose_name="occupation")
    reviewed_on = models.DateField("date du point d'étape")
    note = models.CharField("conclusion", max_length=300, blank=True)

    class Meta:
        verbose_name = "point d'étape du bail glissant"
        ordering = ["reviewed_on"]

    def __str__(self):
        return f"Point d'étape du {self.reviewed_on:%d/%m/%Y}"


@audited()
class ArrearsBalance(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="arrears_balances", verbose_name="ménage"
    )
    as_of = models.DateField("à la date du")
    amount = models.DecimalField("dette locative (€)", **MONEY)

    class Meta:
        verbose_name = "solde de dette locative"
        ordering = ["-as_of"]
        constraints = [models.UniqueConstraint(fields=["household", "as_of"], name="arrears_one_balance_per_day")]

    def __str__(self):
        return f"{self.amount} € au {self.as_of:%d/%m/%Y}"


@audited()
class Allocation(models.Model):
    """For an accès household: the dwelling proposed and the allocation committee's (CAL) decision."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="allocations", verbose_name="ménage"
    )
    dwelling = models.ForeignKey(
        Dwelling, on_delete=models.PROTECT, related_name="allocations", verbose_name="logement proposé"
    )
    cal_date = models.DateField("date de la CAL", null=True, blank=True)
    decision = models.CharField(
        "décision", max_length=20, choices=AllocationDecision.choices, default=AllocationDecision.PENDING
    )
    contingent = models.CharField("contingent mobilisé", max_length=20, choices=Contingent.choices)

    class Meta:
        verbose_name = "attribution"
        ordering = ["-cal_date"]

    def __str__(self):
        return f"{self.dwelling.reference} — {self.get_decision_display()}"

    def clean(self):
        if self.decision != AllocationDecision.PENDING and not self.cal_date:
            raise ValidationError({"cal_date": "Une décision de la CAL a une date : indiquez-la."})


@audited()
class ProcedureEvent(models.Model):
    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="procedure_events", verbose_name="ménage"
    )
    kind = models.CharField("étape", max_length=30, choices=ProcedureEventKind.choices)
    occurred_on = models.DateField("date")
    hearing_date = models.DateField(
        "date d'audience", null=True, blank=True, help_text="Pour une assignation : la date d'audience indiquée."
    )
    lease_terminated = models.BooleanField(
        "résiliation du bail prononcée", null=True, blank=True, help_text="Pour un jugement."
    )
    payment_delay_months = models.PositiveSmallIntegerField(
        "délais de paiement accordés (mois)", null=True, blank=True, help_text="Pour un jugement."
    )
    amount = models.DecimalField(
        "montant (€)", null=True, blank=True, help_text="Dette, aide FSL, mensualité du plan…", **MONEY
    )
    note = models.CharField("précision", max_length=300, blank=True, help_text="Factuelle, sans appréciation.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="saisi par"
    )
    recorded_at = models.DateTimeField("saisi le", auto_now_add=True)

    class Meta:
        verbose_name = "événement de procédure"
        verbose_name_plural = "événements de procédure"
        ordering = ["occurred_on", "recorded_at"]

    def __str__(self):
        return f"{self.occurred_on:%d/%m/%Y} {self.get_kind_display()}"


def procedure_events_by_household(households) -> dict[int, list["ProcedureEvent"]]:
    """Each household's procedure events in legal-date order, read in one query (for lists)."""
    grouped: dict[int, list[ProcedureEvent]] = {}
    for event in ProcedureEvent.objects.filter(household__in=households).order_by("occurred_on", "recorded_at"):
        grouped.setdefault(event.household_id, []).append(event)
    return grouped


@audited()
class SituationReport(models.Model):
    """What tenancy staff log: a fragile situation to bring to the committee."""

    household = models.ForeignKey(
        Household, on_delete=models.CASCADE, related_name="situation_reports", verbose_name="ménage"
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="signalé par"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="situation_reports", verbose_name="organisation"
    )
    reported_on = models.DateField("signalé le", default=timezone.localdate)
    rent_arrears = models.BooleanField("impayés de loyer", default=False)
    poor_use = models.BooleanField("mauvaise appropriation du logement", default=False)
    neighbour_disturbances = models.BooleanField("troubles de voisinage", default=False)
    other_reason = models.CharField("autre motif", max_length=200, blank=True)
    arrears_amount = models.DecimalField("dette locative (€)", null=True, blank=True, **ARREARS)
    procedure_stage = models.CharField(
        "stade de la procédure", max_length=30, choices=ProcedureEventKind.choices, blank=True
    )
    comment = models.TextField(
        "commentaire",
        blank=True,
        help_text="Des faits, datés : ce commentaire pourra être lu par le ménage et par les partenaires.",
    )
    to_present = models.BooleanField("à présenter au prochain comité", default=True)
    presented_on = models.DateField("présenté au comité le", null=True, blank=True)

    class Meta:
        verbose_name = "signalement"
        ordering = ["-reported_on", "-pk"]

    def __str__(self):
        return f"Signalement du {self.reported_on:%d/%m/%Y} — {self.household.reference}"

    @property
    def reasons(self) -> list[str]:
        labels = [
            (self.rent_arrears, "Impayés de loyer"),
            (self.poor_use, "Mauvaise appropriation du logement"),
            (self.neighbour_disturbances, "Troubles de voisinage"),
            (bool(self.other_reason), self.other_reason),
        ]
        return [label for present, label in labels if present]

    def clean(self):
        if not (self.rent_arrears or self.poor_use or self.neighbour_disturbances or self.other_reason):
            raise ValidationError("Indiquez au moins un motif de signalement.")
        if self.rent_arrears and self.arrears_amount is None:
            raise ValidationError({"arrears_amount": "Indiquez le montant de la dette locative."})
