"""Links that leave the site are on its public address (alliance_site.common.links), and search engines are told
what is public (alliance_site.home.sitemaps).

A mail, a calendar file or a QR code is read away from the request that made it: a link to `localhost` (the
migration's Site), `127.0.0.1:8000` (the development default) or the Host header the request carried is dead
there. Under the production address, every link in the core's mail is on it: filings, decisions, warnings and
allauth's sign-up and password mail. The apps' mail, feeds, calendars and API are checked in their own tests.
"""

import io
import xml.etree.ElementTree as ET
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import PageViewRestriction, Site

from alliance_site.accounts import roles
from alliance_site.models import BodyPage, ChapterPage, ProfileStatus
from tests.public_address import PUBLIC_ADDRESS, assert_links_on_public_address

from .helpers import ENGLISH, upload

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def default_site():
    return Site.objects.get(is_default_site=True)


# The default Site follows WAGTAILADMIN_BASE_URL ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "hostname", "port", "root_url"),
    [
        ("https://cqo.example.cn", "cqo.example.cn", 443, "https://cqo.example.cn"),
        ("https://cqo.example.cn/", "cqo.example.cn", 443, "https://cqo.example.cn"),
        ("http://127.0.0.1:8000", "127.0.0.1", 8000, "http://127.0.0.1:8000"),
        ("http://cqo.example.cn", "cqo.example.cn", 80, "http://cqo.example.cn"),
    ],
)
def test_set_site_address_puts_the_default_site_on_the_public_address(
    db, settings, address, hostname, port, root_url
):
    settings.WAGTAILADMIN_BASE_URL = address
    out = io.StringIO()
    call_command("set_site_address", stdout=out)
    site = default_site()
    assert (site.hostname, site.port, site.root_url) == (hostname, port, root_url)
    assert root_url in out.getvalue()
    assert Site.get_site_root_paths()[0].root_url == root_url  # Wagtail's cached paths follow


def test_migrate_keeps_the_default_site_on_the_public_address(db, settings):
    """Every release runs `migrate`: the Site the migration made as localhost:80 is moved to the public address."""
    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    settings.WAGTAILADMIN_BASE_URL = PUBLIC_ADDRESS
    call_command("migrate", verbosity=0, interactive=False)
    assert default_site().root_url == PUBLIC_ADDRESS


@pytest.mark.parametrize(
    "address",
    [
        "https://cqo.example.cn:8443",  # a Site says https for port 443 only
        "http://cqo.example.cn:443",
        "https://cqo.example.cn/platform/",  # the site is served at the root of its host
        "https://cqo.example.cn/?x=1",
        "cqo.example.cn",
        "ftp://cqo.example.cn",
        "",
    ],
)
def test_an_address_a_site_cannot_hold_is_refused(db, settings, address):
    before = (default_site().hostname, default_site().port)
    settings.WAGTAILADMIN_BASE_URL = address
    with pytest.raises(CommandError, match="WAGTAILADMIN_BASE_URL"):
        call_command("set_site_address", stdout=io.StringIO())
    assert (default_site().hostname, default_site().port) == before


# The core's mail --------------------------------------------------------------------------------------------


def with_letter(profile):
    profile.appointment_letter = upload("任命书.pdf")
    profile.appointment_date = date(2025, 3, 1)
    profile.save()
    return profile


def test_filing_mail_links_to_the_public_address(
    public_address, client_for, make_profile, make_regulator, regions, sent, mailoutbox
):
    profile = with_letter(make_profile())
    regulator = make_regulator(regions["zezhou"])
    with sent():
        assert client_for(profile.user).post(reverse("members:submit_filing")).status_code == 302
    [submitted] = mailoutbox
    assert_links_on_public_address(submitted.body)
    filing = profile.filings.get()
    assert f"{PUBLIC_ADDRESS}{reverse('filings:detail', args=[filing.pk])}" in submitted.body

    mailoutbox.clear()
    with sent():
        response = client_for(regulator).post(reverse("filings:decide", args=[filing.pk]), {"action": "approve"})
    assert response.status_code == 302
    [decided] = mailoutbox
    assert_links_on_public_address(decided.body)
    assert f"{PUBLIC_ADDRESS}{reverse('members:me')}" in decided.body


def test_a_warning_mail_links_to_the_public_address(public_address, client_for, staff, make_profile, sent, mailoutbox):
    cqo = make_profile(status=ProfileStatus.ACTIVE)
    with sent():
        response = client_for(staff).post(reverse("members:warn", args=[cqo.pk]), {"reason": "未按规定履职"})
    assert response.status_code == 302
    [message] = mailoutbox
    assert_links_on_public_address(message.body)
    assert f"{PUBLIC_ADDRESS}{reverse('members:detail', args=[cqo.pk])}" in message.body


def test_sign_up_and_password_mail_link_to_the_public_address_not_the_requests_host(
    public_address, client, member, sent, mailoutbox
):
    """allauth builds its links from the request: a Host header of testserver (or anything ALLOWED_HOSTS lets
    through) would be the address in the mail."""
    password = "a-long-unusual-password-42"
    with sent():
        response = client.post(
            reverse("account_signup"),
            {"email": "new.cqo@example.cn", "password1": password, "password2": password},
            headers=ENGLISH,
        )
        assert response.status_code == 302
        client.post(reverse("account_reset_password"), {"email": member.email}, headers=ENGLISH)
        client.post(reverse("account_reset_password"), {"email": "nobody@example.cn"}, headers=ENGLISH)
    confirmation, reset, unknown = mailoutbox
    for message, path in [
        (confirmation, "/accounts/confirm-email/"),
        (reset, "/accounts/password/reset/key/"),
        (unknown, reverse("account_signup")),  # "no account with this address: sign up here"
    ]:
        assert_links_on_public_address(message.body)
        assert f"{PUBLIC_ADDRESS}{path}" in message.body
        assert "cqo.example.cn" in message.body


# robots.txt and the sitemap ---------------------------------------------------------------------------------


def test_robots_txt_points_at_the_sitemap_and_keeps_private_areas_out(public_address, client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow: ")}
    assert {"/cms/", "/my/", "/accounts/", "/members/me/", "/files/"} <= disallowed
    assert "/" not in disallowed  # the public site stays open
    assert f"Sitemap: {PUBLIC_ADDRESS}/sitemap.xml" in lines


def test_robots_txt_is_read_only(client):
    assert client.post("/robots.txt").status_code == 405


def sitemap_locations(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    return [url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")]


@pytest.fixture
def body_pages(home_page, make_body_page, make_chapter_page, regions):
    """A public body with a chapter; a draft chapter, and chapters behind each kind of Wagtail privacy setting."""
    public = make_body_page(title="公开机构", slug="public-body")
    chapter = make_chapter_page(public, title="公开分会", slug="public-chapter")
    draft = public.add_child(
        instance=ChapterPage(title="草稿分会", slug="draft-chapter", city=regions["taiyuan"], live=False)
    )
    login = make_chapter_page(public, title="登录可见", slug="login-chapter")
    PageViewRestriction.objects.create(page=login, restriction_type=PageViewRestriction.LOGIN)
    password = make_chapter_page(public, title="密码可见", slug="password-chapter")
    PageViewRestriction.objects.create(page=password, restriction_type=PageViewRestriction.PASSWORD, password="x")
    members = make_body_page(BodyPage.Kind.HOME, title="会员可见", slug="members-body")
    restriction = PageViewRestriction.objects.create(page=members, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([roles.group_of(roles.MEMBER)])
    under_restricted = make_chapter_page(members, title="会员分会", slug="members-chapter")
    unpublished = make_chapter_page(public, title="撤回分会", slug="unpublished-chapter")
    unpublished.unpublish()
    return {
        "public": [home_page, public, chapter],
        "hidden": [draft, login, password, members, under_restricted, unpublished],
    }


def test_the_sitemap_lists_public_pages_only_on_the_public_address(public_address, client, body_pages):
    locations = sitemap_locations(client)
    assert sorted(locations) == sorted(PUBLIC_ADDRESS + page.url for page in body_pages["public"])
    for page in body_pages["hidden"]:
        assert all(page.slug not in location for location in locations)


def test_every_page_in_the_sitemap_opens_for_a_visitor(public_address, client, body_pages):
    for location in sitemap_locations(client):
        assert client.get(urlsplit(location).path).status_code == 200, location


@pytest.mark.parametrize("query", ["p=2", "p=0", "p=x", f"p={2**63}", "p=-1"])
def test_a_sitemap_page_that_does_not_exist_is_404(client, body_pages, query):
    assert client.get(f"/sitemap.xml?{query}").status_code == 404
