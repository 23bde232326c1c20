"""Staff's decision on a body membership application in the admin, through the domain's own method so it is logged."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance_site.bodies.forms import MembershipDecisionForm
from alliance_site.common.admin_views import StaffActionView
from alliance_site.models import BodyMembership


class MembershipDecisionView(StaffActionView):
    model = BodyMembership
    form_class = MembershipDecisionForm
    page_title = gettext_lazy("Decide on a membership application")
    header_icon = "group"
    index_url_name = "body_memberships:edit"

    def perform(self, form):
        self.object.decide(form.cleaned_data["decision"], by=self.request.user, note=form.cleaned_data["note"])

    def success_message(self):
        return _("The application of %(name)s is %(status)s.") % {
            "name": self.object.profile,
            "status": self.object.get_status_display(),
        }
