"""The one place that names every app."""

from allauth.account import views as account_views
from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from alliance_site.accounts.views import admin_sign_in
from alliance_site.bodies.views import apply_membership
from alliance_site.dashboard import views as dashboard_views
from alliance_site.files.views import private_file
from alliance_site.home import sitemaps
from alliance_site.search import views as search_views
from cases.api import CaseAPIViewSet
from cases.feeds import LatestCasesFeed
from events.api import EventAPIViewSet
from forums.api import AnnouncementAPIViewSet
from forums.feeds import AnnouncementsFeed

# The read-only public API: one endpoint per app that publishes data.
api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("cases", CaseAPIViewSet)
api_router.register_endpoint("events", EventAPIViewSet)
api_router.register_endpoint("announcements", AnnouncementAPIViewSet)

urlpatterns = [
    # One way in: Wagtail's own sign-in, sign-out and password-reset pages lead to allauth's (rate limits, a
    # confirmed e-mail address, sign-out only by POST, the second factor).
    path("cms/login/", admin_sign_in),
    path("cms/logout/", account_views.logout),
    re_path(r"^cms/password_reset/", RedirectView.as_view(pattern_name="account_reset_password")),
    path("_util/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("files/<path:name>", private_file, name="private_file"),
    path("accounts/admin-login/", admin_sign_in, name="admin_sign_in"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("members/", include("alliance_site.members.urls")),
    path("filings/", include("alliance_site.filings.urls")),
    path("bodies/<int:body_id>/apply/", apply_membership, name="apply_membership"),
    path("dashboard/", dashboard_views.public_dashboard, name="dashboard"),
    path("dashboard/export.xlsx", dashboard_views.public_export, name="dashboard_export"),
    path("dashboard/region/", dashboard_views.region_dashboard, name="region_dashboard"),
    path("dashboard/region/export.xlsx", dashboard_views.region_export, name="region_dashboard_export"),
    path("my/cases/", include("cases.urls")),
    path("my/competitions/", include("cases.competitions.urls")),
    path("forums/", include("forums.urls")),
    path("my/events/", include("events.urls")),
    path("", include("events.public_urls")),
    path("search/", search_views.search_view, name="search"),
    path("feeds/cases/", LatestCasesFeed(), name="case_feed"),
    path("feeds/announcements/", AnnouncementsFeed(), name="announcements_feed"),
    path("api/v2/", api_router.urls),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
