"""iCalendar (.ics) for events: one event, the public calendar, or a body's calendar.

Times are written in Asia/Shanghai with the zone's VTIMEZONE included, so a calendar anywhere shows the
local time the event was announced in. The online link goes only into the .ics mailed to a confirmed
registrant (`for_registrant=True`), never into the public files.
"""

import zoneinfo
from datetime import date

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.html import strip_tags

from alliance_site.common.links import absolute_url

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
PRODID = "-//CQO Alliance//Events//ZH"


def uid_of(event):
    host = settings.WAGTAILADMIN_BASE_URL.split("//")[-1].strip("/") or "cqo.local"
    return f"event-{event.pk}@{host}"


def vevent(event, *, for_registrant=False):
    item = icalendar.Event()
    item.add("uid", uid_of(event))
    item.add("dtstamp", timezone.now())
    item.add("dtstart", event.starts_at.astimezone(SHANGHAI))
    item.add("dtend", event.ends_at.astimezone(SHANGHAI))
    item.add("summary", event.title)
    item.add("categories", [event.get_kind_display()])
    description = [event.summary]
    location = ", ".join(part for part in [event.city.name if event.city else "", event.venue] if part)
    if event.is_online and for_registrant and event.online_url:
        description.append(f"{event.get_mode_display()}: {event.online_url}")
        location = f"{location} / {event.online_url}" if location else event.online_url
    elif event.is_online:
        description.append(event.get_mode_display())
    if location:
        item.add("location", location)
    page_url = absolute_url(event.url or "/")
    description.append(page_url)
    item.add("description", "\n".join(strip_tags(part) for part in description if part))
    item.add("url", page_url)
    if event.last_published_at:
        item.add("last-modified", event.last_published_at)
    return item


def calendar_of(events, name, *, for_registrant=False):
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for event in events:
        cal.add_component(vevent(event, for_registrant=for_registrant))
    cal.add_missing_timezones(first_date=date(2000, 1, 1))  # China has kept +08:00 without DST since 1992
    return cal.to_ical()


def event_ics(event, *, for_registrant=False):
    return calendar_of([event], event.title, for_registrant=for_registrant)
