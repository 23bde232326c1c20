"""Response headers (alliance_site.common.headers): the Content-Security-Policy on the site, on the admin and on served
files, and Cache-Control: private on every response built for a signed-in user.

The policies are compared whole, so a directive loosened by accident fails here. What the admin's exceptions
are for was found by loading its pages in Chromium (tests/browser/test_content_security_policy.py).
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.files.base import ContentFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from wagtail.documents.models import Document

from alliance_site.common.headers import private_cache_for_signed_in_users

pytestmark = pytest.mark.django_db

SITE_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "media-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Wagtail's admin starts its widgets and panels with inline <script> elements and its rich-text editor writes
# <style> elements; inline event handlers and style attributes stay refused.
ADMIN_POLICY = {
    **SITE_POLICY,
    "script-src": ["'self'", "'unsafe-inline'"],
    "script-src-attr": ["'none'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "style-src-attr": ["'none'"],
}


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = (part.split() for part in response["Content-Security-Policy"].split(";") if part.strip())
    return {name: sources for name, *sources in directives}


def cache_control(response):
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",") if part.strip()}


# Content-Security-Policy -------------------------------------------------------------------------------------


def test_a_public_page_has_the_site_policy(client_for, visitor):
    response = client_for(visitor).get("/")
    assert response.status_code == 200
    assert policy(response) == SITE_POLICY


def test_a_signed_in_page_has_the_site_policy(client_for, member):
    response = client_for(member).get(reverse("members:me"), follow=True)  # to the member's own profile
    assert response.status_code == 200
    assert policy(response) == SITE_POLICY


def test_error_pages_have_the_site_policy(client_for, member):
    response = client_for(member).get("/no-such-page/")
    assert response.status_code == 404
    assert policy(response) == SITE_POLICY


def test_an_admin_page_has_the_admin_policy(client_for, admin_user, home_page):
    client = client_for(admin_user)
    for url in (reverse("wagtailadmin_home"), reverse("wagtailadmin_pages:edit", args=[home_page.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert policy(response) == ADMIN_POLICY, url
        assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_the_image_uploader_may_show_the_chosen_files(client_for, admin_user):
    """The multiple uploader previews each file from a blob: URL before it is sent."""
    response = client_for(admin_user).get(reverse("wagtailimages:add_multiple"))
    assert response.status_code == 200
    assert policy(response) == {**ADMIN_POLICY, "img-src": ["'self'", "blob:"]}


def test_the_admin_shows_no_gravatar(client_for, admin_user):
    """Gravatar would receive a hash of each admin user's e-mail address, and the policy refuses its images."""
    response = client_for(admin_user).get(reverse("wagtailadmin_home"))
    assert "gravatar.com" not in response.content.decode()


def test_a_preview_keeps_the_page_policy_framed_by_the_admin(client_for, admin_user, home_page):
    """Wagtail renders a preview through the middleware as a request for the page's public address: the page's
    own policy, which the editor's preview panel may frame."""
    revision = home_page.save_revision(user=admin_user)
    response = client_for(admin_user).get(
        reverse("wagtailadmin_pages:revisions_view", args=[home_page.pk, revision.pk])
    )
    assert response.status_code == 200
    assert policy(response) == {**SITE_POLICY, "frame-ancestors": ["'self'"]}


def test_the_second_factor_page_may_show_its_qr_code(client_for, member):
    """allauth draws the authenticator's QR code as a data: image; nothing else is loosened."""
    assert reverse("mfa_activate_totp").startswith("/accounts/2fa/")
    response = client_for(member).get(reverse("mfa_index"))
    assert response.status_code == 200
    assert policy(response) == {**SITE_POLICY, "img-src": ["'self'", "data:"]}


def test_a_served_document_keeps_its_own_policy(client_for, member):
    """Wagtail sends documents with `default-src 'none'`: nothing in a served file runs or loads."""
    document = Document.objects.create(title="章程", file=ContentFile(b"%PDF-1.4 charter\n", name="charter.pdf"))
    response = client_for(member).get(document.url, follow=True)
    assert response.status_code == 200
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


# Cache-Control: private --------------------------------------------------------------------------------------


def test_an_anonymous_public_page_is_not_marked_private(client_for, visitor):
    response = client_for(visitor).get("/")
    assert response.status_code == 200
    assert "private" not in cache_control(response)


def test_a_signed_in_page_is_private(client_for, member):
    response = client_for(member).get("/")
    assert response.status_code == 200
    assert "private" in cache_control(response)


def test_a_redirect_for_a_signed_in_user_is_private(client_for, member):
    response = client_for(member).get(reverse("account_login"))  # a signed-in user is sent on
    assert response.status_code == 302
    assert "private" in cache_control(response)


@pytest.mark.parametrize(("url", "status"), [("/no-such-page/", 404), ("/filings/", 403)])
def test_an_error_page_for_a_signed_in_user_is_private(client_for, member, url, status):
    response = client_for(member).get(url)
    assert response.status_code == status
    assert "private" in cache_control(response)


def test_a_download_for_a_signed_in_user_is_private(client_for, regulator):
    response = client_for(regulator).get(reverse("region_dashboard_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "private" in cache_control(response)


def test_a_public_download_for_a_visitor_is_not_private(client_for, visitor):
    response = client_for(visitor).get(reverse("dashboard_export"))
    assert response.status_code == 200
    assert "private" not in cache_control(response)


def test_a_public_answer_marked_public_becomes_private_for_a_signed_in_user(member):
    """patch_cache_control drops a view's `public` when it adds `private`: the two never go together."""
    request = signed_in_request(member)

    def view(request):
        request.session.get("anything")
        response = HttpResponse("ok")
        response["Cache-Control"] = "public, max-age=600"
        return response

    response = private_cache_for_signed_in_users(view)(request)
    assert cache_control(response) == {"private", "max-age"}


def signed_in_request(user):
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session.save()
    request = RequestFactory().get("/")
    request.session = SessionStore(session.session_key)
    return request


def test_the_session_is_not_loaded_for_a_response_that_never_read_it(member):
    """A response that never looked at who asks is the same for everyone: the middleware does not load the
    session (nor the user) to find out."""
    request = signed_in_request(member)

    response = private_cache_for_signed_in_users(lambda request: HttpResponse("ok"))(request)

    assert not request.session.accessed
    assert "Cache-Control" not in response


def test_a_response_that_read_the_session_of_a_signed_in_user_is_private(member):
    request = signed_in_request(member)

    def view(request):
        request.session.get("anything")
        return HttpResponse("ok")

    response = private_cache_for_signed_in_users(view)(request)
    assert cache_control(response) == {"private"}
