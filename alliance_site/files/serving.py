"""Sending a private file, once a view has decided the visitor may have it.

On local disk the file is streamed by Django, or handed to the web server in front (nginx's X-Accel-Redirect,
Apache's or lighttpd's X-Sendfile) when PRIVATE_MEDIA_SERVER says one is there, so a large file does not hold
a worker. On S3 the answer is a redirect to a signed URL that expires in minutes. Every answer says: not for
shared caches, never sniff the type, never run what it contains.
"""

import mimetypes
import os
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, http_date

# Files a browser may show in the page rather than download (profile photos).
INLINE_TYPES = {"image/png", "image/jpeg", "image/webp"}


def send_private_file(request, name, *, filename=None, max_age=0):
    """The response that delivers the stored file `name` to this (already admitted) request."""
    filename = filename or os.path.basename(name)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    as_attachment = content_type not in INLINE_TYPES
    storage = getattr(default_storage, "backend_for", lambda _name: default_storage)(name)
    try:
        local_path = storage.path(name)
    except NotImplementedError:
        local_path = None
    if local_path is None:
        response = signed_url_redirect(storage, name, filename, as_attachment)
    elif not os.path.isfile(local_path):
        raise Http404("The file is missing.")
    else:
        response = local_file_response(local_path, name, content_type)
        response["Content-Disposition"] = content_disposition_header(as_attachment, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if max_age:
        patch_cache_control(response, private=True, max_age=max_age)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


def local_file_response(path, name, content_type):
    server = getattr(settings, "PRIVATE_MEDIA_SERVER", "django")
    if server == "nginx":
        # nginx serves the file from an `internal` location mapped to PRIVATE_MEDIA_ROOT.
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.PRIVATE_MEDIA_INTERNAL_URL.rstrip("/") + "/" + quote(name)
    elif server == "sendfile":
        response = HttpResponse(content_type=content_type)
        response["X-Sendfile"] = quote(path)  # headers are ASCII; mod_xsendfile unescapes (XSendFileUnescape)
    else:
        response = FileResponse(open(path, "rb"), content_type=content_type)
    response["Last-Modified"] = http_date(os.stat(path).st_mtime)
    return response


def signed_url_redirect(storage, name, filename, as_attachment):
    """A short-lived signed URL of the private bucket (django-storages' S3 storage), naming the download."""
    disposition = content_disposition_header(as_attachment, filename)
    try:
        url = storage.url(name, parameters={"ResponseContentDisposition": disposition})
    except TypeError:  # a storage whose url() takes no parameters
        url = storage.url(name)
    return HttpResponseRedirect(url)
