"""Regions and their regulators in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _

from alliance_site.accounts.people import person
from alliance_site.common.admin_views import AdminModelViewSet
from alliance_site.models import Region, RegionalRegulator


class RegionViewSet(AdminModelViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    form_fields = ["code", "name", "level", "parent"]


class RegionalRegulatorViewSet(AdminModelViewSet):
    model = RegionalRegulator
    icon = "lock"
    menu_label = _("Regulators")
    list_display = ["agency", person("user", _("Regulator")), "region"]

    def get_queryset(self, request):
        return RegionalRegulator.objects.select_related("user__cqo_profile", "region")

    form_fields = ["user", "agency", "region"]
