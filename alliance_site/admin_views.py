"""Staff actions in the Wagtail admin that must go through the domain's own methods, so they are logged."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import roles, talent
from .forms import MembershipDecisionForm, RelaxedAdmissionForm, StaffContactForm, StatusChangeForm
from .models import BodyMembership, CQOProfile


class StaffActionView(WagtailAdminTemplateMixin, FormView):
    template_name = "alliance_site/admin/action_form.html"
    model = None
    header_icon = "user"
    index_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if not roles.is_staff(request.user):
            raise PermissionDenied
        self.object = get_object_or_404(self.model, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        # Home › the object (its edit page) › this action, so the header says where one is and what one does.
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name, args=[self.object.pk]), "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(object=self.object, **kwargs)

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(self.request, self.success_message())
        return redirect(self.get_success_url())

    def get_success_url(self):
        return reverse(self.index_url_name, args=[self.object.pk])

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ProfileStatusView(StaffActionView):
    model = CQOProfile
    form_class = StatusChangeForm
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
