"""Links that leave the site (mail, calendar files, feeds, API, QR codes) checked for the public address.

The `public_address` fixture (tests/conftest.py) runs the site as production does: WAGTAILADMIN_BASE_URL is the
public https address and the default Site is set from it (`manage.py set_site_address`, as `migrate` does).
"""

import re

PUBLIC_ADDRESS = "https://cqo.example.cn"
# Host names no outgoing link may carry: the development default, the migration's Site, the test client's host.
NOT_PUBLIC = ("localhost", "127.0.0.1", "testserver", "[::1]")
LINK = re.compile(r"""https?://[^\s"'<>\\]+""")


def unfolded(ics):
    """iCalendar text with its folded lines joined (RFC 5545 folds lines at 75 octets: a link may be cut)."""
    text = ics.decode() if isinstance(ics, bytes) else ics
    return text.replace("\r\n ", "").replace("\n ", "")


def links_in(text):
    return LINK.findall(text)


def assert_links_on_public_address(text, *, besides=()):
    """`text` holds links, every http(s) link in it is on the public address (or starts with one of `besides`,
    such as an XML namespace or an event's own online meeting), and no internal host name appears at all."""
    for host in NOT_PUBLIC:
        assert host not in text, f"{host} in {text[:2000]}"
    links = links_in(text)
    assert links, "no link at all"
    strays = [
        link
        for link in links
        if not (link == PUBLIC_ADDRESS or link.startswith(PUBLIC_ADDRESS + "/") or link.startswith(tuple(besides)))
    ]
    assert strays == []
