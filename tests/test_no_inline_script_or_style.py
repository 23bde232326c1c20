"""No inline script or style in the site's pages.

The Content-Security-Policy (alliance_site.common.headers) lets a page load the site's own files only: an inline
<script>, an event handler attribute (onclick=…), a javascript: link, a <style> element or a style attribute
would simply not work in the browser, and the policy would have to be loosened for everyone to let it. The site
loads no JavaScript at all, and this keeps it so.

The pages are those of the demo content (`manage.py seed_demo`, made once for the module and rolled back after),
crawled from the home page and each role's own pages by the links they show, as a visitor, a member, a judge, a
moderator, staff and a regulator: one page of each kind of address (a URL pattern, or a Wagtail page's section
and depth), so a new template is checked as soon as a page links to it. Error pages are asked for directly.
"""

import io
from collections import deque
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.test.utils import override_settings
from django.urls import Resolver404, resolve, reverse

from .clients import Client

PAGES_PER_ROLE = 60
# Not pages of the site's own: the admin has its own policy, files and feeds are not HTML, sign-out is a form.
SKIPPED = ("/cms/", "/static/", "/media/", "/files/", "/documents/", "/api/", "/feeds/", "/accounts/logout/")
ROLES = {
    "visitor": (None, []),
    "member": (
        "member",
        ["members:me", "members:edit", "members:privacy", "members:talent_pool", "cases:create", "mfa_index"],
    ),
    "judge": ("judge", ["competitions:judging"]),
    "moderator": ("moderator", ["forums:moderation"]),
    "staff": ("staff", ["filings:list"]),
    "regulator": ("regulator", ["filings:list", "region_dashboard"]),
}
ERROR_PAGES = {
    "visitor": ["/no-such-page/"],
    "member": ["/no-such-page/", "/filings/"],  # 404; 403: filings are for regulators
}


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")):
        with transaction.atomic():
            outbox = getattr(mail, "outbox", [])
            with TestCase.captureOnCommitCallbacks(execute=True):
                call_command("seed_demo", stdout=io.StringIO())
            mail.outbox = outbox
            yield SimpleNamespace()
            transaction.set_rollback(True)


class InlineContent(HTMLParser):
    """Every inline script or style of a page, as short descriptions."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.found.append(f"<{tag}> element")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…>")


class Links(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.hrefs = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.extend(value for name, value in attrs if name == "href" and value)


def kind_of_address(path):
    """One page of each kind is enough: a URL pattern's name, or for Wagtail's pages their section and depth."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name == "wagtail_serve":
        parts = [part for part in path.split("/") if part]
        return ("page", parts[0] if parts else "", len(parts))
    return (match.namespace, match.url_name)


def site_path(href, here):
    """The path of a link to another page of this site, or None."""
    url = urlsplit(href)
    if url.scheme not in ("", "http") or url.netloc not in ("", "testserver"):
        return None
    path = url.path if url.path.startswith("/") else here.rsplit("/", 1)[0] + "/" + url.path
    if not url.path or path.startswith(SKIPPED) or path.endswith((".ics", ".xlsx", ".xml", ".pdf", ".txt")):
        return None
    return path


def crawl(client, start):
    """(path, response) for one page of each kind of address reachable from `start`."""
    queue, kinds = deque(start), set()
    while queue and len(kinds) < PAGES_PER_ROLE:
        path = queue.popleft()
        kind = kind_of_address(path)
        if kind is None or kind in kinds:
            continue
        kinds.add(kind)
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        yield path, response
        html = response.content.decode()
        queue.extend(filter(None, (site_path(href, path) for href in Links(html).hrefs)))


def inline_content(path, response):
    return [f"{path}: {what}" for what in InlineContent(response.content.decode()).found]


@pytest.mark.parametrize("role", ROLES)
def test_pages_have_no_inline_script_or_style(demo_site, db, role):
    username, own_pages = ROLES[role]
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    found, crawled = [], []
    for path, response in crawl(client, ["/", *(reverse(name) for name in own_pages)]):
        crawled.append(path)
        assert "script-src 'self'" in response["Content-Security-Policy"], path
        found += inline_content(path, response)
    for path in ERROR_PAGES.get(role, []):
        response = client.get(path)
        assert response.status_code in (403, 404), path
        found += inline_content(path, response)

    assert len(crawled) >= 10, crawled  # the crawl did reach the site
    assert found == []
