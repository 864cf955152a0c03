"""Shared personas: a landlord with its staff, two associations with a referent each, and so on."""

import pytest

from accounts.enums import Role
from tests.accounts.factories import PASSWORD, OrganisationFactory, UserFactory, member


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
