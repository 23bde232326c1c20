"""Staff actions in the admin (alliance_site.common.admin_views): each action is named once on its viewset and
shown as a button in the list's rows and on the edit page, to those its model's permission policy allows; the
action's own page asks the same policy, not a group's name."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from alliance_site.accounts import roles
from alliance_site.models import BodyMembership, ProfileStatus
from tests.markup import select

pytestmark = pytest.mark.django_db


def links(page):
    return {a["href"] for a in select(page, "a[href]")}


@pytest.fixture
def profile(make_profile):
    return make_profile(status=ProfileStatus.ACTIVE)


@pytest.fixture
def below_conditions(make_profile):
    return make_profile(years_in_quality=3, title="junior", education="junior_college")


def test_the_profile_list_and_edit_page_show_each_action_once(client_for, staff, profile, below_conditions):
    client = client_for(staff)
    listing = client.get(reverse("cqo_profiles:index"))
    assert listing.status_code == 200
    assert reverse("cqo_profiles:status", args=[profile.pk]) in links(listing)
    assert reverse("cqo_profiles:contact", args=[profile.pk]) not in links(listing)  # edit page only

    edit = links(client.get(reverse("cqo_profiles:edit", args=[profile.pk])))
    assert reverse("cqo_profiles:status", args=[profile.pk]) in edit
    assert reverse("cqo_profiles:contact", args=[profile.pk]) in edit
    assert reverse("cqo_profiles:relaxed_admission", args=[profile.pk]) not in edit  # meets the conditions

    below = links(client.get(reverse("cqo_profiles:edit", args=[below_conditions.pk])))
    assert reverse("cqo_profiles:relaxed_admission", args=[below_conditions.pk]) in below


def test_changing_a_status_needs_its_own_permission_not_the_group_name(client_for, staff, profile):
    """Take `change_profile_status` from the secretariat's group: its button goes and its page refuses, while
    the other actions of the same group stay."""
    group = roles.group_of(roles.STAFF)
    group.permissions.remove(Permission.objects.get(codename="change_profile_status"))
    client = client_for(staff)

    edit = client.get(reverse("cqo_profiles:edit", args=[profile.pk]))
    assert reverse("cqo_profiles:status", args=[profile.pk]) not in links(edit)
    assert reverse("cqo_profiles:contact", args=[profile.pk]) in links(edit)
    # The admin answers a refusal by sending the user back to its home page with the reason (Wagtail's way).
    for response in (
        client.get(reverse("cqo_profiles:status", args=[profile.pk])),
        client.post(reverse("cqo_profiles:status", args=[profile.pk]), {"status": "warned", "reason": "x"}),
    ):
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home"))
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.ACTIVE
    assert client.get(reverse("cqo_profiles:contact", args=[profile.pk])).status_code == 200


def test_a_renamed_secretariat_group_keeps_its_actions(client_for, staff, profile):
    roles.group_of(roles.STAFF).__class__.objects.filter(role__code=roles.STAFF).update(name="Secretariat")
    roles.forget_roles(staff)
    response = client_for(staff).get(reverse("cqo_profiles:status", args=[profile.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("role", ["regulator", "member", "judge", "moderator"])
def test_other_roles_get_no_action_page(request, client_for, profile, role):
    client = client_for(request.getfixturevalue(role))
    for name in ("cqo_profiles:status", "cqo_profiles:contact", "cqo_profiles:relaxed_admission"):
        assert client.get(reverse(name, args=[profile.pk])).status_code in (302, 403), name


def test_a_refused_user_learns_nothing_of_what_exists(client_for, make_user, profile):
    """Someone in the admin without the permission is refused alike for a profile that exists and one that does
    not: the permission is asked before the object is looked up (a 404 would tell them which exist)."""
    group = Group.objects.create(name="只读后台")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    client = client_for(make_user(groups=["只读后台"]))
    for pk in (profile.pk, 999_999):
        response = client.get(reverse("cqo_profiles:status", args=[pk]))
        assert (response.status_code, response.url) == (302, reverse("wagtailadmin_home")), pk


def test_the_membership_list_and_edit_page_offer_the_decision(client_for, staff, profile, body_page):
    membership = BodyMembership.objects.create(profile=profile, body=body_page)
    decide = reverse("body_memberships:decide", args=[membership.pk])
    client = client_for(staff)
    assert decide in links(client.get(reverse("body_memberships:index")))
    assert decide in links(client.get(reverse("body_memberships:edit", args=[membership.pk])))
