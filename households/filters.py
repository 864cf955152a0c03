import django_filters
from django.db.models import OuterRef, Q, Subquery

from accounts import perms
from accounts.models import Organisation
from households.enums import HouseholdStatus, ProcedureEventKind, Track
from households.models import Household, ProcedureEvent, Sector
from households.procedure import MAIN_STAGES

ELIGIBILITY = [
    ("dalo", "Éligible DALO"),
    ("collective_agreements", "Accords collectifs"),
    ("pdalhpd", "Public du PDALHPD"),
    ("syplo_labelled", "Labellisé SYPLO"),
]
NO_PROCEDURE = "none"


def with_procedure_stage(queryset):
    # A closed procedure shows as closed, not at its last stage.
    latest = ProcedureEvent.objects.filter(
        household=OuterRef("pk"), kind__in=[*MAIN_STAGES, ProcedureEventKind.CLOSED]
    ).order_by("-occurred_on", "-recorded_at")
    return queryset.annotate(procedure_stage=Subquery(latest.values("kind")[:1]))


class HouseholdFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Nom ou référence", method="search")
    track = django_filters.ChoiceFilter(label="Parcours", choices=Track.choices, empty_label="Tous")
    status = django_filters.ChoiceFilter(label="Statut", choices=HouseholdStatus.choices, empty_label="Tous")
    organisation = django_filters.ModelChoiceFilter(
        label="Organisation", queryset=Organisation.objects.none(), method="by_organisation", empty_label="Toutes"
    )
    sector = django_filters.ModelChoiceFilter(
        label="Secteur", queryset=Sector.objects.none(), method="by_sector", empty_label="Tous"
    )
    eligibility = django_filters.ChoiceFilter(
        label="Éligibilité", choices=ELIGIBILITY, method="by_eligibility", empty_label="Toutes"
    )
    procedure_stage = django_filters.ChoiceFilter(
        label="Stade de la procédure",
        choices=[
            (NO_PROCEDURE, "Aucune procédure"),
            *[(k, ProcedureEventKind(k).label) for k in [*MAIN_STAGES, ProcedureEventKind.CLOSED]],
        ],
        method="by_stage",
        empty_label="Tous",
    )
    sort = django_filters.OrderingFilter(
        label="Trier par",
        fields=[("reference", "reference"), ("name", "name"), ("status", "status"), ("proposed_on", "proposed_on")],
        field_labels={
            "reference": "Référence",
            "-reference": "Référence (décroissante)",
            "name": "Nom",
            "-name": "Nom (Z → A)",
            "status": "Statut",
            "-status": "Statut (inverse)",
            "proposed_on": "Date de proposition (ancienne d'abord)",
            "-proposed_on": "Date de proposition (récente d'abord)",
        },
        empty_label="Par défaut",
    )

    class Meta:
        model = Household
        fields = []

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = perms.landlord_ids_for_case_files(user) | perms.social_work_organisation_ids(user)
        visible = Household.objects.visible_to(user)
        self.filters["organisation"].queryset = Organisation.objects.filter(
            Q(pk__in=organisations)
            | Q(pk__in=visible.values("proposed_by"))
            | Q(pk__in=visible.exclude(operator=None).values("operator"))
        )
        self.filters["sector"].queryset = Sector.objects.filter(landlord__in=visible.values("landlord"))

    def search(self, queryset, name, value):
        return queryset.search(value)

    def by_organisation(self, queryset, name, value):
        return queryset.filter(Q(proposed_by=value) | Q(operator=value) | Q(landlord=value))

    def by_sector(self, queryset, name, value):
        return queryset.filter(tenancies__end__isnull=True, tenancies__dwelling__sector=value)

    def by_eligibility(self, queryset, name, value):
        return queryset.filter(**{value: True})

    def by_stage(self, queryset, name, value):
        if value == NO_PROCEDURE:
            return queryset.filter(procedure_stage__isnull=True)
        return queryset.filter(procedure_stage=value)
