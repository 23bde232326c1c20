"""Warning a CQO, with evidence, and exiting one: the reasons are required and recorded."""

from django import forms
from django.utils.translation import gettext_lazy

from alliance_site.models import CQOWarning


class WarningForm(forms.ModelForm):
    class Meta:
        model = CQOWarning
        fields = ["reason", "evidence"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}


class ExitForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000})
    )
