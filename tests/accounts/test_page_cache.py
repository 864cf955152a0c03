"""The data version and the page cache: a page is served again from the cache only while nothing
it could show has changed, only to the session that produced it, and its accesses are logged
each time. These tests commit for real (the triggers fire at commit), with an in-memory cache."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import data_version, page_cache
from accounts.enums import AccessAction
from accounts.middleware import LAST_SEEN
from accounts.models import AccessLog, Membership, Organisation, User
from households.models import Household
from tests.households.factories import HouseholdFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def memory_page_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PAGE_CACHE_SECONDS = 600


def _installed_on() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE t.tgname = %s",
            [data_version.TRIGGER],
        )
        return {row[0] for row in cursor.fetchall()}


def test_every_domain_table_carries_the_trigger_and_the_access_log_does_not():
    installed = _installed_on()
    assert set(data_version.tracked_tables()) == installed
    for table in (
        "households_household",
        "measures_contact",
        "committee_decision",
        "finance_rate",
        "accounts_user",
        "otp_static_staticdevice",
        "otp_totp_totpdevice",
    ):
        assert table in installed
    for table in ("accounts_accesslog", "accounts_dataversion", "django_session", "households_householdevent"):
        assert table not in installed


def test_a_committed_transaction_moves_the_version_once_whatever_it_wrote(landlord):
    before = data_version.current()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("UPDATE accounts_organisation SET name = name")
        cursor.execute("UPDATE accounts_organisation SET phone = phone")
        cursor.execute("COMMIT")
    assert data_version.current() == before + 1


def test_a_rolled_back_transaction_and_the_access_log_leave_the_version_alone(landlord, tenancy_staff):
    before = data_version.current()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        cursor.execute("UPDATE accounts_organisation SET name = 'Autre'")
        cursor.execute("ROLLBACK")
    AccessLog.objects.create(user=tenancy_staff, action=AccessAction.VIEW_HOUSEHOLD, object_type="ménage", path="/")
    assert data_version.current() == before
    assert Organisation.objects.get(pk=landlord.pk).name == "Lille Métropole Habitat"


def test_without_the_triggers_nothing_is_served_from_the_cache(client, tenancy_staff, landlord):
    """While migrations run, the triggers are gone: writes no longer move the version."""
    HouseholdFactory(landlord=landlord, name="DUPONT")
    client.force_login(tenancy_staff)
    url = reverse("households:list")
    client.get(url)
    client.get(url)  # cached
    data_version.uninstall()
    try:
        assert data_version.current() is None
        Household.objects.filter(name="DUPONT").update(name="DURAND")
        assert "DURAND" in client.get(url).text
        Household.objects.filter(name="DURAND").update(name="DUVAL")
        assert "DUVAL" in client.get(url).text
    finally:
        data_version.install()
    assert _installed_on() == set(data_version.tracked_tables())


def test_the_list_is_served_from_the_cache_until_a_household_changes(
    client, tenancy_staff, landlord, django_assert_num_queries
):
    household = HouseholdFactory(landlord=landlord, name="DUPONT")
    client.force_login(tenancy_staff)
    url = reverse("households:list")
    first = client.get(url)
    assert "DUPONT" in first.text

    # One statement, the version's check: neither the user nor the device is loaded.
    with django_assert_num_queries(1):
        again = client.get(url)
    assert again.content == first.content

    household.name = "DURAND"
    household.save()
    changed = client.get(url)
    assert "DURAND" in changed.text and "DUPONT" not in changed.text


def test_a_write_elsewhere_also_refreshes_the_page(client, tenancy_staff, landlord):
    """Any committed write moves the version: the cache never has to know what a page depends on."""
    HouseholdFactory(landlord=landlord, name="DUPONT")  # proposed by the landlord: « LMH » on the list
    client.force_login(tenancy_staff)
    url = reverse("households:list")
    client.get(url)
    assert ">LMH<" in client.get(url).text  # served from the cache
    Organisation.objects.filter(pk=landlord.pk).update(short_name="LMH-Métropole")
    assert ">LMH-Métropole<" in client.get(url).text


def test_a_cached_page_only_serves_the_session_that_produced_it(
    client, tenancy_staff, referent, landlord, association
):
    HouseholdFactory(landlord=landlord, name="DUPONT")
    other = type(client)()
    # Both log in first (a login writes the user's last login, which moves the version).
    client.force_login(tenancy_staff)
    other.force_login(referent)
    url = reverse("households:list")
    assert "DUPONT" in client.get(url).text
    assert "DUPONT" in client.get(url).text  # served from the cache

    # Even from the same browser (the same CSRF cookie), another session gets its own page.
    other.cookies[settings.CSRF_COOKIE_NAME] = client.cookies[settings.CSRF_COOKIE_NAME].value
    page = other.get(url)
    assert page.status_code == 200
    assert "DUPONT" not in page.text
    assert "Amandine Martin" in page.text and "Claire Lefebvre" not in page.text

    client.logout()
    assert client.get(url).status_code == 302


def test_every_serving_of_a_cached_file_is_in_the_access_log(client, tenancy_staff, landlord):
    household = HouseholdFactory(landlord=landlord)
    client.force_login(tenancy_staff)
    url = reverse("households:detail", args=[household.pk])
    first, second = client.get(url), client.get(url)
    assert second.content == first.content
    logged = AccessLog.objects.filter(user=tenancy_staff, action=AccessAction.VIEW_HOUSEHOLD)
    assert logged.count() == 2
    assert {(entry.household_id, entry.household_reference, entry.path) for entry in logged} == {
        (household.pk, household.reference, url)
    }


def test_a_stale_file_is_produced_afresh_and_its_access_logged_once(client, tenancy_staff, landlord):
    household = HouseholdFactory(landlord=landlord, name="DUPONT")
    client.force_login(tenancy_staff)
    url = reverse("households:detail", args=[household.pk])
    client.get(url)
    Household.objects.filter(pk=household.pk).update(name="DURAND")
    assert "DURAND" in client.get(url).text
    assert AccessLog.objects.filter(user=tenancy_staff, action=AccessAction.VIEW_HOUSEHOLD).count() == 2


def test_a_page_refused_after_a_change_of_rights_is_refused_and_not_logged(client, tenancy_staff, landlord):
    household = HouseholdFactory(landlord=landlord)
    client.force_login(tenancy_staff)
    url = reverse("households:detail", args=[household.pk])
    client.get(url)
    client.get(url)  # served from the cache
    logged = AccessLog.objects.filter(user=tenancy_staff, action=AccessAction.VIEW_HOUSEHOLD)
    assert logged.count() == 2

    Membership.objects.filter(user=tenancy_staff).update(is_active=False)
    assert client.get(url).status_code in (403, 404)
    assert logged.count() == 2


def test_a_refused_tab_leaves_no_access_log_entry(client, secretary, landlord):
    """The secretary may open a file but not its history (the view runs outside a transaction)."""
    household = HouseholdFactory(landlord=landlord)
    client.force_login(secretary)
    url = reverse("households:detail", args=[household.pk])
    assert client.get(url + "?onglet=historique").status_code == 403
    assert not AccessLog.objects.filter(user=secretary).exists()
    assert client.get(url).status_code == 200
    assert AccessLog.objects.filter(user=secretary, household_id=household.pk).count() == 1


def test_reinstalling_the_triggers_moves_the_version_past_any_earlier_value(landlord):
    """After the restore of an older dump (or a flush), the counter must not count again through
    values that pages may already be cached under."""
    before = data_version.current()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_dataversion SET value = 1")  # as in an old dump
    data_version.install()
    assert data_version.current() > before


def test_a_page_with_a_message_to_show_is_produced_afresh(client, tenancy_staff, landlord):
    HouseholdFactory(landlord=landlord)
    client.force_login(tenancy_staff)
    url = reverse("households:list")
    client.get(url)
    client.get(url)  # now in the cache
    # A message left by the previous page (as after saving a form), without any write.
    storage = CookieStorage(RequestFactory().get(url))
    storage.add(constants.SUCCESS, "Ménage enregistré.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[CookieStorage.cookie_name] = carrier.cookies[CookieStorage.cookie_name].value
    assert "Ménage enregistré." in client.get(url).text
    assert "Ménage enregistré." not in client.get(url).text


def test_the_forms_of_a_served_page_carry_a_token_for_the_browsers_csrf_secret(client, tenancy_staff, landlord):
    """The header's logout form holds a CSRF token: a page cached for another secret would break it."""
    HouseholdFactory(landlord=landlord)
    client.force_login(tenancy_staff)
    url = reverse("households:list")
    client.get(url)
    client.get(url)
    secret = "A" * 32
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(url).text).group(1)
    assert _unmask_cipher_token(token) == secret


# The cache serves pages before the authentication middlewares: what they would check must hold.


def _cached_list(client, user, landlord) -> str:
    HouseholdFactory(landlord=landlord, name="DUPONT")
    client.force_login(user)
    url = reverse("households:list")
    client.get(url)
    assert "DUPONT" in client.get(url).text  # served from the cache
    return url


def test_a_served_page_keeps_the_headers_the_whole_chain_gave_it(client, tenancy_staff, landlord):
    HouseholdFactory(landlord=landlord)
    client.force_login(tenancy_staff)
    url = reverse("households:list")
    produced = client.get(url)
    served = client.get(url)
    assert served.content == produced.content
    for header in ("Content-Security-Policy", "X-Frame-Options", "Cache-Control", "Content-Type"):
        assert served[header] == produced[header], header
    assert "no-store" in served["Cache-Control"]
    assert served["X-Frame-Options"] == "DENY"


def test_a_deactivated_account_is_not_served_its_cached_pages(client, tenancy_staff, landlord):
    url = _cached_list(client, tenancy_staff, landlord)
    User.objects.filter(pk=tenancy_staff.pk).update(is_active=False)
    response = client.get(url)
    assert response.status_code == 302
    assert "DUPONT" not in response.text


def test_a_removed_second_factor_stops_the_cached_pages(client, tenancy_staff, landlord):
    """An administrator resets the second factor: the next page asks for it again."""
    url = _cached_list(client, tenancy_staff, landlord)
    StaticDevice.objects.filter(user=tenancy_staff).delete()
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor"))


def test_a_session_whose_password_hash_no_longer_matches_is_not_served(client, tenancy_staff, landlord):
    url = _cached_list(client, tenancy_staff, landlord)
    session = client.session
    session[HASH_SESSION_KEY] = "0" * 64
    session.save()
    response = client.get(url)
    assert response.status_code == 302
    assert "DUPONT" not in response.text


def test_an_inactive_session_ends_instead_of_being_served(client, tenancy_staff, landlord):
    url = _cached_list(client, tenancy_staff, landlord)
    session = client.session
    session[LAST_SEEN] = (timezone.now() - timezone.timedelta(minutes=31)).isoformat()
    session.save()
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert client.get(url).status_code == 302  # logged out for good


def test_a_served_page_marks_the_session_active_once_a_minute(
    client, tenancy_staff, landlord, django_assert_num_queries
):
    url = _cached_list(client, tenancy_staff, landlord)
    session = client.session
    two_minutes_ago = timezone.now() - timezone.timedelta(minutes=2)
    session[LAST_SEEN] = two_minutes_ago.isoformat()
    session.save()
    with django_assert_num_queries(4):  # the version's check, the session's save (BEGIN, UPDATE, COMMIT)
        assert "DUPONT" in client.get(url).text
    assert timezone.datetime.fromisoformat(client.session[LAST_SEEN]) > two_minutes_ago + timezone.timedelta(minutes=1)


def test_a_page_produced_afresh_reads_the_version_before_the_user(client, tenancy_staff, landlord):
    """Otherwise a deactivation committed between the two would be vouched for by the entry."""
    HouseholdFactory(landlord=landlord)
    client.force_login(tenancy_staff)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("households:list"))
    statements = [query["sql"] for query in queries.captured_queries]
    version = next(i for i, sql in enumerate(statements) if "accounts_dataversion" in sql)
    user = next(i for i, sql in enumerate(statements) if 'FROM "accounts_user"' in sql)
    assert version < user


def test_a_new_secret_key_ends_the_session_instead_of_serving_its_pages(client, tenancy_staff, landlord, settings):
    """As after a leak: Django no longer accepts the session's password hash."""
    url = _cached_list(client, tenancy_staff, landlord)
    settings.SECRET_KEY = "une-toute-nouvelle-clef-" + "x" * 40
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_page_is_kept_for_the_quarter_hour_it_was_asked_in(client, tenancy_staff, landlord, monkeypatch):
    """A page asked at 23:59 and finished after midnight shows the day before: it must not be
    served as the next day's."""
    HouseholdFactory(landlord=landlord)
    client.force_login(tenancy_staff)
    url = reverse("households:list")
    clock = iter(["2026-11-30T23:45:00+01:00", "2026-12-01T00:00:00+01:00"])
    monkeypatch.setattr(page_cache, "_quarter_hour", lambda: next(clock))
    client.get(url)  # asked at 23:45, finished at 00:00
    monkeypatch.setattr(page_cache, "_quarter_hour", lambda: "2026-12-01T00:00:00+01:00")
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert len(queries) > 1  # produced afresh for the new quarter hour
