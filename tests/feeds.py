"""What RFC 4287 requires of an Atom feed, checked on the site's feeds (cases, announcements)."""

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

ATOM = "{http://www.w3.org/2005/Atom}"
RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


def is_absolute(iri):
    parts = urlsplit(iri or "")
    return bool(parts.scheme and parts.netloc)


def atom_problems(content):
    """What is missing or wrong in the feed `content` (bytes), as short descriptions; [] for a valid feed."""
    root = ET.fromstring(content)
    problems = [] if root.tag == f"{ATOM}feed" else ["the root is not atom:feed"]
    entries = root.findall(f"{ATOM}entry")
    every_entry_has_an_author = all(entry.find(f"{ATOM}author/{ATOM}name") is not None for entry in entries)
    if root.find(f"{ATOM}author/{ATOM}name") is None and not every_entry_has_an_author:
        problems.append("no atom:author on the feed, and not on every entry")
    if not any(link.get("rel") == "self" and is_absolute(link.get("href")) for link in root.findall(f"{ATOM}link")):
        problems.append("no absolute rel=self link")
    for where, element in [("feed", root), *((f"entry {number}", e) for number, e in enumerate(entries, 1))]:
        for name in ("id", "title", "updated"):
            if len(element.findall(f"{ATOM}{name}")) != 1:
                problems.append(f"{where}: not exactly one atom:{name}")
        if not is_absolute(element.findtext(f"{ATOM}id")):
            problems.append(f"{where}: atom:id is not an absolute IRI")
        for name in ("updated", "published"):
            for stamp in element.findall(f"{ATOM}{name}"):
                if not RFC3339.fullmatch(stamp.text or ""):
                    problems.append(f"{where}: atom:{name} is not an RFC 3339 date-time")
    for number, entry in enumerate(entries, 1):
        alternates = [link for link in entry.findall(f"{ATOM}link") if link.get("rel") in (None, "alternate")]
        if len(alternates) != 1 or not is_absolute(alternates[0].get("href")):
            problems.append(f"entry {number}: not exactly one absolute alternate link")
        if entry.find(f"{ATOM}content") is None and entry.find(f"{ATOM}summary") is None:
            problems.append(f"entry {number}: neither content nor summary")
    return problems
