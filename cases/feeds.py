"""An Atom feed of newly published public cases: title, link, summary, authors, methods, dates.

Only live cases without a view restriction are listed, and an entry carries the summary alone (public by
definition), never the body: members' and judges' sections cannot reach a feed reader.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from alliance_site.common.links import absolute_url

from .api import with_public_relations
from .models import CaseIndexPage, CasePage


class LatestCasesFeed(Feed):
    feed_type = Atom1Feed
    title = _("New cases · Shanxi Chief Quality Officer Platform")
    subtitle = _("Quality-improvement cases newly published by CQOs.")
    author_name = _("CQO Alliance platform")  # the feed's author, for entries without authors (RFC 4287)
    size = 30

    # Links on the public address (alliance_site.common.links): Django would take the request's host.
    def link(self):
        index = CaseIndexPage.objects.live().public().first()
        return absolute_url(index.url if index else "/")

    def feed_url(self):
        return absolute_url(reverse("case_feed"))

    def items(self):
        return with_public_relations(CasePage.objects.live().public()).order_by("-first_published_at", "-id")[
            : self.size
        ]

    def item_title(self, case):
        return case.title

    def item_description(self, case):
        return case.summary

    def item_link(self, case):
        return absolute_url(case.url)

    def item_author_name(self, case):
        return "、".join(case.author_names) or None

    def item_pubdate(self, case):
        return case.first_published_at

    def item_updateddate(self, case):
        # Atom requires <updated> on every entry; a page published without a revision has no last_published_at.
        return case.last_published_at or case.first_published_at or case.latest_revision_created_at

    def item_categories(self, case):
        return case.method_names
