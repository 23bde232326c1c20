"""Asking for a CQO's contact details, as a member or as staff."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance_site.models import ContactReveal


def validate_phone(value):
    """Digits with the usual separators: a mobile (138 0000 0000), a landline (0351-1234567) or +86."""
    if not re.fullmatch(r"\+?[0-9][0-9 \-]{5,24}[0-9]", value):
        raise forms.ValidationError(_("Enter a phone number of digits, spaces or dashes, e.g. 0351-1234567."))


class ContactRequestForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("What for"),
        choices=[c for c in ContactReveal.Purpose.choices if c[0] != ContactReveal.Purpose.SECRETARIAT],
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


class StaffContactForm(forms.Form):
    """Staff open a CQO's contact details in the admin: logged like a member's request, and the CQO sees it."""

    purpose = forms.ChoiceField(
        label=_("What for"), choices=ContactReveal.Purpose.choices, initial=ContactReveal.Purpose.SECRETARIAT
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)
