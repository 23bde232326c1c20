"""iCalendar files: one event's, the public calendar and a body's calendar.

Every file is parsed with `icalendar`, as a calendar application would read it: times in Asia/Shanghai with the
zone's VTIMEZONE, the title as SUMMARY, and the online link only in the file mailed to a confirmed registrant.
"""

import zoneinfo
from datetime import datetime, timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from alliance_site.models import BodyPage, HomePage
from events.ical import event_ics
from events.models import EventPage

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
LINK = "https://meeting.example.cn/j/8848-quality"
STARTS = datetime(2031, 3, 16, 9, 30, tzinfo=SHANGHAI)


def parse(content):
    return icalendar.Calendar.from_ical(content)


def ics(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return parse(response.content)


def summaries(calendar):
    return {str(item["SUMMARY"]) for item in calendar.walk("VEVENT")}


@pytest.fixture
def online_event(make_event, regions):
    return make_event(
        title="线上质量论坛",
        summary="在线讲解测量系统分析。",
        mode=EventPage.Mode.HYBRID,
        online_url=LINK,
        city=regions["taiyuan"],
        starts_at=STARTS,
        ends_at=STARTS + timedelta(hours=2, minutes=30),
    )


# One event ------------------------------------------------------------------------------------------------------


def test_an_events_ics_has_its_times_in_shanghai_with_the_zone(online_event, client):
    response = client.get(reverse("event_calendar", args=[online_event.pk]))

    calendar = ics(response)
    assert response["Content-Disposition"] == f'inline; filename="event-{online_event.pk}.ics"'
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "线上质量论坛"
    for field, expected in (("DTSTART", STARTS), ("DTEND", STARTS + timedelta(hours=2, minutes=30))):
        assert vevent[field].params["TZID"] == "Asia/Shanghai"
        assert vevent[field].dt == expected  # the same instant
        assert vevent[field].dt.utcoffset() == timedelta(hours=8)
        assert vevent[field].dt.replace(tzinfo=None) == expected.replace(tzinfo=None)  # the same wall-clock time
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Asia/Shanghai"
    assert {item["TZOFFSETTO"].td for item in zone.subcomponents} >= {timedelta(hours=8)}
    assert "Asia/Shanghai" in response.content.decode()


def test_an_events_ics_links_to_the_event_and_says_where(online_event, client):
    calendar = ics(client.get(reverse("event_calendar", args=[online_event.pk])))

    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["URL"]).endswith(online_event.url)
    assert "太原市" in str(vevent["LOCATION"]) and "太原市培训中心" in str(vevent["LOCATION"])
    assert "在线讲解测量系统分析。" in str(vevent["DESCRIPTION"])
    assert str(vevent["UID"]).startswith(f"event-{online_event.pk}@")


def test_the_public_ics_never_holds_the_online_link(online_event, client):
    response = client.get(reverse("event_calendar", args=[online_event.pk]))

    assert LINK not in response.content.decode()
    assert LINK not in client.get(reverse("events_calendar")).content.decode()


def test_the_registrants_ics_holds_the_online_link(online_event):
    calendar = parse(event_ics(online_event, for_registrant=True))

    [vevent] = calendar.walk("VEVENT")
    assert LINK in str(vevent["DESCRIPTION"])
    assert LINK in str(vevent["LOCATION"])
    assert vevent["DTSTART"].params["TZID"] == "Asia/Shanghai" and vevent["DTSTART"].dt == STARTS


def test_an_offline_events_registrant_ics_has_no_link_even_if_one_was_entered(make_event):
    event = make_event(online_url=LINK)  # in person: a link left from an earlier plan is not the event's

    assert LINK not in event_ics(event, for_registrant=True).decode()


def test_a_members_event_has_a_public_ics(event, client):
    assert event.audience == EventPage.Audience.MEMBERS

    assert summaries(ics(client.get(reverse("event_calendar", args=[event.pk])))) == {event.title}


def test_no_ics_for_a_draft_a_private_or_a_missing_event(make_event, client):
    draft = make_event(live=False)
    private = make_event()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    for pk in (draft.pk, private.pk, 987654):
        assert client.get(reverse("event_calendar", args=[pk])).status_code == 404


# The public calendar ----------------------------------------------------------------------------------------------


def test_the_public_calendar_lists_live_public_events_of_the_last_half_year_on(make_event, client):
    make_event(title="会员论坛", audience=EventPage.Audience.MEMBERS)
    make_event(title="公开讲座", audience=EventPage.Audience.PUBLIC, starts_in=timedelta(days=40))
    make_event(title="上月培训", starts_in=-timedelta(days=30))
    make_event(title="179天前的参观", starts_in=-timedelta(days=179), length=timedelta(hours=2))
    make_event(title="181天前的参观", starts_in=-timedelta(days=181), length=timedelta(hours=2))
    make_event(title="草稿活动", live=False)
    private = make_event(title="受限活动")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(reverse("events_calendar"))

    calendar = ics(response)
    assert summaries(calendar) == {"会员论坛", "公开讲座", "上月培训", "179天前的参观"}
    assert response["Content-Disposition"] == 'inline; filename="events.ics"'
    assert [str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    starts = [item["DTSTART"].dt for item in calendar.walk("VEVENT")]
    assert starts == sorted(starts)


def test_an_empty_public_calendar_is_still_a_calendar(db, client):
    calendar = ics(client.get(reverse("events_calendar")))

    assert calendar.walk("VEVENT") == []
    assert str(calendar["VERSION"]) == "2.0"


# A body's calendar ----------------------------------------------------------------------------------------------


@pytest.fixture
def bodies(db):
    home = HomePage.objects.first()
    alliance = home.add_child(instance=BodyPage(title="首席质量官联盟", slug="alliance", kind=BodyPage.Kind.ALLIANCE))
    cqo_home = home.add_child(instance=BodyPage(title="首席质量官之家", slug="cqo-home", kind=BodyPage.Kind.HOME))
    return {"alliance": alliance, "home": cqo_home}


def test_a_bodys_calendar_lists_only_its_own_events(make_event, bodies, client):
    make_event(title="联盟论坛", organizer=bodies["alliance"])
    make_event(title="联盟往期培训", organizer=bodies["alliance"], starts_in=-timedelta(days=20))
    make_event(title="联盟草稿", organizer=bodies["alliance"], live=False)
    make_event(title="之家沙龙", organizer=bodies["home"])
    make_event(title="无主办方的活动")

    response = client.get(reverse("body_calendar", args=["alliance"]))

    calendar = ics(response)
    assert summaries(calendar) == {"联盟论坛", "联盟往期培训"}
    assert str(calendar["X-WR-CALNAME"]) == "首席质量官联盟"
    assert response["Content-Disposition"] == 'inline; filename="alliance.ics"'
    assert summaries(ics(client.get(reverse("body_calendar", args=["cqo-home"])))) == {"之家沙龙"}


def test_an_unknown_or_unpublished_body_has_no_calendar(bodies, client):
    bodies["home"].unpublish()

    assert client.get(reverse("body_calendar", args=["no-such-body"])).status_code == 404
    assert client.get(reverse("body_calendar", args=["cqo-home"])).status_code == 404
    assert client.get(reverse("body_calendar", args=["alliance"])).status_code == 200


def test_event_pages_link_to_their_ics(event, client):
    html = client.get(event.url).content.decode()

    assert f'href="{reverse("event_calendar", args=[event.pk])}"' in html
    assert timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M") in html
