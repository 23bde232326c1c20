"""What search engines are told: /sitemap.xml (Wagtail's) and /robots.txt.

The sitemap lists live pages without a view restriction (Wagtail's `live().public()`), at the public address the
default Site carries (alliance_site.common.links). Members' content is not a page of its own: a case's members' and
judges' sections and an event's online link are parts of public pages that their pages show only to whom they may,
so the pages are listed; a page behind Wagtail's privacy settings, or a draft, is not.
"""

from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from alliance_site.common.links import absolute_url

# Addresses with nothing for a search engine: signed-in pages, private files, and the search results (an endless
# space of queries). robots.txt is advice, not protection: each of these checks who asks.
NOT_FOR_CRAWLERS = [
    "/cms/",
    "/my/",
    "/accounts/",
    "/members/me/",
    "/files/",
    "/filings/",
    "/dashboard/region/",
    "/search/",
]


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in NOT_FOR_CRAWLERS), ""]
    lines.append(f"Sitemap: {absolute_url(reverse('sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
