"""Login throttling (django-axes): five failures for one address from one IP lock that address out
from that IP for fifteen minutes, whatever the case of the address, and say nothing about whether
the account exists."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone

from tests.security.helpers import log_in_with_password, text_of

WRONG_PASSWORD = "pas-le-bon-mot-de-passe"
INCORRECT = "Adresse e-mail ou mot de passe incorrect"
LOCKED = "Connexion temporairement bloquée"


def fail(client, email: str, times: int = 5) -> list:
    return [log_in_with_password(client, email, WRONG_PASSWORD) for _ in range(times)]


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def without_tokens(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_four_failures_only_say_the_password_is_wrong(plain_client, referent):
    responses = fail(plain_client, referent.email, times=4)

    assert [response.status_code for response in responses] == [200] * 4
    assert all(INCORRECT in text_of(response) for response in responses)


def test_after_five_failures_the_sixth_attempt_is_locked_out_even_with_the_right_password(
    plain_client, referent, password
):
    failures = fail(plain_client, referent.email)

    sixth = log_in_with_password(plain_client, referent.email, password)

    assert [response.status_code for response in failures[:4]] == [200] * 4
    assert sixth.status_code == 429
    assert LOCKED in text_of(sixth)
    assert "bloquée pendant 15 minutes" in text_of(sixth)
    assert not logged_in(plain_client)


def test_lock_out_page_is_the_same_whether_the_account_exists_or_not(plain_client, referent, password):
    fail(plain_client, referent.email)
    fail(plain_client, "personne.inconnue@lmh.example")

    existing = log_in_with_password(plain_client, referent.email, password)
    unknown = log_in_with_password(plain_client, "personne.inconnue@lmh.example", password)

    assert existing.status_code == unknown.status_code == 429
    assert without_tokens(text_of(existing)) == without_tokens(text_of(unknown))
    assert LOCKED in text_of(unknown)


def test_failures_for_an_unknown_address_say_the_same_as_for_a_known_one(plain_client, referent):
    known = fail(plain_client, referent.email, times=1)[0]
    unknown = fail(plain_client, "personne.inconnue@lmh.example", times=1)[0]

    assert known.status_code == unknown.status_code == 200
    assert INCORRECT in text_of(unknown)
    # The page shows back the typed address: apart from it, the two answers are the same.
    assert without_tokens(text_of(known)).replace(referent.email, "@") == without_tokens(text_of(unknown)).replace(
        "personne.inconnue@lmh.example", "@"
    )


def test_another_address_from_the_same_ip_is_not_locked(plain_client, referent, tenancy_staff, password):
    fail(plain_client, referent.email)

    response = log_in_with_password(plain_client, tenancy_staff.email, password)

    assert response.status_code == 302
    assert logged_in(plain_client)


def test_the_same_address_from_another_ip_is_not_locked(plain_client, referent, password):
    fail(plain_client, referent.email)
    elsewhere = Client(REMOTE_ADDR="192.0.2.44")

    response = log_in_with_password(elsewhere, referent.email, password)

    assert response.status_code == 302
    assert logged_in(elsewhere)


@pytest.mark.parametrize("spelling", ["A.Martin@EOLE.example", "A.MARTIN@eole.EXAMPLE"])
def test_the_address_in_another_case_counts_as_the_same(plain_client, referent, password, spelling):
    fail(plain_client, referent.email, times=3)
    fail(plain_client, spelling, times=2)

    sixth = log_in_with_password(plain_client, spelling, password)

    assert sixth.status_code == 429
    assert LOCKED in text_of(sixth)
    assert log_in_with_password(plain_client, referent.email, password).status_code == 429
    assert not logged_in(plain_client)


def move_attempts_back(minutes: int) -> None:
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=minutes))


def test_the_lock_holds_for_fifteen_minutes_then_is_lifted(plain_client, referent, password):
    fail(plain_client, referent.email)
    move_attempts_back(14)
    assert log_in_with_password(plain_client, referent.email, password).status_code == 429
    # That attempt counted as one more failure, made now: fifteen minutes from the last attempt.
    move_attempts_back(16)

    response = log_in_with_password(plain_client, referent.email, password)

    assert response.status_code == 302
    assert logged_in(plain_client)
