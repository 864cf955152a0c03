"""Confidential notes are encrypted at rest: the database column holds a Fernet token, in the contact
table and in its history table, while the application reads the clear text."""

import pytest
from django.db import connection
from django.urls import reverse

from measures.enums import ContactKind
from measures.models import Contact
from tests.households.factories import days_ago
from tests.measures.factories import ContactFactory, MeasureFactory

NOTE = "Hospitalisation psychiatrique de Mme en mars, ne pas diffuser"
CHANGED_NOTE = "Sortie d'hospitalisation, suivi CMP hebdomadaire"


def raw(sql: str, *params) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


@pytest.fixture
def measure(referent):
    return MeasureFactory(active=True, referent=referent)


def assert_encrypted(values: list[str], *clear_texts: str):
    assert values
    for value in values:
        assert value.startswith("gAAAAA")  # a Fernet token, version byte 0x80
        assert not any(text in value for text in clear_texts)
        assert not any(word in value for text in clear_texts for word in text.split() if len(word) > 4)


def test_a_note_typed_in_the_contact_form_is_stored_encrypted(client, referent, measure):
    client.force_login(referent)

    response = client.post(
        reverse("measures:contact_add", args=[measure.pk]),
        {
            "on": days_ago(1),
            "kind": ContactKind.HOME_VISIT,
            "duration_minutes": 60,
            "with_household": "on",
            "summary": "Visite faite.",
            "confidential_note": NOTE,
        },
    )

    assert response.status_code == 302
    contact = Contact.objects.get(measure=measure)
    assert_encrypted(raw("SELECT confidential_note FROM measures_contact WHERE id = %s", contact.pk), NOTE)
    assert_encrypted(
        raw("SELECT confidential_note FROM measures_contactevent WHERE pgh_obj_id = %s", contact.pk), NOTE
    )
    assert Contact.objects.get(pk=contact.pk).confidential_note == NOTE


def test_the_history_of_a_changed_note_is_encrypted_too(measure, referent):
    contact = ContactFactory(measure=measure, by=referent, confidential_note=NOTE)
    contact.confidential_note = CHANGED_NOTE
    contact.save()

    stored = raw("SELECT confidential_note FROM measures_contact WHERE id = %s", contact.pk)
    history = raw("SELECT confidential_note FROM measures_contactevent WHERE pgh_obj_id = %s", contact.pk)

    assert_encrypted(stored, NOTE, CHANGED_NOTE)
    assert len(history) == 2
    assert_encrypted(history, NOTE, CHANGED_NOTE)
    event_model = Contact.pgh_event_models["insert"]
    notes = (
        event_model.objects.filter(pgh_obj_id=contact.pk)
        .order_by("pgh_id")
        .values_list("confidential_note", flat=True)
    )
    assert list(notes) == [NOTE, CHANGED_NOTE]
    contact.refresh_from_db()
    assert contact.confidential_note == CHANGED_NOTE


def test_the_same_note_is_encrypted_differently_each_time(measure, referent):
    first = ContactFactory(measure=measure, by=referent, confidential_note=NOTE)
    second = ContactFactory(measure=measure, by=referent, confidential_note=NOTE)

    stored = raw("SELECT confidential_note FROM measures_contact WHERE id IN (%s, %s)", first.pk, second.pk)

    assert len(set(stored)) == 2
    assert_encrypted(stored, NOTE)


def test_the_shareable_summary_is_not_encrypted(measure, referent):
    contact = ContactFactory(measure=measure, by=referent, summary="Loyer payé.", confidential_note=NOTE)

    assert raw("SELECT summary FROM measures_contact WHERE id = %s", contact.pk) == ["Loyer payé."]
