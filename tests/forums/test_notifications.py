"""Forum e-mail through HTTP: a title typed with a line break still makes a thread and a mail, and a mail server
that fails is logged, never felt by the member who posted."""

import logging

import pytest
from django.urls import reverse

from alliance_site.models import ProfileStatus
from forums.models import Board, Subscription, Thread
from tests.alliance_site.helpers import FAILING_EMAIL_BACKEND, one_line

TITLE = "焊接质量\r\n如何提升？\n\t（请教）"


@pytest.fixture
def board(db):
    return Board.objects.create(name="公开交流", slug="open", kind=Board.Kind.DISCUSSION, public=True)


@pytest.fixture
def watcher(board, make_profile):
    user = make_profile(status=ProfileStatus.ACTIVE, real_name="关注者").user
    Subscription.objects.create(user=user, board=board)
    return user


def start_thread(client, board, title=TITLE):
    return client.post(reverse("forums:new_thread", args=[board.slug]), {"title": title, "text": "大家好。"})


def test_a_title_with_line_breaks_makes_the_thread_and_the_mail(
    client_for, board, watcher, member, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = start_thread(client_for(member), board)
    assert response.status_code == 302
    thread = Thread.objects.get()
    assert response.url == thread.get_absolute_url()
    assert thread.title == "焊接质量 如何提升？ （请教）"  # kept on one line, as a title is
    assert [m.to for m in mailoutbox] == [[watcher.email]]
    subject = mailoutbox[0].subject
    assert one_line(subject) and "\t" not in subject
    assert "焊接质量 如何提升？ （请教）" in subject
    mailoutbox[0].message()  # Django would refuse a header it cannot send


def test_a_reply_in_such_a_thread_reaches_its_watchers(
    client_for, board, watcher, member, django_capture_on_commit_callbacks, mailoutbox
):
    start_thread(client_for(watcher), board)  # the watcher starts it, and so watches the thread
    thread = Thread.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(reverse("forums:reply", args=[thread.pk]), {"text": "我来回答。"})
    assert response.status_code in (302, 303)
    assert [m.to for m in mailoutbox] == [[watcher.email]] and one_line(mailoutbox[0].subject)


def test_a_failing_mail_server_does_not_fail_the_post(
    client_for, board, watcher, member, settings, caplog, django_capture_on_commit_callbacks, mailoutbox
):
    settings.EMAIL_BACKEND = FAILING_EMAIL_BACKEND
    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        response = start_thread(client_for(member), board, title="焊接质量如何提升？")
    assert response.status_code == 302
    assert Thread.objects.count() == 1
    errors = [r for r in caplog.records if r.name == "alliance_site.common.mail" and r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "forum notification" in errors[0].getMessage() and "1 recipient" in errors[0].getMessage()
    assert mailoutbox == []
