"""The events' outgoing links are on the public address (alliance_site.common.links): the confirmation mail
and its .ics, the public calendars, a ticket's QR code, a certificate's check address and the sitemap.

A phone scanning a ticket, a calendar app and a mail client all read them away from the site: `localhost` (the
migration's Site) or the request's own host would be a dead link there.
"""

import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

import pytest
import segno
from django.urls import reverse
from wagtail.models import PageViewRestriction

from alliance_site.models import BodyPage, HomePage
from events import attendance
from events.models import EventPage, Registration, TrainingLevel, TrainingRecord
from tests import markup
from tests.public_address import PUBLIC_ADDRESS, assert_links_on_public_address, unfolded

from .conftest import registration_of

ONLINE = "https://meeting.example.cn/j/2026"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@pytest.fixture
def online_event(make_event):
    return make_event(title="线上质量论坛", mode=EventPage.Mode.HYBRID, online_url=ONLINE)


def test_the_confirmation_and_its_calendar_file_link_to_the_public_address(
    public_address, online_event, member, client_for, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(reverse("events:register", args=[online_event.pk]))
    assert response.status_code == 302
    [message] = mailoutbox
    assert_links_on_public_address(message.body)
    ticket = registration_of(online_event, member)
    assert f"{PUBLIC_ADDRESS}{reverse('events:ticket', args=[ticket.pk])}" in message.body
    [(_name, ics, _mimetype)] = message.attachments
    calendar = unfolded(ics)
    assert_links_on_public_address(calendar, besides=[ONLINE])  # the registrant's .ics has the meeting's link
    assert f"URL:{PUBLIC_ADDRESS}{online_event.url}" in calendar
    assert f"UID:event-{online_event.pk}@cqo.example.cn" in calendar


def test_the_public_calendars_link_to_the_public_address(public_address, client, online_event):
    body = HomePage.objects.first().add_child(instance=BodyPage(title="联盟", slug="alliance", kind="alliance"))
    EventPage.objects.filter(pk=online_event.pk).update(organizer=body)
    for path in (
        reverse("events_calendar"),
        reverse("event_calendar", args=[online_event.pk]),
        reverse("body_calendar", args=[body.slug]),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        calendar = unfolded(response.content)
        assert_links_on_public_address(calendar)
        assert f"URL:{PUBLIC_ADDRESS}{online_event.url}" in calendar
        assert ONLINE not in calendar


def qr_path(svg):
    """The drawing of a QR code as segno writes it: the same data gives the same path."""
    return markup.one(svg, "svg path.qrline")["d"]


def test_a_tickets_qr_code_opens_check_in_on_the_public_address(public_address, event, member, client_for):
    client_for(member).post(reverse("events:register", args=[event.pk]))
    ticket = Registration.objects.get(event=event, user=member)
    html = client_for(member).get(reverse("events:ticket", args=[ticket.pk])).content.decode()
    check_in = f"{PUBLIC_ADDRESS}{reverse('events:check_in', args=[event.pk])}?{urlencode({'q': ticket.code})}"
    assert qr_path(html) == qr_path(segno.make(check_in, error="m").svg_inline())
    # The same ticket's code read from the test client's host would draw another code.
    assert qr_path(html) != qr_path(segno.make(check_in.replace(PUBLIC_ADDRESS, "http://testserver")).svg_inline())


def test_a_certificate_gives_its_check_address_on_the_public_address(public_address, member, client_for):
    record = TrainingRecord.objects.create(
        user=member,
        level=TrainingLevel.CONTINUING,
        hours=Decimal("3"),
        date=date(2026, 3, 1),
        title="质量管理继续教育",
        certificate_code=attendance.new_certificate_code(),
    )
    html = client_for(member).get(reverse("events:certificate", args=[record.pk])).content.decode()
    verify = f"{PUBLIC_ADDRESS}{reverse('certificate_verify')}?{urlencode({'code': record.certificate_code})}"
    assert verify in html
    assert "testserver" not in html and "localhost" not in html


def test_the_sitemap_lists_public_events_members_ones_included(public_address, client, make_event, event_index):
    """A members' event is a public page (only registration is limited); a restricted or draft one is not listed."""
    members = make_event(title="会员活动", audience=EventPage.Audience.MEMBERS)
    open_to_all = make_event(title="公开活动", audience=EventPage.Audience.PUBLIC)
    draft = make_event(title="草稿活动", live=False)
    restricted = make_event(title="受限活动")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = {url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")}
    assert {PUBLIC_ADDRESS + page.url for page in (event_index, members, open_to_all)} <= locations
    for page in (draft, restricted):
        assert all(page.slug not in location for location in locations)


def test_the_api_links_to_the_public_address(public_address, client, make_event):
    event = make_event(title="公开活动", description='<p>见<a href="/cases/">案例库</a>。</p>')
    for response in (client.get("/api/v2/events/", {"fields": "*"}), client.get(f"/api/v2/events/{event.pk}/")):
        assert response.status_code == 200
        assert_links_on_public_address(response.content.decode())
    data = response.json()
    assert data["meta"]["detail_url"] == f"{PUBLIC_ADDRESS}/api/v2/events/{event.pk}/"
    assert data["meta"]["html_url"] == PUBLIC_ADDRESS + event.url
    assert f'href="{PUBLIC_ADDRESS}/cases/"' in data["description"]
