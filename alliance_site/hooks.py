"""The hook contract: every hook the core offers the apps, what it is called with and what it must return.

The core names no app (lint-imports holds it to that); the apps take part in its pages by registering functions
under these names in their `wagtail_hooks.py`:

    from wagtail import hooks
    from alliance_site.hooks import MAIN_MENU, MenuEntry

    @hooks.register(MAIN_MENU)
    def case_library_menu(request):
        return [MenuEntry("case_library", _("Case library"), "/cases/", order=30)]

The core calls them only through the functions below, so this file is the whole contract: a new hook is added
here, with its name, its signature and what it returns, or it does not exist.
"""

from dataclasses import dataclass, field

from django.db import transaction
from wagtail import hooks as wagtail_hooks

# Each hook: its name, what its functions are called with → what they return.

# (request) → list[MenuEntry]: entries of the main navigation.
MAIN_MENU = "alliance_main_menu"
# (request) → list[MenuEntry]: a signed-in user's own pages (我的案例, 我的评审 …); called for signed-in users only.
ACCOUNT_LINKS = "alliance_account_links"
# (request) → HomeSection | None: a block of latest items on the home page.
HOME_SECTIONS = "alliance_home_sections"
# () → SearchType | list[SearchType] (alliance_site.search): kinds of result in the site search.
SEARCH_TYPES = "alliance_search_types"
# (region | None) → list[DashboardFigure]: figures of the dashboard, for a region or the province.
DASHBOARD_FIGURES = "alliance_dashboard_figures"
# (request, profile) → list[ProfileFact]: lines of a CQO's record, called only for those who may read it.
PROFILE_FACTS = "alliance_profile_facts"
# () → {top upload folder: rule}: who may fetch the app's private files (see private_file_rules).
PRIVATE_FILES = "alliance_private_files"
# (scale="demo" | "large", stdout) → None: the app's demo content, idempotent.
SEED_DEMO = "alliance_seed_demo"


@dataclass
class MenuEntry:
    """A main navigation entry, or a link among a signed-in user's own pages."""

    key: str
    label: str
    url: str
    order: int = 100


@dataclass
class HomeSection:
    """A block of latest items on the home page: `items` are (title, url, meta) triples."""

    key: str
    title: str
    more_url: str
    empty_message: str
    items: list = field(default_factory=list)
    order: int = 100


@dataclass
class ProfileFact:
    """A line an app adds to a CQO's record on their profile page (owner, staff and regulators see it)."""

    label: str
    value: str
    url: str = ""


@dataclass
class DashboardFigure:
    """A figure an app adds to the dashboard (cases, competitions, training hours), for a region or all.

    `value` is a number; `unit` follows it ("小时"); `note` says what exactly is counted.
    """

    key: str
    label: str
    value: float
    unit: str = ""
    note: str = ""
    order: int = 100


def _each(name):
    return wagtail_hooks.get_hooks(name)


def by_order(items):
    return sorted(items, key=lambda item: item.order)


def main_menu(request):
    return by_order(entry for hook in _each(MAIN_MENU) for entry in hook(request) or [])


def account_links(request):
    return by_order(entry for hook in _each(ACCOUNT_LINKS) for entry in hook(request) or [])


def home_sections(request):
    return by_order(section for section in (hook(request) for hook in _each(HOME_SECTIONS)) if section is not None)


def search_types():
    """Every app's result types (alliance_site.search.services.SearchType), in their order."""
    types = []
    for hook in _each(SEARCH_TYPES):
        contributed = hook()
        types.extend(contributed if isinstance(contributed, list | tuple) else [contributed])
    return sorted(types, key=lambda search_type: (search_type.order, search_type.key))


def dashboard_figures(region):
    return by_order(figure for hook in _each(DASHBOARD_FIGURES) for figure in hook(region))


def profile_facts(request, profile):
    return [fact for hook in _each(PROFILE_FACTS) for fact in hook(request, profile)]


def private_file_rules():
    """{top upload folder: rule}: a rule of (request, stored name) says True (send the file), False (404) or
    answers itself (a redirect to sign in, say). A folder without a rule is never served."""
    rules = {}
    for hook in _each(PRIVATE_FILES):
        rules.update(hook())
    return rules


def seed_demo(scale, stdout):
    """Each app's demo content, each in a transaction of its own."""
    for hook in _each(SEED_DEMO):
        with transaction.atomic():
            hook(scale=scale, stdout=stdout)
