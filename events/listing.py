"""The event list: filters (events.filters), upcoming and past events, and a month calendar."""

import calendar
from datetime import date, datetime, time, timedelta

from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR

from .filters import EventFilter


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
    filterset = EventFilter(request.GET, events, request=request)
    events = filterset.qs
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
    query = filterset.query_string()
    month = parse_month(request.GET.get("month"), timezone.localdate())
    return {
        "upcoming": Paginator(upcoming, page_size).get_page(request.GET.get("page")),
        "past": Paginator(past, page_size).get_page(request.GET.get("past")),
        "filterset": filterset,
        "filters": filterset.applied(),
        "filters_query": query,
        # Turning a page of either list keeps the month the calendar shows, when one was chosen.
        "page_query": query + (f"month={month:%Y-%m}&" if request.GET.get("month") else ""),
        "calendar": month_calendar(events, month),
    }
