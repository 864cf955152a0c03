from datetime import date

import django_filters
from django.db.models import Case, DateField, F, Max, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Coalesce

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
    """Where each household's procedure stands, in SQL for the list's filter: what
    `procedure.current_stage` says, and the list shows. Closed when a closing is its latest event;
    otherwise the furthest main stage, in legal order, reached since the last closing (a CCAPEX
    referral made after the payment order leaves the household at the payment order), or none."""
    # One look at the household's events: each row carries the dates of the last closing and of
    # the latest event (window functions over the household's events).
    events = ProcedureEvent.objects.filter(household=OuterRef("pk")).annotate(
        closed_on=Window(Max("occurred_on", filter=Q(kind=ProcedureEventKind.CLOSED))),
        last_on=Window(Max("occurred_on")),
    )
    closed = Q(closed_on__gte=F("last_on"))
    legal_order = Case(*(When(kind=kind, then=Value(rank)) for rank, kind in enumerate(MAIN_STAGES)))
    stage = (
        events.filter(
            closed
            | Q(
                kind__in=MAIN_STAGES,
                occurred_on__gt=Coalesce("closed_on", Value(date.min), output_field=DateField()),
            )
        )
        .annotate(stage=Case(When(closed, then=Value(ProcedureEventKind.CLOSED.value)), default=F("kind")))
        .order_by(legal_order.desc(nulls_last=True), "-occurred_on")
        .values("stage")[:1]
    )
    return queryset.annotate(procedure_stage=Subquery(stage))


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
        queryset = with_procedure_stage(queryset)
        if value == NO_PROCEDURE:
            return queryset.filter(procedure_stage__isnull=True)
        return queryset.filter(procedure_stage=value)
