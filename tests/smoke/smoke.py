"""CI's production smoke test: the documented production parts, started for real and walked over HTTP.

    python -m tests.smoke.smoke        (run by .ci/run after the suites; needs PostgreSQL and Redis on 127.0.0.1)

On a fresh PostgreSQL database it migrates, collects static files and loads the demo content, then starts
gunicorn (3 workers, production settings, REDIS_URL on the local Redis, TASKS_BACKEND=database), a `db_worker`
and an SMTP sink (aiosmtpd), and does what people do: sign up, receive the confirmation e-mail (through the
worker and SMTP), confirm, sign in (the session lands in Redis), register for an event and receive the ticket
with its .ics file, fetch sitemap.xml, robots.txt and a compressed static file with its far-future cache header,
and find the login limit holding across the workers. Every step prints a line; the first that fails stops the
run with exit status 1, and everything started is stopped whatever happens.

Requests carry `X-Forwarded-Proto: https`, as the load balancer's would, so the production settings' HTTPS
redirect and secure cookies apply; cookies are kept by hand, since Python's cookie jar will not send a secure
cookie over plain HTTP.
"""

import email
import logging
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from html.parser import HTMLParser
from pathlib import Path

from tests.perf.bench import free_port

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
PUBLIC_ADDRESS = "https://cqo.example.cn"
PASSWORD = "Smoke-test-2026!"
DATABASE = "cqo_smoke"
REDIS_DB = 15
SMTP_LOGIN, SMTP_PASSWORD = "cqo-mailer", secrets.token_urlsafe(16)


class SmokeFailure(Exception):
    pass


def check(condition, what):
    if not condition:
        raise SmokeFailure(what)


STARTED = time.monotonic()


def step(text):
    print(f"· {time.monotonic() - STARTED:5.1f} s  {text}", flush=True)


# The services -------------------------------------------------------------------------------------------------


def fresh_database(base_url):
    """An empty PostgreSQL database for this run, dropped and created again."""
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{DATABASE}"')
    return base_url.rsplit("/", 1)[0] + f"/{DATABASE}"


def empty_redis():
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).flushdb()


class MailSink:
    """An SMTP server on a free port that keeps every message it is sent, from a client that logs in with
    EMAIL_HOST_USER and EMAIL_HOST_PASSWORD (plain AUTH without TLS: it listens on 127.0.0.1 only)."""

    def __init__(self):
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        # Plain AUTH on 127.0.0.1 is what is meant here; aiosmtpd's warnings about it would only be noise.
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        logging.getLogger("mail.log").setLevel(logging.ERROR)

        self.messages = []
        sink = self

        def authenticator(server, session, envelope, mechanism, auth_data):
            valid = auth_data.login == SMTP_LOGIN.encode() and auth_data.password == SMTP_PASSWORD.encode()
            return AuthResult(success=valid)

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
                sink.messages.append(email.message_from_bytes(envelope.content))
                return "250 Message accepted for delivery"

        self.port = free_port()
        self.controller = Controller(
            Handler(),
            hostname="127.0.0.1",
            port=self.port,
            authenticator=authenticator,
            auth_required=True,
            auth_require_tls=False,
        )
        self.controller.start()

    def wait_for(self, predicate, what, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for message in self.messages:
                if predicate(message):
                    return message
            time.sleep(0.2)
        raise SmokeFailure(f"no e-mail {what} within {timeout} s (got {[m['Subject'] for m in self.messages]})")

    def stop(self):
        self.controller.stop()


def production_environment(database_url, smtp_port, work):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="alliance_site.settings.production",
        SECRET_KEY=secrets.token_urlsafe(60),
        ALLOWED_HOSTS="127.0.0.1",
        WAGTAILADMIN_BASE_URL=PUBLIC_ADDRESS,
        DATABASE_URL=database_url,
        REDIS_URL=f"redis://127.0.0.1:6379/{REDIS_DB}",
        TASKS_BACKEND="database",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_HOST_USER=SMTP_LOGIN,
        EMAIL_HOST_PASSWORD=SMTP_PASSWORD,
        # Forms are posted with the public address as their Origin, as a browser on it would send them.
        CSRF_TRUSTED_ORIGINS=PUBLIC_ADDRESS,
        DB_CONN_MAX_AGE="60",
        DEFAULT_FROM_EMAIL="首席质量官平台 <noreply@cqo.example.cn>",
        MEDIA_ROOT=str(work / "media"),
        PRIVATE_MEDIA_ROOT=str(work / "private_media"),
        LOG_LEVEL="WARNING",
    )
    return env


def manage(env, *args):
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600
    )
    if result.returncode != 0:
        raise SmokeFailure(f"manage.py {' '.join(args)} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    return result.stdout


def start(command, env, log):
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


# A browser, as far as the site needs one ---------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The fields of the forms of a page: {action: {name: value}} for inputs that a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower()}
            self.current["fields"] = {}
            self.forms.append(self.current)
        elif tag == "input" and self.current is not None and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.current["fields"][attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


class Browser:
    def __init__(self, base, secure=True):
        self.base = base
        self.secure = secure  # behind the load balancer (production), or `make run`'s plain HTTP
        self.cookies = {}

    def request(self, method, path, data=None, headers=None):
        url = path if path.startswith("http") else self.base + path
        headers = {"Accept-Language": "zh-hans", **(headers or {})}
        if self.secure:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers.update(
                {
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": PUBLIC_ADDRESS if self.secure else self.base,
                }
            )
        request = urllib.request.Request(url, data=body, headers=headers, method=method)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            response = opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in header.lower() or value in ('""', ""):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        response.text = response.read()
        return response

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def submit(self, page_path, action_contains, values):
        """Post the form of the page whose action contains `action_contains`, as a browser would, with `values`."""
        page = self.get(page_path)
        check(page.status == 200, f"GET {page_path} answered {page.status}")
        reader = FormReader()
        reader.feed(page.text.decode())
        forms = [f for f in reader.forms if f["method"] == "post" and action_contains in (f["action"] or page_path)]
        check(forms, f"no form posting to {action_contains} on {page_path}")
        form = forms[0]
        return self.request("POST", form["action"] or page_path, data={**form["fields"], **values})


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def path_of(url):
    parts = urllib.parse.urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


# The walk --------------------------------------------------------------------------------------------------------


def walk(base, mail, env):
    browser = Browser(base)
    address = f"smoke-{secrets.token_hex(4)}@example.cn"

    step("sign up")
    response = browser.submit(
        "/accounts/signup/", "/accounts/signup/", {"email": address, "password1": PASSWORD, "password2": PASSWORD}
    )
    check(response.status == 302, f"sign-up answered {response.status}: {response.text[:500]!r}")

    step("the confirmation e-mail arrives through the task worker and SMTP")
    confirmation = mail.wait_for(lambda m: address in (m["To"] or ""), f"to {address}")
    body = (
        confirmation.get_payload(decode=True)
        if not confirmation.is_multipart()
        else confirmation.get_payload(0).get_payload(decode=True)
    )
    body = body.decode()
    links = re.findall(r"https?://[^\s]+/accounts/confirm-email/[^\s]+/", body)
    check(links, "no confirmation link in the e-mail")
    check(all(link.startswith(PUBLIC_ADDRESS) for link in links), f"the link is not on the public address: {links[0]}")

    step("confirm the address")
    link = path_of(links[0])
    response = browser.submit(link, "/accounts/confirm-email/", {})
    check(response.status == 302, f"confirming answered {response.status}")

    step("sign in; the session lives in Redis")
    browser = Browser(base)
    response = browser.submit("/accounts/login/", "/accounts/login/", {"login": address, "password": PASSWORD})
    check(response.status == 302 and "sessionid" in browser.cookies, f"sign-in answered {response.status}")
    import redis

    keys = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB).keys("*session*")
    check(keys, "no session in Redis")
    check(browser.get("/members/me/").status == 302, "the signed-in user was not recognised")

    step("register for an event and receive the ticket with its .ics")
    # An open public event, found by the site itself (one interpreter start: the page's id and address together).
    event_id, event_url = (
        manage(
            env,
            "shell",
            "-c",
            "from events.models import EventPage; from django.utils import timezone; "
            "e = next(e for e in EventPage.objects.live().filter(audience='public', starts_at__gt=timezone.now())"
            ".order_by('starts_at') if e.registration_open()); print(e.pk, e.url)",
        )
        .strip()
        .splitlines()[-1]
        .split()
    )
    response = browser.submit(event_url, f"/my/events/{event_id}/register/", {})
    check(response.status == 302, f"registering answered {response.status}")
    ticket = mail.wait_for(lambda m: address in (m["To"] or "") and m.is_multipart(), "with the ticket")
    calendars = [part for part in ticket.walk() if part.get_content_type() == "text/calendar"]
    check(calendars, "the ticket has no .ics")
    ics = calendars[0].get_payload(decode=True).decode()
    check("BEGIN:VCALENDAR" in ics and "localhost" not in ics, "the .ics is not a calendar or names localhost")

    step("sitemap.xml and robots.txt")
    sitemap = browser.get("/sitemap.xml")
    check(sitemap.status == 200 and b"<urlset" in sitemap.text, f"sitemap answered {sitemap.status}")
    check(
        PUBLIC_ADDRESS.encode() in sitemap.text and b"localhost" not in sitemap.text, "sitemap addresses are not public"
    )
    robots = browser.get("/robots.txt")
    check(robots.status == 200 and b"Sitemap:" in robots.text and b"Disallow: /cms/" in robots.text, "robots.txt")

    step("a static file, compressed, with a far-future cache header")
    home = browser.get("/")
    check(home.status == 200, f"the home page answered {home.status}")
    stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', home.text)
    check(stylesheet, "no stylesheet on the home page")
    css = browser.get(stylesheet.group(1).decode(), headers={"Accept-Encoding": "gzip, br"})
    check(css.status == 200, f"the stylesheet answered {css.status}")
    check(css.headers.get("Content-Encoding") in ("gzip", "br"), "the stylesheet is not compressed")
    check("max-age=315360000" in (css.headers.get("Cache-Control") or ""), "no far-future cache header")

    step("the login limit holds across the workers")
    intruder = Browser(base)
    statuses = []
    for _ in range(8):
        statuses.append(
            intruder.submit("/accounts/login/", "/accounts/login/", {"login": address, "password": "wrong"}).status
        )
    late = intruder.submit("/accounts/login/", "/accounts/login/", {"login": address, "password": PASSWORD})
    check(
        "sessionid" not in intruder.cookies or late.status != 302,
        f"the right password got in after 8 failures ({statuses})",
    )
    check(statuses[:5] == [200] * 5 and all(s in (200, 429) for s in statuses[5:]), f"statuses {statuses}")
    refused = intruder.get("/accounts/login/")  # the refusal is counted wherever the request went
    check(refused.status in (200, 429), "the login page failed")


def make_run(work):
    """`make run` as the README gives it, on a fresh SQLite database, served on a free port; the home page,
    the case library and a sign-in with a demo account answer."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST", "DATABASE"))}
    database = work / "make-run.sqlite3"
    for leftover in work.glob("make-run.sqlite3*"):
        leftover.unlink()
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        MEDIA_ROOT=str(work / "run-media"),
        PRIVATE_MEDIA_ROOT=str(work / "run-private-media"),
    )
    log = work / "make-run.log"
    process = start(["make", "run", f"ADDRESS=127.0.0.1:{port}"], env, log.open("w"))
    try:
        wait_for_port(port, process, log, timeout=600)
        browser = Browser(f"http://127.0.0.1:{port}", secure=False)
        home = browser.get("/")
        check(home.status == 200 and "首席质量官".encode() in home.text, f"the home page answered {home.status}")
        response = browser.submit(
            "/accounts/login/", "/accounts/login/", {"login": "member@demo.cqo.cn", "password": "cqo-demo-2026"}
        )
        check(response.status == 302, f"the demo member's sign-in answered {response.status}")
        check(browser.get("/members/me/").status in (200, 302), "the demo member's profile failed")
    finally:
        stop(process)


def make_bench(work):
    """`make bench` as the README gives it, from nothing (it builds the large set in about a minute): every page
    measured answers (no n/a), and both sign-up bursts are exact."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST", "DATABASE"))}
    for leftover in work.glob("bench.sqlite3*"):
        leftover.unlink()
    report = work / "bench-results.md"
    env["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    env["BURST_DATABASE_URL"] = os.environ.get("SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    result = subprocess.run(
        ["make", "bench", f"BENCH_ARGS=--output {report}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    check(result.returncode == 0, f"make bench failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    rows = [line for line in report.read_text().splitlines() if line.startswith("| ") and "`/" in line]
    check(len(rows) >= 25 and not [row for row in rows if "n/a" in row], f"pages not measured:\n{report.read_text()}")
    bursts = [line for line in result.stdout.splitlines() if line.startswith("| 50 | 150 | 0 |")]
    check(len(bursts) == 2, f"the bursts were not exact:\n{result.stdout[-3000:]}")
    for line in result.stdout[result.stdout.index("Sign-up burst") :].splitlines():
        if line.startswith(("Sign-up burst", "|")):
            print(f"  {line}", flush=True)


def main():
    base_database = os.environ.get("SMOKE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    work = Path(os.environ.get("SMOKE_DIR") or (ROOT / ".smoke"))
    work.mkdir(exist_ok=True)
    started, mail = [], None
    try:
        step("a fresh PostgreSQL database, an empty Redis database, an SMTP sink")
        database_url = fresh_database(base_database)
        empty_redis()
        mail = MailSink()
        env = production_environment(database_url, mail.port, work)

        step("migrate, collectstatic, compile translations, load the demo content")
        manage(env, "check", "--deploy", "--fail-level", "WARNING")
        manage(env, "migrate", "--noinput")
        manage(env, "compile_translations")
        manage(env, "collectstatic", "--noinput")
        manage(env, "seed_demo")

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        step(f"gunicorn with 3 workers on {base}, and a db_worker")
        gunicorn_log = work / "gunicorn.log"
        started.append(
            start(
                [PYTHON, "-m", "gunicorn", "alliance_site.wsgi", "-w", "3", "-b", f"127.0.0.1:{port}"],
                env,
                gunicorn_log.open("w"),
            )
        )
        started.append(start([PYTHON, "manage.py", "db_worker"], env, (work / "worker.log").open("w")))
        wait_for_port(port, started[0], gunicorn_log)

        walk(base, mail, env)
        for process in started:
            stop(process)

        step("make run: set up and serve the demo on a fresh SQLite database")
        make_run(work)

        step("make bench: the large set's pages, and the sign-up bursts on SQLite and PostgreSQL")
        make_bench(work)
    except SmokeFailure as failure:
        print(f"SMOKE TEST FAILED: {failure}", flush=True)
        for log in ("gunicorn.log", "worker.log", "make-run.log"):
            if (work / log).exists():
                print(f"--- {log} (last lines)\n{(work / log).read_text()[-3000:]}")
        return 1
    finally:
        for process in started:
            stop(process)
        if mail is not None:
            mail.stop()
    print("smoke test passed", flush=True)
    return 0


def wait_for_port(port, process, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SmokeFailure(f"{process.args[0]} exited:\n{Path(log_path).read_text()[-4000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SmokeFailure(f"{process.args[0]} did not start serving within {timeout} s")


if __name__ == "__main__":
    sys.exit(main())
