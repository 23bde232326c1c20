"""The site's public address, in one place: every link that leaves the site is built from it.

E-mails, calendar files, feeds, the API, tickets' QR codes and certificates are read away from the request that
made them (a mail client, a calendar, a phone's camera), so their links must carry the address people reach the
site at: `WAGTAILADMIN_BASE_URL`, never `localhost` or whatever Host header a request happened to carry.
Wagtail builds its own full URLs (`page.full_url`, the API's `detail_url` and `html_url`, the sitemap) from the
default Site's hostname and port, so `set_default_site_address` keeps that Site on the same address; `migrate`
runs it (alliance_site.signals), and so does `manage.py set_site_address`.
"""

import re
from types import SimpleNamespace
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEFAULT_PORTS = {"http": 80, "https": 443}


def public_base_url():
    """The public address without a trailing slash, e.g. "https://cqo.example.cn"."""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute_url(path):
    """`path` (a path on this site, such as `reverse(...)` or `page.url`) at the public address."""
    return public_base_url() + path


def on_public_address(url):
    """`url`, absolute or not, moved onto the public address: path, query and fragment are kept."""
    parts = urlsplit(url)
    return absolute_url(urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment)))


# A link or source in HTML the site wrote itself (rich text, sanitised posts: attributes in double quotes) that is
# a path on this site: "/…" but not "//host/…".
SITE_PATH_ATTRIBUTE = re.compile(r'(\s(?:href|src)=")(/(?!/))')


def absolute_links_in(html):
    """`html` with its links and sources to paths on this site made absolute: HTML read elsewhere (an API client,
    a feed reader) has no page address to resolve "/documents/…" against."""
    return SITE_PATH_ATTRIBUTE.sub(lambda match: match.group(1) + public_base_url() + match.group(2), html)


def public_site():
    """What allauth's mail templates read as `current_site`: the public host and the site's name."""
    return SimpleNamespace(domain=urlsplit(public_base_url()).netloc, name=str(settings.WAGTAIL_SITE_NAME))


def site_address():
    """(hostname, port) of the public address, as Wagtail's Site holds them.

    A Site has no scheme: Wagtail writes https for port 443 and http for any other port, so an address it cannot
    write back the same (https on another port, http on 443, a path below the host) is refused.
    """
    parts = urlsplit(public_base_url())
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path or parts.query or parts.fragment:
        raise ImproperlyConfigured(
            "WAGTAILADMIN_BASE_URL must be http(s)://host[:port] with nothing after the host, "
            f"not {public_base_url()!r}."
        )
    port = parts.port or DEFAULT_PORTS[parts.scheme]
    if (parts.scheme == "https") != (port == 443):
        raise ImproperlyConfigured(
            "WAGTAILADMIN_BASE_URL: Wagtail's Site can only say https on port 443 and http on any other port."
        )
    return parts.hostname, port


def set_default_site_address(using="default"):
    """Give the default Wagtail Site the public hostname and port; return the Site, or None if there is none
    (a database being flushed). Saving the Site, rather than updating the row, clears Wagtail's cached root paths."""
    from wagtail.models import Site

    hostname, port = site_address()
    site = Site.objects.using(using).filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(using=using)
    return site
