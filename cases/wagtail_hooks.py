from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.models import Page

from alliance_site.accounts.access import allowed
from alliance_site.common import structure_cache
from alliance_site.hooks import (
    ACCOUNT_LINKS,
    DASHBOARD_FIGURES,
    HOME_SECTIONS,
    MAIN_MENU,
    SEARCH_TYPES,
    SEED_DEMO,
    DashboardFigure,
    HomeSection,
    MenuEntry,
)
from alliance_site.models import Enterprise
from alliance_site.search.services import Hits, SearchResult, SearchType, highlight, search_queryset

from .blocks import Visibility
from .models import MEMBERS_SEARCH_LEVELS, CaseIndexPage, CaseMembersText, CasePage, section_text


def library_url(request):
    return structure_cache.live_page_url("case_library", CaseIndexPage, request)


@hooks.register(MAIN_MENU)
def menu_entry(request):
    url = library_url(request)
    return [MenuEntry("cases", _("Case library"), url, order=30)] if url else []


@hooks.register(ACCOUNT_LINKS)
def my_cases_link(request):
    from django.urls import reverse

    return (
        [MenuEntry("my_cases", _("My cases"), reverse("cases:my_cases"), order=10)]
        if allowed(request.user, "cases.write_cases")
        else []
    )


@hooks.register(HOME_SECTIONS)
def home_section(request):
    latest = (
        CasePage.objects.live()
        .public()
        .select_related("enterprise")
        .order_by("-first_published_at")
        .only("id", "title", "url_path", "enterprise__name", "first_published_at")[:5]
    )
    return HomeSection(
        key="cases",
        title=_("Latest cases"),
        more_url=library_url(request) or "/",
        empty_message=_("No cases have been published yet. CQOs will share their quality-improvement cases here."),
        items=[(case.title, case.get_url(request), case.enterprise.name) for case in latest],
        order=30,
    )


# Site search -------------------------------------------------------------------------------------------


@hooks.register(SEARCH_TYPES)
def case_search_type():
    return SearchType("cases", _("Cases"), search_cases, order=10)


def search_cases(request, query):
    """Published cases without a view restriction, found by their public text, and by their members-only text
    for those who may read every case's members' sections (members, staff); judges' text is never indexed."""
    private = Page.objects.all().private_q()  # pages under a view restriction (read once, used twice)
    cases = (
        CasePage.objects.live()
        .exclude(private)
        .select_related("enterprise")
        .only("title", "url_path", "summary", "body", "period_end", "enterprise__name")
    )
    # The same visibility on the page table alone, for testing every hit cheaply (see search_queryset).
    visible = Page.objects.live().exclude(private)
    levels = searched_levels(request.user)
    also = (CaseMembersText,) if Visibility.MEMBERS in levels else ()
    matches = search_queryset(cases, query, visible=visible, also_indexed_as=also)
    return Hits(matches, lambda case: case_search_result(case, query, levels))


def searched_levels(user):
    """The section levels this user's search looks in and their snippets show: what the index holds of what
    they may read in every case (an author's own hidden sections are not searched, nor shown)."""
    return CasePage.levels_by_role(user) & MEMBERS_SEARCH_LEVELS


def case_search_result(case, query, levels):
    return SearchResult(
        title=case.title,
        url=case.url,  # relative on a one-site install; found without looking up the request's site
        snippet=highlight(snippet_text(case, levels), query.terms),
        meta=f"{case.enterprise.name} · {case.period_end.year}",
    )


def snippet_text(case, levels):
    """The summary and the text of the sections of these levels, from the stored JSON (no queries)."""
    return " ".join([case.summary, *section_text(case.body.raw_data, levels)])


# Case submission: review e-mails (receivers in cases.workflow) and attachments guarded like their sections.
from . import workflow  # noqa: E402, F401  (connects the workflow_approved / workflow_rejected receivers)


@hooks.register("after_publish_page")
def tell_authors_of_direct_publication(request, page):
    from .workflow import mail_authors_of_direct_publication

    mail_authors_of_direct_publication(page.specific, request.user)


@hooks.register("before_serve_document")
def guard_case_attachment(document, request):
    from .views import guard_case_document

    guard_case_document(document, request.user)


@hooks.register(SEED_DEMO)
def seed_demo_cases(scale, stdout):
    """The case library, its written demo cases and drafts; at scale "large" also the benchmark cases."""
    from .demo import seed

    seed(scale=scale, stdout=stdout)


@hooks.register(DASHBOARD_FIGURES)
def dashboard_figures(region):
    """Published cases, of the region's enterprises when a region is asked for."""
    # Counted without joining the page table to the region's tables: with 10,000 cases that join made SQLite
    # take 10–13 ms, against about 1 ms for these two forms.
    if region is None:
        cases = Page.objects.filter(live=True, content_type=ContentType.objects.get_for_model(CasePage))
    else:
        enterprises = Enterprise.objects.filter(county__code__startswith=region.code_prefix).values("pk")
        cases = CasePage.objects.filter(live=True, enterprise__in=enterprises)
    return [DashboardFigure("cases", _("Published cases"), cases.count(), order=10)]
