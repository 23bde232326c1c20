"""The event list: filters (kind, city, mode, body), upcoming and past events, and a month calendar."""

import calendar
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR

from alliance_site import structure_cache
from alliance_site.models import BodyPage, Region

from .models import EventPage

FILTER_KEYS = ("kind", "city", "mode", "body")


def filter_events(events, params, choices):
    """The events matching the request's filters (unknown values are ignored) and the filters as applied."""
    applied = {key: params.get(key, "").strip()[:20] for key in FILTER_KEYS}
    if applied["kind"] in EventPage.Kind.values:
        events = events.filter(kind=applied["kind"])
    else:
        applied["kind"] = ""
    if applied["mode"] in EventPage.Mode.values:
        events = events.filter(mode=applied["mode"])
    else:
        applied["mode"] = ""
    if applied["city"] in dict(choices["cities"]):
        events = events.filter(city__code=applied["city"])
    else:
        applied["city"] = ""
    bodies = dict(choices["bodies"])
    if applied["body"] in bodies:
        events = events.filter(organizer__slug=applied["body"])
    else:
        applied["body"] = ""
    return events, applied


def filter_choices():
    def compute():
        return {
            "cities": [(c.code, c.name) for c in Region.objects.filter(level=Region.Level.CITY)],
            "bodies": [(b.slug, b.title) for b in BodyPage.objects.live().order_by("path")],
        }

    return {
        "kinds": EventPage.Kind.choices,
        "modes": EventPage.Mode.choices,
        **structure_cache.cached("event_filters", compute),
    }


def parse_month(text, today):
    """A "YYYY-MM" from the query string as the first of that month; anything else is this month."""
    try:
        year, month = (int(part) for part in (text or "").split("-", 1))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    except ValueError:
        pass
    return today.replace(day=1)


def month_calendar(events, month):
    """Weeks (Monday first) of the month, each day with the events that start on it."""
    zone = timezone.get_current_timezone()
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1]
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    by_day = {}
    for event in (
        events.filter(starts_at__gte=start, starts_at__lt=end)
        .order_by("starts_at")
        .only("title", "url_path", "starts_at", "kind")
    ):
        by_day.setdefault(timezone.localdate(event.starts_at, zone), []).append(event)
    today = timezone.localdate()
    previous = (month - timedelta(days=1)).replace(day=1)
    following = (month + timedelta(days=32)).replace(day=1)
    return {
        "month": month,
        "weeks": [
            [
                {
                    "date": day,
                    "in_month": day.month == month.month,
                    "today": day == today,
                    "events": by_day.get(day, []),
                }
                for day in week
            ]
            for week in weeks
        ],
        "previous": previous.strftime("%Y-%m"),
        "next": following.strftime("%Y-%m"),
        "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
    }


def event_listing(events, request, page_size):
    now = timezone.now()
    choices = filter_choices()
    events, filters = filter_events(events, request.GET, choices)
    listed = events.select_related("city", "organizer").only(
        "title",
        "url_path",
        "summary",
        "kind",
        "mode",
        "starts_at",
        "ends_at",
        "venue",
        "capacity",
        "audience",
        "hours",
        "level",
        "city__name",
        "organizer__title",
        "organizer__slug",
    )
    upcoming = listed.filter(ends_at__gte=now).order_by("starts_at", "pk")
    past = listed.filter(ends_at__lt=now).order_by("-starts_at", "-pk")
    query = "".join(f"{urlencode({key: value})}&" for key, value in filters.items() if value)
    month = parse_month(request.GET.get("month"), timezone.localdate())
    return {
        "upcoming": Paginator(upcoming, page_size).get_page(request.GET.get("page")),
        "past": Paginator(past, page_size).get_page(request.GET.get("past")),
        "filters": filters,
        "filters_query": query,
        # Turning a page of either list keeps the month the calendar shows, when one was chosen.
        "page_query": query + (f"month={month:%Y-%m}&" if request.GET.get("month") else ""),
        "choices": choices,
        "calendar": month_calendar(events, month),
    }
