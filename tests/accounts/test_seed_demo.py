import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django_otp import match_token

from accounts import demo
from accounts.models import Membership, Organisation, User


@pytest.mark.django_db
def test_seed_demo_refuses_outside_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_creates_every_persona(settings, rf):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    counts = (Organisation.objects.count(), User.objects.count(), Membership.objects.count())
    call_command("seed_demo", stdout=io.StringIO())

    assert (Organisation.objects.count(), User.objects.count(), Membership.objects.count()) == counts
    assert Organisation.objects.filter(kind="association").count() == 7
    for email, *_ in demo.PERSONAS:
        user = authenticate(rf.post("/compte/connexion/"), username=email, password=demo.DEMO_PASSWORD)
        assert user is not None, email
        assert match_token(user, demo.DEMO_BACKUP_CODES[0]) is not None, email


@pytest.mark.django_db
def test_in_the_demo_no_couple_shares_a_first_name(settings):
    from households.enums import Relation
    from households.models import Person

    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    heads = dict(Person.objects.filter(relation=Relation.HEAD).values_list("household_id", "first_names"))
    spouses = list(Person.objects.filter(relation=Relation.SPOUSE).values_list("household_id", "first_names"))
    assert spouses
    assert [(household, name) for household, name in spouses if heads.get(household) == name] == []
