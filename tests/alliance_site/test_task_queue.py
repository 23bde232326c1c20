"""TASKS_BACKEND=database: the site's mail waits in a queue in the database (django-tasks-db) and goes out when
`manage.py db_worker` works the queue, not in the request.

Each test configures the database backend as production does with TASKS_BACKEND=database (the suite otherwise runs
tasks at once, settings/test.py), acts through HTTP, finds a queued row and no mail, runs the worker, and then finds
the mail. The settings themselves are checked in a fresh interpreter in test_settings_and_i18n.py.
"""

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from alliance_site.models import ProfileStatus
from forums.models import Board, Subscription, Thread

from .helpers import ENGLISH, database_url, upload

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def queue(settings, db):
    settings.TASKS = {"default": {"BACKEND": settings.TASKS_BACKENDS["database"]}}


def work_the_queue():
    """`manage.py db_worker --batch`: run every queued task, then stop.

    Between tasks the worker closes old database connections, as Django does between requests; here that would be
    the test's own connection, inside its transaction, so it is left open (the test client does the same for
    requests)."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def queued(task_path):
    return DBTaskResult.objects.filter(task_path=task_path)


def test_a_forum_reply_is_mailed_by_the_worker(
    queue, client_for, make_profile, member, django_capture_on_commit_callbacks, mailoutbox
):
    board = Board.objects.create(name="公开交流", slug="open", kind=Board.Kind.DISCUSSION, public=True)
    watcher = make_profile(status=ProfileStatus.ACTIVE, real_name="关注者").user
    Subscription.objects.create(user=watcher, board=board)
    client_for(watcher).post(reverse("forums:new_thread", args=[board.slug]), {"title": "焊接质量", "text": "请教。"})
    thread = Thread.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(reverse("forums:reply", args=[thread.pk]), {"text": "我来回答。"})

    assert response.status_code in (302, 303)
    task = queued("forums.notifications.send_notification_mail").get()
    assert task.status == TaskResultStatus.READY
    assert mailoutbox == []

    work_the_queue()

    assert [message.to for message in mailoutbox] == [[watcher.email]]
    assert "焊接质量" in mailoutbox[0].subject
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL and task.return_value == 1


def test_a_filing_is_mailed_to_the_regulators_by_the_worker(
    queue, client_for, make_profile, make_regulator, regions, sent, mailoutbox
):
    profile = make_profile()
    profile.appointment_letter = upload("任命书.pdf", b"%PDF-1.4 appointment letter\n%%EOF\n")
    profile.save()
    regulator = make_regulator(regions["zezhou"])

    with sent():
        response = client_for(profile.user).post(reverse("members:submit_filing"), headers=ENGLISH)

    assert response.status_code == 302
    task = queued("alliance_site.filings.services.filing_mail").get()
    assert task.args_kwargs["args"][1] == "submitted"
    assert mailoutbox == []

    work_the_queue()

    assert [message.to for message in mailoutbox] == [[regulator.email]]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL


def test_the_sign_up_confirmation_is_mailed_by_the_worker_and_confirms(queue, client, mailoutbox):
    response = client.post(
        reverse("account_signup"),
        {"email": "queued@example.cn", "password1": "Zhiliang-2026!", "password2": "Zhiliang-2026!"},
    )

    assert response.status_code == 302
    task = queued("alliance_site.accounts.mail.send_account_mail").get()
    assert task.status == TaskResultStatus.READY
    assert mailoutbox == []

    work_the_queue()

    assert [message.to for message in mailoutbox] == [["queued@example.cn"]]
    link = next(word for word in mailoutbox[0].body.split() if "/accounts/confirm-email/" in word)
    path = link[link.index("/accounts/confirm-email/") :]
    assert client.post(path).status_code == 302
    from allauth.account.models import EmailAddress

    assert EmailAddress.objects.get(email="queued@example.cn").verified


def test_pruning_removes_the_sent_mail_and_its_link_from_the_queue(queue, client, mailoutbox):
    """A finished task keeps its arguments, here a confirmation link: the README's daily
    `manage.py prune_db_task_results --min-age-days 1` removes it, and nothing still waiting to be sent."""
    client.post(
        reverse("account_signup"),
        {"email": "pruned@example.cn", "password1": "Zhiliang-2026!", "password2": "Zhiliang-2026!"},
    )
    work_the_queue()
    client.post(reverse("account_reset_password"), {"email": "pruned@example.cn"})  # queued, not yet sent
    sent_task = queued("alliance_site.accounts.mail.send_account_mail").get(status=TaskResultStatus.SUCCESSFUL)
    DBTaskResult.objects.filter(pk=sent_task.pk).update(finished_at=timezone.now() - timedelta(days=2))

    call_command("prune_db_task_results", "--min-age-days", "1", verbosity=0)

    assert not DBTaskResult.objects.filter(pk=sent_task.pk).exists()
    assert queued("alliance_site.accounts.mail.send_account_mail").get().status == TaskResultStatus.READY


def test_the_worker_process_sends_the_queued_mail_with_the_production_settings(concurrent_db, settings, client):
    """`manage.py db_worker` as the README's deployment runs it: its own process, the production settings with
    TASKS_BACKEND=database, the site's database (here the test's, committed); the mail goes to its mail backend
    (the console, so it can be read here; SMTP in production)."""
    settings.TASKS = {"default": {"BACKEND": settings.TASKS_BACKENDS["database"]}}
    client.post(
        reverse("account_signup"),
        {"email": "worker@example.cn", "password1": "Zhiliang-2026!", "password2": "Zhiliang-2026!"},
    )
    task = queued("alliance_site.accounts.mail.send_account_mail").get()
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "EMAIL_HOST")}
    env.update(
        DJANGO_SETTINGS_MODULE="alliance_site.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="cqo.example.cn",
        WAGTAILADMIN_BASE_URL="https://cqo.example.cn",
        DATABASE_URL=database_url(),
        TASKS_BACKEND="database",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )

    worker = subprocess.run(
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert worker.returncode == 0, worker.stdout + worker.stderr
    assert "To: worker@example.cn" in worker.stdout
    assert "/accounts/confirm-email/" in worker.stdout
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
