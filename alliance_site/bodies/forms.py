"""Applying to a body, and staff's decision on an application."""

from django import forms
from django.utils.translation import gettext_lazy as _

from alliance_site.models import BodyMembership


class MembershipApplicationForm(forms.ModelForm):
    class Meta:
        model = BodyMembership
        fields = ["chapter", "motivation"]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, body, chapters=None, **kwargs):
        super().__init__(*args, **kwargs)
        from alliance_site.models import ChapterPage

        self.body = body
        self.fields["chapter"].queryset = ChapterPage.objects.live().child_of(body).order_by("title")
        self.fields["chapter"].required = False
        self.fields["chapter"].empty_label = _("No chapter")
        if chapters is not None:
            # The page has the chapters already; offer them without asking the database again.
            self.fields["chapter"].choices = [("", _("No chapter")), *((c.pk, c.title) for c in chapters)]
        self.fields["motivation"].required = True


class MembershipDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(BodyMembership.Status.APPROVED, _("Approve")), (BodyMembership.Status.DECLINED, _("Decline"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the applicant"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=1000
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == BodyMembership.Status.DECLINED and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why the application is declined; the applicant will see it."))
        return cleaned
