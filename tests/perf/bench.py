"""`make bench`: key pages on the large data set, their SQL query counts and p50/p95 times.

Seeds `manage.py seed_demo --scale large` into its own database (bench.sqlite3, or the PostgreSQL of
DATABASE_URL) once, then requests each key page REPEAT times, after a warm-up, through Django's test client
(counting SQL queries) and through gunicorn, and writes a Markdown table to stdout and to bench-results.md.
Later issues add their pages to key_pages(). `make bench` then times the 200-way sign-up burst on SQLite and
on PostgreSQL (tests/perf/burst.py).

    python -m tests.perf.bench [--repeat 30] [--output bench-results.md] [--reseed]

CI's smoke test runs `make bench` from nothing (about three minutes) and fails on a page that does not answer.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def configure_django():
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alliance_site.settings.test")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(reseed=False):
    """Migrate and seed the large set unless this database already holds it; returns seconds spent seeding."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from cases.competitions.demo import BENCH_SLUG
    from cases.competitions.models import CompetitionPage
    from cases.demo import BENCH_SLUG_PREFIX
    from cases.models import CasePage
    from events.demo import BENCH_SLUG as BENCH_EVENT_SLUG
    from events.models import EventPage
    from forums.demo import BENCH_BOARD
    from forums.models import Board

    call_command("migrate", verbosity=0, interactive=False)
    seeded = (
        get_user_model().objects.filter(username__startswith="bench").count() >= 2000
        and CasePage.objects.filter(slug__startswith=BENCH_SLUG_PREFIX).exists()
        and CompetitionPage.objects.filter(slug=BENCH_SLUG).exists()
        and Board.objects.filter(slug=BENCH_BOARD).exists()
        and EventPage.objects.filter(slug=f"{BENCH_EVENT_SLUG}-0001").exists()
    )
    if seeded and not reseed:
        return None
    import io

    started = time.perf_counter()
    call_command("seed_demo", scale="large", verbosity=0, stdout=io.StringIO())
    return time.perf_counter() - started


SEARCH_WORD = "精益"  # a common two-character word: found in about a fifth of the bench cases


def key_pages():
    """(name, url, username or None) for each page measured. Usernames are demo accounts of seed_demo."""
    from urllib.parse import quote

    from alliance_site.models import BodyPage, ChapterPage, CQOProfile
    from cases.demo import BENCH_SLUG_PREFIX
    from cases.models import CaseIndexPage, CasePage

    alliance = BodyPage.objects.get(kind=BodyPage.Kind.ALLIANCE)
    chapter = ChapterPage.objects.live().child_of(alliance).first()
    public_profile = CQOProfile.objects.members().filter(visibility=CQOProfile.Visibility.PUBLIC).first()
    library = CaseIndexPage.objects.live().get()
    # The first bench case has three sections (one for members only) and two metrics: see cases.demo.
    case = CasePage.objects.live().get(slug=f"{BENCH_SLUG_PREFIX}00001")
    pages = []
    from cases.competitions.demo import BENCH_SLUG
    from cases.competitions.models import Assignment

    assignment = (
        Assignment.objects.filter(round_entry__round__competition__slug=BENCH_SLUG).select_related("judge").first()
    )
    if assignment is not None:  # a judge of the 300-entry round: their list (60 entries) and one scoring page
        judge = assignment.judge.username
        pages = [
            ("my judging (60 entries)", "/my/competitions/judging/", judge),
            ("scoring page", f"/my/competitions/judging/{assignment.pk}/", judge),
        ]
    from forums.demo import BENCH_BOARD
    from forums.models import Thread

    thread = Thread.objects.filter(board__slug=BENCH_BOARD).order_by("pk").first()
    if thread is not None:
        pages += [
            ("forum board (500 threads)", f"/forums/b/{BENCH_BOARD}/", None),
            ("forum thread (40 posts)", f"/forums/t/{thread.pk}/", None),
            ("forum thread (40 posts, as member)", f"/forums/t/{thread.pk}/?page=2", "member"),
        ]
    from events.demo import BENCH_SLUG as BENCH_EVENT_SLUG
    from events.models import EventIndexPage, EventPage

    event = EventPage.objects.live().filter(slug=f"{BENCH_EVENT_SLUG}-0001").first()
    if event is not None:  # 311 events; the first bench event has 200 confirmed and 50 waitlisted
        events_url = EventIndexPage.objects.live().get().url
        pages += [
            ("event list (311 events)", events_url, None),
            ("event list, filtered (as member)", f"{events_url}?kind=forum&mode=offline", "member"),
            ("event page (250 registrations)", event.url, None),
            ("event page (as member)", event.url, "member"),
        ]
    return [
        ("home", "/", None),
        ("body page (Alliance)", alliance.url, None),
        ("chapter page", chapter.url, None),
        ("member profile", f"/members/{public_profile.pk}/", None),
        ("member profile (as member)", f"/members/{public_profile.pk}/", "member"),
        ("talent pool (as member)", "/members/talent/", "member"),
        ("talent pool, filtered (as member)", f"/members/talent/?q={quote('六西格玛')}&offers=mentoring", "member"),
        ("privacy settings (as member)", "/members/me/privacy/", "member"),
        ("dashboard", "/dashboard/", None),
        ("dashboard Excel", "/dashboard/export.xlsx", None),
        ("region dashboard (city regulator)", "/dashboard/region/?show=all", "regulator"),
        ("region dashboard (province, as staff)", "/dashboard/region/?show=all", "staff"),
        ("region Excel (city regulator)", "/dashboard/region/export.xlsx?show=all", "regulator"),
        ("case library", library.url, None),
        ("case detail", case.url, None),
        ("case detail (as member)", case.url, "member"),
        (f"site search ({SEARCH_WORD})", f"/search/?q={quote(SEARCH_WORD)}", None),
        # Members also search the members-only text of about a quarter of the cases (a second index entry).
        (f"site search ({SEARCH_WORD}, as member)", f"/search/?q={quote(SEARCH_WORD)}", "member"),
        *pages,
    ]


def time_round_results(repeat):
    """p50/p95 ms to compute the results of the bench round (300 entries × 5 judges × 8 criteria), reading
    the scores from the database included; and how many scores it read."""
    from cases.competitions import judging
    from cases.competitions.demo import BENCH_SLUG
    from cases.competitions.models import Round

    round_ = Round.objects.filter(competition__slug=BENCH_SLUG).first()
    if round_ is None:
        return None
    import gc

    gc.freeze()  # as alliance_site.wsgi does after start-up: the long-lived objects are not collected again
    timings, results = [], None
    for _ in range(repeat):
        fresh = Round.objects.get(pk=round_.pk)
        started = time.perf_counter()
        results = judging.round_results(fresh)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    scores = sum(len(r.totals) for r in results.entries) * fresh.criteria.count()
    return len(results.entries), scores, statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)]


class Missing(Exception):
    """The page does not answer 200 (not built yet, or broken): reported as n/a, the other pages still run."""


def measure(client, url, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm caches (site root paths, templates) as a running server would have them
        response = client.get(url)
        if response.status_code != 200:
            raise Missing(f"n/a (HTTP {response.status_code})")
    timings = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    p95_index = max(0, round(0.95 * len(timings)) - 1)
    return len(queries), statistics.median(timings), timings[p95_index]


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Gunicorn:
    """gunicorn serving the bench database on a free loopback port, for as long as the `with` lasts."""

    def __init__(self, workers=2):
        self.port = free_port()
        self.workers = workers

    def __enter__(self):
        import subprocess
        import urllib.request

        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "alliance_site.settings.test"}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "alliance_site.wsgi",
                "-w",
                str(self.workers),
                "-b",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2)
                return self
            except OSError:
                time.sleep(0.2)
        self.process.kill()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)

    def measure(self, url, repeat, cookie=None):
        import urllib.request

        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{url}", headers={"Cookie": cookie or ""})
        for _ in range(3):
            urllib.request.urlopen(request, timeout=30).read()
        timings = []
        for _ in range(repeat):
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
                assert response.status == 200, (url, response.status)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        return statistics.median(timings), timings[max(0, round(0.95 * len(timings)) - 1)]


def run(repeat, output, reseed):
    configure_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import setup_test_environment

    from alliance_site.models import CQOProfile, Enterprise
    from cases.models import CasePage
    from tests.clients import Client  # staff and regulators count as signed in with their second factor

    setup_test_environment()
    seconds = seed(reseed)
    rows = []
    clients = {}
    pages = key_pages()
    measured = []
    for name, url, username in pages:
        if username not in clients:
            clients[username] = Client()
            if username:
                clients[username].force_login(get_user_model().objects.get(username=username))
        try:
            measured.append((name, url, username, *measure(clients[username], url, repeat)))
        except Missing as missing:
            measured.append((name, url, username, str(missing), None, None))
    # The same pages through gunicorn (2 workers), the way a browser reaches them, sessions and all.
    with Gunicorn() as server:
        for name, url, username, queries, p50, p95 in measured:
            if p50 is None:  # not there: keep the row, visibly empty
                rows.append(f"| {name} | `{url}` | {queries} | – | – | – | – |")
                continue
            cookie = f"sessionid={clients[username].cookies['sessionid'].value}" if username else None
            g50, g95 = server.measure(url, repeat, cookie)
            rows.append(f"| {name} | `{url}` | {queries} | {p50:.1f} | {p95:.1f} | {g50:.1f} | {g95:.1f} |")

    computed = time_round_results(repeat)
    lines = [
        f"## Benchmark ({connection.vendor}, {repeat} requests a page, Django test client and gunicorn)",
        "",
        f"Data: {CQOProfile.objects.count()} CQO profiles, {Enterprise.objects.count()} enterprises, "
        f"{CasePage.objects.live().count()} published cases."
        + (f" Large seed built in {seconds:.1f} s." if seconds is not None else " (seed reused)"),
        "",
        "| page | url | SQL queries | p50 ms | p95 ms | gunicorn p50 ms | gunicorn p95 ms |",
        "|---|---|---:|---:|---:|---:|---:|",
        *rows,
        "",
    ]
    if computed is not None:
        entries, scores, p50, p95 = computed
        lines += [
            f"Round results ({entries} entries, {scores} scores; mean, trimmed and z-score, ranking, calibration), "
            f"read from the database and computed: p50 {p50:.1f} ms, p95 {p95:.1f} ms.",
            "",
        ]
    report = "\n".join(lines)
    print(report)
    Path(output).write_text(report, encoding="utf-8")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--output", default=str(ROOT / "bench-results.md"))
    parser.add_argument("--reseed", action="store_true", help="seed again even if the data set is there")
    args = parser.parse_args(argv)
    run(max(30, args.repeat), args.output, args.reseed)


if __name__ == "__main__":
    main()
