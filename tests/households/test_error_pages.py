"""Refused and missing pages, as users meet them with DEBUG off: French pages in the site's layout,
with the reason of a refusal and a way back to the dashboard."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied

BACK_HOME = '<a class="btn btn-primary" href="/">Revenir au Tableau de bord</a>'


def page_of(response) -> str:
    return response.content.decode()


def test_pages_are_served_with_debug_off():
    assert settings.DEBUG is False


def test_refused_page_is_french_and_says_why(client, steering):
    client.force_login(steering)

    response = client.get(reverse("households:list"))

    page = page_of(response)
    assert response.status_code == 403
    assert "<title>Accès refusé · Accompagnement LMH</title>" in page
    assert '<h1 class="h3 mb-3">Accès refusé</h1>' in page
    assert "Votre rôle ne donne accès à aucun dossier de ménage." in page
    assert BACK_HOME in page
    assert 'aria-label="Navigation principale"' in page  # the site's layout, with its header
    assert "Forbidden" not in page


def test_refused_page_without_a_reason_gives_a_general_one(rf: RequestFactory, steering):
    request = rf.get("/")
    request.user = steering

    response = permission_denied(request, PermissionDenied())

    page = page_of(response)
    assert response.status_code == 403
    assert "Votre rôle ne donne pas accès à cette page." in page
    assert BACK_HOME in page


def test_another_association_household_is_a_french_missing_page(client, other_referent, household):
    client.force_login(other_referent)

    response = client.get(reverse("households:detail", args=[household.pk]))

    page = page_of(response)
    assert response.status_code == 404
    assert '<h1 class="h3 mb-3">Page introuvable</h1>' in page
    assert "Cette page n'existe pas ou ne vous est pas accessible." in page
    assert BACK_HOME in page
    assert "Famille Durand" not in page
    assert "Not Found" not in page


@pytest.mark.django_db
def test_unknown_address_is_a_french_missing_page_even_before_login(client):
    response = client.get("/adresse-inconnue/")

    page = page_of(response)
    assert response.status_code == 404
    assert "<title>Page introuvable · Accompagnement LMH</title>" in page
    assert BACK_HOME in page
    assert "Not Found" not in page
