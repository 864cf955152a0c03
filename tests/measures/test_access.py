"""Who reaches which measures URL (measures/urls.py), role by role: the association's social workers
work; the landlord's staff and the secretary read the measure but get a 403 on every work form; another
association, steering and administrators find nothing (404); only the coordinator changes referents;
each view refuses the methods it does not serve (405). Forged ids in forms are refused by validation."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.enums import Role
from measures.enums import Domain, Intensity, MeasureStatus, Recommendation
from measures.models import (
    Contact,
    Contract,
    Diagnostic,
    Document,
    Evaluation,
    LiaisonMeeting,
    Measure,
    Objective,
    ReferentAssignment,
)
from tests.accounts.factories import OrganisationFactory, member
from tests.households.factories import PersonFactory, days_ago
from tests.measures.factories import (
    DocumentFactory,
    FollowedHouseholdFactory,
    LiaisonItemFactory,
    MeasureFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(referent, landlord, association):
    """One of each thing a measures URL points at, all of the landlord LMH and the association EOLE."""
    diagnosing = MeasureFactory(diagnostic__social_worker=referent)
    active = MeasureFactory(active=True, referent=referent)
    suspended = MeasureFactory(suspended=True, referent=referent)
    meeting = LiaisonItemFactory(household=active.household, meeting__partners=[association]).meeting
    return {
        "diagnosing": diagnosing,
        "active": active,
        "suspended": suspended,
        "fresh_household": FollowedHouseholdFactory(eole=True),
        "document": DocumentFactory(household=active.household, measure=active),
        "meeting": meeting,
    }


def measure_url(name, measure, *args):
    return reverse(f"measures:{name}", args=[measure.pk, *args])


# (label, URL builder): pages that read a measure, open to whoever sees its household.
READ = {
    "detail": lambda o: measure_url("detail", o["active"]),
    "diagnostic": lambda o: measure_url("diagnostic", o["diagnosing"]),
    "diagnostic_pdf": lambda o: measure_url("diagnostic_pdf", o["diagnosing"]),
    "contract": lambda o: measure_url("contract", o["active"]),
    "contract_pdf": lambda o: measure_url("contract_pdf", o["active"]),
}
# Work forms on a measure: the association's referents and coordinators only.
WORK = {
    "diagnostic_edit": lambda o: measure_url("diagnostic_edit", o["diagnosing"]),
    "diagnostic_sign": lambda o: measure_url("diagnostic_sign", o["diagnosing"]),
    "diagnostic_amend": lambda o: measure_url("diagnostic_amend", o["active"]),
    "open": lambda o: measure_url("open", o["diagnosing"]),
    "status suspension": lambda o: measure_url("status", o["active"], "suspension"),
    "status reprise": lambda o: measure_url("status", o["suspended"], "reprise"),
    "status cloture": lambda o: measure_url("status", o["active"], "cloture"),
    "contact_add": lambda o: measure_url("contact_add", o["active"]),
    "contract_edit": lambda o: measure_url("contract_edit", o["active"]),
    "contract_sign": lambda o: measure_url("contract_sign", o["active"]),
    "contract_amend": lambda o: measure_url("contract_amend", o["active"]),
    "evaluation_add": lambda o: measure_url("evaluation_add", o["active"]),
}
# Work forms on a household.
HOUSEHOLD_WORK = {
    "diagnostic_start": lambda o: reverse("measures:diagnostic_start", args=[o["fresh_household"].pk]),
    "network": lambda o: reverse("measures:network", args=[o["active"].household.pk]),
    "document_add": lambda o: reverse("measures:document_add", args=[o["active"].household.pk]),
}
MANAGE = {"referent_change": lambda o: measure_url("referent_change", o["active"])}
SIGN_OFF = {"diagnostic_landlord": lambda o: measure_url("diagnostic_landlord", o["diagnosing"])}
DOCUMENT = {"document": lambda o: reverse("measures:document", args=[o["document"].pk])}
LIAISON = {
    "liaison_list": lambda o: reverse("measures:liaison_list"),
    "liaison_create": lambda o: reverse("measures:liaison_create"),
    "liaison_detail": lambda o: reverse("measures:liaison_detail", args=[o["meeting"].pk]),
}
GET_PAGES = READ | WORK | HOUSEHOLD_WORK | MANAGE | DOCUMENT
EVERY_URL = GET_PAGES | SIGN_OFF | LIAISON


def test_every_measures_url_is_covered():
    from measures.urls import urlpatterns

    covered = {label.split()[0] for label in EVERY_URL}
    assert {pattern.name for pattern in urlpatterns} == covered


# The association's social workers


@pytest.mark.parametrize("persona", ["referent", "coordinator"])
@pytest.mark.parametrize("url_name", list(READ | WORK | HOUSEHOLD_WORK | DOCUMENT))
def test_social_workers_of_the_association_open_every_page(client, request, objects, persona, url_name):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(GET_PAGES[url_name](objects))

    assert response.status_code == 200
    if url_name in DOCUMENT:
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        response.close()
    elif url_name in WORK | HOUSEHOLD_WORK:
        assert '<form method="post"' in response.content.decode()


def test_referent_may_not_change_referents(client, referent, objects):
    client.force_login(referent)

    response = client.get(MANAGE["referent_change"](objects))

    assert response.status_code == 403
    assert "Changer de référent" not in response.content.decode()


def test_coordinator_changes_referents(client, coordinator, objects):
    client.force_login(coordinator)

    response = client.get(MANAGE["referent_change"](objects))

    assert response.status_code == 200
    assert "Changer de référent" in response.content.decode()


def test_only_the_coordinator_sees_the_change_referent_button(client, referent, coordinator, objects):
    url = READ["detail"](objects)
    link = MANAGE["referent_change"](objects)

    client.force_login(referent)
    assert link not in client.get(url).content.decode()
    client.force_login(coordinator)
    assert link in client.get(url).content.decode()


# Another association, steering, administrators: nothing exists for them


@pytest.mark.parametrize("persona", ["other_referent", "steering", "admin_user"])
@pytest.mark.parametrize("url_name", list(GET_PAGES))
def test_measures_of_a_household_one_cannot_see_are_not_found(client, request, objects, persona, url_name):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(GET_PAGES[url_name](objects))

    assert response.status_code == 404
    assert objects["active"].household.name not in response.content.decode()


@pytest.mark.parametrize("persona", ["other_referent", "steering", "admin_user"])
def test_landlord_sign_off_of_an_unseen_measure_is_not_found(client, request, objects, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.post(SIGN_OFF["diagnostic_landlord"](objects)).status_code == 404


def test_another_association_does_not_see_the_liaison_meeting(client, other_referent, objects):
    client.force_login(other_referent)

    assert client.get(LIAISON["liaison_detail"](objects)).status_code == 404
    assert LIAISON["liaison_detail"](objects) not in client.get(LIAISON["liaison_list"](objects)).content.decode()


def test_steering_has_no_liaison_meeting(client, steering, objects):
    client.force_login(steering)

    assert client.get(LIAISON["liaison_list"](objects)).status_code == 403
    assert client.get(LIAISON["liaison_create"](objects)).status_code == 403
    assert client.get(LIAISON["liaison_detail"](objects)).status_code == 404


# The landlord's staff and the secretary: they read, they do not work on the measure


@pytest.mark.parametrize("persona", ["tenancy_staff", "secretary"])
@pytest.mark.parametrize("url_name", list(READ))
def test_landlord_staff_read_the_measure(client, request, objects, persona, url_name):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(READ[url_name](objects))

    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["tenancy_staff", "secretary"])
def test_landlord_staff_see_no_work_button_on_the_measure_page(client, request, objects, persona):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(READ["detail"](objects)).content.decode()

    assert objects["active"].household.reference in page
    for name in ["contact_add", "evaluation_add"]:
        assert WORK[name](objects) not in page
    assert "Noter un contact" not in page


@pytest.mark.parametrize("persona", ["tenancy_staff", "secretary"])
@pytest.mark.parametrize("url_name", list(WORK | HOUSEHOLD_WORK | MANAGE))
def test_landlord_staff_get_a_403_on_work_forms(client, request, objects, persona, url_name):
    client.force_login(request.getfixturevalue(persona))

    assert client.get((WORK | HOUSEHOLD_WORK | MANAGE)[url_name](objects)).status_code == 403


def snapshot(objects) -> dict:
    diagnosing, active = objects["diagnosing"], objects["active"]
    return {
        "statuses": list(Measure.objects.order_by("pk").values_list("status", flat=True)),
        "measures": Measure.objects.count(),
        "diagnostic version": Diagnostic.objects.get(measure=diagnosing).version,
        "contract version": Contract.objects.get(measure=active).version,
        "contacts": Contact.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "assignments": list(ReferentAssignment.objects.order_by("pk").values_list("referent", "end")),
        "documents": Document.objects.count(),
    }


FORM_DATA = {
    "diagnostic_edit": {"version": 1, "finding_housing": "Réécrit par le bailleur", "household_minutes": 0},
    "diagnostic_sign": {"signed_on": days_ago(0), "method": "in_person"},
    "diagnostic_amend": {"reason": "Ajout", "text": "Texte"},
    "open": {"start_date": days_ago(0), "intensity": Intensity.STANDARD},
    "status suspension": {"on": days_ago(0), "reason": "Absence"},
    "status reprise": {"on": days_ago(0)},
    "status cloture": {"on": days_ago(0), "outcome": "kept"},
    "contact_add": {"on": days_ago(0), "kind": "home_visit", "duration_minutes": 90, "with_household": "on"},
    "contract_edit": {"version": 1, "household_commitments": "Réécrit", "objectives-TOTAL_FORMS": 0},
    "contract_sign": {"household_signed_on": days_ago(0), "referent_signed_on": days_ago(0)},
    "contract_amend": {"reason": "Avenant"},
    "evaluation_add": {
        "kind": "final",
        "on": days_ago(0),
        "objectives_reached": "Tout",
        "recommendation": Recommendation.CLOSE,
    },
    "diagnostic_start": {"on": days_ago(0)},
    "network": {"network-TOTAL_FORMS": 0, "network-INITIAL_FORMS": 0},
    "document_add": {"kind": "other", "title": "Pièce"},
    "referent_change": {"on": days_ago(0), "reason": "Départ"},
}


@pytest.mark.parametrize("persona", ["tenancy_staff", "secretary"])
@pytest.mark.parametrize("url_name", list(WORK | HOUSEHOLD_WORK | MANAGE))
def test_landlord_staff_posting_a_work_form_get_a_403_and_change_nothing(client, request, objects, persona, url_name):
    client.force_login(request.getfixturevalue(persona))
    before = snapshot(objects)

    response = client.post((WORK | HOUSEHOLD_WORK | MANAGE)[url_name](objects), FORM_DATA[url_name])

    assert response.status_code == 403
    assert snapshot(objects) == before


def test_tenancy_staff_sign_off_a_signed_diagnostic_for_the_landlord(client, tenancy_staff):
    measure = MeasureFactory(diagnostic__signed=True)
    client.force_login(tenancy_staff)

    response = client.post(measure_url("diagnostic_landlord", measure), follow=True)

    assert response.redirect_chain[-1][0] == measure_url("diagnostic", measure)
    assert "Visa du bailleur enregistré." in response.content.decode()
    diagnostic = Diagnostic.objects.get(measure=measure)
    assert (diagnostic.landlord_signed_by, diagnostic.landlord_signed_on) == ("Claire Lefebvre", days_ago(0))


@pytest.mark.parametrize("persona", ["secretary", "referent", "coordinator"])
def test_only_landlord_staff_sign_off_for_the_landlord(client, request, persona):
    measure = MeasureFactory(diagnostic__signed=True)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(measure_url("diagnostic_landlord", measure))

    assert response.status_code == 403
    assert Diagnostic.objects.get(measure=measure).landlord_signed_on is None


@pytest.mark.parametrize("persona", ["tenancy_staff", "secretary", "referent"])
def test_the_confidential_document_is_served_to_the_association_only(client, request, objects, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(DOCUMENT["document"](objects))

    assert response.status_code == (200 if persona == "referent" else 403)
    response.close()


# Liaison meetings


@pytest.mark.parametrize("persona", ["tenancy_staff", "secretary", "referent", "coordinator"])
def test_landlord_and_association_read_the_liaison_meetings(client, request, objects, persona):
    client.force_login(request.getfixturevalue(persona))

    listing = client.get(LIAISON["liaison_list"](objects))
    detail = client.get(LIAISON["liaison_detail"](objects))

    assert listing.status_code == 200 and detail.status_code == 200
    assert LIAISON["liaison_detail"](objects) in listing.content.decode()
    assert objects["active"].household.reference in detail.content.decode()


@pytest.mark.parametrize("persona", ["secretary", "referent", "coordinator", "other_referent"])
def test_only_tenancy_staff_write_the_liaison_report(client, request, objects, persona):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(LIAISON["liaison_create"](objects), {"held_on": days_ago(0), "participants": "X"})

    assert response.status_code == 403
    assert LiaisonMeeting.objects.count() == 1


def test_tenancy_staff_open_the_liaison_form(client, tenancy_staff, objects):
    client.force_login(tenancy_staff)

    response = client.get(LIAISON["liaison_create"](objects))

    assert response.status_code == 200
    assert "prochain échange" in response.content.decode().lower()


# Anonymous visitors


@pytest.mark.parametrize("url_name", list(EVERY_URL))
def test_anonymous_visitors_are_sent_to_the_login_page(client, objects, url_name):
    url = EVERY_URL[url_name](objects)

    response = client.post(url) if url_name in SIGN_OFF else client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


# Methods


@pytest.mark.parametrize("url_name", list(READ | DOCUMENT | {"liaison_list": LIAISON["liaison_list"]}))
def test_read_only_pages_refuse_post(client, referent, objects, url_name):
    client.force_login(referent)

    assert client.post(EVERY_URL[url_name](objects)).status_code == 405


@pytest.mark.parametrize(
    "url_name", list(WORK | HOUSEHOLD_WORK | {"liaison_create": LIAISON["liaison_create"]} | MANAGE)
)
def test_forms_refuse_put_and_delete(client, coordinator, tenancy_staff, objects, url_name):
    client.force_login(tenancy_staff if url_name == "liaison_create" else coordinator)
    url = EVERY_URL[url_name](objects)

    assert client.put(url).status_code == 405
    assert client.delete(url).status_code == 405


def test_landlord_sign_off_refuses_get(client, tenancy_staff, objects):
    client.force_login(tenancy_staff)

    response = client.get(SIGN_OFF["diagnostic_landlord"](objects))

    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_an_unknown_status_action_is_not_found(client, referent, objects):
    client.force_login(referent)

    assert client.get(measure_url("status", objects["active"], "reouverture")).status_code == 404
    # Resuming an active measure is no action either.
    assert client.get(measure_url("status", objects["active"], "reprise")).status_code == 404


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("contract", "get"),
        ("contract_edit", "get"),
        ("contract_pdf", "get"),
        ("contract_sign", "post"),
        ("contract_amend", "post"),
    ],
)
def test_contract_pages_before_the_measure_opens_are_not_found(client, referent, objects, name, method):
    client.force_login(referent)
    data = FORM_DATA[name] if method == "post" else None

    response = getattr(client, method)(measure_url(name, objects["diagnosing"]), data)

    assert response.status_code == 404


# Forged ids: another organisation's people are refused by validation, nothing is saved


def test_diagnostic_start_refuses_a_social_worker_of_another_association(client, referent, other_referent, objects):
    household = objects["fresh_household"]
    client.force_login(referent)

    response = client.post(
        reverse("measures:diagnostic_start", args=[household.pk]),
        {"operator": household.operator_id, "social_worker": other_referent.pk, "on": days_ago(0)},
    )

    assert response.status_code == 200
    assert "social_worker" in response.context["form"].errors
    assert not Measure.objects.filter(household=household).exists()


def test_diagnostic_start_refuses_another_association_as_operator(client, referent, other_association, objects):
    household = objects["fresh_household"]
    client.force_login(referent)

    response = client.post(
        reverse("measures:diagnostic_start", args=[household.pk]),
        {"operator": other_association.pk, "social_worker": referent.pk, "on": days_ago(0)},
    )

    assert "operator" in response.context["form"].errors
    assert not Measure.objects.filter(household=household).exists()


def test_diagnostic_start_refuses_landlord_staff_as_social_worker(client, referent, tenancy_staff, objects):
    household = objects["fresh_household"]
    client.force_login(referent)

    response = client.post(
        reverse("measures:diagnostic_start", args=[household.pk]),
        {"operator": household.operator_id, "social_worker": tenancy_staff.pk, "on": days_ago(0)},
    )

    assert "social_worker" in response.context["form"].errors
    assert not Measure.objects.filter(household=household).exists()


def test_diagnostic_start_refuses_a_referent_of_the_same_association_s_other_organisation(client, referent, objects):
    # A social worker of an association the user also belongs to, but not the household's association.
    elsewhere = OrganisationFactory(name="Autre association", short_name="AUTRE")
    referent.memberships.create(organisation=elsewhere, role=Role.REFERENT)
    stranger = member(elsewhere, Role.REFERENT)
    household = objects["fresh_household"]
    client.force_login(referent)

    response = client.post(
        reverse("measures:diagnostic_start", args=[household.pk]),
        {"operator": household.operator_id, "social_worker": stranger.pk, "on": days_ago(0)},
    )

    assert "social_worker" in response.context["form"].errors
    assert not Measure.objects.filter(household=household).exists()


def test_opening_refuses_a_referent_of_another_association(client, referent, other_referent):
    measure = MeasureFactory(diagnostic__signed=True, diagnostic__social_worker=referent)
    client.force_login(referent)

    response = client.post(
        measure_url("open", measure),
        {"start_date": days_ago(0), "referent": other_referent.pk, "intensity": Intensity.STANDARD},
    )

    assert response.status_code == 200
    assert "referent" in response.context["form"].errors
    assert Measure.objects.get(pk=measure.pk).status == MeasureStatus.DIAGNOSTIC
    assert not ReferentAssignment.objects.filter(measure=measure).exists()


def test_referent_change_refuses_a_referent_of_another_association(client, coordinator, referent, other_referent):
    measure = MeasureFactory(active=True, referent=referent)
    client.force_login(coordinator)

    response = client.post(
        measure_url("referent_change", measure),
        {"referent": other_referent.pk, "on": days_ago(0), "reason": "Réorganisation"},
    )

    assert response.status_code == 200
    assert "referent" in response.context["form"].errors
    assignment = ReferentAssignment.objects.get(measure=measure)
    assert (assignment.referent, assignment.end) == (referent, None)


def test_diagnostic_refuses_a_person_of_another_household(client, referent, objects):
    measure = objects["diagnosing"]
    own = measure.household.people.get()
    stranger = PersonFactory(household=objects["active"].household, first_names="Intrus")
    client.force_login(referent)

    response = client.post(
        measure_url("diagnostic_edit", measure),
        {
            "version": 1,
            "members_present": [own.pk, stranger.pk],
            "household_minutes": 150,
            "admin_minutes": 60,
            "finding_housing": "Réécrit avec un intrus",
        },
    )

    assert response.status_code == 200
    assert "members_present" in response.context["form"].errors
    diagnostic = Diagnostic.objects.get(measure=measure)
    assert diagnostic.members_present.count() == 0
    assert diagnostic.finding_housing != "Réécrit avec un intrus"
    assert diagnostic.version == 1


def test_liaison_report_refuses_a_household_the_staff_cannot_see(client, tenancy_staff, objects):
    foreign = FollowedHouseholdFactory(landlord=OrganisationFactory(landlord=True, short_name="PARTENORD"))
    client.force_login(tenancy_staff)

    response = client.post(
        LIAISON["liaison_create"](objects),
        {
            "held_on": days_ago(0),
            "participants": "C. Lefebvre",
            "items-TOTAL_FORMS": 1,
            "items-INITIAL_FORMS": 0,
            "items-0-household": foreign.pk,
            "items-0-note": "Forgé",
        },
    )

    assert response.status_code == 200
    assert "household" in response.context["items"].forms[0].errors
    assert LiaisonMeeting.objects.count() == 1


def test_objective_of_another_contract_cannot_be_edited_through_the_formset(client, referent, objects):
    other = MeasureFactory(active=True, referent=referent, household=FollowedHouseholdFactory(eole=True))
    foreign_objective = other.contract.objectives.get()
    measure = objects["active"]
    client.force_login(referent)

    response = client.post(
        measure_url("contract_edit", measure),
        {
            "version": 1,
            "household_commitments": "Payer le loyer",
            "objectives-TOTAL_FORMS": 1,
            "objectives-INITIAL_FORMS": 1,
            "objectives-0-id": foreign_objective.pk,
            "objectives-0-domain": Domain.HOUSING,
            "objectives-0-description": "Détourné",
            "objectives-0-status": "in_progress",
        },
    )

    # The formset only knows this contract's objectives: the forged row is ignored, never saved.
    assert response.status_code in (200, 302)
    foreign_objective.refresh_from_db()
    assert foreign_objective.description != "Détourné"
    assert foreign_objective.contract == other.contract
    assert not Objective.objects.filter(description="Détourné").exists()
