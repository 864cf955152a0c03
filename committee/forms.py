from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone

from accounts.enums import OrganisationKind
from accounts.models import Organisation
from committee.models import Attendee, Decision, Session
from finance.models import Programme
from households.forms import DATE, OneMessagePerRefusal, OwnRowsInlineFormSet


class SessionForm(forms.ModelForm):
    starts_at = forms.DateTimeField(
        label="Date et heure", widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )

    class Meta:
        model = Session
        fields = ["programme", "starts_at", "place"]

    def __init__(self, *args, landlord_ids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(landlord_id__in=landlord_ids)
        programmes = self.fields["programme"].queryset
        if programmes.count() == 1:
            programme = programmes.first()
            self.fields["programme"].initial = programme.pk
            self.fields["place"].initial = programme.committee_place

    def clean(self):
        cleaned = super().clean()
        programme, starts_at = cleaned.get("programme"), cleaned.get("starts_at")
        if programme is None or starts_at is None:
            return cleaned
        day = timezone.localtime(starts_at).date()
        if day < programme.start:
            self.add_error(
                "starts_at", f"Le programme commence le {programme.start:%d/%m/%Y} : la séance ne peut le précéder."
            )
            return cleaned
        sessions = Session.objects.filter(programme=programme)
        same_day = sessions.filter(starts_at__date=day).first()
        if same_day is not None:
            self.add_error("starts_at", f"La séance n° {same_day.number} a déjà lieu ce jour-là.")
            return cleaned
        last = sessions.order_by("-number").first()
        if last is not None and starts_at < last.starts_at:
            when = timezone.localtime(last.starts_at)
            self.add_error(
                "starts_at",
                f"Les séances sont numérotées dans l'ordre et la dernière, n° {last.number}, a lieu le "
                f"{when:%d/%m/%Y} : une nouvelle séance vient après.",
            )
        return cleaned


class AttendeeForm(forms.ModelForm):
    class Meta:
        model = Attendee
        fields = ["organisation", "name", "email", "attendance"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(kind=OrganisationKind.FUNDER)


AttendeeFormSet = inlineformset_factory(
    Session, Attendee, form=AttendeeForm, formset=OwnRowsInlineFormSet, extra=3, can_delete=True
)


class DecisionForm(OneMessagePerRefusal, forms.ModelForm):
    # A refused end date: not also « Indiquez la nouvelle fin prévue… » (OneMessagePerRefusal).
    class Meta:
        model = Decision
        fields = [
            "kind",
            "operator",
            "measure_type",
            "intensity",
            "duration_months",
            "planned_end",
            "content",
            "outcome",
            "reason",
            "summary",
        ]
        widgets = {
            "planned_end": DATE,
            "content": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.item = item
        self.fields["operator"].queryset = Organisation.objects.filter(kind=OrganisationKind.ASSOCIATION)
        self.fields["summary"].help_text = "Repris au procès-verbal : références et initiales, aucun nom complet."

    def clean_planned_end(self):
        value = self.cleaned_data.get("planned_end")
        if value and value <= timezone.localdate():
            raise forms.ValidationError("La fin prévue doit être dans le futur.")
        return value


class CorrectionForm(forms.Form):
    reason = forms.CharField(label="Motif de la correction", max_length=300)
