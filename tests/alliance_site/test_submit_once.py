"""A double click does a thing once: the one-time token every form that does something carries.

Audit finding 6: the warning form submitted twice made two warnings and sent two e-mails; repeated contact
requests made duplicate reveal rows. `tests/test_double_click.py` sends every form of the site twice.
"""

import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from alliance_site.common import submit_once
from alliance_site.models import ContactReveal, CQOWarning, ProfileStatus, Submission
from tests.clients import Client

from .helpers import ENGLISH, text

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR, "templates")
# Forms that change nothing a second time: the language switch, and signing out (a page cached for everyone
# must carry no per-visitor token, and signing out twice is signing out).
EXEMPT_ACTIONS = ("set_language", "account_logout")


@pytest.fixture
def cqo(make_profile):
    return make_profile(status=ProfileStatus.ACTIVE, real_name="赵质量", contact_phone="0351-1234567")


def warn(client, cqo, token, reason="未按规定履职"):
    data = {"reason": reason, submit_once.FIELD: token}
    return client.post(reverse("members:warn", args=[cqo.pk]), data, headers=ENGLISH)


def test_a_warning_sent_twice_is_issued_once_and_mailed_once(
    client_for, staff, cqo, mailoutbox, django_capture_on_commit_callbacks
):
    client = client_for(staff)
    token = submit_once.new_token()
    with django_capture_on_commit_callbacks(execute=True):
        first = warn(client, cqo, token)
        second = warn(client, cqo, token)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert CQOWarning.objects.count() == 1
    assert len(mailoutbox) == 1
    page = text(client.get(second["Location"], headers=ENGLISH))
    assert "That was sent twice; it was done once." in page


def test_a_refused_form_lets_its_token_go(client_for, staff, cqo):
    client = client_for(staff)
    token = submit_once.new_token()
    assert warn(client, cqo, token, reason="").status_code == 400
    assert not Submission.objects.exists()
    assert warn(client, cqo, token).status_code == 302
    assert CQOWarning.objects.count() == 1


@pytest.mark.parametrize("token", ["", "x" * 32, "²" * 32, "0" * 31, "0" * 33, "../" * 11])
def test_a_damaged_token_is_refused_and_nothing_is_done(client_for, staff, cqo, token):
    response = warn(client_for(staff), cqo, token)
    assert response.status_code == 400
    assert not CQOWarning.objects.exists()


def test_someone_elses_token_does_nothing(client_for, staff, make_user, cqo):
    from alliance_site.accounts import roles

    token = submit_once.new_token()
    assert warn(client_for(staff), cqo, token).status_code == 302
    other = make_user("other-staff", groups=[roles.STAFF])
    assert warn(client_for(other), cqo, token).status_code == 409
    assert CQOWarning.objects.count() == 1


def test_a_second_click_waits_for_the_first(client_for, staff, cqo, monkeypatch):
    """While the first request runs, the second waits for its outcome; past the wait it asks to look again."""
    monkeypatch.setattr(submit_once, "WAIT_FOR_FIRST_SECONDS", 0.2)
    token = submit_once.new_token()
    Submission.objects.create(token=token, user=staff)  # the first click, still running
    response = warn(client_for(staff), cqo, token)
    assert response.status_code == 409
    assert not CQOWarning.objects.exists()


def test_tokens_are_kept_a_day(client_for, staff, cqo):
    old = Submission.objects.create(token=submit_once.new_token(), user=staff, location="/")
    Submission.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=1, minutes=1))
    assert warn(client_for(staff), cqo, submit_once.new_token()).status_code == 302
    assert not Submission.objects.filter(pk=old.pk).exists()


def test_repeated_contact_requests_are_logged_once_while_shown(client_for, member, make_profile):
    card = make_profile(
        status=ProfileStatus.ACTIVE, contact_phone="0351-1234567", contact_audience="members", real_name="钱联系"
    )
    client = client_for(member)
    url = reverse("members:request_contact", args=[card.pk])
    # Without a token (a second press after the page was reloaded, say): the reveal on screen is reused.
    assert client.post(url, {"purpose": "mentoring"}).status_code == 302
    assert client.post(url, {"purpose": "mentoring"}).status_code == 302
    assert ContactReveal.objects.count() == 1


def post_forms(path):
    """The <form method="post"> elements of a template, with their opening tags."""
    source = path.read_text()
    return re.findall(r"(<form\b[^>]*method=\"post\"[^>]*>.*?</form>)", source, flags=re.S | re.I)


def test_every_form_that_does_something_carries_a_token():
    missing = []
    for path in TEMPLATES.rglob("*.html"):
        if path.relative_to(TEMPLATES).parts[0] in ("allauth", "account", "mfa"):
            continue  # allauth's own forms: sign-in and second-factor steps, guarded by allauth
        for form in post_forms(path):
            opening = form.split(">", 1)[0]
            if any(action in opening for action in EXEMPT_ACTIONS):
                continue
            if "{% submission_token %}" not in form:
                missing.append(f"{path.relative_to(TEMPLATES)}: {opening[:100]}")
    assert not missing, "forms without {% submission_token %}:\n" + "\n".join(missing)
    assert len(list(post_forms(TEMPLATES / "forums" / "thread.html"))) > 1  # the check does find forms


def test_two_clicks_at_once_warn_once(concurrent_db, staff, cqo):
    """Two requests with one token at the same moment, on two connections (on SQLite, of a database file:
    `concurrent_db`): one warning, both redirected."""
    token = submit_once.new_token()
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(staff)
    start = threading.Barrier(2)
    statuses = []

    def click(client):
        start.wait()
        try:
            statuses.append(warn(client, cqo, token).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302, 302]
    assert CQOWarning.objects.count() == 1
