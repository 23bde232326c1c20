"""Staff read a CQO's contact details in the admin: a logged reveal, like a member's."""

from django.shortcuts import render
from django.utils.translation import gettext_lazy

from alliance_site.common.admin_views import StaffActionView
from alliance_site.models import CQOProfile
from alliance_site.talent import services as talent
from alliance_site.talent.forms import StaffContactForm


class ContactDetailsView(StaffActionView):
    """A CQO's contact details for the secretariat, shown once the purpose is given and logged (a ContactReveal
    the CQO sees on their privacy page), as the site shows them to a member who asks."""

    model = CQOProfile
    form_class = StaffContactForm
    page_title = gettext_lazy("Contact details")
    template_name = "alliance_site/admin/contact_details.html"
    index_url_name = "cqo_profiles:edit"

    def get_context_data(self, **kwargs):
        return super().get_context_data(has_contact=talent.has_contact(self.object), **kwargs)

    def form_valid(self, form):
        reveal = None
        if talent.has_contact(self.object):  # nothing to reveal, nothing to log
            reveal = talent.reveal_contact(self.object, to=self.request.user, **form.cleaned_data)
        return render(self.request, self.template_name, self.get_context_data(form=form, reveal=reveal))
