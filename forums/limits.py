"""Rate limits by standing, and the duplicate-post rule.

Members in their first days post less often than established ones; staff and moderators (of any board: they
are trusted members) are not limited.
The limits are settings (FORUM_RATE_LIMITS), counted from the posts in the database, so they hold across
processes and need no cache.
"""

import datetime
import hashlib

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance_site.accounts import roles

DEFAULT_LIMITS = {
    "new_member_days": 7,
    # (how many, in how many seconds)
    "new": {"posts": (5, 600), "threads": (2, 3600)},
    "regular": {"posts": (20, 600), "threads": (6, 3600)},
    "duplicate_window": 30 * 60,
}


class RateLimited(Exception):
    """Over a limit; str(error) says what and for how long."""


def limits():
    """DEFAULT_LIMITS with FORUM_RATE_LIMITS laid over it, standing by standing (a partial override keeps the rest)."""
    configured = getattr(settings, "FORUM_RATE_LIMITS", {})
    merged = {**DEFAULT_LIMITS, **configured}
    for standing_name in ("new", "regular"):
        merged[standing_name] = {**DEFAULT_LIMITS[standing_name], **configured.get(standing_name, {})}
    return merged


def standing(user, now=None):
    config = limits()
    now = now or timezone.now()
    return "new" if user.date_joined > now - datetime.timedelta(days=config["new_member_days"]) else "regular"


def fingerprint(source):
    return hashlib.sha256(" ".join(source.split()).encode()).hexdigest()


def check(user, kind, source, now=None):
    """Raise RateLimited if `user` may not post (kind "posts" or "threads") `source` now."""
    from .models import Post

    if roles.is_staff(user) or user.moderated_boards.exists():
        return
    config = limits()
    now = now or timezone.now()
    recent = Post.objects.filter(
        author=user, created_at__gt=now - datetime.timedelta(seconds=config["duplicate_window"])
    )
    target = fingerprint(source)
    if any(fingerprint(text) == target for text in recent.values_list("source", flat=True)):
        message = _("You posted the same text less than %(minutes)d minutes ago; it was not posted again.")
        raise RateLimited(message % {"minutes": config["duplicate_window"] // 60})
    count, seconds = config[standing(user, now)][kind]
    since = now - datetime.timedelta(seconds=seconds)
    if kind == "threads":
        done = user.threads.filter(created_at__gt=since).count()
    else:
        done = Post.objects.filter(author=user, created_at__gt=since).count()
    if done >= count:
        minutes = max(1, seconds // 60)
        new = standing(user, now) == "new"
        if kind == "threads":
            message = (
                _("New members may start %(count)d threads in %(minutes)d minutes; please wait a little.")
                if new
                else _("You may start %(count)d threads in %(minutes)d minutes; please wait a little.")
            )
        else:
            message = (
                _("New members may post %(count)d times in %(minutes)d minutes; please wait a little.")
                if new
                else _("You may post %(count)d times in %(minutes)d minutes; please wait a little.")
            )
        raise RateLimited(message % {"count": count, "minutes": minutes})
