"""The competitions' forms: the round's in the admin, and the judge's score sheet on the site."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from alliance_site.accounts.roles import display_name

from . import rubrics


class RoundForm(WagtailAdminModelForm):
    """The round's form, with a rubric template to start the criteria from."""

    rubric_template = forms.ChoiceField(
        label=_("Start the criteria from a template"),
        choices=rubrics.template_choices,
        required=False,
        help_text=_("Adds the template's criteria when the round has none; edit them afterwards."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        judges = self.fields["judges"]  # listed by name, never by login name
        judges.queryset = judges.queryset.select_related("cqo_profile")
        judges.label_from_instance = display_name

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


# The judge's score sheet ----------------------------------------------------------------------------------------

STEP = Decimal("0.5")


def parse_points(raw, criterion):
    """Points as a Decimal in 0..max in steps of 0.5, or ValidationError saying what is wrong, naming the criterion."""
    try:
        points = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        message = _("%(criterion)s: “%(value)s” is not a number.")
        raise ValidationError(message, code="invalid", params={"criterion": criterion.name, "value": raw}) from None
    if not points.is_finite() or points < 0 or points > criterion.max_points:
        raise ValidationError(
            _("%(criterion)s: give between 0 and %(max)s points."),
            code="range",
            params={"criterion": criterion.name, "max": f"{criterion.max_points.normalize():f}"},
        )
    if (points / STEP) % 1:
        raise ValidationError(
            _("%(criterion)s: points go in steps of 0.5."), code="step", params={"criterion": criterion.name}
        )
    return points


COMMENT_MAX_LENGTH = 4000


class ScoreSheetForm(forms.Form):
    """A judge's score sheet: per criterion the points typed (c<ID>) beside the points and the version the page showed
    (c<ID>-shown, c<ID>-v, hidden), and the comment beside the comment shown (comment-shown, hidden).

    The page shows what is saved, so a criterion left as shown, or empty, changes nothing and is not read; any
    other must be points in 0..max in steps of 0.5. What the page showed lets competitions.judging.save_scores keep
    what another window saved meanwhile.
    """

    def __init__(self, criteria, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            name = f"c{criterion.pk}"
            self.fields[name] = forms.CharField(required=False)
            self.fields[f"{name}-shown"] = forms.CharField(required=False)
            self.fields[f"{name}-v"] = forms.CharField(required=False)
        self.fields["comment"] = forms.CharField(required=False, strip=False)
        self.fields["comment-shown"] = forms.CharField(required=False, strip=False)

    def clean(self):
        cleaned = super().clean()
        self.changed_points = {}  # criterion → (points, points shown, version): what this form changes
        for criterion in self.criteria:
            name = f"c{criterion.pk}"
            if name not in cleaned:
                continue  # refused by its field already
            typed, shown = cleaned[name], cleaned.get(f"{name}-shown", "")
            if typed in ("", shown):
                continue
            try:
                points = parse_points(typed, criterion)
            except ValidationError as error:
                self.add_error(name, error)
            else:
                self.changed_points[criterion] = (points, shown, cleaned.get(f"{name}-v", ""))
        for name in ("comment", "comment-shown"):  # a longer comment is cut rather than refused, as it always was
            if name in cleaned:
                cleaned[name] = cleaned[name][:COMMENT_MAX_LENGTH]
        return cleaned

    @property
    def comment_typed_and_shown(self):
        return self.cleaned_data["comment"], self.cleaned_data["comment-shown"]

    def all_errors(self):
        return [message for messages in self.errors.values() for message in messages]
