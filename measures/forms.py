from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone

from accounts.enums import Role
from accounts.models import Organisation, User
from households.forms import DATE, OwnRowsInlineFormSet
from households.models import Household
from measures.enums import DiagnosticConclusion, Outcome, SignatureMethod
from measures.models import (
    UPLOAD_VALIDATORS,
    Contact,
    Contract,
    Diagnostic,
    Document,
    Evaluation,
    LiaisonItem,
    LiaisonMeeting,
    NetworkMember,
    Objective,
)


def referents_of(organisation_id):
    return User.objects.filter(
        is_active=True,
        memberships__organisation_id=organisation_id,
        memberships__role__in=[Role.REFERENT, Role.COORDINATOR],
        memberships__is_active=True,
    ).distinct()


def not_in_future(form, name, label):
    value = form.cleaned_data.get(name)
    if value and value > timezone.localdate():
        form.add_error(name, f"{label} ne peut pas être dans le futur.")


class VersionedForm(forms.ModelForm):
    """Carries the version the user read, so that a concurrent save is detected (no lost update)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = self.instance.version


class DiagnosticStartForm(forms.Form):
    operator = forms.ModelChoiceField(label="Association", queryset=Organisation.objects.none())
    social_worker = forms.ModelChoiceField(label="Travailleur social", queryset=User.objects.none())
    on = forms.DateField(label="Commencé le", widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, operator_ids, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].queryset = Organisation.objects.filter(pk__in=operator_ids)
        self.fields["social_worker"].queryset = User.objects.filter(
            is_active=True,
            memberships__organisation_id__in=operator_ids,
            memberships__role__in=[Role.REFERENT, Role.COORDINATOR],
        ).distinct()
        if len(operator_ids) == 1:
            self.fields["operator"].initial = operator_ids[0]
        self.fields["social_worker"].initial = user.pk

    def clean(self):
        cleaned = super().clean()
        not_in_future(self, "on", "La date")
        operator, worker = cleaned.get("operator"), cleaned.get("social_worker")
        if operator and worker and not referents_of(operator.pk).filter(pk=worker.pk).exists():
            self.add_error("social_worker", "Ce travailleur social n'appartient pas à l'association choisie.")
        return cleaned


class DiagnosticForm(VersionedForm):
    class Meta:
        model = Diagnostic
        fields = [
            "held_on",
            "landlord_representative",
            "members_present",
            "household_minutes",
            "admin_minutes",
            "finding_housing",
            "finding_budget",
            "finding_rights",
            "finding_health",
            "finding_work",
            "finding_family",
            "finding_network",
            "finding_neighbourhood",
            "household_words",
            "needs",
            "conclusion",
            "proposed_type",
            "proposed_intensity",
            "proposed_duration_months",
        ]
        widgets = {"held_on": DATE, "members_present": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members_present"].queryset = self.instance.measure.household.people.all()
        for name, _ in Diagnostic.FINDINGS:
            self.fields[name].widget.attrs["rows"] = 3
        for name in ["household_words", "needs"]:
            self.fields[name].widget.attrs["rows"] = 3
        self.fields["household_minutes"].help_text = "Norme : 2 h 30 (150 minutes)."
        self.fields["admin_minutes"].help_text = "Norme : 1 h (60 minutes)."

    def clean(self):
        cleaned = super().clean()
        not_in_future(self, "held_on", "La date de l'entretien")
        if cleaned.get("conclusion") == DiagnosticConclusion.NO_MEASURE:
            for name in ["proposed_type", "proposed_intensity", "proposed_duration_months"]:
                if cleaned.get(name):
                    self.add_error(name, "Sans objet quand aucune mesure n'est nécessaire.")
        if cleaned.get("conclusion") == DiagnosticConclusion.MEASURE and not cleaned.get("proposed_type"):
            self.add_error("proposed_type", "La conclusion propose une mesure : précisez son type.")
        return cleaned


class DiagnosticSignForm(forms.Form):
    signed_on = forms.DateField(label="Signé par le ménage le", widget=DATE, initial=timezone.localdate)
    method = forms.ChoiceField(label="Signature", choices=SignatureMethod.choices, widget=forms.RadioSelect)
    scan = forms.FileField(
        label="Scan du diagnostic signé (PDF, JPEG ou PNG)", required=False, validators=UPLOAD_VALIDATORS
    )

    def clean(self):
        cleaned = super().clean()
        not_in_future(self, "signed_on", "La date de signature")
        scan_refused = "scan" in self.errors  # a file was sent but refused: its own message says why
        if cleaned.get("method") == SignatureMethod.PAPER and not cleaned.get("scan") and not scan_refused:
            self.add_error("scan", "Pour une signature sur papier, joignez le scan.")
        return cleaned


class AmendmentForm(forms.Form):
    reason = forms.CharField(label="Motif", max_length=300)
    text = forms.CharField(label="Avenant", widget=forms.Textarea(attrs={"rows": 5}))


class MeasureOpenForm(forms.Form):
    start_date = forms.DateField(label="Début de l'accompagnement", widget=DATE, initial=timezone.localdate)
    referent = forms.ModelChoiceField(label="Référent social", queryset=User.objects.none())
    intensity = forms.ChoiceField(label="Intensité")
    planned_end = forms.DateField(label="Fin prévue", widget=DATE, required=False)

    def __init__(self, *args, measure, **kwargs):
        from measures.enums import Intensity

        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = referents_of(measure.operator_id)
        self.fields["intensity"].choices = Intensity.choices
        diagnostic = measure.diagnostic
        self.fields["referent"].initial = diagnostic.social_worker_id
        self.fields["intensity"].initial = diagnostic.proposed_intensity or Intensity.STANDARD

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("planned_end")
        if start and end and end <= start:
            self.add_error("planned_end", "La fin prévue doit suivre le début de l'accompagnement.")
        return cleaned


class ReferentChangeForm(forms.Form):
    referent = forms.ModelChoiceField(label="Nouveau référent", queryset=User.objects.none())
    on = forms.DateField(label="À partir du", widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label="Motif du changement", max_length=300)

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referent"].queryset = referents_of(measure.operator_id)


class StatusForm(forms.Form):
    on = forms.DateField(label="Date", widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label="Motif", max_length=300, required=False)

    def clean(self):
        cleaned = super().clean()
        not_in_future(self, "on", "La date")
        return cleaned


class CloseForm(StatusForm):
    outcome = forms.ChoiceField(label="Issue de la mesure", choices=[("", "—"), *Outcome.choices])
    field_order = ["outcome", "on", "reason"]


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["on", "kind", "duration_minutes", "with_household", "participants", "summary", "confidential_note"]
        widgets = {
            "on": DATE,
            "summary": forms.Textarea(attrs={"rows": 3}),
            "confidential_note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.measure = measure
        self.fields["duration_minutes"].help_text = "En minutes : 90 pour 1 h 30."
        self.fields["duration_minutes"].initial = 90


class ContractForm(VersionedForm):
    class Meta:
        model = Contract
        fields = ["household_commitments", "referent_commitments", "landlord_commitments"]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["domain", "description", "target_date", "status", "progress_notes"]
        widgets = {"target_date": DATE, "progress_notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, contract=None, **kwargs):
        super().__init__(*args, **kwargs)
        if contract is not None:
            # The row's checks read the contract's measure: the contract already loaded, not one query a row.
            self.instance.contract = contract


class ObjectiveRowsFormSet(OwnRowsInlineFormSet):
    def get_form_kwargs(self, index):
        return super().get_form_kwargs(index) | {"contract": self.instance}


ObjectiveFormSet = inlineformset_factory(
    Contract, Objective, form=ObjectiveForm, formset=ObjectiveRowsFormSet, extra=1, can_delete=True
)


class ContractSignForm(forms.Form):
    household_signed_on = forms.DateField(label="Signé par le ménage le", widget=DATE, initial=timezone.localdate)
    referent_signed_on = forms.DateField(label="Signé par le référent le", widget=DATE, initial=timezone.localdate)

    def clean(self):
        cleaned = super().clean()
        not_in_future(self, "household_signed_on", "La date de signature")
        not_in_future(self, "referent_signed_on", "La date de signature")
        return cleaned


class ReasonForm(forms.Form):
    reason = forms.CharField(label="Motif de l'avenant", max_length=300)


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = [
            "kind",
            "on",
            "objectives_reached",
            "arrears_now",
            "housing_now",
            "rights_now",
            "recommendation",
            "household_view",
        ]
        widgets = {"on": DATE} | {
            name: forms.Textarea(attrs={"rows": 3})
            for name in ["objectives_reached", "housing_now", "rights_now", "household_view"]
        }

    def __init__(self, *args, measure, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.measure = measure


class NetworkMemberForm(forms.ModelForm):
    class Meta:
        model = NetworkMember
        fields = ["kind", "organisation_name", "person", "role", "phone", "email", "active"]


NetworkFormSet = inlineformset_factory(
    Household, NetworkMember, form=NetworkMemberForm, formset=OwnRowsInlineFormSet, extra=1, can_delete=True
)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["kind", "title", "file", "confidential"]


class LiaisonMeetingForm(forms.ModelForm):
    class Meta:
        model = LiaisonMeeting
        fields = ["held_on", "partners", "participants", "next_on"]
        widgets = {"held_on": DATE, "next_on": DATE, "partners": forms.CheckboxSelectMultiple}

    def __init__(self, *args, partner_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Organisation.objects.filter(pk__in=partner_ids)
        self.fields["next_on"].help_text = "Par défaut 6 semaines après, au jour près."
        self.fields["next_on"].required = False

    def clean(self):
        from measures.models import LIAISON_EVERY

        cleaned = super().clean()
        not_in_future(self, "held_on", "La date de l'échange")
        if cleaned.get("held_on") and not cleaned.get("next_on"):
            cleaned["next_on"] = cleaned["held_on"] + LIAISON_EVERY
            self.instance.next_on = cleaned["next_on"]
        return cleaned


class LiaisonItemForm(forms.ModelForm):
    class Meta:
        model = LiaisonItem
        fields = ["household", "note"]

    def __init__(self, *args, households=None, **kwargs):
        super().__init__(*args, **kwargs)
        if households is not None:
            self.fields["household"].queryset = households


LiaisonItemFormSet = inlineformset_factory(
    LiaisonMeeting, LiaisonItem, form=LiaisonItemForm, formset=OwnRowsInlineFormSet, extra=3, can_delete=False
)
