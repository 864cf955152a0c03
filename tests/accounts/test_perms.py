"""The access model, role by role."""

import pytest

from accounts import perms
from accounts.enums import Role
from tests.accounts.factories import MembershipFactory


def test_referent_follows_households_through_their_association(referent, association, landlord):
    assert perms.social_work_organisation_ids(referent) == {association.pk}
    assert perms.landlord_ids_for_case_files(referent) == set()
    assert perms.can_use_case_files(referent)


def test_coordinator_of_an_association_is_in_the_social_work_circle(coordinator, association):
    assert perms.social_work_organisation_ids(coordinator) == {association.pk}
    assert perms.landlord_ids_for_case_files(coordinator) == set()


def test_tenancy_staff_see_their_landlord_stock_outside_the_social_work_circle(tenancy_staff, landlord):
    assert perms.landlord_ids_for_case_files(tenancy_staff) == {landlord.pk}
    assert perms.social_work_organisation_ids(tenancy_staff) == set()


def test_secretary_sees_their_landlord_households_for_committee_work(secretary, landlord):
    assert perms.landlord_ids_for_case_files(secretary) == {landlord.pk}
    assert perms.social_work_organisation_ids(secretary) == set()


def test_steering_sees_no_household(steering):
    assert perms.is_steering_only(steering)
    assert not perms.can_use_case_files(steering)


def test_administrator_without_membership_sees_no_household(admin_user):
    assert perms.is_administrator(admin_user)
    assert not perms.can_use_case_files(admin_user)


def test_user_holding_two_memberships_gets_both(referent, other_association):
    MembershipFactory(user=referent, organisation=other_association, role=Role.COORDINATOR)
    referent._membership_views = None

    assert perms.roles_of(referent) == {Role.REFERENT, Role.COORDINATOR}
    assert len(perms.social_work_organisation_ids(referent)) == 2


def test_inactive_membership_grants_nothing(referent):
    referent.memberships.update(is_active=False)
    referent._membership_views = None

    assert perms.roles_of(referent) == set()
    assert not perms.can_use_case_files(referent)


def test_deactivated_user_holds_no_role(referent):
    referent.is_active = False

    assert perms.memberships_of(referent) == ()


@pytest.mark.django_db
def test_memberships_are_read_once_per_user_object(referent, django_assert_num_queries):
    referent._membership_views = None
    with django_assert_num_queries(1):
        perms.roles_of(referent)
        perms.organisation_ids(referent)
        perms.can_use_case_files(referent)
