"""A read-only API endpoint of the announcements (/api/v2/announcements/): what the announcements feed carries.

Threads of announcement boards (always public) that are not hidden, each with its title, board, dates, link and
its first visible post as the sanitised HTML the thread page shows. Nothing of discussion or problem boards,
hidden threads, hidden or held posts, or who wrote them.
"""

from django.db.models import Prefetch
from rest_framework.fields import CharField, DateTimeField, Field
from wagtail.api import APIField
from wagtail.api.v2.filters import OrderingFilter

from alliance_site.common.api import PublicAPIViewSet, StrictFieldsFilter
from alliance_site.common.links import absolute_links_in, absolute_url

from .models import Board, Post, Thread


def public_announcements():
    """Visible threads of the announcement boards, newest first, with their visible posts (`visible_posts`)."""
    return (
        Thread.objects.visible()
        .filter(board__kind=Board.Kind.ANNOUNCEMENTS)
        .select_related("board")
        .prefetch_related(Prefetch("posts", queryset=Post.objects.visible().order_by("pk"), to_attr="visible_posts"))
        .order_by("-created_at", "-pk")
    )


def first_post(thread):
    """The announcement's text: its first visible post (from `public_announcements`), or None."""
    return thread.visible_posts[0] if thread.visible_posts else None


def updated_at(thread):
    """When the announcement last changed: its text's last edit, else its publication."""
    post = first_post(thread)
    return max(thread.created_at, post.edited_at) if post and post.edited_at else thread.created_at


class FirstPostHTMLField(Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, thread):
        post = first_post(thread)
        return absolute_links_in(post.html) if post else ""


class UpdatedAtField(DateTimeField):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def get_attribute(self, thread):
        return updated_at(thread)


class ThreadURLField(Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, thread):
        return absolute_url(thread.get_absolute_url())


class AnnouncementAPIViewSet(PublicAPIViewSet):
    model = Thread
    name = "announcements"
    filter_backends = [StrictFieldsFilter, OrderingFilter]
    body_fields = [
        "id",
        "title",
        APIField("board", serializer=CharField(source="board.name", read_only=True)),
        APIField("published_at", serializer=DateTimeField(source="created_at", read_only=True)),
        APIField("updated_at", serializer=UpdatedAtField()),
        APIField("html", serializer=FirstPostHTMLField()),
    ]
    meta_fields = ["type", "detail_url", APIField("html_url", serializer=ThreadURLField())]
    listing_default_fields = [
        "id",
        "type",
        "detail_url",
        "html_url",
        "title",
        "board",
        "published_at",
        "updated_at",
        "html",
    ]
    nested_default_fields = ["id", "type", "detail_url", "title"]

    def get_queryset(self):
        return public_announcements()
