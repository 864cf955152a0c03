"""Second factor for every account: TOTP enrolment at first login, single-use backup codes, the
administrator's reset, and the demo accounts' known codes. These tests log in through the pages
with a plain client (the shared `client` fixture would give the second factor for free)."""

import base64
import html
import io
import re
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp import devices_for_user
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import demo
from accounts.models import User
from accounts.security import replace_backup_codes
from tests.households.factories import HouseholdFactory
from tests.security.helpers import give_code, log_in_with_password, text_of
from tests.security.routes import project_routes

TWO_FACTOR_PAGES = {"two_factor", "two_factor_enrol", "backup_codes", "logout", "healthz", "readyz"}
WRONG_CODE = "Code incorrect ou déjà utilisé."
BACKUP_CODE = "secours-0001"


def current_code(device) -> str:
    return f"{totp(device.bin_key):06d}"


def enrolled(user) -> TOTPDevice:
    """A user who enrolled an authenticator application, with one backup code."""
    device = TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
    replace_backup_codes(user, [BACKUP_CODE])
    return device


def shown_codes(page: str) -> list[str]:
    listing = re.search(r'<ul class="[^"]*backup-codes">(.*?)</ul>', page, re.DOTALL)
    return re.findall(r"<li>([^<]+)</li>", listing.group(1)) if listing else []


def two_factor_url(next_url: str) -> str:
    return f"{reverse('two_factor')}?{urlencode({'next': next_url})}"


# After the password


def test_after_the_password_every_page_redirects_to_the_two_factor_page(plain_client, referent, password):
    enrolled(referent)
    log_in_with_password(plain_client, referent.email, password)
    values = {"pk": 1, "household_pk": 1, "tenancy_pk": 1, "item_pk": 1, "version": 1}
    values |= {"action": "suspension", "step": "convoquer", "uidb64": "MQ", "token": "x-y"}
    routes = [route for route in project_routes() if route.name not in TWO_FACTOR_PAGES]

    redirected = {route.name: plain_client.get(route.url(values)) for route in routes}

    assert len(redirected) >= 60
    wrong = {
        route.name: (response.status_code, response.get("Location"))
        for route, response in zip(routes, redirected.values(), strict=True)
        if response.status_code != 302 or response["Location"] != two_factor_url(route.url(values))
    }
    assert wrong == {}


def test_after_the_password_no_form_may_be_posted(plain_client, referent, password, landlord, association):
    household = HouseholdFactory(acces=True, landlord=landlord, proposed_by=association, name="Famille Durand")
    enrolled(referent)
    log_in_with_password(plain_client, referent.email, password)
    edit = reverse("households:edit", args=[household.pk])
    data = {"name": "Famille Piratée", "proposed_on": household.proposed_on.isoformat(), "housing_situation": "chrs"}

    response = plain_client.post(edit, data)

    assert response["Location"] == two_factor_url(edit)
    household.refresh_from_db()
    assert household.name == "Famille Durand"


def test_the_two_factor_page_sends_back_to_the_asked_page_once_the_code_is_given(plain_client, referent, password):
    enrolled(referent)
    log_in_with_password(plain_client, referent.email, password)
    asked = plain_client.get(reverse("households:list"))
    assert asked["Location"] == two_factor_url(reverse("households:list"))

    response = give_code(plain_client, BACKUP_CODE, next_url=reverse("households:list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("households:list")
    page = plain_client.get(reverse("households:list"))
    assert page.status_code == 200
    assert "Ménages" in text_of(page)


def test_the_two_factor_page_never_sends_to_another_site(plain_client, referent, password):
    enrolled(referent)
    log_in_with_password(plain_client, referent.email, password)

    response = give_code(plain_client, BACKUP_CODE, next_url="https://pirate.example/menages/")

    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_password_alone_gives_no_access_to_case_files(plain_client, referent, password, landlord, association):
    household = HouseholdFactory(acces=True, landlord=landlord, proposed_by=association, name="Famille Durand")
    enrolled(referent)
    log_in_with_password(plain_client, referent.email, password)

    response = plain_client.get(reverse("households:detail", args=[household.pk]), follow=True)

    page = text_of(response)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor"))
    assert "Double authentification" in page
    assert household.name not in page


# Enrolment at first login


def test_first_login_without_device_goes_to_enrolment_with_a_qr_code_and_the_secret(plain_client, referent, password):
    log_in_with_password(plain_client, referent.email, password)

    response = plain_client.get(reverse("home"), follow=True)

    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_enrol"))
    page = text_of(response)
    assert "Activer la double authentification" in page
    device = TOTPDevice.objects.get(user=referent, confirmed=False)
    qr = re.search(r'<img src="([^"]+)" alt="Code QR', page).group(1)
    assert qr.startswith("data:image/svg+xml")
    assert base64.b32encode(device.bin_key).decode() in page


def test_a_valid_code_confirms_the_device_and_shows_ten_backup_codes_once(plain_client, referent, password):
    log_in_with_password(plain_client, referent.email, password)
    page = text_of(plain_client.get(reverse("two_factor_enrol")))
    secret = re.search(r'<code class="user-select-all">([A-Z2-7]+)</code>', page).group(1)

    response = plain_client.post(reverse("two_factor_enrol"), {"token": f"{totp(base64.b32decode(secret)):06d}"})

    assert response.status_code == 302
    assert response["Location"] == reverse("backup_codes")
    assert TOTPDevice.objects.get(user=referent).confirmed
    codes_page = text_of(plain_client.get(reverse("backup_codes")))
    codes = [html.unescape(code) for code in shown_codes(codes_page)]
    stored = StaticToken.objects.filter(device__user=referent).values_list("token", flat=True)
    assert len(codes) == 10
    assert sorted(codes) == sorted(stored)
    assert "ils ne seront plus affichés" in codes_page
    assert plain_client.get(reverse("home")).status_code == 200
    again = text_of(plain_client.get(reverse("backup_codes")))
    assert shown_codes(again) == []
    assert not any(code in again for code in codes)
    assert "déjà été affichés" in again


def test_a_wrong_code_at_enrolment_leaves_the_device_unconfirmed(plain_client, referent, password):
    log_in_with_password(plain_client, referent.email, password)
    plain_client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=referent)
    wrong = f"{(totp(device.bin_key) + 500_000) % 1_000_000:06d}"

    response = plain_client.post(reverse("two_factor_enrol"), {"token": wrong})

    assert response.status_code == 200
    assert "Ce code ne correspond pas" in text_of(response)
    device.refresh_from_db()
    assert not device.confirmed
    assert plain_client.get(reverse("home"))["Location"].startswith(reverse("two_factor"))


# Codes


def test_the_authenticator_code_gives_access(plain_client, referent, password):
    device = enrolled(referent)
    log_in_with_password(plain_client, referent.email, password)

    response = give_code(plain_client, current_code(device))

    assert response["Location"] == "/"
    assert "Bonjour Amandine Martin" in text_of(plain_client.get(reverse("home")))


def test_a_wrong_code_gets_a_french_message_and_no_access(plain_client, referent, password):
    enrolled(referent)
    log_in_with_password(plain_client, referent.email, password)

    response = give_code(plain_client, "mauvais-code")

    assert response.status_code == 200
    assert WRONG_CODE in html.unescape(text_of(response))
    assert plain_client.get(reverse("home"))["Location"] == two_factor_url("/")


def test_a_backup_code_works_only_once(plain_client, referent, password):
    enrolled(referent)
    log_in_with_password(plain_client, referent.email, password)
    assert give_code(plain_client, BACKUP_CODE)["Location"] == "/"
    assert plain_client.get(reverse("home")).status_code == 200
    plain_client.post(reverse("logout"))

    log_in_with_password(plain_client, referent.email, password)
    second_use = give_code(plain_client, BACKUP_CODE)

    assert second_use.status_code == 200
    assert WRONG_CODE in html.unescape(text_of(second_use))
    assert plain_client.get(reverse("home"))["Location"] == two_factor_url("/")
    assert not StaticToken.objects.filter(device__user=referent, token=BACKUP_CODE).exists()


# The administrator's reset


def test_the_administrator_reset_deletes_the_devices_and_the_next_login_enrols_again(
    client, plain_client, admin_user, referent, tenancy_staff, password
):
    enrolled(referent)
    enrolled(tenancy_staff)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_factor", "_selected_action": [referent.pk]},
        follow=True,
    )

    assert "Double authentification réinitialisée pour 1 compte(s)" in html.unescape(text_of(response))
    assert list(devices_for_user(referent, confirmed=None)) == []
    assert len(list(devices_for_user(tenancy_staff))) == 2
    log_in_with_password(plain_client, referent.email, password)
    next_login = plain_client.get(reverse("home"), follow=True)
    assert next_login.redirect_chain[-1][0].startswith(reverse("two_factor_enrol"))
    assert "Activer la double authentification" in text_of(next_login)


def test_after_the_reset_an_open_session_must_enrol_again(plain_client, client, admin_user, referent, password):
    device = enrolled(referent)
    log_in_with_password(plain_client, referent.email, password)
    give_code(plain_client, current_code(device))
    assert plain_client.get(reverse("home")).status_code == 200
    client.force_login(admin_user)

    client.post(
        reverse("admin:accounts_user_changelist"), {"action": "reset_two_factor", "_selected_action": [referent.pk]}
    )

    response = plain_client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("two_factor_enrol"))


# Demo accounts


@pytest.mark.django_db
def test_seed_demo_gives_every_demo_account_the_known_backup_codes(settings, plain_client):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())

    for email, *_ in demo.PERSONAS:
        user = User.objects.get(email=email)
        tokens = StaticToken.objects.filter(device__in=StaticDevice.objects.filter(user=user))
        assert sorted(tokens.values_list("token", flat=True)) == sorted(demo.DEMO_BACKUP_CODES), email
    log_in_with_password(plain_client, "a.martin@eole.example", demo.DEMO_PASSWORD)
    assert give_code(plain_client, demo.DEMO_BACKUP_CODES[3])["Location"] == "/"
    assert "Bonjour Amandine Martin" in text_of(plain_client.get(reverse("home")))
