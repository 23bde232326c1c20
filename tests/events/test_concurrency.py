"""The capacity guarantee under real concurrent sign-ups, over HTTP, on SQLite and PostgreSQL alike.

200 members press "Register" at the same moment for an event with 50 seats: exactly 50 are confirmed and
150 waitlisted, nobody is registered twice (some press twice), and every request gets its redirect, none a
500. The server handles 40 requests at once, each on a database connection of its own; on SQLite that is a
file database with the site's settings (WAL, IMMEDIATE transactions, a busy timeout), where writers queue
instead of failing with "database is locked" (about 5 s here).
"""

from django.db.models import Count
from django.urls import reverse

from events.models import Registration
from tests.perf import burst


def test_200_concurrent_sign_ups_for_50_seats(concurrent_db):
    event, users = burst.make_event_and_people(people=200, seats=50)
    sessions = burst.session_cookies(users)
    sessions += sessions[:20]  # twenty people press twice, in the same burst
    server = burst.bounded_live_server(workers=40)
    try:
        result = burst.burst(
            f"http://{server.host}:{server.port}", reverse("events:register", args=[event.pk]), sessions
        )
    finally:
        server.terminate()

    assert result.statuses == [302] * 220, sorted(set(result.statuses), key=str)
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status="confirmed").count() == 50
    assert registrations.filter(status="waitlisted").count() == 150
    assert registrations.count() == 200
    assert not registrations.values("user").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # The waitlist has a strict order: 150 distinct places.
    assert len(set(registrations.filter(status="waitlisted").values_list("queued_at", "pk"))) == 150
