"""Absolute addresses for e-mail and calendar files, which are read outside any request."""

from django.conf import settings


def absolute_url(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
