from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from alliance_site.sections import HomeSection, MenuEntry


@hooks.register("alliance_main_menu")
def menu_entry(request):
    return [MenuEntry("forums", _("Forums"), reverse("forums:index"), order=40)]


@hooks.register("alliance_home_sections")
def home_section(request):
    return HomeSection(
        key="forums",
        title=_("Latest announcements"),
        more_url=reverse("forums:index"),
        empty_message=_("No announcements yet."),
        order=40,
    )
