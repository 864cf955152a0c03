import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError

from accounts.models import User
from tests.accounts.factories import UserFactory


@pytest.mark.django_db
def test_email_is_stored_in_lower_case():
    user = User.objects.create_user("A.Martin@EOLE.example", "un-mot-de-passe-long", full_name="Amandine Martin")

    assert user.email == "a.martin@eole.example"
    assert user.check_password("un-mot-de-passe-long")


@pytest.mark.django_db
def test_two_accounts_cannot_share_an_address_differing_only_by_case():
    UserFactory(email="a.martin@eole.example")

    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="A.Martin@eole.example", full_name="Doublon")])


@pytest.mark.django_db
def test_login_address_is_case_insensitive(rf, referent, password):
    user = authenticate(rf.post("/compte/connexion/"), username="A.MARTIN@eole.example", password=password)

    assert user == referent


def test_short_name_is_initial_and_last_name():
    assert User(full_name="Amandine Martin").get_short_name() == "A. Martin"
    assert User(full_name="Cher").get_short_name() == "Cher"
