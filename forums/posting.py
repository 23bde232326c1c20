"""What members and moderators do in the forums, as plain functions the views call.

Permissions are checked by the views (forums.rules); these functions keep the data consistent
(counts, history, notifications) and log moderation with Wagtail's log, so every action is on record.
"""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from alliance_site.models import CQOProfile

from . import limits, notifications
from .models import Post, PostRevision, ProblemStatus, Reaction, Report, Thread
from .rendering import mentioned_names, render

AUTO_HIDE_REPORTS = 3


class ForumError(Exception):
    """A rule refused the action; str(error) is the message for the user."""


def mention_targets(source):
    """{name typed after @: (profile URL, user)} for the mentioned CQOs (by username or real name, if unique)."""
    names = mentioned_names(source)
    if not names:
        return {}
    profiles = CQOProfile.objects.filter(user__username__in=names) | CQOProfile.objects.filter(real_name__in=names)
    found = {}
    by_real_name = {}
    for profile in profiles.select_related("user"):
        by_real_name.setdefault(profile.real_name, []).append(profile)
        found[profile.user.username] = profile
    for name, matches in by_real_name.items():
        if len(matches) == 1:
            found.setdefault(name, matches[0])
    return {name: (f"/members/{p.pk}/", p.user) for name, p in found.items() if name in names}


def render_with_mentions(source):
    targets = mention_targets(source)
    return render(source, {name: url for name, (url, _user) in targets.items()}), [u for _url, u in targets.values()]


@transaction.atomic
def start_thread(board, user, title, source):
    title, source = title.strip(), source.strip()
    if not title or not source:
        raise ForumError(_("Give the thread a title and a first post."))
    limits.check(user, "threads", source)
    now = timezone.now()
    thread = Thread.objects.create(board=board, title=title[:120], author=user, created_at=now, last_post_at=now)
    post = add_post(thread, user, source, now=now)
    notifications.thread_started(thread, post)
    return thread


@transaction.atomic
def reply(thread, user, source, quote_of=None):
    source = source.strip()
    if not source:
        raise ForumError(_("Write something before posting."))
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if quote_of is not None and quote_of.thread_id != thread.pk:
        quote_of = None
    limits.check(user, "posts", source)
    post = add_post(thread, user, source, quote_of=quote_of)
    notifications.replied(thread, post)
    return post


def add_post(thread, user, source, quote_of=None, now=None):
    now = now or timezone.now()
    html, mentioned = render_with_mentions(source)
    post = Post.objects.create(thread=thread, author=user, source=source, html=html, quote_of=quote_of, created_at=now)
    Thread.objects.filter(pk=thread.pk).update(post_count=F("post_count") + 1, last_post_at=now, last_post_id=post.pk)
    notifications.mentioned(post, mentioned)
    if thread.post_count == 0:  # the first post is part of the thread's search text
        transaction.on_commit(lambda: reindex(thread.pk))
    return post


def reindex(thread_id):
    from wagtail.search.backends import get_search_backends

    thread = Thread.objects.filter(pk=thread_id).first()
    if thread is not None:
        for backend in get_search_backends():
            backend.add(thread)


@transaction.atomic
def edit_post(post, user, source):
    source = source.strip()
    if not source:
        raise ForumError(_("A post cannot be empty; hide it instead."))
    if source == post.source:
        return post
    PostRevision.objects.create(post=post, source=post.source, edited_by=user)
    post.source = source
    post.html, mentioned = render_with_mentions(source)
    post.edited_at, post.edited_by = timezone.now(), user
    post.save(update_fields=["source", "html", "edited_at", "edited_by"])
    notifications.mentioned(post, mentioned)
    if post.thread.posts.order_by("pk").values_list("pk", flat=True).first() == post.pk:
        transaction.on_commit(lambda: reindex(post.thread_id))
    return post


@transaction.atomic
def mark_helpful(post, user):
    """有帮助, once per member; True when counted now."""
    if post.author_id == user.pk:
        raise ForumError(_("You cannot mark your own post as helpful."))
    _reaction, created = Reaction.objects.get_or_create(post=post, user=user)
    if created:
        Post.objects.filter(pk=post.pk).update(helpful_count=F("helpful_count") + 1)
    return created


@transaction.atomic
def report(post, user, reason, note=""):
    """A member reports a post; at AUTO_HIDE_REPORTS different reporters it is held until a moderator reviews."""
    if reason not in Report.Reason.values:
        raise ForumError(_("Choose why you report this post."))
    if post.author_id == user.pk:
        raise ForumError(_("You cannot report your own post."))
    _report, created = Report.objects.get_or_create(
        post=post, reporter=user, defaults={"reason": reason, "note": note.strip()[:300]}
    )
    if not created:
        raise ForumError(_("You have already reported this post; moderators will look at it."))
    open_reports = post.reports.filter(outcome=Report.Outcome.OPEN).values("reporter").distinct().count()
    if open_reports >= AUTO_HIDE_REPORTS and not post.held_for_review:
        Post.objects.filter(pk=post.pk).update(held_for_review=True)
        log(instance=post, action="forums.post.held", user=None, data={"reports": open_reports})
    return open_reports


# Moderation ---------------------------------------------------------------------------------------------------


def moderate(instance, action, user, **data):
    log(instance=instance, action=f"forums.{action}", user=user, data={k: str(v) for k, v in data.items()})


@transaction.atomic
def hide_post(post, user, reason):
    if not reason.strip():
        raise ForumError(_("Say why the post is hidden: its author will see the reason."))
    post.hidden, post.hidden_reason, post.held_for_review = True, reason.strip()[:200], False
    post.save(update_fields=["hidden", "hidden_reason", "held_for_review"])
    post.reports.filter(outcome=Report.Outcome.OPEN).update(
        outcome=Report.Outcome.HIDDEN, reviewed_by=user, reviewed_at=timezone.now()
    )
    moderate(post, "post.hide", user, reason=reason)


@transaction.atomic
def restore_post(post, user):
    """Show a hidden or held post again; open reports on it are closed as reviewed and kept."""
    post.hidden, post.hidden_reason, post.held_for_review = False, "", False
    post.save(update_fields=["hidden", "hidden_reason", "held_for_review"])
    post.reports.filter(outcome=Report.Outcome.OPEN).update(
        outcome=Report.Outcome.KEPT, reviewed_by=user, reviewed_at=timezone.now()
    )
    moderate(post, "post.restore", user)


def set_pin(thread, user, pinned, until=None):
    thread.pinned, thread.pinned_until = pinned, until if pinned else None
    thread.save(update_fields=["pinned", "pinned_until"])
    moderate(thread, "thread.pin" if pinned else "thread.unpin", user, until=until or "")


def set_lock(thread, user, locked):
    thread.locked = locked
    thread.save(update_fields=["locked"])
    moderate(thread, "thread.lock" if locked else "thread.unlock", user)


def set_thread_hidden(thread, user, hidden, reason=""):
    if hidden and not reason.strip():
        raise ForumError(_("Say why the thread is hidden."))
    thread.hidden, thread.hidden_reason = hidden, reason.strip()[:200] if hidden else ""
    thread.save(update_fields=["hidden", "hidden_reason"])
    moderate(thread, "thread.hide" if hidden else "thread.restore", user, reason=reason)


def move_thread(thread, user, board):
    old = thread.board
    thread.board = board
    thread.save(update_fields=["board"])
    moderate(thread, "thread.move", user, **{"from": old, "to": board})


# Common problems ----------------------------------------------------------------------------------------------

PROBLEM_ORDER = list(ProblemStatus.values)


def set_problem_status(thread, user, status, owner=None):
    """Move a problem along new → acknowledged → owner assigned → solved → verified (or back, with the log)."""
    if status not in PROBLEM_ORDER:
        raise ForumError(_("Unknown status."))
    if status == ProblemStatus.OWNER_ASSIGNED and owner is None and thread.owner_id is None:
        raise ForumError(_("Name the owner who works on the problem."))
    if status == ProblemStatus.VERIFIED and not thread.posts.filter(accepted=True).exists():
        raise ForumError(_("Accept at least one answer before the problem is verified as solved."))
    old = thread.status
    thread.status, thread.status_changed_at = status, timezone.now()
    fields = ["status", "status_changed_at"]
    if owner is not None:
        thread.owner = owner
        fields.append("owner")
    thread.save(update_fields=fields)
    moderate(thread, "problem.status", user, **{"from": old, "to": status, "owner": owner or ""})


def accept_answer(post, user, accepted=True):
    if post.thread.posts.order_by("pk").values_list("pk", flat=True).first() == post.pk:
        raise ForumError(_("The question itself cannot be its answer."))
    post.accepted = accepted
    post.save(update_fields=["accepted"])
    moderate(post, "post.accept" if accepted else "post.unaccept", user)
