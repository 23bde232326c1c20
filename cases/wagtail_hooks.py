from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from alliance_site.sections import HomeSection, MenuEntry


@hooks.register("alliance_main_menu")
def menu_entry(request):
    return [MenuEntry("cases", _("Case library"), reverse("cases:index"), order=30)]


@hooks.register("alliance_home_sections")
def home_section(request):
    return HomeSection(
        key="cases",
        title=_("Latest cases"),
        more_url=reverse("cases:index"),
        empty_message=_("No cases have been published yet. CQOs will share their quality-improvement cases here."),
        order=30,
    )
