from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone

from accounts.enums import OrganisationKind
from accounts.models import Organisation
from households import perms
from households.enums import HousingSituation, LeaseKind, ProcedureEventKind, Relation, Track
from households.models import (
    Allocation,
    ArrearsBalance,
    Dwelling,
    Household,
    Person,
    ProcedureEvent,
    Resource,
    Sector,
    SituationReport,
    SocialLoadThreshold,
    Tenancy,
    birth_date_error,
    phone_validator,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OwnRowsInlineFormSet(BaseInlineFormSet):
    """Rows are chosen among the parent's own: a forged row id (another household's person…) is an
    invalid choice, not silently skipped while the rest is saved."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        field = form.fields.get(self._pk_field.name)
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = self.get_queryset()


def _dates(form, *names):
    for name in names:
        form.fields[name].widget = DATE


def not_in_future(value, label):
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"{label} ne peut pas être dans le futur.")
    return value


class OneMessagePerRefusal:
    """For a ModelForm: a value the form refuses reaches the model empty, and the model's clean()
    would then ask for it too (« Indiquez le montant de la dette locative. » under « Au plus
    200 000 € »). The form's own message stays alone."""

    def _post_clean(self):
        refused = set(self.errors)
        super()._post_clean()
        for name in refused & set(self.errors):
            del self.errors[name][1:]


class HouseholdForm(OneMessagePerRefusal, forms.ModelForm):
    """Identity, eligibility, difficulties, housing and contact. On creation the user also says on
    behalf of which organisation and for which landlord, among those their memberships allow."""

    class Meta:
        model = Household
        fields = [
            "landlord",
            "proposed_by",
            "track",
            "name",
            "proposed_on",
            "dalo",
            "collective_agreements",
            "pdalhpd",
            "syplo_labelled",
            "syplo_date",
            "rent_arrears",
            "arrears_amount",
            "arrears_months",
            "poor_use",
            "neighbour_disturbances",
            "other_difficulty",
            "housing_situation",
            "housing_situation_detail",
            "address",
            "postal_code",
            "commune",
            "phone",
            "email",
            "consent_on",
            "consent_method",
        ]

    GROUPS = [
        (
            "Ménage",
            [
                "landlord",
                "proposed_by",
                "track",
                "name",
                "proposed_on",
                "housing_situation",
                "housing_situation_detail",
            ],
        ),
        ("Éligibilité", ["dalo", "collective_agreements", "pdalhpd", "syplo_labelled", "syplo_date"]),
        (
            "Difficultés",
            [
                "rent_arrears",
                "arrears_amount",
                "arrears_months",
                "poor_use",
                "neighbour_disturbances",
                "other_difficulty",
            ],
        ),
        (
            "Coordonnées et consentement",
            ["address", "postal_code", "commune", "phone", "email", "consent_on", "consent_method"],
        ),
    ]

    def groups(self):
        """The fields by fieldset, as the page shows them."""
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in self.GROUPS]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        _dates(self, "proposed_on", "syplo_date", "consent_on")
        if self.instance.pk:
            # Who proposed and for which landlord are facts of the proposal, not edited afterwards.
            for name in ["landlord", "proposed_by", "track"]:
                del self.fields[name]
        else:
            allowed = perms.report_landlords(user) | perms.proposing_organisations(user)
            self.fields["proposed_by"].queryset = Organisation.objects.filter(pk__in=allowed)
            self.fields["landlord"].queryset = Organisation.objects.filter(kind=OrganisationKind.LANDLORD)
            if len(allowed) == 1:
                self.fields["proposed_by"].initial = next(iter(allowed))
            # Landlords propose tenants to keep in their homes; partners propose access candidates.
            if perms.report_landlords(user):
                self.fields["track"].initial = Track.MAINTIEN
                self.fields["housing_situation"].initial = HousingSituation.LMH_TENANT
            else:
                self.fields["track"].initial = Track.ACCES
            landlords = self.fields["landlord"].queryset
            if landlords.count() == 1:
                self.fields["landlord"].initial = landlords.first().pk
        self.fields["proposed_on"].help_text = "Date à laquelle la situation a été proposée."

    def clean(self):
        cleaned = super().clean()
        proposer, landlord = cleaned.get("proposed_by"), cleaned.get("landlord")
        if proposer and landlord and proposer.kind == OrganisationKind.LANDLORD and proposer != landlord:
            self.add_error("landlord", "Un bailleur ne propose que des ménages de son propre parc.")
        if proposer and proposer.kind == OrganisationKind.LANDLORD and cleaned.get("track") == Track.ACCES:
            self.add_error("track", "Les candidats à l'accès sont proposés par les associations partenaires.")
        return cleaned


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["last_name", "first_names", "birth_date", "relation"]
        widgets = {"birth_date": DATE}


class PeopleInlineFormSet(OwnRowsInlineFormSet):
    """A household has exactly one head of household (*chef de ménage*), whatever rows are added,
    changed or ticked « Supprimer » at once: swapping heads in one submission is fine."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return  # the rows' own errors first: their relation may not even be known
        rows = [form for form in self.forms if form.cleaned_data]
        kept = [form for form in rows if not self._should_delete_form(form)]
        heads = [form for form in kept if form.cleaned_data.get("relation") == Relation.HEAD]
        if len(heads) == 1:
            return
        if heads:
            for form in heads[1:]:
                form.add_error("relation", "Un ménage n'a qu'un seul chef de ménage : choisissez un autre lien.")
        else:
            # Say it next to what removed the head: its « Supprimer » box or its changed relation.
            former_heads = [
                form for form in rows if form.instance.pk and form.initial.get("relation") == Relation.HEAD
            ]
            for form in former_heads:
                if self._should_delete_form(form):
                    form.add_error(
                        "DELETE",
                        "Le chef de ménage ne peut pas être supprimé : désignez d'abord un autre membre "
                        "comme chef de ménage.",
                    )
                else:
                    form.add_error("relation", "Le ménage doit garder un chef de ménage : désignez-en un autre.")
            if not former_heads and kept:
                kept[0].add_error("relation", "Indiquez qui est le chef de ménage.")
        raise forms.ValidationError("Le ménage doit compter un chef de ménage, et un seul.")


PersonFormSet = inlineformset_factory(
    Household,
    Person,
    form=PersonForm,
    formset=PeopleInlineFormSet,
    extra=1,
    can_delete=True,
    min_num=1,
    validate_min=True,
)


class ResourceForm(forms.ModelForm):
    class Meta:
        model = Resource
        fields = ["source", "monthly_amount", "as_of"]
        widgets = {"as_of": DATE}

    def clean_as_of(self):
        return not_in_future(self.cleaned_data["as_of"], "La date de la ressource")


ResourceFormSet = inlineformset_factory(
    Household, Resource, form=ResourceForm, formset=OwnRowsInlineFormSet, extra=1, can_delete=True
)


class DwellingChoiceField(forms.ModelChoiceField):
    """Dwellings labelled with their sector's social load, so placement can weigh population balance."""

    def __init__(self, *args, loads=None, threshold=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.loads = loads or {}
        self.threshold = threshold

    def label_from_instance(self, dwelling):
        rate = self.loads.get(dwelling.sector_id)
        if rate is None:
            return str(dwelling)
        flag = " — au-dessus du seuil" if self.threshold is not None and rate > self.threshold else ""
        return (
            f"{dwelling.reference} — {dwelling.address}, {dwelling.commune} · {dwelling.get_typology_display()} "
            f"{dwelling.get_financing_display()} · secteur {dwelling.sector.name} : charge sociale {rate} %{flag}"
        )


def sector_loads(landlord_id) -> tuple[dict[int, object], object]:
    sectors = Sector.objects.filter(landlord_id=landlord_id).with_social_load()
    return {s.pk: Sector.load_rate(s.carried, s.stock_size) for s in sectors}, SocialLoadThreshold.current_rate()


def dwelling_field(household, **kwargs) -> DwellingChoiceField:
    """The landlord's dwellings, each labelled with its sector's social load."""
    loads, threshold = sector_loads(household.landlord_id)
    return DwellingChoiceField(
        queryset=Dwelling.objects.filter(landlord_id=household.landlord_id).select_related("sector"),
        loads=loads,
        threshold=threshold,
        **kwargs,
    )


class TenancyForm(forms.ModelForm):
    class Meta:
        model = Tenancy
        fields = [
            "dwelling",
            "start",
            "end",
            "lease_kind",
            "main_lease_holder",
            "sublet_start",
            "planned_slide_on",
            "slid_on",
        ]
        widgets = {name: DATE for name in ["start", "end", "sublet_start", "planned_slide_on", "slid_on"]}

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.household = household
        self.fields["dwelling"] = dwelling_field(household, label="Logement")
        self.fields["main_lease_holder"].queryset = Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION)
        self.fields["main_lease_holder"].help_text = "Bail glissant seulement."

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("lease_kind") != LeaseKind.SLIDING:
            for name in ["main_lease_holder", "sublet_start", "planned_slide_on", "slid_on"]:
                if cleaned.get(name):
                    self.add_error(name, "Réservé au bail glissant : videz ce champ ou choisissez « Bail glissant ».")
        try:
            not_in_future(cleaned.get("end"), "La date de sortie")
        except forms.ValidationError as error:
            self.add_error("end", error)
        return cleaned


class ArrearsBalanceForm(forms.ModelForm):
    class Meta:
        model = ArrearsBalance
        fields = ["as_of", "amount"]
        widgets = {"as_of": DATE}

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.household = household

    def clean_as_of(self):
        return not_in_future(self.cleaned_data["as_of"], "La date du solde")


class AllocationForm(forms.ModelForm):
    class Meta:
        model = Allocation
        fields = ["dwelling", "cal_date", "decision", "contingent"]
        widgets = {"cal_date": DATE}

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.household = household
        self.fields["dwelling"] = dwelling_field(
            household,
            label="Logement proposé",
            help_text="La charge sociale du secteur est indiquée pour chaque logement.",
        )


class ProcedureEventForm(forms.ModelForm):
    class Meta:
        model = ProcedureEvent
        fields = ["kind", "occurred_on", "hearing_date", "lease_terminated", "payment_delay_months", "amount", "note"]
        widgets = {"occurred_on": DATE, "hearing_date": DATE}

    def __init__(self, *args, household, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.household = household
        self.fields["lease_terminated"] = forms.NullBooleanField(
            label=self.fields["lease_terminated"].label,
            required=False,
            widget=forms.Select(choices=[("unknown", "— (sans objet)"), ("true", "Oui"), ("false", "Non")]),
            help_text="Pour un jugement : le juge a-t-il prononcé la résiliation du bail ?",
        )

    def clean_occurred_on(self):
        return not_in_future(self.cleaned_data["occurred_on"], "La date de l'événement")

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == ProcedureEventKind.SUMMONS and not cleaned.get("hearing_date"):
            self.add_error("hearing_date", "Une assignation indique la date d'audience : renseignez-la.")
        if kind != ProcedureEventKind.SUMMONS and cleaned.get("hearing_date"):
            self.add_error("hearing_date", "La date d'audience ne se renseigne que pour une assignation.")
        if kind == ProcedureEventKind.JUDGMENT and cleaned.get("lease_terminated") is None:
            self.add_error("lease_terminated", "Indiquez si le jugement prononce la résiliation du bail.")
        return cleaned


class SituationReportForm(OneMessagePerRefusal, forms.ModelForm):
    class Meta:
        model = SituationReport
        fields = [
            "organisation",
            "rent_arrears",
            "arrears_amount",
            "poor_use",
            "neighbour_disturbances",
            "other_reason",
            "procedure_stage",
            "comment",
            "to_present",
        ]

    procedure_date = forms.DateField(
        label="Date de cette étape",
        required=False,
        widget=DATE,
        help_text="Avec le stade, l'étape est ajoutée à la procédure du ménage et son délai calculé.",
    )
    procedure_hearing_date = forms.DateField(
        label="Date d'audience", required=False, widget=DATE, help_text="Pour une assignation."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        landlords = perms.report_landlords(user)
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=landlords)
        self.fields["organisation"].label = "Bailleur"
        if len(landlords) == 1:
            self.fields["organisation"].initial = next(iter(landlords))
        self.fields["comment"].widget.attrs["rows"] = 4
        self.order_fields([*self.Meta.fields[:7], "procedure_date", "procedure_hearing_date"])

    def clean(self):
        cleaned = super().clean()
        stage, day = cleaned.get("procedure_stage"), cleaned.get("procedure_date")
        if day and not stage:
            self.add_error("procedure_stage", "Indiquez à quelle étape correspond cette date.")
        if day and day > timezone.localdate():
            self.add_error("procedure_date", "La date de l'étape ne peut pas être dans le futur.")
        if stage == ProcedureEventKind.SUMMONS and day and not cleaned.get("procedure_hearing_date"):
            self.add_error("procedure_hearing_date", "Une assignation indique la date d'audience : renseignez-la.")
        return cleaned

    def procedure_event(self) -> ProcedureEvent | None:
        """The procedure step this report records, when its stage and date are given."""
        data = self.cleaned_data
        if not (data.get("procedure_stage") and data.get("procedure_date")):
            return None
        return ProcedureEvent(
            kind=data["procedure_stage"],
            occurred_on=data["procedure_date"],
            hearing_date=data.get("procedure_hearing_date")
            if data["procedure_stage"] == ProcedureEventKind.SUMMONS
            else None,
            amount=data.get("arrears_amount") if data["procedure_stage"] == ProcedureEventKind.PAYMENT_ORDER else None,
        )


class NewTenantForm(forms.Form):
    """A household not yet known to the application, reported from the landlord's stock."""

    name = forms.CharField(label="Nom du ménage", max_length=150, help_text="Par exemple « Famille Durand ».")
    head_last_name = forms.CharField(label="Nom du chef de ménage", max_length=100)
    head_first_names = forms.CharField(label="Prénoms", max_length=150)
    head_birth_date = forms.DateField(label="Date de naissance", widget=DATE)
    dwelling = forms.ModelChoiceField(label="Logement occupé", queryset=Dwelling.objects.none())
    tenancy_start = forms.DateField(label="Locataire depuis le", widget=DATE)
    phone = forms.CharField(label="Téléphone", max_length=20, required=False, validators=[phone_validator])
    confirm_not_duplicate = forms.BooleanField(
        label="J'ai vérifié : il ne s'agit pas d'un ménage déjà connu", required=False
    )

    def __init__(self, *args, landlord_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dwelling"].queryset = Dwelling.objects.filter(landlord_id__in=landlord_ids)

    def clean_head_birth_date(self):
        value = self.cleaned_data["head_birth_date"]
        if message := birth_date_error(value):
            raise forms.ValidationError(message)
        return value

    def clean_tenancy_start(self):
        return not_in_future(self.cleaned_data["tenancy_start"], "La date d'entrée")
