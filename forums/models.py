"""Forums: boards of three kinds, threads, posts with their edit history, reactions, reports and notifications.

Boards are plain models managed by staff in the admin; who may read and write a board is decided by
`forums.rules`, never by templates alone. Post bodies are Markdown kept as typed and as sanitised HTML
rendered once when saved (`forums.rendering`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.search import index

from alliance_site.models import BodyPage
from alliance_site.search.segmentation import segment


class BoardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The boards this user may read: the `forums.read_board` rule (forums/rules.py) as a filter."""
        from .rules import member_or_staff  # the rules are built on these models

        if member_or_staff(user):
            return self
        return self.filter(Q(kind=Board.Kind.ANNOUNCEMENTS) | Q(public=True))  # Board.is_public


class Board(models.Model):
    class Kind(models.TextChoices):
        ANNOUNCEMENTS = "announcements", _("Announcements")
        DISCUSSION = "discussion", _("Discussion")
        PROBLEMS = "problems", _("Common problems")

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    body = models.ForeignKey(
        BodyPage, verbose_name=_("body"), null=True, blank=True, on_delete=models.SET_NULL, related_name="boards"
    )
    public = models.BooleanField(
        _("the public may read"),
        default=True,
        help_text=_("Announcements are always public; a discussion board may be for members only."),
    )
    moderators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("moderators"), blank=True, related_name="moderated_boards"
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = BoardQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forums:board", args=[self.slug])

    @property
    def is_public(self):
        return self.kind == self.Kind.ANNOUNCEMENTS or self.public


class ProblemStatus(models.TextChoices):
    """The common-problems board tracks each problem to closure (policy 五(三): 研究和解决共性问题)."""

    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    OWNER_ASSIGNED = "assigned", _("Owner assigned")
    SOLVED = "solved", _("Solved")
    VERIFIED = "verified", _("Verified")


class ThreadQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False)


class Thread(index.Indexed, models.Model):
    board = models.ForeignKey(Board, verbose_name=_("board"), on_delete=models.CASCADE, related_name="threads")
    title = models.CharField(_("title"), max_length=120)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="threads"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    last_post_at = models.DateTimeField(_("last post"), default=timezone.now)
    post_count = models.PositiveIntegerField(default=0)
    last_post_id = models.PositiveBigIntegerField(default=0)  # for unread markers without a query per thread
    pinned = models.BooleanField(_("pinned"), default=False)
    pinned_until = models.DateTimeField(_("pinned until"), null=True, blank=True)
    locked = models.BooleanField(_("locked"), default=False)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("why hidden"), max_length=200, blank=True)
    status = models.CharField(
        _("problem status"), max_length=12, choices=ProblemStatus.choices, default=ProblemStatus.NEW
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_problems",
        help_text=_("Who works on the problem until it is solved."),
    )

    objects = ThreadQuerySet.as_manager()

    # The first post's text, cut into words: threads are found by what they say, not by their titles alone.
    search_fields = [
        index.SearchField("title"),
        index.SearchField("segmented_text"),
        index.FilterField("board_id"),
        index.FilterField("hidden"),
    ]

    class Meta:
        ordering = ["-last_post_at", "-pk"]
        verbose_name = _("thread")
        verbose_name_plural = _("threads")
        indexes = [models.Index(fields=["board", "-last_post_at"], name="thread_board_recent")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forums:thread", args=[self.pk])

    def is_pinned(self, now=None):
        return self.pinned and (self.pinned_until is None or self.pinned_until > (now or timezone.now()))

    def segmented_text(self):
        first = self.posts.order_by("pk").values_list("source", flat=True).first() or ""
        return segment(f"{self.title} {first}")


class PostQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False, held_for_review=False)


class Post(index.Indexed, models.Model):
    thread = models.ForeignKey(Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="posts"
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    source = models.TextField(_("text (Markdown)"), max_length=20_000)
    html = models.TextField(editable=False)
    quote_of = models.ForeignKey(
        "self", verbose_name=_("quoting"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_reason = models.CharField(_("why hidden"), max_length=200, blank=True)
    held_for_review = models.BooleanField(
        _("held for review"), default=False, help_text=_("Hidden automatically after reports, until reviewed.")
    )
    accepted = models.BooleanField(_("accepted answer"), default=False)
    helpful_count = models.PositiveIntegerField(default=0)

    objects = PostQuerySet.as_manager()

    # Replies are found by their words; visibility is decided when searching, from the post and its board.
    search_fields = [index.SearchField("segmented_text"), index.FilterField("thread_id")]

    class Meta:
        ordering = ["pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [models.Index(fields=["thread", "id"], name="post_thread_order")]

    def __str__(self):
        return f"{self.thread} #{self.pk}"

    @property
    def is_visible(self):
        return not (self.hidden or self.held_for_review)

    def segmented_text(self):
        return segment(self.source)


class PostRevision(models.Model):
    """The text a post had before an edit: who changed it and when."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    source = models.TextField()
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-edited_at", "-pk"]

    def __str__(self):
        return f"{self.post} @ {self.edited_at:%Y-%m-%d %H:%M}"


class Reaction(models.Model):
    """有帮助: one per member and post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="helpful_once")]

    def __str__(self):
        return f"{self.user} → {self.post}"


class Report(models.Model):
    class Reason(models.TextChoices):
        SPAM = "spam", _("Spam")
        OFF_TOPIC = "off_topic", _("Off-topic")
        INAPPROPRIATE = "inappropriate", _("Inappropriate")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        KEPT = "kept", _("Post kept")
        HIDDEN = "hidden", _("Post hidden")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices, default=Outcome.OPEN)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [models.UniqueConstraint(fields=["post", "reporter"], name="report_once")]

    def __str__(self):
        return f"{self.get_reason_display()} · {self.post}"


class ThreadRead(models.Model):
    """How far a member has read a thread: posts after `last_read_post_id` are unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    last_read_post_id = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"], name="read_once")]

    def __str__(self):
        return f"{self.user} · {self.thread}"

    @classmethod
    def last_read(cls, user, thread):
        """The id of the last post this user has read in the thread (0: none)."""
        return cls.objects.filter(user=user, thread=thread).values_list("last_read_post_id", flat=True).first() or 0

    @classmethod
    def mark(cls, user, thread, post_id, *, known=None):
        """Move the user's marker in the thread forward to `post_id`, never back.

        Two tabs opening the thread at once both find no marker: the row is inserted with ON CONFLICT DO NOTHING,
        then moved forward only if it is behind, so the second one neither fails on the unique constraint nor
        moves back a marker a newer page has set. `known`: the marker as the caller read it, which saves the
        insert when there was one (a new row only ever appears, it is never deleted by reading).
        """
        if not known:
            cls.objects.bulk_create([cls(user=user, thread=thread, last_read_post_id=0)], ignore_conflicts=True)
        cls.objects.filter(user=user, thread=thread, last_read_post_id__lt=post_id).update(last_read_post_id=post_id)


class Subscription(models.Model):
    """A member watches a thread or a whole board."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions")
    thread = models.ForeignKey(Thread, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")
    board = models.ForeignKey(Board, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "thread"], name="watch_thread_once"),
            models.UniqueConstraint(fields=["user", "board"], name="watch_board_once"),
            models.CheckConstraint(
                condition=Q(thread__isnull=False, board__isnull=True) | Q(thread__isnull=True, board__isnull=False),
                name="watch_thread_or_board",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.thread or self.board}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("New reply")
        MENTION = "mention", _("Mention")
        THREAD = "thread", _("New thread")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread")]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.user}"
