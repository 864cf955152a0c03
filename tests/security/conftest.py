"""Shared fixtures of the security tests: the data protection officer and a plain (unverified) client."""

import pytest
from django.test import Client

from accounts.enums import Role
from tests.accounts.factories import member


@pytest.fixture
def data_protection_officer(landlord):
    return member(landlord, Role.DATA_PROTECTION, full_name="Mireille Hautecoeur", email="dpo@lmh.example")


@pytest.fixture
def plain_client():
    """A client without the test shortcut: it logs in through the login and two-factor pages."""
    return Client()
