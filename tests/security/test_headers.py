"""Security headers and cookies: every page of the project, walked from the URL resolver, sends the
content security policy, framing and sniffing protections, a referrer policy, and `no-store` when a
logged-in user sees it; production cookies are `__Host-` cookies, Secure and HttpOnly, with HSTS."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from committee import services as committee_services
from households.enums import Track
from tests.committee.factories import AgendaItemFactory, DecisionFactory, SessionFactory
from tests.finance.factories import ProgrammeFactory
from tests.households.factories import (
    ArrearsBalanceFactory,
    HouseholdFactory,
    PersonFactory,
    TenancyFactory,
)
from tests.measures.factories import (
    ContactFactory,
    DocumentFactory,
    LiaisonItemFactory,
    LiaisonMeetingFactory,
    MeasureFactory,
)
from tests.security.helpers import body
from tests.security.routes import project_routes

ROOT = Path(__file__).resolve().parent.parent.parent

# For each page: who sees it, how its path parameters are filled (a name from the `world` fixture
# stands for that object's id; anything else is used as it is) and the status the page answers a GET
# with. POST-only actions answer 405; pages that only pass the user on answer 302.
PAGES = {
    "home": ("referent", {}, 200),
    "healthz": ("referent", {}, 200),
    "readyz": ("referent", {}, 200),
    "login": ("referent", {}, 302),
    "logout": ("referent", {}, 405),
    "two_factor": ("referent", {}, 302),
    "two_factor_enrol": ("referent", {}, 200),
    "backup_codes": ("referent", {}, 200),
    "password_change": ("referent", {}, 200),
    "password_change_done": ("referent", {}, 200),
    "password_reset": ("referent", {}, 200),
    "password_reset_done": ("referent", {}, 200),
    "password_reset_confirm": ("referent", {"uidb64": "uidb64", "token": "token"}, 302),
    "password_reset_complete": ("referent", {}, 200),
    "households:list": ("referent", {}, 200),
    "households:create": ("referent", {}, 200),
    "households:detail": ("referent", {"pk": "household"}, 200),
    "households:edit": ("referent", {"pk": "household"}, 200),
    "households:people": ("referent", {"pk": "household"}, 200),
    "households:resources": ("referent", {"pk": "household"}, 200),
    "households:tenancy_add": ("referent", {"pk": "household"}, 200),
    "households:tenancy_edit": ("referent", {"pk": "household", "tenancy_pk": "tenancy"}, 200),
    "households:arrears_add": ("referent", {"pk": "household"}, 200),
    "households:allocation_add": ("referent", {"pk": "acces_household"}, 200),
    "households:procedure_add": ("tenancy_staff", {"pk": "household"}, 200),
    "households:report": ("tenancy_staff", {}, 200),
    "households:sectors": ("tenancy_staff", {}, 200),
    "measures:detail": ("referent", {"pk": "measure"}, 200),
    "measures:diagnostic_start": ("referent", {"household_pk": "acces_household"}, 200),
    "measures:diagnostic": ("referent", {"pk": "measure"}, 200),
    "measures:diagnostic_edit": ("referent", {"pk": "measure_in_diagnostic"}, 200),
    "measures:diagnostic_sign": ("referent", {"pk": "measure_in_diagnostic"}, 200),
    "measures:diagnostic_landlord": ("tenancy_staff", {"pk": "measure"}, 405),
    "measures:diagnostic_amend": ("referent", {"pk": "measure"}, 200),
    "measures:diagnostic_pdf": ("referent", {"pk": "measure"}, 200),
    "measures:open": ("referent", {"pk": "measure_in_diagnostic"}, 200),
    "measures:referent_change": ("coordinator", {"pk": "measure"}, 200),
    "measures:status": ("referent", {"pk": "measure", "action": "suspension"}, 200),
    "measures:contact_add": ("referent", {"pk": "measure"}, 200),
    "measures:contract": ("referent", {"pk": "measure"}, 200),
    "measures:contract_edit": ("referent", {"pk": "measure"}, 200),
    "measures:contract_sign": ("referent", {"pk": "measure"}, 200),
    "measures:contract_amend": ("referent", {"pk": "measure"}, 200),
    "measures:contract_pdf": ("referent", {"pk": "measure"}, 200),
    "measures:evaluation_add": ("referent", {"pk": "measure"}, 200),
    "measures:network": ("referent", {"household_pk": "household"}, 200),
    "measures:document_add": ("referent", {"household_pk": "household"}, 200),
    "measures:document": ("referent", {"pk": "document"}, 200),
    "measures:liaison_list": ("tenancy_staff", {}, 200),
    "measures:liaison_create": ("tenancy_staff", {}, 200),
    "measures:liaison_detail": ("tenancy_staff", {"pk": "liaison_meeting"}, 200),
    "committee:list": ("secretary", {}, 200),
    "committee:create": ("secretary", {}, 200),
    "committee:detail": ("secretary", {"pk": "session"}, 200),
    "committee:attendees": ("secretary", {"pk": "session"}, 200),
    "committee:agenda_add": ("secretary", {"pk": "session"}, 405),
    "committee:decision": ("secretary", {"item_pk": "item"}, 200),
    "committee:item_action": ("secretary", {"item_pk": "item", "action": "monter"}, 405),
    "committee:step": ("secretary", {"pk": "session", "step": "convoquer"}, 200),
    "committee:minutes_draft": ("secretary", {"pk": "session"}, 200),
    "committee:minutes": ("secretary", {"pk": "validated_session", "version": 1}, 200),
    "committee:ics": ("secretary", {"pk": "session"}, 200),
    "finance:dashboard": ("steering", {}, 200),
    "finance:dashboard_pdf": ("steering", {}, 200),
    "finance:plan": ("steering", {}, 200),
    "finance:statement": ("steering", {}, 200),
    "access_log": ("data_protection_officer", {}, 200),
    "household_export": ("data_protection_officer", {"pk": "household"}, 200),
    "admin/login/": ("admin_user", {}, 302),
    "admin:index": ("admin_user", {}, 200),
}
ROUTES = project_routes()


@pytest.fixture
def world(landlord, association, referent, tenancy_staff, secretary):
    """One object of each kind the pages need, all visible to the persona named in PAGES."""
    programme = ProgrammeFactory(landlord=landlord)
    measure = MeasureFactory(active=True, referent=referent)
    household = measure.household
    ContactFactory(measure=measure, by=referent)
    ArrearsBalanceFactory(household=household)
    acces_household = HouseholdFactory(acces=True, landlord=landlord, proposed_by=association)
    PersonFactory(household=acces_household)
    session = SessionFactory(programme=programme)
    validated_session = SessionFactory(held=True, programme=programme)
    DecisionFactory(item__session=validated_session, applied=True, result="Mesure proposée à EOLE.")
    committee_services.minutes_validate(session=validated_session, by=secretary)
    meeting = LiaisonMeetingFactory(landlord=landlord, partners=[association], created_by=tenancy_staff)
    LiaisonItemFactory(meeting=meeting, household=household)
    return {
        "household": household,
        "acces_household": acces_household,
        "tenancy": TenancyFactory(household=household),
        "measure": measure,
        "measure_in_diagnostic": MeasureFactory(household__landlord=landlord),
        "document": DocumentFactory(household=household, measure=measure, uploaded_by=referent),
        "liaison_meeting": meeting,
        "session": session,
        "item": AgendaItemFactory(session=session, household__track=Track.MAINTIEN),
        "validated_session": validated_session,
        "uidb64": urlsafe_base64_encode(force_bytes(referent.pk)),
        # Made when the page is asked for: logging in changes what the token is computed from.
        "token": lambda: default_token_generator.make_token(referent),
    }


def test_every_url_pattern_is_covered_by_the_header_checks():
    assert len(ROUTES) >= 70
    assert [route.name for route in ROUTES if route.name not in PAGES] == []


def page_of(route):
    if route.name not in PAGES:
        pytest.fail(f"Nouvelle page {route.name} ({route.route}) : ajoutez-la à PAGES.")
    return PAGES[route.name]


def _url(route, world) -> str:
    _, parameters, _ = page_of(route)
    assert sorted(parameters) == sorted(route.parameters), route.name
    values = {}
    for name, key in parameters.items():
        value = world.get(key, key) if isinstance(key, str) else key
        value = value() if callable(value) else value
        values[name] = value.pk if hasattr(value, "pk") else value
    return route.url(values)


def directives(policy: str) -> dict[str, list[str]]:
    return {name: values for name, *values in (part.split() for part in policy.split(";") if part.strip())}


def assert_security_headers(response):
    policy = response["Content-Security-Policy"]
    assert directives(policy)["script-src"] == ["'self'"]
    assert directives(policy)["object-src"] == ["'none'"]
    assert directives(policy)["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+=", re.IGNORECASE)


@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_page_seen_by_a_logged_in_user_sends_the_security_headers_and_no_store(client, request, world, route):
    persona, _, status = page_of(route)
    client.force_login(request.getfixturevalue(persona))
    url = _url(route, world)

    response = client.get(url)
    body(response)

    assert response.status_code == status, url
    assert_security_headers(response)
    assert "no-store" in response["Cache-Control"], url
    if status == 200 and response["Content-Type"].startswith("text/html"):
        page = response.content.decode()
        # The policy would block them: a page holding one would not work.
        assert not INLINE_SCRIPT.findall(page), url
        assert not INLINE_HANDLER.findall(page), url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["login", "password_reset", "password_reset_done", "password_reset_complete", "healthz"]
)
def test_public_page_sends_the_security_headers(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert_security_headers(response)


# Cookies


def test_session_and_csrf_cookies_are_host_only_secure_and_http_only(plain_client, referent, password):
    login_page = plain_client.get(reverse("login"))
    logged_in = plain_client.post(reverse("login"), {"username": referent.email, "password": password})

    csrf = login_page.cookies["__Host-csrftoken"]
    session = logged_in.cookies["__Host-sessionid"]
    for cookie in (csrf, session):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["path"] == "/"
        assert cookie["domain"] == ""
    assert session["samesite"] == "Lax"
    assert "sessionid" not in logged_in.cookies and "csrftoken" not in login_page.cookies


# Production settings, read in a fresh process with production-like variables

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-like-secret-key-0123456789-abcdefghijkl",
    "SALT_KEY": "production-like-salt",
    "ALLOWED_HOSTS": "accompagnement.example.org",
    "DJANGO_SETTINGS_MODULE": "lmh_accompagnement.settings",
}
# Set by tests/settings.py for the test process; production must not inherit them.
TEST_ONLY_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SECURE_SSL_REDIRECT",
    "SALT_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
}
READ_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
names = [
    "DEBUG", "SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_SSL_REDIRECT", "X_FRAME_OPTIONS", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY",
]
print(json.dumps({name: getattr(settings, name) for name in names}))
"""


def run_in_production(*args):
    environment = {k: v for k, v in os.environ.items() if k not in TEST_ONLY_VARIABLES} | PRODUCTION
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=environment, capture_output=True, text=True, check=False
    )


def test_production_settings_use_host_cookies_hsts_and_secure_http_only_cookies():
    result = run_in_production("-c", READ_SETTINGS)

    assert result.returncode == 0, result.stderr
    production = json.loads(result.stdout.strip().splitlines()[-1])
    assert production == {
        "DEBUG": False,
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "CSRF_COOKIE_NAME": "__Host-csrftoken",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_SSL_REDIRECT": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
    }


def test_production_settings_pass_the_deployment_checks():
    result = run_in_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr + result.stdout
    assert "WARNINGS" not in result.stderr
