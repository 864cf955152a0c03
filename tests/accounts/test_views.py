import pytest
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from accounts.enums import Role
from accounts.home_sections import MISSIONS


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/admin/", "/compte/mot-de-passe/"])
def test_anonymous_request_goes_to_login(client, url):
    response = client.get(url, follow=True)

    final_url, status = response.redirect_chain[-1]
    assert status == 302
    assert final_url.startswith(reverse("login"))
    assert "Connexion" in response.content.decode()


@pytest.mark.django_db
def test_healthz_answers_without_login(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def test_wrong_password_gets_a_clear_french_message(client, referent):
    response = client.post(reverse("login"), {"username": referent.email, "password": "mauvais-mot-de-passe"})

    assert response.status_code == 200
    assert "Adresse e-mail ou mot de passe incorrect" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_deactivated_account_cannot_log_in(client, referent, password):
    referent.is_active = False
    referent.save()

    response = client.post(reverse("login"), {"username": referent.email, "password": password})

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_login_leads_to_the_home_page(client, referent, password):
    response = client.post(reverse("login"), {"username": referent.email, "password": password})

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


HOME_SECTION_TITLES = {
    "tenancy_staff": "Gestion locative — à faire",
    "referent": "Référent social — ménages de mon association",
    "coordinator": "Responsable — ménages de mon organisation",
    "secretary": "Secrétariat du comité — situations à présenter",
    "steering": "Pilotage — chiffres clés",
}


@pytest.mark.parametrize("persona", HOME_SECTION_TITLES)
def test_home_page_fits_the_role(client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(reverse("home")).content.decode()

    assert HOME_SECTION_TITLES[persona] in page
    assert not any(title in page for other, title in HOME_SECTION_TITLES.items() if other != persona)


def test_a_role_without_registered_work_shows_its_missions(client, steering, monkeypatch):
    from accounts import dashboards

    monkeypatch.setitem(dashboards._builders, Role.STEERING, [])
    client.force_login(steering)

    page = client.get(reverse("home")).content.decode()

    assert escape(MISSIONS[Role.STEERING]) in page


def test_home_page_of_a_user_with_two_roles_shows_both(client, referent, association):
    from tests.accounts.factories import MembershipFactory

    MembershipFactory(user=referent, organisation=association, role=Role.COORDINATOR)
    client.force_login(referent)

    page = client.get(reverse("home")).content.decode()

    assert HOME_SECTION_TITLES["referent"] in page
    assert HOME_SECTION_TITLES["coordinator"] in page


def test_header_names_the_user_organisation_and_role(client, tenancy_staff):
    client.force_login(tenancy_staff)

    page = client.get(reverse("home")).content.decode()

    assert "Claire Lefebvre" in page
    assert "Gestion locative · LMH" in page


def test_home_page_query_count_is_fixed(client, steering, django_assert_num_queries):
    client.force_login(steering)
    # session, user, the second factor's device, the data version (the home page is cached, outside a
    # transaction), memberships, and the steering section's programme lookup (there is none here)
    with django_assert_num_queries(6):
        client.get(reverse("home"))


def test_administrator_without_role_is_pointed_to_the_admin(client, admin_user):
    client.force_login(admin_user)

    page = client.get(reverse("home")).content.decode()

    assert reverse("admin:index") in page


def test_home_refuses_post(client, referent):
    client.force_login(referent)

    assert client.post(reverse("home")).status_code == 405


def test_logout_needs_post(client, referent):
    client.force_login(referent)

    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_french_email(client, referent):
    response = client.post(reverse("password_reset"), {"email": referent.email})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Accompagnement LMH : choisir un nouveau mot de passe"
    assert "/compte/reinitialisation/" in mail.outbox[0].body


def test_password_change_refuses_a_short_password(client, referent, password):
    client.force_login(referent)

    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "court123", "new_password2": "court123"},
    )

    assert response.status_code == 200
    assert "au moins 12 caractères" in response.content.decode()
    referent.refresh_from_db()
    assert referent.check_password(password)


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]

    assert "object-src 'none'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_pages_hold_no_inline_script_or_style(client, referent):
    client.force_login(referent)
    for url in [reverse("home"), reverse("password_change")]:
        page = client.get(url).content.decode()
        assert "<script>" not in page
        assert "style=" not in page
        assert "<style" not in page
