from django.db.models import Count, Q, Sum
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.models import Page

from alliance_site.accounts.people import person
from alliance_site.common import structure_cache
from alliance_site.common.admin_views import AdminModelViewSet
from alliance_site.hooks import (
    ACCOUNT_LINKS,
    DASHBOARD_FIGURES,
    HOME_SECTIONS,
    MAIN_MENU,
    PROFILE_FACTS,
    SEARCH_TYPES,
    SEED_DEMO,
    DashboardFigure,
    HomeSection,
    MenuEntry,
    ProfileFact,
)
from alliance_site.search.services import Hits, SearchResult, SearchType, highlight, search_queryset

from .models import EventIndexPage, EventPage, TrainingRecord


class TrainingRecordCreateView(ModelViewSet.add_view_class):
    """Records entered here are training held elsewhere, and say who entered them."""

    template_name = "alliance_site/admin/create_once.html"  # with the one-time token: a double click adds one record

    def save_instance(self):
        self.form.instance.created_by = self.request.user
        self.form.instance.source = TrainingRecord.Source.EXTERNAL
        return super().save_instance()


class TrainingRecordViewSet(AdminModelViewSet):
    """Attendance writes event records; staff enter training held elsewhere (external records) here."""

    model = TrainingRecord
    icon = "doc-full-inverse"
    menu_label = _("Training records")
    add_view_class = TrainingRecordCreateView
    list_display = ["title", person("user", _("CQO")), "level", "hours", "date", "source"]
    list_filter = ["level", "source"]
    list_export = ["user", "title", "level", "hours", "date", "source", "provider", "certificate_code"]
    search_fields = ["title", "user__cqo_profile__real_name", "user__username"]
    form_fields = ["user", "title", "level", "hours", "date", "provider", "note"]
    add_to_admin_menu = True
    menu_order = 165

    def get_queryset(self, request):
        return TrainingRecord.objects.select_related("user__cqo_profile")


@hooks.register("register_admin_viewset")
def register_training_record_viewset():
    return TrainingRecordViewSet("training_records")


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label in [
        ("events.registration.register", _("Register for an event")),
        ("events.registration.cancel", _("Cancel a registration")),
        ("events.registration.promote", _("Promote from the waitlist")),
        ("events.registration.check_in", _("Check in")),
        ("events.registration.undo_check_in", _("Undo a check-in")),
    ]:
        actions.register_action(action, label, label)


def events_url(request):
    return structure_cache.live_page_url("events", EventIndexPage, request)


@hooks.register(MAIN_MENU)
def menu_entry(request):
    url = events_url(request)
    return [MenuEntry("events", _("Events"), url, order=50)] if url else []


@hooks.register(ACCOUNT_LINKS)
def my_events_link(request):
    if request.user.is_authenticated:
        return [MenuEntry("my_events", _("My events"), reverse("events:my_events"), order=30)]
    return []


def event_meta(event, date_format):
    """When, what kind and where, in one line (home page and search results)."""
    when = timezone.localtime(event.starts_at).strftime(date_format)
    return " · ".join(
        part for part in [when, str(event.get_kind_display()), event.city.name if event.city else ""] if part
    )


@hooks.register(HOME_SECTIONS)
def home_section(request):
    upcoming = (
        EventPage.objects.live()
        .public()
        .filter(ends_at__gte=timezone.now())
        .select_related("city")
        .order_by("starts_at")
        .only("title", "url_path", "starts_at", "kind", "city__name")[:5]
    )
    return HomeSection(
        key="events",
        title=_("Upcoming events"),
        more_url=events_url(request) or "/",
        empty_message=_("No events are scheduled yet. Quality forums, training and site visits will be listed here."),
        items=[
            (
                event.title,
                event.url,
                event_meta(event, "%Y-%m-%d %H:%M"),
            )
            for event in upcoming
        ],
        order=50,
    )


@hooks.register(SEARCH_TYPES)
def event_search_type():
    return SearchType("events", _("Events"), search_events, order=40)


def search_events(request, query):
    private = Page.objects.all().private_q()
    events = (
        EventPage.objects.live()
        .exclude(private)
        .select_related("city")
        .only("title", "url_path", "summary", "starts_at", "kind", "city__name")
    )
    visible = Page.objects.live().exclude(private)
    return Hits(search_queryset(events, query, visible=visible), lambda event: event_search_result(event, query))


def event_search_result(event, query):
    return SearchResult(
        title=event.title,
        url=event.url,
        snippet=highlight(event.summary, query.terms),
        meta=event_meta(event, "%Y-%m-%d"),
    )


@hooks.register(PROFILE_FACTS)
def training_hours_fact(request, profile):
    """The CQO's training hours on their record, linked to their 学习档案 for themselves."""
    totals = TrainingRecord.objects.filter(user_id=profile.user_id).aggregate(
        total=Sum("hours"), this_year=Sum("hours", filter=Q(date__year=timezone.localdate().year))
    )
    value = _("%(total)s hours in all, %(year)s this year") % {
        "total": floatformat(totals["total"] or 0, "-1"),
        "year": floatformat(totals["this_year"] or 0, "-1"),
    }
    url = reverse("events:training") if profile.user_id == request.user.pk else ""
    return [ProfileFact(_("Training hours"), value, url)]


@hooks.register(SEED_DEMO)
def seed_demo_events(scale, stdout):
    from .demo import seed

    seed(scale=scale, stdout=stdout)


@hooks.register(DASHBOARD_FIGURES)
def dashboard_figures(region):
    """Training hours on CQOs' records and how many CQOs trained, this year (五(一): training and learning)."""
    # CQOs' records only: public events are open to anyone signed in, and the province's figure must equal the
    # sum of its regions'.
    records = TrainingRecord.objects.filter(date__year=timezone.localdate().year, user__cqo_profile__isnull=False)
    if region is not None:
        records = records.filter(user__cqo_profile__enterprise__county__code__startswith=region.code_prefix)
    totals = records.aggregate(hours=Sum("hours"), people=Count("user", distinct=True))
    return [
        DashboardFigure("training_hours", _("Training hours this year"), totals["hours"] or 0, _("hours"), order=30),
        DashboardFigure("trained", _("CQOs trained this year"), totals["people"], order=31),
    ]
