import factory

from accounts.enums import OrganisationKind, Role
from accounts.models import Membership, Organisation, User

PASSWORD = "Mot-de-passe-de-test-2026"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["short_name"]

    name = factory.Sequence(lambda n: f"Association {n}")
    short_name = factory.Sequence(lambda n: f"ASSO{n}")
    kind = OrganisationKind.ASSOCIATION

    class Params:
        landlord = factory.Trait(
            kind=OrganisationKind.LANDLORD,
            name=factory.Sequence(lambda n: f"Bailleur {n}"),
            short_name=factory.Sequence(lambda n: f"BAIL{n}"),
        )
        institution = factory.Trait(kind=OrganisationKind.INSTITUTION)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    full_name = factory.Faker("name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)

    class Params:
        admin = factory.Trait(is_staff=True, is_superuser=True)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.REFERENT


def member(organisation, role, **user_fields) -> User:
    """A new user holding `role` in `organisation`."""
    return MembershipFactory(organisation=organisation, role=role, user=UserFactory(**user_fields)).user
