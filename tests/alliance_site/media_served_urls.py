"""The site's URLs with MEDIA_ROOT served at MEDIA_URL, as a web server in front of it (or `make run`) serves it.

Tests of private files ask this URLconf for every public address a file could have: whatever a web server
serving the media can hand out, these requests answer.
"""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from alliance_site.urls import urlpatterns as site_urlpatterns


def serve_media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)  # read per request: tests move MEDIA_ROOT


urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve_media), *site_urlpatterns]
