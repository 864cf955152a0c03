"""Households of the shared personas: one for each association at the landlord, one at another landlord."""

import pytest

from households.enums import Track
from tests.accounts.factories import OrganisationFactory
from tests.households.factories import HouseholdFactory, PersonFactory


@pytest.fixture
def other_landlord(db):
    return OrganisationFactory(landlord=True, name="Partenord Habitat", short_name="PARTENORD")


@pytest.fixture
def household(landlord, association):
    """An accès household of the landlord, proposed by the referent's association (EOLE)."""
    household = HouseholdFactory(
        acces=True, landlord=landlord, proposed_by=association, name="Famille Durand", reference="F-DURAND"
    )
    PersonFactory(household=household, last_name="Durand", first_names="Sylvie")
    return household


@pytest.fixture
def other_household(landlord, other_association):
    """An accès household of the same landlord, proposed by another association (AFEJI)."""
    household = HouseholdFactory(
        acces=True, landlord=landlord, proposed_by=other_association, name="Famille Kaci", reference="F-KACI"
    )
    PersonFactory(household=household, last_name="Kaci", first_names="Yasmina")
    return household


@pytest.fixture
def tenant_household(landlord):
    """A maintien household proposed by the landlord's tenancy staff."""
    household = HouseholdFactory(
        track=Track.MAINTIEN, landlord=landlord, name="Famille Lemaire", reference="F-LEMAIRE", in_arrears=True
    )
    PersonFactory(household=household, last_name="Lemaire", first_names="Jean")
    return household


@pytest.fixture
def foreign_household(other_landlord):
    """A household of another landlord, which none of the shared personas may see."""
    household = HouseholdFactory(landlord=other_landlord, name="Famille Leroy", reference="F-LEROY")
    PersonFactory(household=household, last_name="Leroy", first_names="Paul")
    return household
