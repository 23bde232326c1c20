from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from alliance_site.sections import HomeSection, MenuEntry


@hooks.register("alliance_main_menu")
def menu_entry(request):
    return [MenuEntry("events", _("Events"), reverse("events:index"), order=50)]


@hooks.register("alliance_home_sections")
def home_section(request):
    return HomeSection(
        key="events",
        title=_("Upcoming events"),
        more_url=reverse("events:index"),
        empty_message=_("No events are scheduled yet. Quality forums, training and site visits will be listed here."),
        order=50,
    )
