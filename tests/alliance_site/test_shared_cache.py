"""The default cache (no REDIS_URL) is a table in the site's database, shared by every worker of the machine.

With a cache per process, allauth counted failed sign-ins per gunicorn worker: 13 wrong passwords got through
before a lock-out configured at 5. Here two real servers (gunicorn, one worker each, the settings `make run` uses)
share a database, and wrong passwords alternate between them: the lock-out comes at allauth's configured limit.
The menu's versioned cache and cached_db sessions are checked on the database cache too (the suite's own cache
is in memory, settings/test.py).
"""

import http.client
import os
import socket
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from unittest import mock
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from gunicorn.config import KNOWN_SETTINGS

from alliance_site.common import structure_cache

from .helpers import database_url

BASE_DIR = Path(__file__).resolve().parents[2]
TOO_MANY = "Too many failed login attempts"
PASSWORD = "test-password-123"  # make_user's (tests/conftest.py)


@pytest.fixture
def database_cache(settings, db):
    """The cache the site uses without REDIS_URL: the `cqo_cache` table that migration 0011 made."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": settings.CACHE_TABLE}
    }
    cache.clear()
    yield cache
    cache.clear()


@contextmanager
def later(seconds):
    """The database cache's clocks `seconds` ahead: expiry is stored from `time.time()` and compared with `now()`."""
    now, wall = timezone.now() + timedelta(seconds=seconds), time.time() + seconds
    with (
        mock.patch("django.core.cache.backends.db.tz_now", lambda: now),
        mock.patch("django.core.cache.backends.base.time", SimpleNamespace(time=lambda: wall)),
    ):
        yield


def test_the_database_cache_is_the_table_migrate_made(database_cache):
    assert django_settings.CACHE_TABLE in connection.introspection.table_names()
    assert database_cache.add("lock", 1, 10) is True
    assert database_cache.add("lock", 2, 10) is False  # allauth's rate-limit lock: one holder at a time
    assert database_cache.get("lock") == 1


def test_a_retired_menu_stays_retired_past_the_caches_default_timeout(database_cache):
    """The menu's URLs are kept under a version that a change of the page tree replaces. On the database cache
    `incr` is a get and a set with the default timeout (300 s): the new version expired after five minutes, the
    count restarted at 1 and the URLs cached before the change (kept an hour) came back."""
    assert structure_cache.cached("probe", lambda: "/before/") == "/before/"
    structure_cache.forget()  # a page was published, moved or deleted
    assert structure_cache.cached("probe", lambda: "/after/") == "/after/"
    with later(seconds=301):
        assert structure_cache.cached("probe", lambda: "/after/") == "/after/"
    with later(seconds=3000):
        assert structure_cache.cached("probe", lambda: "/after/") == "/after/"


def test_sessions_in_the_database_cache_survive_its_loss_and_end_at_sign_out(database_cache, client, make_user):
    user = make_user("cached")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("account_email")).status_code == 200

    database_cache.clear()  # culled, or the table emptied: cached_db reads the session from its own table
    assert client.get(reverse("account_email")).status_code == 200

    stolen = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    client.post(reverse("account_logout"))
    client.cookies[django_settings.SESSION_COOKIE_NAME] = stolen
    assert client.get(reverse("account_email")).status_code == 302  # gone from the cache and the table


# Two processes ------------------------------------------------------------------------------------------------


def free_ports(count):
    """Ports free at the moment, all different (each stays bound until all are chosen)."""
    with ExitStack() as stack:
        probes = [stack.enter_context(socket.socket()) for _ in range(count)]
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]


def start_server(port, log):
    """gunicorn with one worker and the development settings (those of `make run`), so with the default cache."""
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "TASKS_BACKEND", "SECRET_KEY")}
    env.update(DJANGO_SETTINGS_MODULE="alliance_site.settings.dev", DATABASE_URL=database_url())
    command = [sys.executable, "-m", "gunicorn", "alliance_site.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"]
    if any(setting.name == "control_socket_disable" for setting in KNOWN_SETTINGS):
        command.append("--no-control-socket")  # gunicorn 25+ shares one control socket per user otherwise
    return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)


def request(port, method, path, body=""):
    csrf = "c" * 32  # a CSRF secret of our choosing, sent as cookie and header, as a browser would
    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection_.request(
            method,
            path,
            body=body,
            headers={
                "Cookie": f"{django_settings.CSRF_COOKIE_NAME}={csrf}",
                "X-CSRFToken": csrf,
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept-Language": "en",
                # Both servers stand behind one address, as the workers behind a load balancer do.
                "Host": "127.0.0.1",
            },
        )
        response = connection_.getresponse()
        return response.status, response.read().decode()
    finally:
        connection_.close()


def wait_until_serving(process, port, log_path, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server stopped:\n{log_path.read_text()[-3000:]}")
        try:
            if request(port, "GET", reverse("account_login"))[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"the server did not answer within {seconds} s:\n{log_path.read_text()[-3000:]}")


def failed_login_limit():
    """The per-account limit of allauth's `login_failed` rate (e.g. "10/m/ip,5/5m/key" gives 5)."""
    rates = django_settings.ACCOUNT_RATE_LIMITS["login_failed"].split(",")
    return next(int(rate.split("/")[0]) for rate in rates if rate.strip().endswith("/key"))


def test_the_login_limit_holds_across_two_server_processes(concurrent_db, make_user, tmp_path):
    email = f"lockout-{uuid.uuid4().hex[:12]}@example.cn"  # its own rate-limit keys, whatever a kept database holds
    user = make_user("lockout", email=email)
    hasher = PBKDF2PasswordHasher()  # the servers' settings know no MD5, the suite's fast hasher
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    limit = failed_login_limit()

    ports, servers = free_ports(2), []
    try:
        for n, port in enumerate(ports):
            log_path = tmp_path / f"server{n}.log"
            with log_path.open("w") as log:  # the server writes to its own copy of the file descriptor
                servers.append((start_server(port, log), port, log_path))
        for process, port, log_path in servers:
            wait_until_serving(process, port, log_path)

        login = reverse("account_login")
        for attempt in range(limit):  # wrong passwords, one server, then the other
            status, page = request(ports[attempt % 2], "POST", login, urlencode({"login": email, "password": "wrong"}))
            assert status == 200 and TOO_MANY not in page, f"attempt {attempt + 1} was refused before the limit"

        # The limit is reached, counted across both processes: even the right password is refused now, on either.
        for port in ports:
            status, page = request(port, "POST", login, urlencode({"login": email, "password": PASSWORD}))
            assert status in (200, 429) and TOO_MANY in page, f"signed in after {limit} failures (server {port})"
    finally:
        for process, _port, _log in servers:
            process.terminate()
        for process, _port, _log in servers:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
