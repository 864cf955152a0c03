"""Shared personas: a landlord with its staff, two associations with a referent each, and so on."""

import pytest
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from accounts.enums import Role
from accounts.middleware import LAST_SEEN, LOGIN_AT
from tests.accounts.factories import PASSWORD, OrganisationFactory, UserFactory, member


class VerifiedClient(Client):
    """A test client whose force_login also gives the second factor, as a real login would after
    the two-factor page. Tests of the two-factor flow itself log in through the pages."""

    def force_login(self, user, backend=None):
        super().force_login(user, backend)
        device, _ = StaticDevice.objects.get_or_create(user=user, name="Tests", defaults={"confirmed": True})
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[LOGIN_AT] = session[LAST_SEEN] = timezone.now().isoformat()
        session.save()


@pytest.fixture
def client():
    return VerifiedClient()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def landlord(db):
    return OrganisationFactory(landlord=True, name="Lille Métropole Habitat", short_name="LMH")


@pytest.fixture
def association(db):
    return OrganisationFactory(name="EOLE", short_name="EOLE")


@pytest.fixture
def other_association(db):
    return OrganisationFactory(name="AFEJI", short_name="AFEJI")


@pytest.fixture
def tenancy_staff(landlord):
    return member(landlord, Role.TENANCY_STAFF, full_name="Claire Lefebvre", email="c.lefebvre@lmh.example")


@pytest.fixture
def referent(association):
    return member(association, Role.REFERENT, full_name="Amandine Martin", email="a.martin@eole.example")


@pytest.fixture
def other_referent(other_association):
    return member(other_association, Role.REFERENT, full_name="Karim Benali", email="k.benali@afeji.example")


@pytest.fixture
def coordinator(association):
    return member(association, Role.COORDINATOR, full_name="Sophie Dubois", email="s.dubois@eole.example")


@pytest.fixture
def secretary(landlord):
    return member(landlord, Role.SECRETARY, full_name="Nathalie Roussel", email="n.roussel@lmh.example")


@pytest.fixture
def steering(landlord):
    return member(landlord, Role.STEERING, full_name="Pierre Vandamme", email="p.vandamme@lmh.example")


@pytest.fixture
def admin_user(db):
    return UserFactory(admin=True, full_name="Julien Caron", email="admin@lmh.example")
