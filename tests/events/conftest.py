"""Fixtures for the events tests: the event list and a factory for events (published pages)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from alliance_site.models import HomePage
from events.models import EventIndexPage, EventPage, Registration


@pytest.fixture
def event_index(db):
    home = HomePage.objects.first()
    return home.add_child(instance=EventIndexPage(title="活动与培训", slug="events"))


@pytest.fixture
def make_event(event_index):
    """make_event(starts_in=timedelta(days=7), capacity=50, **fields): a live event page.

    By default: a members' continuing-education session in person, 3 hours long, registration open now
    until the start, crediting 3 hours of continuing education.
    """
    counter = iter(range(1, 100_000))

    def make(*, starts_in=timedelta(days=7), length=timedelta(hours=3), live=True, **fields):
        serial = next(counter)
        starts = timezone.now() + starts_in
        defaults = {
            "title": f"测试活动{serial}",
            "slug": f"event-{serial}",
            "kind": EventPage.Kind.CONTINUING,
            "mode": EventPage.Mode.OFFLINE,
            "summary": "质量管理专题培训。",
            "starts_at": starts,
            "ends_at": starts + length,
            "venue": "太原市培训中心",
            "capacity": 50,
            "audience": EventPage.Audience.MEMBERS,
            "hours": Decimal("3"),
            "level": "continuing",
            "live": live,
        }
        defaults.update(fields)
        return event_index.add_child(instance=EventPage(**defaults))

    return make


@pytest.fixture
def event(make_event):
    return make_event()


@pytest.fixture
def make_members(make_profile):
    """make_members(n): n users with active CQO profiles."""

    def make(n):
        return [make_profile(status="active").user for _ in range(n)]

    return make


def registration_of(event, user):
    return Registration.objects.filter(event=event, user=user).first()
