"""In-site notifications and their e-mail, sent in the background (django-tasks) after the transaction commits.

Who hears of a new post: those watching the thread or its board (and the thread's author, who watches it by
starting it), and anyone mentioned; never the post's own author, never twice for one post, and only members
who may read the board.
"""

import contextlib
import contextvars

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from alliance_site.accounts import roles
from alliance_site.accounts.access import allowed
from alliance_site.common import mail
from alliance_site.common.links import absolute_url

from .models import Notification, Subscription

# Bulk work (the demo seed, imports) writes notifications without mailing each one.
_mail_muted = contextvars.ContextVar("forum_mail_muted", default=False)


@contextlib.contextmanager
def without_email():
    token = _mail_muted.set(True)
    try:
        yield
    finally:
        _mail_muted.reset(token)


def watchers(thread):
    users = Subscription.objects.filter(thread=thread).values_list("user_id", flat=True)
    board_users = Subscription.objects.filter(board_id=thread.board_id).values_list("user_id", flat=True)
    return set(users) | set(board_users)


def notify(user_ids, post, kind):
    user_ids = set(user_ids) - {post.author_id}
    if not user_ids:
        return []
    from django.contrib.auth import get_user_model

    board = post.thread.board
    users = [
        u
        for u in get_user_model().objects.filter(pk__in=user_ids, is_active=True).select_related("cqo_profile")
        if allowed(u, "forums.read_board", board)
    ]
    already = set(Notification.objects.filter(post=post, user__in=users).values_list("user_id", flat=True))
    created = Notification.objects.bulk_create(
        [Notification(user=u, kind=kind, post=post) for u in users if u.pk not in already]
    )
    ids = [n.pk for n in created]
    transaction.on_commit(lambda: forget_unread([n.user_id for n in created]))
    if ids and not _mail_muted.get():
        transaction.on_commit(lambda: send_notification_mail.enqueue(ids), robust=True)
    return created


def thread_started(thread, post):
    Subscription.objects.get_or_create(user=thread.author, thread=thread)
    notify(Subscription.objects.filter(board_id=thread.board_id).values_list("user_id", flat=True), post, "thread")


def replied(thread, post):
    Subscription.objects.get_or_create(user=post.author, thread=thread)  # replying watches the thread
    mentioned = set(Notification.objects.filter(post=post, kind="mention").values_list("user_id", flat=True))
    notify(watchers(thread) - mentioned, post, "reply")


def mentioned(post, users):
    notify([u.pk for u in users], post, "mention")


@task()
def send_notification_mail(notification_ids):
    notifications = Notification.objects.filter(pk__in=notification_ids).select_related(
        "user", "post__thread", "post__author__cqo_profile"
    )
    messages = []
    with translation.override(settings.LANGUAGE_CODE):
        for note in notifications:
            if not note.user.email:
                continue
            post = note.post
            context = {"thread": post.thread.title, "author": roles.display_name(post.author)}
            subject = {
                "mention": _("%(author)s mentioned you in “%(thread)s”"),
                "thread": _("New thread: “%(thread)s”"),
            }.get(note.kind, _("New reply in “%(thread)s”")) % context
            body = "\n".join(
                [
                    str(subject),
                    "",
                    post.source[:500],
                    "",
                    absolute_url(permalink(post)),
                    "",
                    str(_("You receive this because you watch the thread or board, or were mentioned.")),
                ]
            )
            messages.append(EmailMessage(mail.subject(subject), body, to=[note.user.email]))
    return mail.send(messages, what=f"forum notifications {list(notification_ids)}")


def permalink(post):
    from django.urls import reverse

    return reverse("forums:post", args=[post.pk])


def unread_key(user_id):
    return f"forums:unread:{user_id}"


def unread_count(user):
    """Shown in the header of every page: cached per user, dropped when a notification is added or read."""
    if not user.is_authenticated:
        return 0
    count = cache.get(unread_key(user.pk))
    if count is None:
        count = Notification.objects.filter(user=user, read_at__isnull=True).count()
        cache.set(unread_key(user.pk), count, 300)
    return count


def forget_unread(user_ids):
    cache.delete_many([unread_key(pk) for pk in user_ids])
