"""Session limits: 30 minutes of inactivity, 12 hours after login whatever the activity, and a
deactivated account loses its session at its next request."""

from datetime import datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils import timezone

from accounts.middleware import LAST_SEEN, LOGIN_AT
from tests.security.helpers import text_of


@pytest.fixture
def logged_in(client, referent):
    client.force_login(referent)
    return client


def set_session(client, **moments):
    session = client.session
    for key, moment in moments.items():
        session[key] = moment.isoformat()
    session.save()


def ago(**delta) -> datetime:
    return timezone.now() - timedelta(**delta)


def login_redirect(next_url: str) -> str:
    return f"{reverse('login')}?{urlencode({'next': next_url})}"


def assert_session_ended(client, response, next_url):
    assert response.status_code == 302
    assert response["Location"] == login_redirect(next_url)
    assert "_auth_user_id" not in client.session
    login_page = text_of(client.get(response["Location"]))
    assert "Votre session a expiré : reconnectez-vous pour continuer." in login_page.replace("&#x27;", "'")


# SessionLimitsMiddleware adds a message before MessageMiddleware has run (it comes later in MIDDLEWARE):
# the expired session is logged out, then the request fails with MessageFailure (a 500 page).


def test_thirty_minutes_of_inactivity_end_the_session(logged_in):
    set_session(logged_in, **{LAST_SEEN: ago(minutes=31)})

    response = logged_in.get(reverse("households:list"))

    assert_session_ended(logged_in, response, reverse("households:list"))
    assert logged_in.get(reverse("home"))["Location"].startswith(reverse("login"))


def test_twenty_nine_minutes_of_inactivity_keep_the_session_and_count_as_activity(logged_in):
    set_session(logged_in, **{LAST_SEEN: ago(minutes=29)})

    response = logged_in.get(reverse("home"))

    assert response.status_code == 200
    seen = datetime.fromisoformat(logged_in.session[LAST_SEEN])
    assert timezone.now() - seen < timedelta(minutes=1)


def test_twelve_hours_after_login_end_the_session_even_when_active(logged_in):
    set_session(logged_in, **{LOGIN_AT: ago(hours=12, minutes=1), LAST_SEEN: ago(minutes=2)})

    response = logged_in.get(reverse("home"))

    assert_session_ended(logged_in, response, reverse("home"))


def test_an_active_session_lasts_until_twelve_hours_after_login(logged_in):
    set_session(logged_in, **{LOGIN_AT: ago(hours=11, minutes=55), LAST_SEEN: ago(minutes=5)})

    assert logged_in.get(reverse("home")).status_code == 200


def test_a_deactivated_user_loses_the_session_at_the_next_request(logged_in, referent):
    assert logged_in.get(reverse("home")).status_code == 200
    referent.is_active = False
    referent.save()

    response = logged_in.get(reverse("households:list"))

    assert response.status_code == 302
    assert response["Location"] == redirect_to_login(reverse("households:list"))["Location"]
    assert logged_in.get(reverse("home"))["Location"].startswith(reverse("login"))
