"""An Atom feed of the announcements: public boards' announcements only, with their first post as content."""

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Board, Post, Thread


class AnnouncementsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Announcements · Shanxi Chief Quality Officer Platform")
    subtitle = _("Announcements of the CQO Alliance and the Home of CQOs.")
    size = 30

    def link(self):
        return reverse("forums:index")

    def items(self):
        first_posts = Post.objects.visible().order_by("pk")
        return (
            Thread.objects.visible()
            .filter(board__kind=Board.Kind.ANNOUNCEMENTS)
            .select_related("board", "author__cqo_profile")
            .prefetch_related(Prefetch("posts", queryset=first_posts, to_attr="visible_posts"))
            .order_by("-created_at", "-pk")[: self.size]
        )

    def item_title(self, thread):
        return thread.title

    def item_description(self, thread):
        # The stored HTML is already sanitised (forums.rendering); the feed escapes it once more as content.
        return thread.visible_posts[0].html if thread.visible_posts else ""

    def item_link(self, thread):
        return thread.get_absolute_url()

    def item_author_name(self, thread):
        return thread.board.name

    def item_pubdate(self, thread):
        return thread.created_at

    def item_categories(self, thread):
        return [thread.board.name]
