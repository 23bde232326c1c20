"""Page URLs the menu and home page need on every request, cached until the page tree changes.

The cache is versioned: publishing, unpublishing, moving or deleting a page bumps the version (see signals),
which retires every cached URL at once.
"""

from django.core.cache import cache

VERSION_KEY = "cqo:menu:version"
TIMEOUT = 3600


def cached(name, compute):
    version = cache.get_or_set(VERSION_KEY, 1, None)
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


def forget():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: nothing cached to retire
        pass
