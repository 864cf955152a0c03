"""Password rules, through the password-change form: at least 12 characters, no common password,
and no composition rules (a long lowercase phrase is fine)."""

import html

import pytest
from django.urls import reverse

from tests.security.helpers import text_of


def change_password(client, old: str, new: str):
    return client.post(reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new})


@pytest.fixture
def logged_in(client, referent):
    client.force_login(referent)
    return client


def test_an_eleven_character_password_is_refused(logged_in, referent, password):
    response = change_password(logged_in, password, "rougegorge7")

    assert response.status_code == 200
    assert "Ce mot de passe est trop court. Il doit contenir au minimum 12 caractères." in html.unescape(
        text_of(response)
    )
    referent.refresh_from_db()
    assert referent.check_password(password)


def test_a_common_password_is_refused_even_when_long_enough(logged_in, referent, password):
    response = change_password(logged_in, password, "telechargement")

    assert response.status_code == 200
    assert "Ce mot de passe est trop courant." in html.unescape(text_of(response))
    referent.refresh_from_db()
    assert referent.check_password(password)


def test_twelve_lowercase_letters_are_accepted_without_composition_rules(logged_in, referent):
    response = change_password(logged_in, "Mot-de-passe-de-test-2026", "girafebleuet")

    assert response.status_code == 302
    assert response["Location"] == reverse("password_change_done")
    referent.refresh_from_db()
    assert referent.check_password("girafebleuet")
    # The session survives the change (Django updates its hash).
    assert logged_in.get(reverse("home")).status_code == 200


def test_the_new_password_is_asked_for_at_the_next_login(logged_in, plain_client, referent, password):
    change_password(logged_in, password, "girafebleuet")

    old = plain_client.post(reverse("login"), {"username": referent.email, "password": password})
    new = plain_client.post(reverse("login"), {"username": referent.email, "password": "girafebleuet"})

    assert old.status_code == 200
    assert new.status_code == 302
