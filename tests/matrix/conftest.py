import pytest

from tests.accounts.factories import OrganisationFactory


@pytest.fixture
def other_landlord(db):
    return OrganisationFactory(landlord=True, name="Partenord Habitat", short_name="PARTENORD")
