"""Values derived from the site's structure, needed on every request, cached until that structure changes.

The page URLs of the menu and the home page, the bodies' list, the filters' choices (cities, methods, bodies):
each is computed from pages and lookup tables that change rarely. The cache is versioned: publishing,
unpublishing, moving or deleting a page, or changing a region or a quality method, replaces the version (see
the apps' signals),
which retires every cached URL at once. Each version is new (a random string, kept without expiry), never a count:
on the database cache `incr` is a get and a set with the default timeout, so a counted version expired after five
minutes, started again at 1, and brought back the URLs cached under it before the change.
"""

import uuid

from django.core.cache import cache

VERSION_KEY = "cqo:menu:version"
TIMEOUT = 3600


def cached(name, compute):
    version = cache.get_or_set(VERSION_KEY, new_version, None)
    key = f"cqo:menu:{version}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def live_page_url(name, model, request):
    """The URL of the first live page of `model` (an app's top page), or "" while there is none."""

    def compute():
        page = model.objects.live().first()
        return page.get_url(request) if page else ""

    return cached(name, compute)


def new_version():
    return uuid.uuid4().hex


def forget():
    cache.set(VERSION_KEY, new_version(), None)
