"""Staff actions in the Wagtail admin that must go through the domain's own methods, so they are logged.

An action is a page of its own (a `StaffActionView`), named once as an `ObjectAction` on its viewset
(`ObjectActionsViewSet.object_actions`): the viewset shows it as a button in the list's rows and on the
object's edit page, to those its permission policy allows.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.views.generic import FormView
from wagtail.admin.forms.models import formfield_for_dbfield
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import EditView, IndexView
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton, ListingButton


class StaffActionView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """An action on one object, for those the model's permission policy (its viewset's) allows the action."""

    template_name = "alliance_site/admin/action_form.html"
    model = None
    permission_required = "change"
    header_icon = "user"
    index_url_name = None

    @cached_property
    def object(self):  # read after the permission check: a refused user learns nothing of what exists
        return get_object_or_404(self.model, pk=self.kwargs["pk"])

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


@dataclass(frozen=True)
class ObjectAction:
    label: str
    url_name: str  # the action's view, which takes the object's pk
    icon_name: str
    permission: str = "change"  # the action of the model's permission policy it needs
    in_list: bool = True  # also a button in each row of the list, not only on the edit page
    shown_for: Callable[[Any], bool] = lambda obj: True  # e.g. only for a CQO below the basic conditions

    def url(self, obj):
        return reverse(self.url_name, args=[obj.pk])


class ObjectActionsMixin:
    object_actions = ()

    def actions_for(self, obj, *, listing=False):
        policy, user = self.permission_policy, self.request.user
        return [
            action
            for action in self.object_actions
            if (action.in_list or not listing)
            and action.shown_for(obj)
            and (policy is None or policy.user_has_permission(user, action.permission))
        ]


class ObjectActionsIndexView(ObjectActionsMixin, IndexView):
    def get_list_more_buttons(self, instance):
        return [
            *super().get_list_more_buttons(instance),
            *(
                ListingButton(action.label, url=action.url(instance), icon_name=action.icon_name)
                for action in self.actions_for(instance, listing=True)
            ),
        ]


class ObjectActionsEditView(ObjectActionsMixin, EditView):
    template_name = "alliance_site/admin/edit_once.html"  # with the one-time token: a double click saves once

    def get_header_more_buttons(self):
        return [
            *super().get_header_more_buttons(),
            *(
                HeaderButton(action.label, url=action.url(self.object), icon_name=action.icon_name)
                for action in self.actions_for(self.object)
            ),
        ]


class AdminModelViewSet(ModelViewSet):
    """Our viewsets' forms come from Wagtail's field registry, also where they list `form_fields` rather than
    panels (ModelViewSet then builds them with Django's defaults): the same date widgets and the same choice of
    people by name (alliance_site.wagtail_hooks) on every admin form."""

    def formfield_for_dbfield(self, db_field, **kwargs):
        return formfield_for_dbfield(db_field, **kwargs)


class ObjectActionsViewSet(AdminModelViewSet):
    """A viewset whose objects have staff actions of their own (`object_actions`)."""

    object_actions = ()
    index_view_class = ObjectActionsIndexView
    edit_view_class = ObjectActionsEditView

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(object_actions=self.object_actions, **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(object_actions=self.object_actions, **kwargs)


class YesNoColumn(BooleanColumn):
    """Wagtail's tick or cross, titled 是/否 for screen readers rather than Python's True/False."""

    cell_template_name = "alliance_site/admin/yes_no_cell.html"


def yes_no(model, name):
    """A yes/no field in a list, under the field's own (translated) name."""
    return YesNoColumn(name, label=capfirst(model._meta.get_field(name).verbose_name), sort_key=name)
