"""The one place that names every app."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("cms/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/admin-login/", views.admin_sign_in, name="admin_sign_in"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("members/", include("alliance_site.urls_members")),
    path("bodies/<int:body_id>/apply/", views.apply_membership, name="apply_membership"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("cases/", include("cases.urls")),
    path("forums/", include("forums.urls")),
    path("events/", include("events.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
