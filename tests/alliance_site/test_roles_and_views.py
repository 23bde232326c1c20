"""The role groups, and every page for every role with the status code it should answer."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.shortcuts import resolve_url
from django.test.client import RedirectCycleError
from django.urls import reverse

from alliance_site.accounts import roles
from alliance_site.models import BodyMembership, BodyOfficer, CQOProfile, ProfileStatus
from tests import markup

from .helpers import login_url, text


def group_has(group_name, perm):
    app_label, codename = perm.split(".")
    return (
        roles.group_of(group_name)
        .permissions.filter(content_type__app_label=app_label, codename=codename)
        .exists()
    )


@pytest.mark.django_db
def test_role_groups_exist_after_migrations():
    names = ["会员", "评委", "版主", "秘书处", "监管人员", "管理员"]  # as staff see them in the admin
    assert set(Group.objects.filter(name__in=names).values_list("name", flat=True)) == set(names)
    codes = dict(Group.objects.filter(name__in=names).values_list("role__code", "name"))
    assert codes == {
        "member": "会员",
        "judge": "评委",
        "moderator": "版主",
        "staff": "秘书处",
        "regulator": "监管人员",
        "admin": "管理员",
    }


@pytest.mark.django_db
def test_renaming_a_role_group_takes_nobodys_rights_away(client_for, staff):
    """Roles are asked for by their code: a group's name is only what people read, and staff may change it in
    the admin (Settings → Groups)."""
    group = roles.group_of(roles.STAFF)
    group.name = "联盟秘书处"
    group.save()

    staff = type(staff).objects.get(pk=staff.pk)
    assert roles.is_staff(staff)
    assert client_for(staff).get(reverse("filings:list")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("group", "perm", "granted"),
    [
        (roles.STAFF, "wagtailadmin.access_admin", True),
        (roles.STAFF, "alliance_site.change_profile_status", True),
        (roles.STAFF, "alliance_site.change_cqoprofile", True),
        (roles.STAFF, "alliance_site.change_bodymembership", True),
        (roles.STAFF, "alliance_site.delete_cqoprofile", False),
        (roles.REGULATOR, "wagtailadmin.access_admin", False),
        (roles.REGULATOR, "alliance_site.view_enterprise", True),
        (roles.REGULATOR, "alliance_site.change_enterprise", False),
        (roles.REGULATOR, "alliance_site.change_profile_status", False),
        (roles.MEMBER, "wagtailadmin.access_admin", False),
        (roles.JUDGE, "wagtailadmin.access_admin", False),
        (roles.MODERATOR, "wagtailadmin.access_admin", False),
        (roles.ADMIN, "wagtailadmin.access_admin", True),
        (roles.ADMIN, "alliance_site.delete_cqoprofile", True),
    ],
)
def test_group_permissions(group, perm, granted):
    assert group_has(group, perm) is granted


def test_admin_group_holds_every_permission(db):
    def names(permissions):
        return set(permissions.values_list("content_type__app_label", "codename"))

    missing = names(Permission.objects.all()) - names(roles.group_of(roles.ADMIN).permissions.all())

    assert sorted(missing) == []


@pytest.mark.parametrize(("role", "expected"), [("staff", 200), ("admin_user", 200)])
def test_staff_edit_the_site_pages_in_the_admin(request, client_for, body_page, role, expected):
    client = client_for(request.getfixturevalue(role))

    assert client.get(reverse("wagtailadmin_pages:edit", args=[body_page.pk])).status_code == expected
    assert client.get(reverse("wagtailadmin_explore", args=[body_page.get_parent().pk])).status_code == expected


def test_users_get_the_admin_permission_through_their_group(staff, regulator):
    assert staff.has_perm("wagtailadmin.access_admin")
    assert not regulator.has_perm("wagtailadmin.access_admin")


@pytest.mark.parametrize(
    "url_name", ["wagtailadmin_home", "cqo_profiles:index", "wagtailredirects:index", "wagtailusers_users:index"]
)
def test_an_administrator_by_group_reaches_every_admin_area(client_for, make_user, url_name):
    """The 管理员 group, not only superusers, may do everything in the admin (DESIGN: "Wagtail admin, everything")."""
    administrator = make_user(groups=[roles.ADMIN])

    response = client_for(administrator).get(reverse(url_name))

    assert response.status_code == 200


# The permission matrix ------------------------------------------------------------------------------------

ROLES = ["visitor", "applicant", "member", "judge", "moderator", "staff", "regulator", "admin"]
FIXTURE_OF_ROLE = {"admin": "admin_user"}


def user_for(request, role):
    return request.getfixturevalue(FIXTURE_OF_ROLE.get(role, role))


OK, FORBIDDEN, NOT_FOUND = 200, 403, 404
LOGIN = "302 to the site's sign-in"
ADMIN_LOGIN = "302 to the admin sign-in"
ADMIN_REFUSED = "refused by the admin: 403, or redirects that end outside the admin (no loop)"
OWN_PROFILE = "302 to the user's own profile"
PROFILE_FORM = "302 to the profile form"
AFTER_LOGIN = "302 to where a signed-in user lands"


def everyone(expected):
    return dict.fromkeys(ROLES, expected)


def visitor_and(expected_for_visitor, others):
    return {"visitor": expected_for_visitor, **dict.fromkeys(ROLES[1:], others)}


def only(allowed, *, granted=OK, refused):
    return {role: granted if role in allowed else refused for role in ROLES}


MATRIX = {
    "home": everyone(OK),
    "body page": everyone(OK),
    "chapter page": everyone(OK),
    "public profile": everyone(OK),
    "members-only profile": only({"member", "staff", "regulator", "admin"}, refused=NOT_FOUND),
    "hidden profile": only({"staff", "regulator", "admin"}, refused=NOT_FOUND),
    "exited public profile": only({"staff", "regulator", "admin"}, refused=NOT_FOUND),
    "applicant's public profile": only({"staff", "regulator", "admin"}, refused=NOT_FOUND),
    "missing profile": everyone(NOT_FOUND),
    "my profile": {
        "visitor": LOGIN,
        "applicant": OWN_PROFILE,
        "member": OWN_PROFILE,
        **dict.fromkeys(["judge", "moderator", "staff", "regulator", "admin"], PROFILE_FORM),
    },
    "edit my profile": visitor_and(LOGIN, OK),
    "talent pool": {**only({"member", "staff", "admin"}, refused=FORBIDDEN), "visitor": LOGIN},
    "dashboard": everyone(OK),
    "forums": everyone(OK),
    "my events": visitor_and(LOGIN, OK),
    "training file": visitor_and(LOGIN, OK),
    "verify a certificate": everyone(OK),
    "sign in": visitor_and(OK, AFTER_LOGIN),
    "sign up": visitor_and(OK, AFTER_LOGIN),
    "admin home": {**only({"staff", "admin"}, refused=ADMIN_REFUSED), "visitor": ADMIN_LOGIN},
    "admin: CQO profiles": {**only({"staff", "admin"}, refused=ADMIN_REFUSED), "visitor": ADMIN_LOGIN},
}


@pytest.fixture
def site(body_page, chapter_page, make_profile, make_user):
    """The pages of the matrix, with profiles that belong to someone other than the signed-in user."""

    def profile(visibility, status=ProfileStatus.ACTIVE):
        return make_profile(make_user(), status=status, visibility=visibility, real_name=f"卡片{visibility}{status}")

    return {
        "body": body_page,
        "chapter": chapter_page,
        "public": profile(CQOProfile.Visibility.PUBLIC),
        "members": profile(CQOProfile.Visibility.MEMBERS),
        "hidden": profile(CQOProfile.Visibility.HIDDEN),
        "exited": profile(CQOProfile.Visibility.PUBLIC, ProfileStatus.EXITED),
        "applicant": profile(CQOProfile.Visibility.PUBLIC, ProfileStatus.APPLICANT),
    }


def url_of(page, site):
    detail = lambda key: reverse("members:detail", args=[site[key].pk])  # noqa: E731
    return {
        "home": lambda: "/",
        "body page": lambda: site["body"].url,
        "chapter page": lambda: site["chapter"].url,
        "public profile": lambda: detail("public"),
        "members-only profile": lambda: detail("members"),
        "hidden profile": lambda: detail("hidden"),
        "exited public profile": lambda: detail("exited"),
        "applicant's public profile": lambda: detail("applicant"),
        "missing profile": lambda: reverse("members:detail", args=[999_999]),
        "my profile": lambda: reverse("members:me"),
        "edit my profile": lambda: reverse("members:edit"),
        "talent pool": lambda: reverse("members:talent_pool"),
        "dashboard": lambda: reverse("dashboard"),
        "forums": lambda: reverse("forums:index"),
        "my events": lambda: reverse("events:my_events"),
        "training file": lambda: reverse("events:training"),
        "verify a certificate": lambda: reverse("certificate_verify"),
        "sign in": lambda: reverse("account_login"),
        "sign up": lambda: reverse("account_signup"),
        "admin home": lambda: reverse("wagtailadmin_home"),
        "admin: CQO profiles": lambda: reverse("cqo_profiles:index"),
    }[page]()


def expected_location(expected, url, user):
    if expected == LOGIN:
        return login_url(url)
    if expected == ADMIN_LOGIN:
        return f"{resolve_url(getattr(settings, 'WAGTAILADMIN_LOGIN_URL', 'wagtailadmin_login'))}?next={url}"
    if expected == OWN_PROFILE:
        return reverse("members:detail", args=[user.cqo_profile.pk])
    if expected == PROFILE_FORM:
        return reverse("members:edit")
    if expected == AFTER_LOGIN:
        return reverse("members:me")
    raise AssertionError(expected)


def assert_refused_by_the_admin(client, url):
    try:
        response = client.get(url, follow=True)
    except RedirectCycleError:
        pytest.fail(f"{url} sends a signed-in user without admin access round a redirect loop")
    final_url = response.redirect_chain[-1][0] if response.redirect_chain else url
    assert response.status_code == 403 or not final_url.startswith("/cms/"), (url, response.redirect_chain)
    assert response.status_code in (200, 403)


def test_the_matrix_covers_every_role_on_every_page():
    assert all(set(row) == set(ROLES) for row in MATRIX.values())
    assert reverse("cqo_profiles:index") == "/cms/cqo_profiles/"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", list(MATRIX))
def test_page_answers_each_role_as_expected(request, client_for, site, page, role):
    user = user_for(request, role)
    url = url_of(page, site)
    expected = MATRIX[page][role]
    client = client_for(user)

    if expected == ADMIN_REFUSED:
        assert_refused_by_the_admin(client, url)
        return
    response = client.get(url)
    if isinstance(expected, int):
        assert response.status_code == expected, (page, role, url)
    else:
        assert response.status_code == 302, (page, role, url, response.status_code)
        assert response["Location"] == expected_location(expected, url, user), (page, role)


# What the codes must not give away ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["visitor", "applicant", "member", "judge", "moderator"])
def test_a_hidden_profile_looks_exactly_like_a_missing_one(request, client_for, site, role):
    client = client_for(user_for(request, role))
    hidden = site["hidden"]

    shown = client.get(reverse("members:detail", args=[hidden.pk]))
    missing = client.get(reverse("members:detail", args=[999_999]))

    assert shown.status_code == missing.status_code == 404
    assert hidden.real_name not in text(shown)
    assert hidden.enterprise.name not in text(shown)


@pytest.mark.parametrize(
    "visibility", [CQOProfile.Visibility.PUBLIC, CQOProfile.Visibility.MEMBERS, CQOProfile.Visibility.HIDDEN]
)
@pytest.mark.parametrize("status", ProfileStatus.values)
def test_owners_always_see_their_own_profile(client_for, make_profile, visibility, status):
    profile = make_profile(status=status, visibility=visibility)

    response = client_for(profile.user).get(reverse("members:detail", args=[profile.pk]))

    assert response.status_code == 200
    assert response.context["is_owner"]


def test_others_do_not_see_the_record_of_a_public_profile(client_for, site, member):
    response = client_for(member).get(reverse("members:detail", args=[site["public"].pk]))

    assert response.status_code == 200
    assert not response.context["can_see_record"]
    assert 'id="record-title"' not in text(response)


@pytest.mark.parametrize("role", ["staff", "regulator", "admin"])
def test_oversight_roles_see_the_record(request, client_for, site, role):
    response = client_for(user_for(request, role)).get(reverse("members:detail", args=[site["hidden"].pk]))

    assert response.context["can_see_record"]


def test_a_regulator_sees_no_hidden_profile_outside_their_region(
    client_for, regulator, make_enterprise, make_profile, regions
):
    """DESIGN: a regulator is scoped to a region. This regulator oversees 晋城; the CQO works in 太原."""
    outside = make_enterprise(county=regions["xiaodian"])
    profile = make_profile(enterprise=outside, visibility=CQOProfile.Visibility.HIDDEN, real_name="太原隐藏卡片")

    response = client_for(regulator).get(reverse("members:detail", args=[profile.pk]))

    assert response.status_code == 404


def test_a_regulator_sees_hidden_profiles_inside_their_region(
    client_for, regulator, make_enterprise, make_profile, regions
):
    inside = make_enterprise(county=regions["gaoping"])
    profile = make_profile(enterprise=inside, visibility=CQOProfile.Visibility.HIDDEN)

    response = client_for(regulator).get(reverse("members:detail", args=[profile.pk]))

    assert response.status_code == 200


def test_talent_pool_lists_only_members_who_opted_in(client_for, member, make_profile):
    listed = make_profile(status=ProfileStatus.ACTIVE, talent_pool_opt_in=True, real_name="入库甲")
    warned = make_profile(status=ProfileStatus.WARNED, talent_pool_opt_in=True, real_name="入库乙")
    make_profile(status=ProfileStatus.ACTIVE, talent_pool_opt_in=False, real_name="未入库丙")
    make_profile(
        status=ProfileStatus.ACTIVE,
        talent_pool_opt_in=True,
        visibility=CQOProfile.Visibility.HIDDEN,
        real_name="隐藏丁",
    )
    make_profile(status=ProfileStatus.EXITED, talent_pool_opt_in=True, real_name="退出戊")
    make_profile(status=ProfileStatus.APPLICANT, talent_pool_opt_in=True, real_name="申请己")

    response = client_for(member).get(reverse("members:talent_pool"))

    assert response.status_code == 200
    assert {p.pk for p in response.context["page_obj"].object_list} == {listed.pk, warned.pk}


# Rights follow group changes at once (the role checks cache group names) ---------------------------------------


def talent_pool_status(client):
    return client.get(reverse("members:talent_pool")).status_code


@pytest.mark.parametrize(
    "revoke",
    [
        pytest.param(lambda user, group: user.groups.remove(group), id="user.groups.remove"),
        pytest.param(lambda user, group: user.groups.clear(), id="user.groups.clear"),
        pytest.param(lambda user, group: group.user_set.remove(user), id="group.user_set.remove"),
        pytest.param(lambda user, group: group.user_set.clear(), id="group.user_set.clear"),
        pytest.param(lambda user, group: group.delete(), id="group.delete"),
    ],
)
def test_staff_rights_end_as_soon_as_the_user_leaves_the_group(client_for, staff, revoke):
    client = client_for(staff)
    assert talent_pool_status(client) == 200  # the staff check has now been made, and possibly remembered

    revoke(staff, roles.group_of(roles.STAFF))

    assert talent_pool_status(client) == 403


def test_staff_rights_begin_as_soon_as_the_user_joins_the_group(client_for, make_user):
    user = make_user()
    client = client_for(user)
    assert talent_pool_status(client) == 403

    roles.group_of(roles.STAFF).user_set.add(user)

    assert talent_pool_status(client) == 200


# Links on the pages open for whoever sees them ---------------------------------------------------------------


def profile_links(response):
    """The profile pages the page links to."""
    hrefs = {link["href"] for link in markup.select(response, "a[href]")}
    return sorted(href for href in hrefs if re.fullmatch(r"/members/\d+/", href))


@pytest.fixture
def body_with_officers(body_page, chapter_page, make_profile, make_user):
    """Officers linked to CQO profiles of every visibility and status, and approved members in the chapter."""
    cases = [
        ("public", ProfileStatus.ACTIVE),
        ("members", ProfileStatus.ACTIVE),
        ("hidden", ProfileStatus.ACTIVE),
        ("public", ProfileStatus.EXITED),
        ("public", ProfileStatus.APPLICANT),
    ]
    for order, (visibility, status) in enumerate(cases):
        profile = make_profile(make_user(), status=status, visibility=visibility, real_name=f"理事{order}")
        BodyOfficer.objects.create(
            page=body_page, role="理事", name=profile.real_name, profile=profile, sort_order=order
        )
        BodyMembership.objects.create(
            profile=profile, body=body_page, chapter=chapter_page, motivation="加入", status="approved"
        )
    return body_page


@pytest.mark.parametrize("role", ["visitor", "applicant", "member", "staff"])
@pytest.mark.parametrize("page", ["body", "chapter"])
def test_every_profile_link_on_a_body_or_chapter_page_opens(
    request, client_for, body_with_officers, chapter_page, role, page
):
    client = client_for(user_for(request, role))
    url = {"body": body_with_officers.url, "chapter": chapter_page.url}[page]

    links = profile_links(client.get(url))

    public_officer = CQOProfile.objects.get(real_name="理事0")  # public and active: linked for everyone
    assert reverse("members:detail", args=[public_officer.pk]) in links
    broken = [link for link in links if client.get(link).status_code != 200]
    assert broken == [], f"{page} page shows {role} links to profiles they may not open"


def test_a_requests_lazy_user_reads_its_roles_once(member, monkeypatch):
    """request.user is a SimpleLazyObject: the roles are kept on the user it wraps, so one request asks the cache
    once however many checks it makes, and forget_roles drops them from the same place."""
    from django.utils.functional import SimpleLazyObject

    from alliance_site.accounts import roles

    lazy = SimpleLazyObject(lambda: member)
    reads = []
    real_get = roles.cache.get
    monkeypatch.setattr(roles.cache, "get", lambda key, *args: reads.append(key) or real_get(key, *args))
    assert roles.is_member(lazy) and not roles.is_staff(lazy) and not roles.is_regulator(lazy)
    assert len(reads) == 1
    roles.forget_roles(lazy)
    roles.is_staff(lazy)
    assert len(reads) == 2
