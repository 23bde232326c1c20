"""Admin forms of the competition models."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from . import rubrics


class RoundForm(WagtailAdminModelForm):
    """The round's form, with a rubric template to start the criteria from."""

    rubric_template = forms.ChoiceField(
        label=_("Start the criteria from a template"),
        choices=rubrics.template_choices,
        required=False,
        help_text=_("Adds the template's criteria when the round has none; edit them afterwards."),
    )

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("criteria")
        # Runs before the formsets are cleaned: ask each criterion form (is_valid cleans it) what it holds. A saved
        # criterion shown unchanged is kept too; only an extra form left empty counts as none.
        forms_ = formset.forms if formset else []
        kept = [
            f
            for f in forms_
            if f.is_valid() and (f.instance.pk or f.has_changed()) and not f.cleaned_data.get("DELETE")
        ]
        if not kept and not cleaned.get("rubric_template"):
            self.add_error("rubric_template", _("Give the round at least one criterion, or start from a template."))
        return cleaned

    def save(self, commit=True):
        instance = super().save(commit=commit)
        template = self.cleaned_data.get("rubric_template")
        if commit and template and not instance.criteria.exists():
            from .models import Criterion  # models import this module

            Criterion.objects.bulk_create(
                Criterion(round=instance, name=name, max_points=points, sort_order=order)
                for order, (name, points) in enumerate(rubrics.criteria_of(template))
            )
        return instance
