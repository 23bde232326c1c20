"""Body memberships (applications and members) in the Wagtail admin."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton

from alliance_site.bodies.admin_views import MembershipDecisionView
from alliance_site.models import BodyMembership


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
            path("decide/<int:pk>/", MembershipDecisionView.as_view(), name="decide"),
        ]
