from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Evaluation

RATING_CHOICES = [(points, str(points)) for points in range(1, 6)]


class EvaluationForm(forms.ModelForm):
    """Six 1–5 ratings as radio buttons (no JavaScript needed), and two free-text answers."""

    class Meta:
        model = Evaluation
        fields = [*Evaluation.RATINGS, "will_apply", "comments"]
        widgets = {
            "will_apply": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
            "comments": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        }
        help_texts = {
            "knowledge_before": _("1 = I knew nothing of it, 5 = I knew it thoroughly."),
            "will_apply": _("One or two things you will use in your enterprise."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in Evaluation.RATINGS:
            model_field = self.fields[name]
            self.fields[name] = forms.TypedChoiceField(
                label=model_field.label,
                help_text=model_field.help_text,
                choices=RATING_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose a rating from 1 to 5."),
                    "invalid_choice": _("Choose a rating from 1 to 5."),
                },
            )


class VerifyForm(forms.Form):
    code = forms.CharField(label=_("Certificate code"), max_length=20, min_length=12)
