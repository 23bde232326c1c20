"""CQO profiles in the Wagtail admin."""

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import StatusTagColumn
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from alliance_site.common.admin_views import ObjectAction, ObjectActionsEditView, ObjectActionsViewSet
from alliance_site.filings import services as filing
from alliance_site.members.admin_views import ProfileStatusView, RelaxedAdmissionView
from alliance_site.members.forms import APPOINTMENT_FIELDS, CARD_FIELDS
from alliance_site.models import (
    CQOProfile,
)
from alliance_site.talent.admin_views import ContactDetailsView


class ProfileEditView(ObjectActionsEditView):
    """Staff edit a profile; a change to what a regulator approved is filed again, as on the member's form."""

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


class CQOProfilePermissionPolicy(ModelPermissionPolicy):
    """The model's permissions, and changing a CQO's status, which has one of its own (`change_profile_status`):
    a group may edit profiles without deciding anyone's status."""

    def _get_permission_codename(self, action):
        return "change_profile_status" if action == "change_status" else super()._get_permission_codename(action)


register_permission_policy(CQOProfile, CQOProfilePermissionPolicy(CQOProfile))


class CQOProfileViewSet(ObjectActionsViewSet):
    model = CQOProfile
    object_actions = [
        ObjectAction(_("Change status"), "cqo_profiles:status", "tasks", permission="change_status"),
        ObjectAction(_("Contact details"), "cqo_profiles:contact", "mail", in_list=False),
        ObjectAction(
            _("Admit under relaxed conditions"),
            "cqo_profiles:relaxed_admission",
            "success",
            in_list=False,
            shown_for=lambda profile: not profile.eligibility.meets_conditions,
        ),
    ]
    icon = "user"
    menu_label = _("CQO profiles")
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
            path("status/<int:pk>/", ProfileStatusView.as_view(), name="status"),
            path("relaxed/<int:pk>/", RelaxedAdmissionView.as_view(), name="relaxed_admission"),
            path("contact/<int:pk>/", ContactDetailsView.as_view(), name="contact"),
        ]
