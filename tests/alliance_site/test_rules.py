"""The core's named permissions (alliance_site/rules.py) for every role, asked as the views ask them
(alliance_site.accounts.access.allowed). The pages that use them are tested in the role × URL matrix
(test_roles_and_views.py) and beside each feature; this table is the rule itself, one place to read it."""

import pytest

from alliance_site.accounts.access import allowed
from alliance_site.models import Filing, ProfileStatus, RegionalRegulator

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "applicant", "member", "owner", "staff", "regulator", "far_regulator", "judge", "admin_user"]


@pytest.fixture
def cqo(make_profile, make_user):
    """An active CQO of an enterprise in 泽州县 (晋城市), with contact details open to members."""
    return make_profile(
        make_user("cqo"), status=ProfileStatus.ACTIVE, contact_phone="13800000000", contact_audience="members"
    )


@pytest.fixture
def owner(cqo):
    return cqo.user


@pytest.fixture
def far_regulator(make_user, regions):
    """A regulator of 太原市: 晋城's CQOs are not theirs."""
    user = make_user("taiyuan_regulator", groups=["regulator"])
    RegionalRegulator.objects.create(user=user, region=regions["taiyuan"], agency="太原市市场监督管理局")
    return user


@pytest.fixture
def filing(cqo):
    return Filing.objects.create(
        profile=cqo, enterprise=cqo.enterprise, position=cqo.position, submitted_by=cqo.user
    )


EXPECTED = {
    # permission: the roles that have it (the object is the CQO's profile or filing where one is asked about)
    "alliance_site.use_admin": {"staff", "admin_user"},
    "alliance_site.use_member_area": {"member", "owner", "staff", "admin_user"},
    "alliance_site.apply_to_body": {"member", "owner"},
    "alliance_site.see_profile_record": {"owner", "staff", "regulator", "admin_user"},
    "alliance_site.sanction_cqo": {"staff", "regulator", "admin_user"},
    "alliance_site.request_contact": {"member", "staff", "regulator", "admin_user"},
    "alliance_site.admit_with_relaxation": {"staff", "admin_user"},
    "alliance_site.reveal_contacts_without_limit": {"staff", "admin_user"},
    "alliance_site.view_filings": {"staff", "regulator", "far_regulator", "admin_user"},
    # Only a regulator of the region decides a filing: not staff, not even a superuser.
    "alliance_site.review_filing": {"regulator"},
    "alliance_site.view_region_dashboard": {"staff", "regulator", "far_regulator", "admin_user"},
}
ON_PROFILE = {"alliance_site.see_profile_record", "alliance_site.sanction_cqo", "alliance_site.request_contact"}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
def test_each_role_has_what_the_rule_says(request, perm, cqo, filing):
    obj = cqo if perm in ON_PROFILE else filing if perm == "alliance_site.review_filing" else None
    having = {role for role in ROLES if allowed(request.getfixturevalue(role), perm, obj)}
    assert having == EXPECTED[perm]


def test_no_contact_details_no_request(make_profile, member):
    bare = make_profile(status=ProfileStatus.ACTIVE, contact_audience="members")
    assert not allowed(member, "alliance_site.request_contact", bare)


def test_no_one_is_asked_about_their_own_contact(owner, cqo):
    assert not allowed(owner, "alliance_site.request_contact", cqo)


def test_a_warned_member_keeps_member_rights_an_exited_one_loses_them(make_profile):
    warned = make_profile(status=ProfileStatus.WARNED).user
    exited = make_profile(status=ProfileStatus.EXITED).user
    assert allowed(warned, "alliance_site.use_member_area")
    assert not allowed(exited, "alliance_site.use_member_area")
    assert not allowed(exited, "alliance_site.apply_to_body")


def test_the_rules_cost_no_query(django_assert_num_queries, staff, member, cqo):
    allowed(staff, "alliance_site.use_admin")  # the roles are read once per user object, before counting
    allowed(member, "alliance_site.use_member_area")
    with django_assert_num_queries(0):
        for _ in range(10):
            allowed(staff, "alliance_site.use_admin")
            allowed(member, "alliance_site.use_member_area")
            staff.has_perm("alliance_site.view_filings")  # the database backend does not ask for a rules name
