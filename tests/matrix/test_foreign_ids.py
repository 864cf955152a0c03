"""Forged ids: every foreign-key field of every form, posted with an id the user may not use.

The fields come from the forms themselves (`base_fields` of every form of households/forms.py,
measures/forms.py, committee/forms.py and finance/views.py, plus the `id` and parent fields that
inline formsets add): a new foreign-key field without a case here fails
`test_every_foreign_key_field_has_a_forged_id_case`.

Each case posts an otherwise valid form with another organisation's object in that one field (a
dwelling of another landlord, an organisation the user is not a member of, a person of another
household, a referent of another association, a landlord where only associations may be chosen…).
The form must be refused with a French error on that field (or the page be a 404) and nothing at
all be saved.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import pytest
from django import forms
from django.db import models
from django.forms.formsets import BaseFormSet
from django.forms.models import BaseModelFormSet, InlineForeignKeyField, model_to_dict
from django.urls import reverse

import committee.forms
import finance.views
import households.forms
import measures.forms
from accounts.enums import OrganisationKind, Role
from accounts.models import Organisation, User
from committee.enums import DecisionKind
from households.enums import HouseholdStatus, HousingSituation, LeaseKind, Track
from households.models import Household
from measures.enums import MeasureType
from tests.accounts.factories import OrganisationFactory, member
from tests.committee.factories import AgendaItemFactory, AttendeeFactory, SessionFactory
from tests.committee.factories import ProgrammeFactory as CommitteeProgrammeFactory
from tests.conftest import VerifiedClient
from tests.households.factories import (
    DwellingFactory,
    HouseholdFactory,
    PersonFactory,
    ResourceFactory,
    SituationReportFactory,
    days_ago,
)
from tests.matrix.support import changed_tables, row_counts
from tests.measures.factories import (
    FollowedHouseholdFactory,
    LiaisonItemFactory,
    MeasureFactory,
)

pytestmark = pytest.mark.django_db

FORM_MODULES = [households.forms, measures.forms, committee.forms, finance.views]

# Django's choice errors in French, and the project's own messages for a foreign organisation.
FRENCH_ERRORS = (
    "Sélectionnez un choix valide",
    "La valeur en ligne ne correspond pas",
    "Un bailleur ne propose que des ménages de son propre parc",
)


def foreign_key_fields() -> set[tuple[str, str]]:
    """(form or formset name, field name) of every model choice field, and of the `id` and parent
    fields an inline model formset adds to its forms."""
    found = set()
    for module in FORM_MODULES:
        for name, value in vars(module).items():
            if not isinstance(value, type):
                continue
            if issubclass(value, BaseFormSet):
                if issubclass(value, BaseModelFormSet) and getattr(value, "model", None) is not None:
                    found.add((name, value.model._meta.pk.name))
                    if getattr(value, "fk", None) is not None:
                        found.add((name, value.fk.name))
            elif issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                found |= {
                    (name, field_name)
                    for field_name, field in value.base_fields.items()
                    if isinstance(field, forms.ModelChoiceField | InlineForeignKeyField)
                }
    return found


def field_errors(response, field: str) -> list[str]:
    """The errors of `field` in every form and formset of the page's context."""
    found = []
    contexts = response.context if isinstance(response.context, list) else [response.context]
    for value in [value for context in contexts for value in context.flatten().values()]:
        bound = value.forms if isinstance(value, BaseFormSet) else [value]
        for form in bound:
            if isinstance(form, forms.BaseForm) and form.is_bound:
                found += [str(message) for message in form.errors.get(field, [])]
    return found


def management(prefix: str, total: int, initial: int = 0) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def prefixed(prefix: str, index: int, values: dict) -> dict:
    return {f"{prefix}-{index}-{key}": value for key, value in values.items()}


def yesterday() -> str:
    return days_ago(1).isoformat()


# The scene: LMH and Partenord (landlords), EOLE and AFEJI (associations), a funder, and their people


@dataclass
class Scene:
    lmh: Organisation
    partenord: Organisation
    eole: Organisation
    afeji: Organisation
    tenancy_staff: User
    referent: User
    coordinator: User
    secretary: User
    other_referent: User

    @cached_property
    def funder(self):
        return OrganisationFactory(kind=OrganisationKind.FUNDER, name="Fonds de la matrice", short_name="FONDSMX")

    @cached_property
    def eole_household(self):
        household = HouseholdFactory(
            landlord=self.lmh,
            proposed_by=self.eole,
            operator=self.eole,
            track=Track.ACCES,
            status=HouseholdStatus.ACCOMPANIED,
        )
        PersonFactory(household=household, last_name="Eolien")
        return household

    @cached_property
    def afeji_household(self):
        household = HouseholdFactory(
            landlord=self.lmh,
            proposed_by=self.afeji,
            operator=self.afeji,
            track=Track.ACCES,
            status=HouseholdStatus.ACCOMPANIED,
        )
        PersonFactory(household=household, last_name="Afejien")
        ResourceFactory(household=household)
        return household

    @cached_property
    def lmh_household(self):
        household = HouseholdFactory(landlord=self.lmh)
        PersonFactory(household=household, last_name="Lemaire")
        return household

    @cached_property
    def partenord_household(self):
        household = HouseholdFactory(landlord=self.partenord)
        PersonFactory(household=household, last_name="Leroy")
        return household

    @cached_property
    def lmh_dwelling(self):
        return DwellingFactory(landlord=self.lmh)

    @cached_property
    def partenord_dwelling(self):
        return DwellingFactory(landlord=self.partenord)

    def client_for(self, user) -> VerifiedClient:
        client = VerifiedClient()
        client.force_login(user)
        return client


@pytest.fixture
def scene(landlord, other_landlord, association, other_association, tenancy_staff, referent, coordinator, secretary):
    other_referent = member(other_association, Role.REFERENT, full_name="Karim Benali")
    return Scene(
        landlord,
        other_landlord,
        association,
        other_association,
        tenancy_staff,
        referent,
        coordinator,
        secretary,
        other_referent,
    )


@dataclass
class Forgery:
    """A POST carrying another organisation's id in `field`; `foreign` is the other organisation's row
    that a forged row id points at, when there is one to protect."""

    client: VerifiedClient
    url: str
    data: dict
    field: str
    foreign: models.Model | None = None
    # The same POST with a legitimate value instead (the control: it must be saved).
    legit: dict = field(default_factory=dict)

    def post(self, replacing: dict | None = None):
        return self.client.post(self.url, self.data | (replacing or {}))


def forge(client, url: str, data: dict, field: str, foreign=None, *, legit: dict | None = None) -> Forgery:
    return Forgery(client, url, data, field, foreign, legit or {})


def assert_refused(forgery: Forgery) -> None:
    """The forged id is refused: a 404, or the form again with a French error on its field; and not a
    single row written anywhere."""
    before = row_counts()
    response = forgery.post()
    written = changed_tables(before, row_counts())
    assert response.status_code in (200, 404), (
        f"HTTP {response.status_code}: the forged id was not refused (rows written: {written or 'none'})"
    )
    if response.status_code == 200:
        errors = field_errors(response, forgery.field)
        assert errors, f"no error on « {forgery.field} »"
        assert any(error.startswith(FRENCH_ERRORS) for error in errors), f"not a French refusal: {errors}"
    assert not written, f"the forged id was refused, but rows were written: {written}"


# The cases: (form, field) → what is forged, and how it is posted


@dataclass(frozen=True)
class Case:
    form: str
    field: str
    forged: str
    run: Callable[[Scene], None]


CASES: list[Case] = []


def forges(form: str, field: str, forged: str):
    def register(run):
        CASES.append(Case(form, field, forged, run))
        return run

    return register


def household_create_data(landlord, proposer, *, track=Track.ACCES) -> dict:
    return {
        "landlord": landlord.pk,
        "proposed_by": proposer.pk,
        "track": track,
        "name": "Famille Forgée",
        "proposed_on": yesterday(),
        "housing_situation": HousingSituation.CHRS if track == Track.ACCES else HousingSituation.LMH_TENANT,
        **management("people", 1),
        **prefixed(
            "people", 0, {"last_name": "Forge", "first_names": "Yann", "birth_date": "1988-03-04", "relation": "head"}
        ),
    }


@forges("HouseholdForm", "landlord", "another landlord, for a landlord's tenancy staff")
def _household_landlord_of_another_landlord(s):
    data = household_create_data(s.partenord, s.lmh, track=Track.MAINTIEN)
    return forge(
        s.client_for(s.tenancy_staff), reverse("households:create"), data, "landlord", legit={"landlord": s.lmh.pk}
    )


@forges("HouseholdForm", "landlord", "an association posing as the landlord")
def _household_landlord_is_an_association(s):
    data = household_create_data(s.afeji, s.eole)
    return forge(
        s.client_for(s.referent), reverse("households:create"), data, "landlord", legit={"landlord": s.lmh.pk}
    )


@forges("HouseholdForm", "proposed_by", "an association the referent is not a member of")
def _household_proposed_by_another_association(s):
    data = household_create_data(s.lmh, s.afeji)
    return forge(
        s.client_for(s.referent), reverse("households:create"), data, "proposed_by", legit={"proposed_by": s.eole.pk}
    )


def _people_data(person_id, household_id) -> dict:
    row = {"id": person_id, "household": household_id, "last_name": "Piraté", "first_names": "Paul"}
    return {
        **management("people", 1, 1),
        **prefixed("people", 0, row | {"birth_date": "1980-01-01", "relation": "head"}),
    }


@forges("PersonFormSet", "id", "a person of another household")
def _person_of_another_household(s):
    household, foreign = s.eole_household, s.afeji_household.people.get()
    data = _people_data(foreign.pk, household.pk)
    url = reverse("households:people", args=[household.pk])
    return forge(s.client_for(s.referent), url, data, "id", foreign, legit={"people-0-id": household.people.get().pk})


@forges("PersonFormSet", "household", "another household as the people's household")
def _people_moved_to_another_household(s):
    household = s.eole_household
    own = household.people.get()
    data = _people_data(own.pk, s.afeji_household.pk)
    url = reverse("households:people", args=[household.pk])
    return forge(s.client_for(s.referent), url, data, "household", own, legit={"people-0-household": household.pk})


def _resources_data(resource_id, household_id) -> dict:
    row = {
        "id": resource_id,
        "household": household_id,
        "source": "rsa",
        "monthly_amount": "1.00",
        "as_of": yesterday(),
    }
    return {**management("resources", 1, 1), **prefixed("resources", 0, row)}


@forges("ResourceFormSet", "id", "a resource of another household")
def _resource_of_another_household(s):
    household = s.eole_household
    ResourceFactory(household=household)
    foreign = s.afeji_household.resources.get()
    data = _resources_data(foreign.pk, household.pk)
    url = reverse("households:resources", args=[household.pk])
    return forge(
        s.client_for(s.referent), url, data, "id", foreign, legit={"resources-0-id": household.resources.get().pk}
    )


@forges("ResourceFormSet", "household", "another household as the resources' household")
def _resources_moved_to_another_household(s):
    household = s.eole_household
    own = ResourceFactory(household=household)
    data = _resources_data(own.pk, s.afeji_household.pk)
    url = reverse("households:resources", args=[household.pk])
    return forge(s.client_for(s.referent), url, data, "household", own, legit={"resources-0-household": household.pk})


def _tenancy_data(dwelling, **extra) -> dict:
    return {"dwelling": dwelling.pk, "start": "2024-02-01", "lease_kind": LeaseKind.DIRECT} | extra


@forges("TenancyForm", "dwelling", "a dwelling of another landlord")
def _tenancy_in_another_landlord_dwelling(s):
    household = s.eole_household
    data = _tenancy_data(s.partenord_dwelling)
    return forge(
        s.client_for(s.referent),
        reverse("households:tenancy_add", args=[household.pk]),
        data,
        "dwelling",
        legit={"dwelling": s.lmh_dwelling.pk},
    )


@forges("TenancyForm", "main_lease_holder", "a landlord as main lease holder (associations only)")
def _sliding_lease_held_by_a_landlord(s):
    household = s.eole_household
    data = _tenancy_data(
        s.lmh_dwelling, lease_kind=LeaseKind.SLIDING, main_lease_holder=s.partenord.pk, sublet_start="2024-02-01"
    )
    url = reverse("households:tenancy_add", args=[household.pk])
    return forge(s.client_for(s.referent), url, data, "main_lease_holder", legit={"main_lease_holder": s.eole.pk})


@forges("AllocationForm", "dwelling", "a dwelling of another landlord")
def _allocation_of_another_landlord_dwelling(s):
    household = s.eole_household
    data = {"dwelling": s.partenord_dwelling.pk, "decision": "pending", "contingent": "prefectoral"}
    return forge(
        s.client_for(s.referent),
        reverse("households:allocation_add", args=[household.pk]),
        data,
        "dwelling",
        legit={"dwelling": s.lmh_dwelling.pk},
    )


@forges("SituationReportForm", "organisation", "another landlord as the reporting organisation")
def _report_for_another_landlord(s):
    data = {"household": s.lmh_household.pk, "organisation": s.partenord.pk, "poor_use": "on", "to_present": "on"}
    return forge(
        s.client_for(s.tenancy_staff),
        reverse("households:report"),
        data,
        "organisation",
        legit={"organisation": s.lmh.pk},
    )


@forges("NewTenantForm", "dwelling", "a dwelling of another landlord for a new tenant")
def _new_tenant_in_another_landlord_dwelling(s):
    data = {
        "organisation": s.lmh.pk,
        "poor_use": "on",
        "to_present": "on",
        "new-name": "Famille Forgée",
        "new-head_last_name": "Forge",
        "new-head_first_names": "Yann",
        "new-head_birth_date": "1988-03-04",
        "new-dwelling": s.partenord_dwelling.pk,
        "new-tenancy_start": "2020-01-01",
    }
    return forge(
        s.client_for(s.tenancy_staff),
        reverse("households:report"),
        data,
        "dwelling",
        legit={"new-dwelling": s.lmh_dwelling.pk},
    )


def _candidate(s) -> Household:
    """An accès candidate of EOLE, not yet oriented: EOLE may start its diagnostic."""
    household = HouseholdFactory(acces=True, landlord=s.lmh, proposed_by=s.eole)
    PersonFactory(household=household)
    return household


@forges("DiagnosticStartForm", "operator", "an association the referent is not a member of")
def _diagnostic_for_another_association(s):
    household = _candidate(s)
    data = {"operator": s.afeji.pk, "social_worker": s.referent.pk, "on": yesterday()}
    url = reverse("measures:diagnostic_start", args=[household.pk])
    return forge(s.client_for(s.referent), url, data, "operator", legit={"operator": s.eole.pk})


@forges("DiagnosticStartForm", "social_worker", "a referent of another association")
def _diagnostic_by_another_association_referent(s):
    household = _candidate(s)
    data = {"operator": s.eole.pk, "social_worker": s.other_referent.pk, "on": yesterday()}
    url = reverse("measures:diagnostic_start", args=[household.pk])
    return forge(s.client_for(s.referent), url, data, "social_worker", legit={"social_worker": s.referent.pk})


@forges("DiagnosticForm", "members_present", "a person of another household among those present")
def _diagnostic_with_another_household_person(s):
    measure = MeasureFactory(household=FollowedHouseholdFactory(eole=True), diagnostic__social_worker=s.referent)
    data = {
        "version": measure.diagnostic.version,
        "members_present": [s.afeji_household.people.get().pk],
        "household_minutes": "0",
        "admin_minutes": "0",
    }
    url = reverse("measures:diagnostic_edit", args=[measure.pk])
    return forge(
        s.client_for(s.referent),
        url,
        data,
        "members_present",
        legit={"members_present": [measure.household.people.get().pk]},
    )


@forges("MeasureOpenForm", "referent", "a referent of another association")
def _measure_opened_with_another_association_referent(s):
    measure = MeasureFactory(diagnostic__signed=True, diagnostic__social_worker=s.referent)
    data = {"start_date": days_ago(0).isoformat(), "referent": s.other_referent.pk, "intensity": "standard"}
    return forge(
        s.client_for(s.referent),
        reverse("measures:open", args=[measure.pk]),
        data,
        "referent",
        legit={"referent": s.referent.pk},
    )


@forges("ReferentChangeForm", "referent", "a referent of another association")
def _referent_changed_to_another_association(s):
    measure = MeasureFactory(active=True)
    data = {"referent": s.other_referent.pk, "on": yesterday(), "reason": "Mutation"}
    return forge(
        s.client_for(s.coordinator),
        reverse("measures:referent_change", args=[measure.pk]),
        data,
        "referent",
        legit={"referent": member(s.eole, Role.REFERENT).pk},
    )


def _objectives_data(objective_id, contract_id, version) -> dict:
    row = {
        "id": objective_id,
        "contract": contract_id,
        "domain": "budget",
        "description": "Forgé",
        "status": "reached",
    }
    return {"version": version, **management("objectives", 1, 1), **prefixed("objectives", 0, row)}


@forges("ObjectiveFormSet", "id", "an objective of another household's contract")
def _objective_of_another_contract(s):
    measure = MeasureFactory(active=True, referent=s.referent)
    foreign = MeasureFactory(active=True, household=FollowedHouseholdFactory(afeji=True))
    objective = foreign.contract.objectives.get()
    data = _objectives_data(objective.pk, measure.contract.pk, measure.contract.version)
    url = reverse("measures:contract_edit", args=[measure.pk])
    return forge(
        s.client_for(s.referent),
        url,
        data,
        "id",
        objective,
        legit={"objectives-0-id": measure.contract.objectives.get().pk},
    )


@forges("ObjectiveFormSet", "contract", "another household's contract as the objectives' contract")
def _objectives_moved_to_another_contract(s):
    measure = MeasureFactory(active=True, referent=s.referent)
    foreign = MeasureFactory(active=True, household=FollowedHouseholdFactory(afeji=True))
    own = measure.contract.objectives.get()
    data = _objectives_data(own.pk, foreign.contract.pk, measure.contract.version)
    url = reverse("measures:contract_edit", args=[measure.pk])
    return forge(
        s.client_for(s.referent), url, data, "contract", own, legit={"objectives-0-contract": measure.contract.pk}
    )


def _network_data(member_id, household_id) -> dict:
    row = {"id": member_id, "household": household_id, "kind": "caf", "organisation_name": "CAF forgée"}
    return {**management("network", 1, 1), **prefixed("network", 0, row | {"active": "on"})}


def _network_member(household):
    from measures.models import NetworkMember

    return NetworkMember.objects.create(household=household, kind="ccas", organisation_name="CCAS de Roubaix")


@forges("NetworkFormSet", "id", "a professional of another household's network")
def _network_member_of_another_household(s):
    household = s.eole_household
    _network_member(household)
    foreign = _network_member(s.afeji_household)
    data = _network_data(foreign.pk, household.pk)
    return forge(
        s.client_for(s.referent),
        reverse("measures:network", args=[household.pk]),
        data,
        "id",
        foreign,
        legit={"network-0-id": household.network.get().pk},
    )


@forges("NetworkFormSet", "household", "another household as the network's household")
def _network_moved_to_another_household(s):
    household = s.eole_household
    own = _network_member(household)
    data = _network_data(own.pk, s.afeji_household.pk)
    url = reverse("measures:network", args=[household.pk])
    return forge(s.client_for(s.referent), url, data, "household", own, legit={"network-0-household": household.pk})


def _liaison_data(*, partners, items: dict | None = None, initial: int = 0) -> dict:
    data = {"held_on": yesterday(), "partners": partners, "participants": "Réunion de la matrice"}
    data |= management("items", 1 if items else 0, initial)
    if items:
        data |= prefixed("items", 0, items)
    return data


@forges("LiaisonMeetingForm", "partners", "a landlord among the associations of an exchange")
def _liaison_with_a_landlord_as_partner(s):
    data = _liaison_data(partners=[s.partenord.pk])
    return forge(
        s.client_for(s.tenancy_staff),
        reverse("measures:liaison_create"),
        data,
        "partners",
        legit={"partners": [s.eole.pk]},
    )


@forges("LiaisonItemForm", "household", "a household of another landlord")
def _liaison_about_another_landlord_household(s):
    data = _liaison_data(partners=[s.eole.pk], items={"household": s.partenord_household.pk, "note": "Forgé"})
    return forge(
        s.client_for(s.tenancy_staff),
        reverse("measures:liaison_create"),
        data,
        "household",
        legit={"items-0-household": s.lmh_household.pk},
    )


@forges("LiaisonItemFormSet", "id", "an item of another landlord's exchange")
def _liaison_item_of_another_exchange(s):
    foreign = LiaisonItemFactory(meeting__landlord=s.partenord, household=s.partenord_household)
    items = {"id": foreign.pk, "household": s.lmh_household.pk, "note": "Forgé"}
    data = _liaison_data(partners=[s.eole.pk], items=items, initial=1)
    return forge(
        s.client_for(s.tenancy_staff),
        reverse("measures:liaison_create"),
        data,
        "id",
        foreign,
        legit={"items-0-id": "", "items-INITIAL_FORMS": "0"},
    )


@forges("LiaisonItemFormSet", "meeting", "another landlord's exchange as the item's exchange")
def _liaison_item_in_another_exchange(s):
    foreign = LiaisonItemFactory(meeting__landlord=s.partenord, household=s.partenord_household)
    items = {"meeting": foreign.meeting.pk, "household": s.lmh_household.pk, "note": "Forgé"}
    data = _liaison_data(partners=[s.eole.pk], items=items)
    return forge(
        s.client_for(s.tenancy_staff),
        reverse("measures:liaison_create"),
        data,
        "meeting",
        foreign,
        legit={"items-0-meeting": ""},
    )


@forges("SessionForm", "programme", "a programme of another landlord")
def _session_of_another_landlord_programme(s):
    CommitteeProgrammeFactory(landlord=s.lmh)
    foreign = CommitteeProgrammeFactory(other_landlord=True)
    data = {"programme": foreign.pk, "starts_at": "2031-03-04T14:00", "place": "Salle forgée"}
    return forge(
        s.client_for(s.secretary),
        reverse("committee:create"),
        data,
        "programme",
        legit={"programme": CommitteeProgrammeFactory(landlord=s.lmh).pk},
    )


def _attendees_data(row: dict, initial: int = 0) -> dict:
    row = {"name": "Personne forgée", "email": "forge@example.org", "attendance": "invited"} | row
    return {**management("attendees", 1, initial), **prefixed("attendees", 0, row)}


def _lmh_session(s):
    return SessionFactory(programme=CommitteeProgrammeFactory(landlord=s.lmh))


@forges("AttendeeForm", "organisation", "a funder convened to the committee (funders are never convened)")
def _attendee_from_a_funder(s):
    session = _lmh_session(s)
    data = _attendees_data({"organisation": s.funder.pk})
    return forge(
        s.client_for(s.secretary),
        reverse("committee:attendees", args=[session.pk]),
        data,
        "organisation",
        legit={"attendees-0-organisation": s.lmh.pk},
    )


@forges("AttendeeFormSet", "id", "an attendee of another landlord's session")
def _attendee_of_another_session(s):
    session = _lmh_session(s)
    foreign = AttendeeFactory(session=SessionFactory(programme=CommitteeProgrammeFactory(other_landlord=True)))
    data = _attendees_data({"id": foreign.pk, "session": session.pk, "organisation": s.lmh.pk}, initial=1)
    url = reverse("committee:attendees", args=[session.pk])
    return forge(
        s.client_for(s.secretary),
        url,
        data,
        "id",
        foreign,
        legit={"attendees-0-id": "", "attendees-INITIAL_FORMS": "0"},
    )


@forges("AttendeeFormSet", "session", "another landlord's session as the attendee's session")
def _attendee_moved_to_another_session(s):
    session = _lmh_session(s)
    foreign = AttendeeFactory(session=SessionFactory(programme=CommitteeProgrammeFactory(other_landlord=True)))
    data = _attendees_data({"session": foreign.session.pk, "organisation": s.lmh.pk})
    url = reverse("committee:attendees", args=[session.pk])
    return forge(s.client_for(s.secretary), url, data, "session", foreign, legit={"attendees-0-session": session.pk})


@forges("DecisionForm", "operator", "a landlord as the association a household is oriented to")
def _decision_orienting_to_a_landlord(s):
    item = AgendaItemFactory(session=_lmh_session(s), household=s.lmh_household)
    data = {"kind": DecisionKind.ORIENT, "operator": s.partenord.pk, "measure_type": MeasureType.MAINTIEN}
    return forge(
        s.client_for(s.secretary),
        reverse("committee:decision", args=[item.pk]),
        data,
        "operator",
        legit={"operator": s.eole.pk},
    )


# The generated tests


def test_every_foreign_key_field_has_a_forged_id_case():
    covered = {(case.form, case.field) for case in CASES}

    missing = foreign_key_fields() - covered

    assert not missing, f"foreign-key fields without a forged-id case: {sorted(missing)}"
    assert covered <= foreign_key_fields(), (
        f"cases of fields that no longer exist: {sorted(covered - foreign_key_fields())}"
    )


def test_the_form_introspection_finds_the_fields_replaced_or_added_by_formsets():
    fields = foreign_key_fields()

    assert {("TenancyForm", "dwelling"), ("PersonFormSet", "id"), ("PersonFormSet", "household")} <= fields
    assert ("DiagnosticForm", "members_present") in fields
    assert not {name for name, _ in fields if name in ("PeriodForm", "ContactForm")}


KNOWN_BUGS: dict[tuple[str, str], str] = {}


def case_id(case: Case) -> str:
    return f"{case.form}.{case.field}-{case.run.__name__.strip('_')}"


def case_params(cases):
    for case in cases:
        reason = KNOWN_BUGS.get((case.form, case.field))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        yield pytest.param(case, id=case_id(case), marks=marks)


@pytest.mark.parametrize("case", list(case_params(CASES)))
def test_forged_id_is_refused_and_nothing_is_saved(scene, case):
    assert_refused(case.run(scene))


ROW_CASES = [case for case in CASES if case.form.endswith("FormSet")]


@pytest.mark.parametrize("case", ROW_CASES, ids=case_id)
def test_forged_row_id_never_changes_the_other_row(scene, case):
    """Whatever the page answers, the row a forged formset id (or parent id) points at keeps its values and
    its parent: nobody edits another household's people, objectives or attendees through their own."""
    forgery = case.run(scene)
    row = forgery.foreign
    before = model_to_dict(row)

    response = forgery.post()

    assert response.status_code < 500
    row.refresh_from_db()
    assert model_to_dict(row) == before


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_the_same_post_with_a_legitimate_id_is_saved(scene, case):
    """The control of each case: with a legitimate value in the forged field, the very same POST is
    accepted, so the refusal above is the forged id's doing and nothing else's."""
    forgery = case.run(scene)
    assert forgery.legit, "give the case its legitimate value"

    response = forgery.post(forgery.legit)

    assert response.status_code == 302, field_errors(response, forgery.field) or response.context


def test_known_bugs_name_real_fields():
    assert set(KNOWN_BUGS) <= foreign_key_fields()


# Ids read from the request outside any form


def test_report_on_another_landlord_household_is_not_found(scene):
    data = {"household": scene.partenord_household.pk, "organisation": scene.lmh.pk, "poor_use": "on"}

    assert_refused(forge(scene.client_for(scene.tenancy_staff), reverse("households:report"), data, "household"))


@pytest.mark.parametrize("target", ["report", "household", "measure"])
def test_agenda_never_takes_another_landlord_case(scene, target):
    session = _lmh_session(scene)
    foreign_household = HouseholdFactory(acces=True, landlord=scene.partenord, proposed_by=scene.eole)
    forged = {
        "report": ("new_situation", SituationReportFactory(household=scene.partenord_household).pk),
        "household": ("access_candidate", foreign_household.pk),
        "measure": ("calibration", MeasureFactory(active=True, household__landlord=scene.partenord).pk),
    }
    kind, pk = forged[target]
    before = row_counts()

    response = scene.client_for(scene.secretary).post(
        reverse("committee:agenda_add", args=[session.pk]), {"kind": kind, target: pk}
    )

    assert response.status_code == 404
    assert not changed_tables(before, row_counts())
