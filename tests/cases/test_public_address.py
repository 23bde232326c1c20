"""The case library's outgoing links are on the public address (alliance_site.common.links): review mail, the Atom feed,
the API's `detail_url`, `html_url` and section HTML, and the sitemap. Never localhost (the migration's Site), the
development default or the Host header of the request."""

import json
import xml.etree.ElementTree as ET

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import PageViewRestriction, WorkflowState

from cases.blocks import Visibility
from tests.public_address import PUBLIC_ADDRESS, assert_links_on_public_address

from .conftest import section

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NAMESPACES = ("http://www.w3.org/", "http://www.sitemaps.org/")  # XML namespaces, not links


@pytest.fixture
def cases(make_case, member):
    linked = section("公开背景", Visibility.PUBLIC, ("text", '<p>详见<a href="/forums/">论坛</a>。</p>'))
    public = make_case(member, title="公开案例", body=[linked, section("会员参数", Visibility.MEMBERS)])
    draft = make_case(member, live=False, title="草稿案例")
    private = make_case(member, title="受限案例")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    unpublished = make_case(member, title="撤回案例")
    unpublished.unpublish()
    return {"public": public, "hidden": [draft, private, unpublished]}


def test_review_mail_links_to_the_public_address(
    public_address, client_for, make_case, member, staff, django_capture_on_commit_callbacks
):
    case = make_case(member, live=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(member).post(reverse("cases:submit", args=[case.pk])).status_code == 302
    [to_staff] = mail.outbox  # Wagtail's own notice to the reviewers, with links into the admin
    assert_links_on_public_address(to_staff.body)
    mail.outbox.clear()

    task_state = WorkflowState.objects.active().get(object_id=str(case.pk)).current_task_state
    action = reverse("wagtailadmin_pages:workflow_action", args=(case.pk, "approve", task_state.pk))
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(staff).post(action, {"comment": ""}).status_code == 302
    [to_author] = mail.outbox
    case.refresh_from_db()
    assert_links_on_public_address(to_author.body)
    assert f"{PUBLIC_ADDRESS}{case.url}" in to_author.body
    assert f"{PUBLIC_ADDRESS}{reverse('cases:my_cases')}" in to_author.body


def test_the_feed_links_to_the_public_address(public_address, client, cases):
    xml = client.get(reverse("case_feed")).content.decode()
    assert_links_on_public_address(xml, besides=NAMESPACES)
    root = ET.fromstring(xml)
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{PUBLIC_ADDRESS}/feeds/cases/"
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.find(f"{ATOM}link").get("href") == PUBLIC_ADDRESS + cases["public"].url
    assert entry.findtext(f"{ATOM}id") == PUBLIC_ADDRESS + cases["public"].url


def test_the_api_links_to_the_public_address(public_address, client, cases):
    case = cases["public"]
    listing = client.get("/api/v2/cases/", {"fields": "*"})
    detail = client.get(f"/api/v2/cases/{case.pk}/")
    for response in (listing, detail):
        assert response.status_code == 200
        assert_links_on_public_address(json.dumps(response.json(), ensure_ascii=False))
    data = detail.json()
    assert data["meta"]["detail_url"] == f"{PUBLIC_ADDRESS}/api/v2/cases/{case.pk}/"
    assert data["meta"]["html_url"] == PUBLIC_ADDRESS + case.url
    assert f'href="{PUBLIC_ADDRESS}/forums/"' in data["public_sections"][0]["html"]  # a link in the text, too


def test_the_sitemap_lists_public_cases_on_the_public_address(public_address, client, cases, case_index):
    response = client.get("/sitemap.xml")
    assert_links_on_public_address(response.content.decode(), besides=NAMESPACES)
    locations = {url.findtext(f"{SITEMAP}loc") for url in ET.fromstring(response.content).findall(f"{SITEMAP}url")}
    # A case with members' sections is a public page: its page shows those sections to members only.
    assert {PUBLIC_ADDRESS + cases["public"].url, PUBLIC_ADDRESS + case_index.url} <= locations
    for case in cases["hidden"]:
        assert all(case.slug not in location for location in locations)
