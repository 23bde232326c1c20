"""The core domain in the Wagtail admin, for staff, under one "首席质量官" menu."""

from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import HeaderButton, ListingButton

from . import admin_views, filing
from .forms import APPOINTMENT_FIELDS, CARD_FIELDS
from .models import BodyMembership, CQOProfile, Enterprise, EnterpriseGroup, QualityMethod, Region, RegionalRegulator


class RegionViewSet(ModelViewSet):
    model = Region
    icon = "site"
    menu_label = _("Regions")
    list_display = ["name", "code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["name", "code"]
    form_fields = ["code", "name", "level", "parent"]


class EnterpriseGroupViewSet(ModelViewSet):
    model = EnterpriseGroup
    icon = "folder-open-inverse"
    menu_label = _("Enterprise groups")
    search_fields = ["name"]
    form_fields = ["name"]


class EnterpriseViewSet(ModelViewSet):
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


class ProfileEditView(ModelViewSet.edit_view_class):
    """Staff edit a profile; a change to what a regulator approved is filed again, as on the member's form."""

    template_name = "alliance_site/admin/edit_once.html"  # with the one-time token: a double click saves once

    def get_object(self, queryset=None):
        profile = super().get_object(queryset)
        self.filed_before = filing.filed_facts(profile)
        return profile

    def save_instance(self):
        profile = super().save_instance()
        filing.refile_after_change(profile, self.filed_before, by=self.request.user)
        return profile

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as refused:  # the changed appointment cannot be filed (eligibility): nothing saved
            form.add_error(None, refused)
            return self.form_invalid(form)

    def get_header_more_buttons(self):
        buttons = list(super().get_header_more_buttons())
        buttons.append(
            HeaderButton(
                _("Change status"), url=reverse("cqo_profiles:status", args=[self.object.pk]), icon_name="tasks"
            )
        )
        buttons.append(
            HeaderButton(
                _("Contact details"), url=reverse("cqo_profiles:contact", args=[self.object.pk]), icon_name="mail"
            )
        )
        if not self.object.eligibility.meets_conditions:
            buttons.append(
                HeaderButton(
                    _("Admit under relaxed conditions"),
                    url=reverse("cqo_profiles:relaxed_admission", args=[self.object.pk]),
                    icon_name="success",
                )
            )
        return buttons


class ProfileIndexView(ModelViewSet.index_view_class):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            ListingButton(
                _("Change status"), url=reverse("cqo_profiles:status", args=[instance.pk]), icon_name="tasks"
            ),
        ]


class CQOProfileViewSet(ModelViewSet):
    model = CQOProfile
    icon = "user"
    menu_label = _("CQO profiles")
    index_view_class = ProfileIndexView
    edit_view_class = ProfileEditView
    list_display = [
        "real_name",
        "enterprise",
        "position",
        StatusTagColumn("status", label=_("Status"), accessor="get_status_display", primary=lambda p: p.is_member),
        "updated_at",
    ]
    list_filter = ["status", "title", "education", "visibility", "talent_pool_opt_in"]
    search_fields = ["real_name", "position", "enterprise__name"]
    # Status and relaxed admission go through their own forms, so every change is justified and logged.
    form_fields = ["user", "enterprise", *APPOINTMENT_FIELDS, *CARD_FIELDS]

    def get_queryset(self, request):
        return CQOProfile.objects.select_related("enterprise")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("status/<int:pk>/", admin_views.ProfileStatusView.as_view(), name="status"),
            path("relaxed/<int:pk>/", admin_views.RelaxedAdmissionView.as_view(), name="relaxed_admission"),
            path("contact/<int:pk>/", admin_views.ContactDetailsView.as_view(), name="contact"),
        ]


class MembershipEditView(ModelViewSet.edit_view_class):
    template_name = "alliance_site/admin/edit_once.html"

    def get_header_more_buttons(self):
        return [
            *super().get_header_more_buttons(),
            HeaderButton(
                _("Approve or decline"),
                url=reverse("body_memberships:decide", args=[self.object.pk]),
                icon_name="success",
            ),
        ]


class MembershipIndexView(ModelViewSet.index_view_class):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            ListingButton(
                _("Approve or decline"), url=reverse("body_memberships:decide", args=[instance.pk]), icon_name="success"
            ),
        ]


class BodyMembershipViewSet(ModelViewSet):
    model = BodyMembership
    icon = "group"
    menu_label = _("Membership applications")
    index_view_class = MembershipIndexView
    edit_view_class = MembershipEditView
    list_display = ["profile", "body", "chapter", Column("status", accessor="get_status_display"), "applied_at"]
    list_filter = ["status", "body"]
    search_fields = ["profile__real_name"]
    form_fields = ["profile", "body", "chapter", "motivation"]

    def get_queryset(self, request):
        return BodyMembership.objects.select_related("profile", "body", "chapter")

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("decide/<int:pk>/", admin_views.MembershipDecisionView.as_view(), name="decide"),
        ]


class RegionalRegulatorViewSet(ModelViewSet):
    model = RegionalRegulator
    icon = "lock"
    menu_label = _("Regulators")
    list_display = ["user", "agency", "region"]
    form_fields = ["user", "agency", "region"]


class QualityMethodViewSet(ModelViewSet):
    """The one list of quality methods: cases are filed under them, members offer them in the talent pool."""

    model = QualityMethod
    icon = "list-ul"
    menu_label = _("Quality methods")
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]
    form_fields = ["name", "slug", "description", "sort_order"]


class CQOViewSetGroup(ModelViewSetGroup):
    menu_label = _("CQOs")
    menu_icon = "user"
    menu_order = 150
    items = [
        CQOProfileViewSet("cqo_profiles"),
        BodyMembershipViewSet("body_memberships"),
        EnterpriseViewSet("enterprises"),
        EnterpriseGroupViewSet("enterprise_groups"),
        RegionViewSet("regions"),
        RegionalRegulatorViewSet("regulators"),
        QualityMethodViewSet("quality_methods"),
    ]
