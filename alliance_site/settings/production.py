"""Production: every secret and host comes from the environment; HTTPS everywhere.

`manage.py check --deploy` is clean with SECRET_KEY, ALLOWED_HOSTS and WAGTAILADMIN_BASE_URL set.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from alliance_site.settings.base import *  # noqa: F403

DEBUG = False

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be set to a random value of at least 50 characters.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the host names the site answers to.")
if not os.environ.get("WAGTAILADMIN_BASE_URL", "").startswith("https://"):
    raise ImproperlyConfigured("WAGTAILADMIN_BASE_URL must be the public https:// address of the site.")

# Behind a TLS-terminating load balancer that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its preview views SAMEORIGIN itself

# Media on S3-compatible storage (MinIO, OSS, COS …) when a bucket is named; local disk otherwise. Private
# files go to a second bucket that allows no public reading; the site hands out signed URLs that expire in
# five minutes, and only after the file's rule admitted the request.
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    if not os.environ.get("AWS_PRIVATE_STORAGE_BUCKET_NAME"):
        raise ImproperlyConfigured(
            "AWS_PRIVATE_STORAGE_BUCKET_NAME must name a bucket without public access for private files."
        )
    STORAGES["public_media"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "default_acl": None,
            "querystring_auth": True,
            "signature_version": "s3v4",  # what AWS (v2 is retired), MinIO, OSS and COS all accept
        },
    }
    STORAGES["private_media"] = {  # noqa: F405
        "BACKEND": "alliance_site.files.s3.PrivateS3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_PRIVATE_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "signature_version": "s3v4",
            "file_overwrite": False,
        },
    }

LOGGING["root"]["level"] = os.environ.get("LOG_LEVEL", "INFO")  # noqa: F405
