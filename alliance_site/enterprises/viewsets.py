"""Enterprises and enterprise groups in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _

from alliance_site.common.admin_views import AdminModelViewSet
from alliance_site.models import Enterprise, EnterpriseGroup


class EnterpriseGroupViewSet(AdminModelViewSet):
    model = EnterpriseGroup
    icon = "folder-open-inverse"
    menu_label = _("Enterprise groups")
    search_fields = ["name"]
    form_fields = ["name"]


class EnterpriseViewSet(AdminModelViewSet):
    model = Enterprise
    icon = "home"
    menu_label = _("Enterprises")
    list_display = ["name", "credit_code", "county", "industry", "size", "quality_award_level"]
    list_filter = ["industry", "size", "quality_award_level", "is_jingpin_applicant", "is_six_new"]
    search_fields = ["name", "credit_code"]
    form_fields = [
        "name",
        "credit_code",
        "county",
        "industry",
        "size",
        "is_six_new",
        "is_strategic_emerging",
        "group",
        "quality_award_level",
        "quality_award_year",
        "quality_award_standing",
        "is_jingpin_applicant",
    ]

    def get_queryset(self, request):
        return Enterprise.objects.select_related("county")
