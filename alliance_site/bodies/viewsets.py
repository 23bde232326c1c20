"""Body memberships (applications and members) in the Wagtail admin."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from alliance_site.bodies.admin_views import MembershipDecisionView
from alliance_site.common.admin_views import ObjectAction, ObjectActionsViewSet
from alliance_site.models import BodyMembership


class BodyMembershipViewSet(ObjectActionsViewSet):
    model = BodyMembership
    object_actions = [ObjectAction(_("Approve or decline"), "body_memberships:decide", "success")]
    icon = "group"
    menu_label = _("Membership applications")
    list_display = ["profile", "body", "chapter", "status", "applied_at"]
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
