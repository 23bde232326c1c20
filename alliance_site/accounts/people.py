"""People in the admin's lists and forms, named as the site names them (a CQO's real name), never by login name."""

from django import forms
from wagtail.admin.ui.tables import Column

from alliance_site.accounts.roles import display_name


def person(name, label):
    """A list column for the user in the field `name`."""
    return Column(name, label=label, accessor=lambda obj: display_name(getattr(obj, name)))


class PersonChoiceField(forms.ModelChoiceField):
    """Choosing a user in a form (registered for every ForeignKey to the user model in alliance_site.wagtail_hooks)."""

    def __init__(self, queryset, **kwargs):
        super().__init__(queryset.select_related("cqo_profile"), **kwargs)

    def label_from_instance(self, user):
        return display_name(user)
