from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSetGroup

from alliance_site.accounts.access import allowed
from alliance_site.accounts.people import person
from alliance_site.common import structure_cache
from alliance_site.common.admin_views import AdminModelViewSet, ObjectAction, ObjectActionsViewSet, yes_no
from alliance_site.hooks import ACCOUNT_LINKS, DASHBOARD_FIGURES, MAIN_MENU, SEED_DEMO, DashboardFigure, MenuEntry

from . import admin_views
from .models import Assignment, CompetitionIndexPage, Entry, Round


class RoundViewSet(ObjectActionsViewSet):
    model = Round
    icon = "list-ol"
    menu_label = _("Judging rounds")
    object_actions = [
        ObjectAction(_("Judges' assignment"), "competition_rounds:assignment", "group"),
        ObjectAction(_("Results and calibration"), "competition_rounds:results", "table"),
        ObjectAction(_("Export to Excel"), "competition_rounds:export", "download", in_list=False),
    ]
    list_display = ["name", "competition", "status", "judges_per_entry", yes_no(Round, "blind")]
    list_filter = ["status", "competition"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return Round.objects.select_related("competition")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("assignment/<int:pk>/", admin_views.RoundAssignmentView.as_view(), name="assignment"),
            path("results/<int:pk>/", admin_views.RoundResultsView.as_view(), name="results"),
            path("export/<int:pk>/", admin_views.RoundExportView.as_view(), name="export"),
        ]


class EntryViewSet(ObjectActionsViewSet):
    model = Entry
    icon = "doc-full"
    menu_label = _("Entries")
    object_actions = [ObjectAction(_("Eligibility"), "competition_entries:decide", "tasks")]
    list_display = [
        "case",
        "competition",
        person("entrant", Entry._meta.get_field("entrant").verbose_name),
        "status",
        "entered_at",
        "award",
    ]
    list_filter = ["status", "competition"]
    search_fields = ["case__title"]
    form_fields = ["competition", "case", "entrant"]

    def get_queryset(self, request):
        return Entry.objects.select_related("case", "competition", "entrant__cqo_profile", "award")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("decide/<int:pk>/", admin_views.EntryDecisionView.as_view(), name="decide"),
        ]


class AssignmentViewSet(AdminModelViewSet):
    """Read-mostly: assignments are made by the round's assignment screen; here staff look them up."""

    model = Assignment
    icon = "user"
    menu_label = _("Assignments")
    list_display = [
        "round_entry",
        person("judge", _("Judge")),
        "statement_signed_at",
        "submitted_at",
        "withdrawn_at",
        "override_reason",
    ]
    list_filter = ["round_entry__round"]
    form_fields = ["override_reason"]
    add_to_admin_menu = False

    def get_queryset(self, request):
        return Assignment.objects.select_related("judge__cqo_profile", "round_entry__round", "round_entry__entry__case")


class CompetitionViewSetGroup(ModelViewSetGroup):
    menu_label = _("Competitions")
    menu_icon = "pick"
    menu_order = 160
    items = [
        RoundViewSet("competition_rounds"),
        EntryViewSet("competition_entries"),
        AssignmentViewSet("competition_assignments"),
    ]


@hooks.register("register_admin_viewset")
def register_competition_viewsets():
    return CompetitionViewSetGroup()


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label in [
        ("competitions.entry.enter", _("Enter a case")),
        ("competitions.entry.mark", _("Decide an entry's eligibility")),
        ("competitions.round.assign", _("Assign judges")),
        ("competitions.assignment.override", _("Assign a judge by hand")),
        ("competitions.assignment.statement", _("Sign a no-conflict statement")),
        ("competitions.assignment.conflict", _("Declare a conflict of interest")),
        ("competitions.round.advance", _("Advance entries")),
        ("competitions.round.awards", _("Decide ranks and awards")),
        ("competitions.round.export", _("Export scores")),
        ("competitions.results.publish", _("Publish results")),
    ]:
        actions.register_action(action, label, label)


def competitions_url(request):
    return structure_cache.live_page_url("competitions", CompetitionIndexPage, request)


@hooks.register(MAIN_MENU)
def menu_entry(request):
    url = competitions_url(request)
    return [MenuEntry("competitions", _("Competitions"), url, order=35)] if url else []


@hooks.register(ACCOUNT_LINKS)
def my_judging_link(request):
    if allowed(request.user, "competitions.judge_cases"):
        return [MenuEntry("my_judging", _("My judging"), reverse("competitions:judging"), order=20)]
    return []


@hooks.register(SEED_DEMO)
def seed_demo_competitions(scale, stdout):
    from .demo import seed

    seed(scale=scale, stdout=stdout)


@hooks.register(DASHBOARD_FIGURES)
def dashboard_figures(region):
    """Competitions held, and the entries and awards of the region's enterprises (all, for the province)."""
    from django.db.models import Count, Q

    from .models import CompetitionPage

    entries = Entry.objects.all()
    if region is not None:
        entries = entries.filter(case__enterprise__county__code__startswith=region.code_prefix)
    counts = entries.aggregate(entries=Count("pk"), awards=Count("pk", filter=Q(award__isnull=False)))
    return [
        DashboardFigure(
            "competitions",
            _("Case competitions"),
            CompetitionPage.objects.live().count(),
            note=_("province-wide") if region is not None else "",
            order=20,
        ),
        DashboardFigure("entries", _("Competition entries"), counts["entries"], order=21),
        DashboardFigure("awards", _("Awarded cases"), counts["awards"], order=22),
    ]
