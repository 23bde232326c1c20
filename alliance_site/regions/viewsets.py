"""Regions and their regulators in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.viewsets.model import ModelViewSet

from alliance_site.models import Region, RegionalRegulator


class RegionViewSet(ModelViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    form_fields = ["code", "name", "level", "parent"]


class RegionalRegulatorViewSet(ModelViewSet):
    model = RegionalRegulator
    icon = "lock"
    menu_label = _("Regulators")
    list_display = ["user", "agency", "region"]
    form_fields = ["user", "agency", "region"]
