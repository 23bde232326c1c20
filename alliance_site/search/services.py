"""The site search: one page over every app's content, permission-aware, with Chinese cut into words.

Apps contribute their result types through the `alliance_search_types` hook (alliance_site.hooks), so the core
names none of them:

    @hooks.register(SEARCH_TYPES)
    def case_search_type():
        return SearchType("cases", _("Cases"), search_cases, order=10)

`search(request, query)` returns `Hits`: the matches the requesting user may see, counted and sliced in the
database; only the page on screen is turned into `SearchResult`s (title, url, highlighted snippet). Each app
filters for visibility itself (live, public, the user's rights) and builds snippets from text the user may
read, never from the index. An object's own index entry holds text everyone may read; text only some may read
goes into an entry of its own, searched only for them (`search_queryset(also_indexed_as=...)`).

Query words. The database backends (SQLite FTS5, PostgreSQL) see a run of Chinese as one token, so both the
indexed text and the query are cut by jieba's search mode (alliance_site.search.segmentation). The words are then
ANDed: search mode emits every dictionary word inside a longer one (六西格玛管理 → 西格, 西格玛, 六西格玛, 管理),
on the indexed side as on the query side, so a word found in the text carries all of its own pieces with it
and AND keeps recall while OR would drown a precise query (精益生产管理) in everything mentioning 管理.
Single Chinese characters (的, 和, 从 …) are dropped when longer words remain: they are mostly particles that
the indexed text may segment differently, and requiring them would lose matches.
"""

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.utils.functional import cached_property
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from alliance_site.search.segmentation import segment_query

MAX_QUERY_LENGTH = 100


PAGE_SIZE = 10


SNIPPET_LENGTH = 140


# What the backend is given: letters, digits and CJK ideographs (\w), never operators or quotes, so no input
# can break FTS5's or to_tsquery's query syntax.
WORD = re.compile(r"\w+")


HAN_CHARACTER = re.compile(r"^[\u3400-\u9fff]$")


CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Query:
    """What the visitor typed (`text`) and the words sent to the backend and highlighted (`terms`)."""

    text: str
    terms: tuple

    @classmethod
    def parse(cls, text):
        return cls(text=text, terms=query_terms(text))

    @property
    def backend_string(self):
        return " ".join(self.terms)


def query_terms(text):
    """The query cut into search words, in order, without repeats or lone Chinese particles."""
    words = list(dict.fromkeys(WORD.findall(segment_query(text))))
    longer = [word for word in words if not HAN_CHARACTER.match(word)]
    return tuple(longer or words)


@dataclass(frozen=True)
class SearchResult:
    """One result as the page shows it; `snippet` is safe HTML built by `highlight`."""

    title: str
    url: str
    snippet: SafeString
    meta: str = ""


@dataclass(frozen=True)
class SearchType:
    """A kind of result an app contributes: `search(request, query)` returns the `Hits` the user may see."""

    key: str
    label: str
    search: Callable[[HttpRequest, Query], "Hits"]
    order: int = 100


class Hits:
    """Matches of one type, counted once and sliced in the database; only a slice becomes SearchResults.

    `results` is anything with count() and slicing (a Wagtail search result set, a queryset);
    `to_result(obj)` turns one match into a SearchResult. Paginator accepts a Hits as its object list.
    """

    def __init__(self, results, to_result):
        self.results = results
        self.to_result = to_result

    @cached_property
    def total(self):
        return self.results.count()

    def count(self):
        return self.total

    def __len__(self):
        return self.total

    def prefetch(self, start, stop):
        """A hint: the slice [start:stop] is about to be read (results that can, read it with the count)."""
        if hasattr(self.results, "prefetch"):
            self.results.prefetch(start, stop)
            self.__dict__.pop("total", None)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Hits are read a page (a slice) at a time.")
        return [self.to_result(obj) for obj in self.results[index]]


def search_queryset(queryset, query, *, visible=None, also_indexed_as=()):
    """Full-text matches of `query` within `queryset` (already filtered to what the user may see), best first.

    The result counts and slices in the database: `RankedMatches` on the database backend's SQLite FTS5 and
    PostgreSQL indexes, the search backend's own result set elsewhere. `visible` may give the same rows in a
    form cheaper to test for every hit, e.g. `Page.objects.live().public()` for a page model: the page table
    alone rather than also the model's wide table of bodies (about 20 ms saved at 10,000 hits on SQLite).
    Rows are always read through `queryset`, so a `visible` wider than it can never show more.

    `also_indexed_as`: indexed models whose entries hold more text of the same rows under the row's primary key
    (a case's members-only text, for members only); a row matches when one of its entries matches all the
    words. Only the database backends read them: the backend's own results search the row's entry alone.
    """
    matches_class = ranked_matches_class()
    if matches_class is None:
        return queryset.search(query.backend_string, operator="and", order_by_relevance=True)
    return matches_class(queryset, query, visible=visible, also_indexed_as=also_indexed_as)


def ranked_matches_class():
    """The RankedMatches for the search backend in use, or None (another backend: use its own results)."""
    from django.db import connection
    from wagtail.search.backends import get_search_backend

    backend = get_search_backend()
    if connection.vendor == "sqlite":  # the SQLite module cannot even be imported on another database
        from modelsearch.backends.database.sqlite.sqlite import SQLiteSearchBackend

        return SQLiteRankedMatches if isinstance(backend, SQLiteSearchBackend) else None
    if connection.vendor == "postgresql":
        from modelsearch.backends.database.postgres.postgres import PostgresSearchBackend

        return PostgresRankedMatches if isinstance(backend, PostgresSearchBackend) else None
    return None


def _materialized():
    """Ask SQLite to compute a CTE once (the keyword exists from SQLite 3.35; before, CTEs were always so)."""
    import sqlite3

    return "MATERIALIZED " if sqlite3.sqlite_version_info >= (3, 35) else ""


class RankedMatches:
    """Matches of a query in the database search index, restricted to a queryset, best first.

    Why not modelsearch's own queries: on SQLite, its plan scans every index entry of the model and runs the
    FTS5 MATCH for each, then scores every hit with a correlated subquery that runs the MATCH again, which is
    quadratic (about 10 s for a common word over 10,000 cases); on PostgreSQL it matches `title || body`, an
    expression no GIN index covers, so every entry of the index is read (0.1–0.2 s). Here the full-text
    index finds the hits, and each hit meets its row in the visible queryset by primary key.

    Order: hits with more of the query's words in their title first (looked for in the raw title: the
    index's title column holds the title unsegmented, so a Chinese word in it is not a token), then by the
    backend's relevance (bm25, ts_rank) while the query matches at most RANKED_LIMIT index entries, which a
    COUNT on the index alone tells in a millisecond or two; beyond that, scoring every hit would cost a large
    part of the page's time budget (about 2 µs a hit on SQLite, 10,000 hits for a word found in every case)
    and, for so common a word, says little anyway: then the newest come first.

    The rows are never all loaded into Python: `count()` is one COUNT query; a page is one query for its
    ids in order, which also returns the total (so `prefetch`, for the page about to be shown, saves the
    separate count), plus one for the rows themselves. Primary keys must be integers (Page and every model
    of this project).
    """

    RANKED_LIMIT = 1000
    TITLE_TERMS = 8

    def __init__(self, queryset, query, visible=None, also_indexed_as=()):
        from modelsearch.conf import get_app_config

        self.entries = get_app_config().get_model("IndexEntry")._meta.db_table
        self.queryset = queryset
        self.visible = queryset if visible is None else visible
        self.also_indexed_as = tuple(also_indexed_as)
        self.terms = query.terms
        self.total = None
        self.window = None  # (start, [pk, ...]) of the page prefetched

    # What each backend writes: the index tables as `entry` (`source`) and the match (`condition`, with
    # `match_params()`), how a row of the visible queryset meets its entry, a COUNT of every match in the
    # index, the relevance (lower is better, with `relevance_params()`) and a test for one word in the title.
    materialized = ""
    source = ""
    condition = ""
    join = ""
    matches_sql = ""
    relevance = ""
    title_test = ""

    def match_params(self):
        raise NotImplementedError

    def relevance_params(self):
        return []

    def _hits(self, ranked=False):
        """SQL of a CTE `hits(pk, title_hits, score)` of the visible rows matching the query, and its parameters."""
        from django.contrib.contenttypes.models import ContentType
        from django.db.models import F
        from modelsearch.utils import get_descendant_models

        models = [*get_descendant_models(self.queryset.model), *self.also_indexed_as]
        content_types = [ct.pk for ct in ContentType.objects.get_for_models(*models).values()]
        visible_sql, visible_params = self.visible.order_by().values(search_pk=F("pk")).query.sql_with_params()
        title_hits, score, order_params = self._order() if ranked else ("0", "0", [])
        entries = (
            f"SELECT visible.search_pk AS pk, {title_hits} AS title_hits, "
            f"{score} AS score FROM {self.source} {self.join.format(visible=visible_sql)} "
            f"WHERE {self.condition} AND entry.content_type_id IN ({', '.join(['%s'] * len(content_types))})"
        )
        if not self.also_indexed_as:
            sql = f"WITH hits AS {self.materialized}({entries}) "
        else:  # a row whose entries both match is one hit, ranked by its better entry
            # Grouped in a CTE of its own: SQLite refuses bm25() in a subquery flattened into an aggregate.
            sql = (
                f"WITH entries AS {self.materialized}({entries}), hits AS {self.materialized}("
                "SELECT pk, MAX(title_hits) AS title_hits, MIN(score) AS score FROM entries GROUP BY pk) "
            )
        return sql, [*order_params, *visible_params, *self.match_params(), *content_types]

    def _order(self):
        """SQL of the title hits (more is better), of the score (lower is better), and their parameters."""
        terms = [term.lower() for term in self.terms[: self.TITLE_TERMS]]
        title_hits = " + ".join([self.title_test] * len(terms))
        (matches,) = self._fetch(self.matches_sql, self.match_params())[0]
        if matches <= self.RANKED_LIMIT:
            return title_hits, self.relevance, [*terms, *self.relevance_params()]
        return title_hits, "0", terms

    def _fetch(self, sql, params):
        from django.db import connections, router

        with connections[router.db_for_read(self.queryset.model)].cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self):
        if self.total is None:
            sql, params = self._hits()
            self.total = self._fetch(sql + "SELECT COUNT(*) FROM hits", params)[0][0]
        return self.total

    def prefetch(self, start, stop):
        """Read the ids of one page and the total in one query (the page the visitor is about to see)."""
        sql, params = self._hits(ranked=True)
        rows = self._fetch(
            sql + "SELECT pk, (SELECT COUNT(*) FROM hits) FROM hits "
            "ORDER BY title_hits DESC, score, pk DESC LIMIT %s OFFSET %s",
            [*params, max(0, stop - start), start],
        )
        if rows:
            self.total = rows[0][1]
        elif start == 0:
            self.total = 0
        self.window = (start, [row[0] for row in rows])

    def _ids(self, start, stop):
        if self.window is not None:
            cached_start, ids = self.window
            if cached_start == start and (stop <= start + len(ids) or start + len(ids) == self.total):
                return ids[: stop - start]
        self.prefetch(start, stop)
        return self.window[1]

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1) or index.stop is None:
            raise TypeError("RankedMatches are read a page (a bounded slice) at a time.")
        start = index.start or 0
        if index.stop <= start:
            return []
        ids = self._ids(start, index.stop)
        found = self.queryset.in_bulk(ids)
        return [found[pk] for pk in ids if pk in found]


class SQLiteRankedMatches(RankedMatches):
    """On the FTS5 table: it drives the join (CROSS JOIN fixes SQLite's join order)."""

    materialized = _materialized()
    title_test = "(instr(lower(entry.title), %s) > 0)"

    def __init__(self, queryset, query, visible=None, also_indexed_as=()):
        from modelsearch.conf import get_app_config

        super().__init__(queryset, query, visible, also_indexed_as)
        fts = get_app_config().get_model("SQLiteFTSIndexEntry")._meta.db_table
        # Columns: autocomplete, body, title; the words are \w+ only, quoted all the same.
        self.match = "{title body} : (" + " AND ".join('"' + t.replace('"', '""') + '"' for t in self.terms) + ")"
        self.source = f"{fts} CROSS JOIN {self.entries} AS entry ON entry.id = {fts}.rowid"
        self.condition = f"{fts} MATCH %s"
        self.join = "CROSS JOIN ({visible}) AS visible ON visible.search_pk = CAST(entry.object_id AS INTEGER)"
        self.matches_sql = f"SELECT COUNT(*) FROM {fts} WHERE {fts} MATCH %s"
        self.relevance = f"bm25({fts}, 0.0, 1.0, 1.0)"

    def match_params(self):
        return [self.match]


class PostgresRankedMatches(RankedMatches):
    """On the index table's tsvector columns, each with its GIN index (title and body matched apart)."""

    title_test = "CAST(strpos(lower(entry.title_text), %s) > 0 AS INTEGER)"

    def __init__(self, queryset, query, visible=None, also_indexed_as=()):
        super().__init__(queryset, query, visible, also_indexed_as)
        # The backend's own config (None: the database's default), as modelsearch indexes with it.
        self.tsquery = " & ".join("'" + term.replace("'", "''") + "'" for term in self.terms)
        self.source = f"{self.entries} AS entry"
        self.condition = "(entry.title @@ to_tsquery(%s) OR entry.body @@ to_tsquery(%s))"
        # Compared as text: the cast goes on the visible side, whatever other models share the index.
        self.join = "JOIN ({visible}) AS visible ON entry.object_id = CAST(visible.search_pk AS TEXT)"
        self.matches_sql = f"SELECT COUNT(*) FROM {self.entries} AS entry WHERE {self.condition}"
        self.relevance = "-ts_rank(entry.title || entry.body, to_tsquery(%s))"

    def match_params(self):
        return [self.tsquery, self.tsquery]

    def relevance_params(self):
        return [self.tsquery]


def text_of_html(markup):
    """The text a browser shows for a piece of HTML (rich text, a rendered post): tags dropped, entities decoded.

    Snippets are made of plain text and escaped once by `highlight`; HTML handed over with its entities would be
    escaped a second time and show `&lt;script&gt;` where the page shows `<script>`.
    """
    return html.unescape(strip_tags(str(markup)))


def highlight(text, terms, length=SNIPPET_LENGTH):
    """A short excerpt of plain `text` around its first match, HTML-escaped, with every term in <mark>.

    `text` is text, not HTML (see `text_of_html`): whatever it contains is shown as typed.

    The text is split on the matches and each piece is escaped on its own before the marks are put around the
    matched pieces, so the markup comes only from here and a term can never match inside an HTML entity.
    """
    text = " ".join(str(text).split())
    pattern = term_pattern(terms)
    first = pattern.search(text) if pattern else None
    start = max(0, first.start() - length // 4) if first else 0
    end = min(len(text), start + length)
    excerpt = text[start:end]
    pieces = []
    position = 0
    for match in pattern.finditer(excerpt) if pattern else ():
        pieces.append(escape(excerpt[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(excerpt[position:]))
    return mark_safe(("…" if start else "") + "".join(pieces) + ("…" if end < len(text) else ""))


def term_pattern(terms):
    """One case-insensitive pattern for all terms, longest first (西格玛 wins over 西格)."""
    terms = sorted({term for term in terms if term}, key=len, reverse=True)
    return re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE) if terms else None


def search_types():
    """Every app's result types, in their order (the `alliance_search_types` hook)."""
    from alliance_site import hooks

    return hooks.search_types()
