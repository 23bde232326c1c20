"""Staff actions in the Wagtail admin that must go through the domain's own methods, so they are logged."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from alliance_site.accounts import roles


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
