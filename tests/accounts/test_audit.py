"""The audit trail: who changed what, including bulk updates."""

import pghistory.models
import pytest
from django.urls import reverse

from accounts.models import Organisation
from tests.accounts.factories import OrganisationFactory


def events_of(obj):
    return list(pghistory.models.Events.objects.tracks(obj).order_by("pgh_created_at", "pgh_id"))


@pytest.mark.django_db
def test_create_update_and_delete_are_recorded():
    organisation = OrganisationFactory(name="GRAAL", short_name="GRAAL")
    organisation.phone = "0320123456"
    organisation.save()
    pk = organisation.pk
    organisation.delete()

    labels = [event.pgh_label for event in pghistory.models.Events.objects.filter(pgh_obj_id=str(pk))]
    assert sorted(labels) == ["delete", "insert", "update"]


@pytest.mark.django_db
def test_bulk_update_is_recorded():
    OrganisationFactory.create_batch(3)

    Organisation.objects.update(phone="0320000000")

    updates = Organisation.pgh_event_models["update"].objects.filter(phone="0320000000")
    assert updates.count() == 3


@pytest.mark.django_db
def test_an_update_that_changes_nothing_records_nothing():
    organisation = OrganisationFactory()

    organisation.save()

    assert [event.pgh_label for event in events_of(organisation)] == ["insert"]


def test_change_through_a_request_records_who_made_it(client, admin_user, association):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:accounts_organisation_change", args=[association.pk]),
        {"name": "EOLE", "short_name": "EOLE", "kind": "association", "email": "", "phone": "0320112233"},
    )

    assert response.status_code == 302
    update = events_of(association)[-1]
    assert update.pgh_label == "update"
    assert update.pgh_context["user"] == admin_user.pk
    assert update.pgh_diff == {"phone": ["", "0320112233"]}


@pytest.mark.django_db
def test_password_hashes_are_not_copied_into_the_history(referent):
    event_model = type(referent).pgh_event_models["insert"]

    assert "password" not in {field.name for field in event_model._meta.fields}


def test_object_history_is_reachable_from_the_admin(client, admin_user, association):
    client.force_login(admin_user)

    page = client.get(reverse("admin:accounts_organisation_change", args=[association.pk])).content.decode()

    assert "Events" in page or "Événements" in page
