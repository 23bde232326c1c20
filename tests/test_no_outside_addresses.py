"""No page makes the browser call another site: the platform promises "no CDN".

Another site in a page's stylesheets, scripts, images, icons, fonts, preloads, frames, forms or any other
attribute the browser may fetch from is a request the visitor did not choose (and tells that site who reads what),
and from mainland China a foreign CDN is slow or unreachable: Gravatar, Google Fonts or a script CDN would each
hold the page up. The demo site's pages (`manage.py seed_demo`) are crawled as a visitor and as a member (the
crawl of tests/test_no_inline_script_or_style.py, one page of each kind of address), a member's own pages are
asked for by name, and the Wagtail admin's dashboard, page explorer, page edit screen and a few of its lists are
rendered for an administrator. Every attribute of every element is read, plus `srcset` candidates, the `Link`
response header and `url()`/`@import` in the site's and the admin's stylesheets.

Allowed: addresses on the site itself (relative, the test host, or the public address), `data:` and `blob:`,
XML namespace declarations (`xmlns`, which nothing fetches), `mailto:`/`tel:`, and a plain `<a href>` to another
site that a member wrote in a post (marked rel="ugc"). The admin's plain links to Wagtail's user guide and, in
its <noscript> notice, to enable-javascript.com are allowed by name: they load nothing until clicked.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.urls import reverse
from wagtail.models import Page, Site

from . import markup
from .clients import Client
from .test_no_inline_script_or_style import crawl, demo_site  # noqa: F401 (the module's demo site fixture)

HARMLESS_SCHEMES = {"data", "blob", "mailto", "tel", "javascript"}  # javascript: is refused by the CSP test
# Plain links (not loads) to other sites that the admin shows: its <noscript> notice's "how to enable JavaScript"
# and Wagtail's user guide in the help menu (the sidebar is drawn from JSON, so that one is not an attribute).
ALLOWED_LINK_HOSTS = {"www.enable-javascript.com", "guide.wagtail.org"}
MEMBER_PAGES = [
    "members:me",
    "members:edit",
    "members:privacy",
    "members:talent_pool",
    "cases:my_cases",
    "cases:create",
    "events:my_events",
    "events:training",
    "forums:notifications",
    "mfa_index",
]
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def site_hosts():
    """The site's own hosts: relative addresses, the test client's, and the public address the Site carries."""
    site = Site.objects.filter(is_default_site=True).first()
    own = {"", "testserver", urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc}
    return own | ({urlsplit(site.root_url).netloc} if site else set())


def is_outside(address, hosts):
    parts = urlsplit(address.strip())
    if parts.scheme in HARMLESS_SCHEMES:
        return False
    return parts.scheme not in ("", "http", "https") or parts.netloc not in hosts


class OutsideAddresses(HTMLParser):
    """Addresses in a page's attributes that are not on the site (`hosts`), as "<tag attribute=address>"."""

    def __init__(self, html, hosts):
        super().__init__()
        self.hosts = hosts
        self.found = []
        self.stylesheets = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "link" and "stylesheet" in (attributes.get("rel") or "").split():
            self.stylesheets.append(attributes.get("href") or "")
        for name, value in attrs:
            if not value or name == "xmlns" or name.startswith("xmlns:"):
                continue
            for address in self.addresses(name, value):
                if is_outside(address, self.hosts) and not self.is_content_link(tag, attributes, name, address):
                    self.found.append(f"<{tag} {name}={address}>")

    @staticmethod
    def addresses(name, value):
        if name in ("srcset", "imagesrcset"):
            return [candidate.split()[0] for candidate in value.split(",") if candidate.strip()]
        if name == "content" and "url=" in value.lower():  # <meta http-equiv="refresh" content="0; url=…">
            return [value.split("=", 1)[1]]
        if re.match(r"\s*(https?:)?//", value):  # any attribute holding an address: href, src, data-*-url …
            return [value]
        if name in ("href", "src", "action", "formaction", "poster", "data", "background", "cite", "ping"):
            return [value]
        return []

    @staticmethod
    def is_content_link(tag, attributes, name, address):
        """A plain link to another site is not a call: allowed to the hosts named above, and where a member wrote
        it (forum posts mark their links rel="ugc": forums.rendering)."""
        if tag != "a" or name != "href":
            return False
        return urlsplit(address).netloc in ALLOWED_LINK_HOSTS or "ugc" in (attributes.get("rel") or "").split()


def outside_addresses(path, response, hosts):
    html = response.content.decode()
    found = [f"{path}: {item}" for item in OutsideAddresses(html, hosts).found]
    for link in response.get("Link", "").split(","):
        match = re.search(r"<([^>]+)>", link)
        if match and is_outside(match.group(1), hosts):
            found.append(f"{path}: Link header {match.group(1)}")
    return found + stylesheet_addresses(html, hosts)


def stylesheet_addresses(html, hosts):
    """The outside addresses in the site's own stylesheets that a page loads (fonts, images, imports)."""
    found = []
    for href in OutsideAddresses(html, hosts).stylesheets:
        path = urlsplit(href).path
        if not path.startswith(settings.STATIC_URL):
            continue
        file = finders.find(path.removeprefix(settings.STATIC_URL))
        if file is None:
            continue
        with open(file, encoding="utf-8", errors="replace") as css:
            for match in CSS_URL.finditer(css.read()):
                address = match.group(1) or match.group(2)
                if is_outside(address, hosts):
                    found.append(f"{path}: {address}")
    return found


def signed_in(username):
    client = Client()
    if username:
        client.force_login(get_user_model().objects.get(username=username))
    return client


def check(client, paths):
    """The outside addresses of the pages at `paths`, read through `client`; each must answer 200."""
    found, hosts = [], site_hosts()
    for path in paths:
        response = client.get(path, follow=True)
        assert response.status_code == 200, (path, response.status_code)
        found += outside_addresses(path, response, hosts)
    return found


@pytest.mark.parametrize("username", [None, "member"])
def test_the_sites_pages_load_nothing_from_other_sites(demo_site, db, username):  # noqa: F811
    client = signed_in(username)
    own = [reverse(name) for name in MEMBER_PAGES] if username else []
    found, crawled, hosts = [], [], site_hosts()
    for path, response in crawl(client, ["/", *own]):
        crawled.append(path)
        found += outside_addresses(path, response, hosts)
    assert len(crawled) >= 15, crawled
    assert found == []


def test_a_members_own_pages_load_nothing_from_other_sites(demo_site, db):  # noqa: F811
    """Asked for by name, whatever the crawl reached first: the profile, settings, cases, events, training file,
    ticket and certificate of the demo member."""
    member = get_user_model().objects.get(username="member")
    paths = [reverse(name) for name in MEMBER_PAGES]
    ticket = member.event_registrations.filter(status="confirmed").first()
    if ticket is not None:
        paths.append(reverse("events:ticket", args=[ticket.pk]))
    record = member.training_records.exclude(certificate_code=None).first()
    if record is not None:
        paths.append(reverse("events:certificate", args=[record.pk]))
    found = check(signed_in("member"), paths)
    assert found == [], "\n".join(found)


def test_the_admin_loads_nothing_from_other_sites(demo_site, db):  # noqa: F811
    """The dashboard, the explorer, a page's edit screen (with its rich-text editor and choosers) and lists of
    images, documents, snippets and users, as an administrator: no Gravatar, no CDN, no update check."""
    case = Page.objects.filter(depth__gt=3, live=True).order_by("-depth", "pk").first()
    paths = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[case.get_parent().pk]),
        reverse("wagtailadmin_pages:edit", args=[case.pk]),
        reverse("wagtailadmin_pages:edit", args=[Page.objects.get(depth=2).pk]),
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
        reverse("wagtailusers_users:index"),
        reverse("wagtailadmin_account"),
    ]
    found = check(signed_in("admin"), paths)
    assert found == [], "\n".join(found)


def test_the_admin_dashboard_asks_no_one_for_a_newer_wagtail(demo_site, db):  # noqa: F811
    """Wagtail's upgrade notice has the dashboard's script ask releases.wagtail.io for the latest version. Its
    address is in the script, not on the page, so the check above cannot see it: the notice must not be there.
    (Gravatar's avatars are on the page: test_the_admin_loads_nothing_from_other_sites finds them.)"""
    response = signed_in("admin").get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert markup.select(response, "main")  # the dashboard itself, not a sign-in page
    assert not markup.select(response, '[data-controller~="w-upgrade"]')


@pytest.mark.parametrize(
    ("html", "found"),
    [
        ('<link rel="stylesheet" href="https://cdn.example.com/x.css">', True),
        ('<script src="//cdn.example.com/x.js"></script>', True),
        ('<img src="/media/x.png" srcset="/media/x.png 1x, https://img.example.com/x.png 2x">', True),
        ('<link rel="preconnect" href="https://fonts.gstatic.com">', True),
        ('<img src="https://www.gravatar.com/avatar/abc">', True),
        ('<div data-w-upgrade-url-value="https://releases.wagtail.io/latest.txt"></div>', True),
        ('<form action="https://collect.example.com/"></form>', True),
        ('<a href="https://www.example.com/policy">policy</a>', True),  # a link the site's templates wrote
        ('<a href="https://www.example.com/policy" rel="nofollow ugc noopener">policy</a>', False),  # a post's
        ('<a href="https://guide.wagtail.org/en-latest/">guide</a>', False),
        ('<svg xmlns="http://www.w3.org/2000/svg"></svg>', False),
        ('<img src="data:image/png;base64,AAAA">', False),
        ('<a href="/cases/">cases</a><a href="http://testserver/x">x</a><a href="mailto:a@b.cn">m</a>', False),
    ],
)
def test_the_check_itself_finds_what_it_should(html, found):
    assert bool(OutsideAddresses(html, {"", "testserver"}).found) is found
