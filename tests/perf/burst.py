"""The sign-up burst: N people press "Register" for one event at the same moment, over real HTTP.

Used by the concurrency tests (tests/events/test_concurrency.py and others) and by `make bench`, which runs it
standalone on SQLite and on PostgreSQL and reports the figures:

    python -m tests.perf.burst [--database postgresql|sqlite] [--people 200] [--seats 50] [--workers 40]

The site is served by Django's threaded live server with at most `workers` requests handled at once, as a
production server has a fixed number of workers (and PostgreSQL a fixed number of connections: 100 by
default, fewer than 200 simultaneous requests would need). Each request thread has a database connection of
its own; on SQLite the database is a file with the site's settings (`database_for_concurrent_connections`).
Every client connects first, then all send their POST together when a barrier releases them; the server
queues what it cannot take yet.
"""

import argparse
import http.client
import os
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/test"


def bounded_live_server(workers):
    """A started live server thread (Django's own) that handles at most `workers` requests at a time."""
    from django.core.servers.basehttp import ThreadedWSGIServer
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    class BoundedServer(ThreadedWSGIServer):
        request_queue_size = 1024  # the listen backlog: every client's connection is accepted

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.slots = threading.BoundedSemaphore(workers)

        def process_request_thread(self, request, client_address):
            with self.slots:
                super().process_request_thread(request, client_address)

    class BoundedLiveServerThread(LiveServerThread):
        server_class = BoundedServer

    thread = BoundedLiveServerThread("127.0.0.1", _StaticFilesHandler)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    return thread


@contextmanager
def database_for_concurrent_connections():
    """The test database as a server's workers meet it: each thread on a connection of its own, at the same time.

    PostgreSQL's test database already is. SQLite's is in memory (`mode=memory&cache=shared`), where connections
    share one cache and its table locks, and a busy timeout never applies: nothing like the database file a
    site is served from. So for the duration the test database is copied into a file, with the settings'
    options (WAL, IMMEDIATE transactions, busy timeout), and every connection opened meanwhile, in any thread,
    uses the file. The copy, and whatever was written to it, is dropped afterwards.
    """
    from django.db import connection

    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    if connection.in_atomic_block:
        raise RuntimeError("other connections see only committed rows: use a transactional test")
    memory = connection.settings_dict["NAME"]
    # An in-memory database lasts while a connection to it is open: this one keeps it across the swap.
    with closing(sqlite3.connect(memory, uri=True)), tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "concurrent.sqlite3"
        connection.ensure_connection()
        with closing(sqlite3.connect(copy)) as target:
            connection.connection.backup(target)
        connection.settings_dict["NAME"] = str(copy)  # the dict every thread's new connection is made from
        connection.close()  # a file name now, so it closes for real
        try:
            yield
        finally:
            connection.close()
            connection.settings_dict["NAME"] = memory
            connection.ensure_connection()  # back on the in-memory database before keep_alive lets it go


def session_cookies(users):
    """A signed-in session per user, made the way the login view makes one."""
    from django.conf import settings
    from django.test import Client

    cookies = []
    for user in users:
        client = Client()
        client.force_login(user)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return cookies


@dataclass
class BurstResult:
    statuses: list
    latencies: list
    wall: float

    @property
    def p50(self):
        return statistics.median(self.latencies)

    @property
    def p95(self):
        return statistics.quantiles(self.latencies, n=20)[-1] if len(self.latencies) > 1 else self.latencies[0]


def burst(base_url, path, sessions, bodies=None):
    """POST `path` once per session, all at once (with `bodies`, the form each one sends, url-encoded; else an
    empty one); returns each response's status and latency."""
    from django.conf import settings

    parts = urlsplit(base_url)
    csrf = "b" * 32  # a CSRF secret of our choosing, sent as both cookie and header (as a browser would)
    cookie_names = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME)
    barrier = threading.Barrier(len(sessions) + 1)
    statuses, latencies = [None] * len(sessions), [None] * len(sessions)
    bodies = bodies or [""] * len(sessions)

    def send(i, session):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        connection.connect()
        barrier.wait()
        started = time.perf_counter()
        connection.request(
            "POST",
            path,
            body=bodies[i].encode(),
            headers={
                "Cookie": f"{cookie_names[0]}={session}; {cookie_names[1]}={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
                "Connection": "close",
            },
        )
        response = connection.getresponse()
        response.read()
        statuses[i], latencies[i] = response.status, time.perf_counter() - started
        connection.close()

    threads = [threading.Thread(target=send, args=(i, s), daemon=True) for i, s in enumerate(sessions)]
    for thread in threads:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join(timeout=180)
    return BurstResult(statuses, latencies, time.perf_counter() - started)


def post_at_once(path, sessions, forms, workers=4):
    """Serve the site and POST each form (a dict) to `path` with its session, all at the same moment; the
    response statuses, in order. For tests of simultaneous writes (inside `database_for_concurrent_connections`)."""
    server = bounded_live_server(workers)
    try:
        bodies = [urlencode(form, doseq=True) for form in forms]
        return burst(f"http://{server.host}:{server.port}", path, sessions, bodies).statuses
    finally:
        server.terminate()


def make_event_and_people(people, seats):
    """An event with `seats` places open for registration, and `people` members (test data, made here)."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from alliance_site.accounts import roles
    from alliance_site.enterprises.credit_code import make_credit_code
    from alliance_site.models import CQOProfile, Enterprise, HomePage, Region
    from events.models import EventIndexPage, EventPage

    stamp = f"{time.time_ns() % 10**12:012d}"
    province, _ = Region.objects.get_or_create(code="140000", defaults={"name": "山西省", "level": "province"})
    city, _ = Region.objects.get_or_create(
        code="140100", defaults={"name": "太原市", "level": "city", "parent": province}
    )
    county, _ = Region.objects.get_or_create(
        code="140105", defaults={"name": "小店区", "level": "county", "parent": city}
    )
    enterprise = Enterprise.objects.create(
        name=f"并发测试企业{stamp}",
        credit_code=make_credit_code(county.code, int(stamp[-6:])),
        county=county,
        industry="C",
        size=Enterprise.Size.ABOVE_SCALE,
    )
    members = roles.group_of(roles.MEMBER)
    User = get_user_model()
    users = User.objects.bulk_create([User(username=f"burst{stamp}-{i}") for i in range(people)])
    users = list(User.objects.filter(username__startswith=f"burst{stamp}-").order_by("pk"))
    CQOProfile.objects.bulk_create(
        [
            CQOProfile(
                user=user,
                real_name=f"并发{i}",
                enterprise=enterprise,
                position="副总经理",
                is_senior_executive=True,
                years_in_quality=8,
                title="intermediate",
                education="bachelor",
                status="active",
            )
            for i, user in enumerate(users)
        ]
    )
    members.user_set.add(*users)
    index = EventIndexPage.objects.first()
    if index is None:
        index = HomePage.objects.first().add_child(instance=EventIndexPage(title="活动与培训", slug="events"))
    starts = timezone.now() + timedelta(days=7)
    event = index.add_child(
        instance=EventPage(
            title=f"并发报名测试{stamp}",
            slug=f"burst-{stamp}",
            kind="forum",
            mode="offline",
            summary="并发报名。",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            venue="报告厅",
            capacity=seats,
            live=True,
        )
    )
    return event, users


def run(people, seats, workers):
    """Make the data, serve, fire the burst; returns (event, result)."""
    from django.urls import reverse

    event, users = make_event_and_people(people, seats)
    sessions = session_cookies(users)
    server = bounded_live_server(workers)
    try:
        base = f"http://{server.host}:{server.port}"
        result = burst(base, reverse("events:register", args=[event.pk]), sessions)
    finally:
        server.terminate()
    return event, result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--workers", type=int, default=40)
    parser.add_argument(
        "--database",
        choices=("postgresql", "sqlite"),
        default="postgresql",
        help="postgresql: BURST_DATABASE_URL or DATABASE_URL, else the local server; sqlite: a file database "
        "with the site's SQLite settings",
    )
    args = parser.parse_args(argv)
    if args.database == "sqlite":
        # The test database is made in memory and served from a file copy (database_for_concurrent_connections).
        os.environ["DATABASE_URL"] = "sqlite:///burst.sqlite3"
    else:  # a PostgreSQL DATABASE_URL is used; `make bench` on SQLite (bench.sqlite3) bursts on the local server
        url = os.environ.get("BURST_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
        os.environ["DATABASE_URL"] = url if url.startswith(("postgres://", "postgresql://")) else DEFAULT_DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance_site.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_databases, setup_test_environment, teardown_databases

    if connection.vendor != args.database:
        parser.error(f"DATABASE_URL names a {connection.vendor} database, not {args.database}")
    setup_test_environment()
    # A test database of its own (test_<name>, kept between runs on PostgreSQL); the rows made here are removed.
    config = setup_databases(verbosity=0, interactive=False, keepdb=True)
    try:
        from events.models import Registration

        with database_for_concurrent_connections():
            event, result = run(args.people, args.seats, args.workers)
            counts = {
                s: Registration.objects.filter(event=event, status=s).count() for s in ("confirmed", "waitlisted")
            }
            errors = sum(1 for status in result.statuses if status != 302)
            on = "PostgreSQL" if args.database == "postgresql" else "SQLite (a file: WAL, IMMEDIATE transactions)"
            print(
                f"Sign-up burst on {on}: {args.people} people, {args.seats} seats, {args.workers} server workers\n"
                f"| confirmed | waitlisted | errors | wall s | p50 ms | p95 ms | max ms | sign-ups/s |\n"
                f"|---:|---:|---:|---:|---:|---:|---:|---:|\n"
                f"| {counts['confirmed']} | {counts['waitlisted']} | {errors} | {result.wall:.2f} | "
                f"{result.p50 * 1000:.0f} | {result.p95 * 1000:.0f} | {max(result.latencies) * 1000:.0f} | "
                f"{args.people / result.wall:.0f} |"
            )
            from django.contrib.auth import get_user_model

            event.delete()
            get_user_model().objects.filter(username__startswith="burst").delete()
    finally:
        teardown_databases(config, verbosity=0, keepdb=True)


if __name__ == "__main__":
    main()
