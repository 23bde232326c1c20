"""The search page (/search/): one tab per kind of result, the current tab's page of results."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from alliance_site.common.numbers import parse_int
from alliance_site.search.services import (
    CONTROL_CHARACTERS,
    MAX_QUERY_LENGTH,
    PAGE_SIZE,
    Hits,
    Query,
    SearchType,
    search_types,
)


@dataclass
class Tab:
    """A result type with its hits for this query."""

    type: SearchType
    hits: Hits
    url: str = ""
    current: bool = False


def search_view(request):
    """/search/?q=…[&type=…][&page=…]: results of one type at a time, with a tab and a count per type."""
    text = " ".join(CONTROL_CHARACTERS.sub(" ", request.GET.get("q", "")).split())
    context = {"search_text": text, "max_length": MAX_QUERY_LENGTH, "tabs": [], "page_obj": None, "message": ""}
    status = 200
    if len(text) > MAX_QUERY_LENGTH:
        status = 400
        context["message"] = _("The search is too long: use at most %(limit)d characters.") % {
            "limit": MAX_QUERY_LENGTH
        }
        context["search_text"] = text[:MAX_QUERY_LENGTH]
    elif not text:
        context["message"] = _("Enter a word or phrase to search cases and other content of the site.")
    else:
        query = Query.parse(text)
        if not query.terms:
            context["message"] = _("There is nothing to search for in “%(text)s”: use words or numbers.") % {
                "text": text
            }
        else:
            context.update(run_search(request, query))
    return render(request, "alliance_site/search.html", context, status=status)


def requested_page_number(request):
    return parse_int(request.GET.get("page"), minimum=1, maximum=99_999, default=1)


def run_search(request, query):
    tabs = [Tab(search_type, search_type.search(request, query)) for search_type in search_types()]
    number = requested_page_number(request)
    window = ((number - 1) * PAGE_SIZE, number * PAGE_SIZE)
    requested = request.GET.get("type", "")
    current = next((tab for tab in tabs if tab.type.key == requested), None)
    if current is not None:
        current.hits.prefetch(*window)
    else:  # the first type with results; the page it will show is read with its count
        for tab in tabs:
            tab.hits.prefetch(*window)
            if tab.hits.count():
                current = tab
                break
        else:
            current = tabs[0] if tabs else None
    for tab in tabs:
        tab.url = "?" + urlencode({"q": query.text, "type": tab.type.key})
        tab.current = tab is current
    return {
        "query": query,
        "tabs": tabs,
        "current_tab": current,
        "page_obj": Paginator(current.hits, PAGE_SIZE).get_page(number) if current else None,
        "page_query": urlencode({"q": query.text, "type": current.type.key}) + "&" if current else "",
    }
