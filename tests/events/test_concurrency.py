"""The capacity guarantee under real concurrent sign-ups, over HTTP, against PostgreSQL.

200 members press "Register" at the same moment for an event with 50 seats: exactly 50 are confirmed and
150 waitlisted, nobody is registered twice (some press twice), and every request gets its redirect.
"""

import pytest
from django.db import connection
from django.db.models import Count

from events.models import Registration
from tests.perf import burst

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL's row locks and concurrent connections; SQLite admits one writer at a time, "
        "so there is no race to test (CI runs this on PostgreSQL)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module", autouse=True)
def restore_migrated_data(django_db_setup, django_db_blocker):
    """A transactional test ends with a flush of every table; once it has (this fixture's teardown comes
    after the test's), put back what the migrations wrote, for the tests that follow in this process and
    for a test database kept by --reuse-db."""
    yield
    with django_db_blocker.unblock():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection.creation.deserialize_db_from_string(contents)


def test_200_concurrent_sign_ups_for_50_seats():
    event, users = burst.make_event_and_people(people=200, seats=50)
    sessions = burst.session_cookies(users)
    sessions += sessions[:20]  # twenty people press twice, in the same burst
    server = burst.bounded_live_server(workers=40)
    try:
        from django.urls import reverse

        result = burst.burst(
            f"http://{server.host}:{server.port}", reverse("events:register", args=[event.pk]), sessions
        )
    finally:
        server.terminate()

    assert result.statuses == [302] * 220, sorted(set(result.statuses))
    registrations = Registration.objects.filter(event=event)
    assert registrations.filter(status="confirmed").count() == 50
    assert registrations.filter(status="waitlisted").count() == 150
    assert registrations.count() == 200
    assert not registrations.values("user").annotate(n=Count("pk")).filter(n__gt=1).exists()
    # The waitlist has a strict order: 150 distinct places.
    assert len(set(registrations.filter(status="waitlisted").values_list("queued_at", "pk"))) == 150
