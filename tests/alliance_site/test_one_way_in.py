"""One way in: every sign-in, sign-out and password page of the installed apps is allauth's or leads to it.

Wagtail brings its own (the admin's /cms/login/, /cms/logout/ and /cms/password_reset/, the front end's
/_util/login/); they authenticated directly, past allauth's rate limits and its e-mail confirmation.
"""

import re
from urllib.parse import urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.urls import URLResolver, get_resolver, resolve, reverse

from alliance_site.models import CQOProfile
from tests import markup

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

AUTH_WORDS = re.compile(r"log_?in|log_?out|sign_?in|sign_?out|password|reset|2fa|mfa|reauthenticat|authenticat", re.I)
# Wagtail's shared-password privacy (one password for a page or a document collection): no account signs in there.
SHARED_PASSWORD_VIEWS = {"wagtailcore_authenticate_with_password", "wagtaildocs_authenticate_with_password"}
WAGTAIL_ENTRANCES = {"wagtailadmin_login", "wagtailadmin_logout", "wagtailadmin_password_reset", "wagtailcore_login"}


def url_patterns(patterns=None, prefix=""):
    """(route, name) of every URL pattern the root URLconf reaches, with the installed apps' included ones."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.name or ""


def an_address_for(route):
    """A path the route matches, with a made-up value for each parameter."""
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x1", route)
    route = re.sub(r"<int:\w+>", "1", route)
    route = re.sub(r"<(?:\w+:)?\w+>", "x1", route)
    return "/" + route.replace("^", "").replace("$", "")


def entrances():
    found = [
        (name, an_address_for(route))
        for route, name in url_patterns()
        if (AUTH_WORDS.search(route) or AUTH_WORDS.search(name)) and name not in SHARED_PASSWORD_VIEWS
    ]
    return sorted(set(found))


def is_allauths(path):
    return resolve(path).func.__module__.startswith("allauth.")


def test_every_sign_in_sign_out_and_password_address_is_allauths_or_leads_there(client):
    tried = entrances()
    assert WAGTAIL_ENTRANCES <= {name for name, _ in tried}, "the walk missed Wagtail's own pages"
    for name, path in tried:
        if is_allauths(path):
            continue
        for response in (client.get(path), client.post(path, {"username": "x@example.cn", "password": "x"})):
            assert response.status_code in (301, 302), (name, path, response.status_code)
            assert is_allauths(urlsplit(response["Location"]).path), (name, path, response["Location"])
        assert "_auth_user_id" not in client.session


def test_the_admins_sign_in_keeps_where_the_user_was_going(client, staff):
    response = client.get("/cms/login/?next=/cms/pages/")
    assert response["Location"] == reverse("account_login") + "?next=/cms/pages/"
    response = client.get("/_util/login/?next=/members-only/")
    assert response["Location"] == reverse("account_login") + "?next=/members-only/"
    # A signed-in user with admin access goes on to the admin; an address on another site is not followed.
    client.force_login(staff)
    assert client.get("/cms/login/?next=/cms/pages/")["Location"] == "/cms/pages/"
    elsewhere = client.get("/cms/login/?next=https://elsewhere.example/")
    assert elsewhere.status_code == 400 or elsewhere["Location"] == reverse("wagtailadmin_home")


@pytest.fixture
def locked_out(client, make_user):
    """An account allauth has locked after five wrong passwords (see test_accounts)."""
    user = make_user("target")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for _ in range(6):
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session, response.status_code
    return user


@pytest.mark.parametrize("path", ["/cms/login/", "/_util/login/"])
def test_wagtails_sign_in_forms_do_not_sign_in_a_locked_account(client, locked_out, path):
    for login in (locked_out.email, locked_out.username):
        client.post(path, {"username": login, "password": PASSWORD})
        assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("path", ["/cms/login/", "/_util/login/"])
def test_an_unconfirmed_sign_up_cannot_sign_in_through_wagtails_forms(client, path):
    email, password = "not.mine@example.cn", "Zhiliang-2026!"
    client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})
    client.logout()
    client.post(path, {"username": email, "password": password})
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("members:edit"), {"real_name": "冒名者"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not CQOProfile.objects.exists()


def test_the_admins_password_reset_sends_no_more_mail_than_allauths_throttle(client, member):
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    for _ in range(12):
        client.post("/cms/password_reset/", {"email": member.email})
    for _ in range(12):
        client.post(reverse("account_reset_password"), {"email": member.email})
    per_address = int(re.search(r"(\d+)/m/key", settings.ACCOUNT_RATE_LIMITS["reset_password"]).group(1))
    assert 1 <= len(mail.outbox) <= per_address


def test_a_get_to_the_admins_logout_keeps_the_session(client, staff):
    client.force_login(staff)
    response = client.get("/cms/logout/")
    assert response.status_code == 200  # allauth's "sign out?" page, with a button that posts
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert client.session.get("_auth_user_id") == str(staff.pk)
    assert client.get("/cms/").status_code == 200


def test_the_admins_sidebar_sign_out_posts_and_signs_out(client, staff):
    client.force_login(staff)
    admin = client.get("/cms/").content.decode()
    assert '"/cms/logout/"' in admin  # the sidebar's "log out" item posts a form here
    response = client.post("/cms/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_admins_account_page_changes_no_password_or_address_and_links_to_allauths_pages(client, staff):
    client.force_login(staff)
    page = client.get(reverse("wagtailadmin_account"))
    fields = [field["name"] for field in markup.select(page, "form [name]")]
    assert fields  # the page still has its other settings
    assert not [name for name in fields if name.endswith(("old_password", "new_password1", "email"))], fields
    links = {link["href"] for link in markup.select(page, "a[href]")}
    for urlname in ("account_change_password", "account_email", "mfa_index"):
        assert reverse(urlname) in links, urlname
