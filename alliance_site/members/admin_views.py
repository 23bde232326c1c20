"""Staff actions on a CQO profile in the admin (status, relaxed admission), through the domain's own methods,
so they are logged."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance_site.common.admin_views import StaffActionView
from alliance_site.members.forms import RelaxedAdmissionForm, StatusChangeForm
from alliance_site.models import CQOProfile


class ProfileStatusView(StaffActionView):
    model = CQOProfile
    form_class = StatusChangeForm
    permission_required = "change_status"  # a permission of its own (CQOProfilePermissionPolicy)
    page_title = gettext_lazy("Change CQO status")
    index_url_name = "cqo_profiles:edit"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "profile": self.object}

    def perform(self, form):
        self.object.change_status(form.cleaned_data["status"], by=self.request.user, reason=form.cleaned_data["reason"])

    def success_message(self):
        return _("Status of %(name)s is now “%(status)s”.") % {
            "name": self.object,
            "status": self.object.get_status_display(),
        }


class RelaxedAdmissionView(StaffActionView):
    model = CQOProfile
    form_class = RelaxedAdmissionForm
    page_title = gettext_lazy("Admit under relaxed conditions")
    index_url_name = "cqo_profiles:edit"

    def perform(self, form):
        self.object.admit_with_relaxation(by=self.request.user, reason=form.cleaned_data["reason"])

    def success_message(self):
        return _("%(name)s is admitted under relaxed conditions; the justification is on record.") % {
            "name": self.object
        }
