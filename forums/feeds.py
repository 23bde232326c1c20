"""An Atom feed of the announcements: public boards' announcements only, with their first post as content."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from alliance_site.common.links import absolute_links_in, absolute_url

from .api import first_post, public_announcements, updated_at


class AnnouncementsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Announcements · Shanxi Chief Quality Officer Platform")
    subtitle = _("Announcements of the CQO Alliance and the Home of CQOs.")
    author_name = _("CQO Alliance platform")
    size = 30

    # Links on the public address (alliance_site.common.links): Django would take the request's host.
    def link(self):
        return absolute_url(reverse("forums:index"))

    def feed_url(self):
        return absolute_url(reverse("announcements_feed"))

    def items(self):
        return public_announcements()[: self.size]

    def item_title(self, thread):
        return thread.title

    def item_description(self, thread):
        # The stored HTML is already sanitised (forums.rendering); the feed escapes it once more as content.
        post = first_post(thread)
        return absolute_links_in(post.html) if post else ""

    def item_link(self, thread):
        return absolute_url(thread.get_absolute_url())

    def item_author_name(self, thread):
        return thread.board.name

    def item_pubdate(self, thread):
        return thread.created_at

    def item_updateddate(self, thread):
        return updated_at(thread)  # Atom requires <updated> on every entry

    def item_categories(self, thread):
        return [thread.board.name]
