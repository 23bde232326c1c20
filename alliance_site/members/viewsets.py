"""CQO profiles in the Wagtail admin."""

from django.core.exceptions import ValidationError
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton

from alliance_site.filings import services as filing
from alliance_site.members.admin_views import ProfileStatusView, RelaxedAdmissionView
from alliance_site.members.forms import APPOINTMENT_FIELDS, CARD_FIELDS
from alliance_site.models import (
    CQOProfile,
)
from alliance_site.talent.admin_views import ContactDetailsView


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
            path("status/<int:pk>/", ProfileStatusView.as_view(), name="status"),
            path("relaxed/<int:pk>/", RelaxedAdmissionView.as_view(), name="relaxed_admission"),
            path("contact/<int:pk>/", ContactDetailsView.as_view(), name="contact"),
        ]
