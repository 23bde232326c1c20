from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .credit_code import normalise, validate_credit_code
from .models import BodyMembership, CQOProfile, Enterprise, Region

# Django's label suffix, so that forms rendered by libraries (allauth) read "电子邮件：" in Chinese.
gettext_noop(":")


# The profile fields the CQO keeps up to date; staff edit the same ones in the admin (plus user and enterprise).
APPOINTMENT_FIELDS = [
    "real_name",
    "position",
    "is_senior_executive",
    "appointed_by",
    "appointment_date",
    "appointment_letter",
    "years_in_quality",
    "title",
    "education",
]
CARD_FIELDS = ["expertise", "bio", "photo", "visibility", "talent_pool_opt_in"]


class CQOProfileForm(forms.ModelForm):
    """A member's own profile, with the enterprise found or registered by its credit code."""

    credit_code = forms.CharField(
        label=_("Unified social credit code of your enterprise"),
        max_length=30,
        help_text=_("If the enterprise is already registered here, its registered details are used."),
    )
    enterprise_name = forms.CharField(label=_("Enterprise name"), max_length=200, required=False)
    county = forms.ModelChoiceField(
        label=_("County or district"),
        queryset=Region.objects.filter(level=Region.Level.COUNTY).select_related("parent"),
        required=False,
    )
    industry = forms.ChoiceField(
        label=_("Industry"),
        choices=[("", "---------"), *Enterprise._meta.get_field("industry").choices],
        required=False,
    )
    enterprise_size = forms.ChoiceField(
        label=_("Enterprise size"), choices=[("", "---------"), *Enterprise.Size.choices], required=False
    )

    class Meta:
        model = CQOProfile
        fields = [*APPOINTMENT_FIELDS, *CARD_FIELDS]
        widgets = {
            "appointment_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "bio": forms.Textarea(attrs={"rows": 5}),
        }

    fieldset_layout = [
        (_("Enterprise"), ["credit_code", "enterprise_name", "county", "industry", "enterprise_size"]),
        (_("Appointment and qualifications"), APPOINTMENT_FIELDS),
        (_("Card and privacy"), CARD_FIELDS),
    ]

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldset_layout]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].label_from_instance = lambda r: f"{r.parent.name} · {r.name}" if r.parent else r.name
        if self.instance.pk:
            enterprise = self.instance.enterprise
            self.initial.update(
                credit_code=enterprise.credit_code,
                enterprise_name=enterprise.name,
                county=enterprise.county_id,
                industry=enterprise.industry,
                enterprise_size=enterprise.size,
            )
        self.existing_enterprise = None

    def clean_credit_code(self):
        code = normalise(self.cleaned_data["credit_code"])
        validate_credit_code(code)
        return code

    def clean(self):
        cleaned = super().clean()
        code = cleaned.get("credit_code")
        if not code:
            return cleaned
        self.existing_enterprise = Enterprise.objects.filter(credit_code=code).first()
        if self.existing_enterprise is None:
            missing = {
                "enterprise_name": _("Enter the enterprise's registered name."),
                "county": _("Choose the county or district where the enterprise is registered."),
                "industry": _("Choose the enterprise's industry."),
                "enterprise_size": _("Choose the enterprise's size."),
            }
            for field, message in missing.items():
                if not cleaned.get(field):
                    self.add_error(field, message)
        return cleaned

    @transaction.atomic
    def save(self, user):
        profile = super().save(commit=False)
        profile.user = user
        if self.existing_enterprise is not None:
            profile.enterprise = self.existing_enterprise
        else:
            profile.enterprise = Enterprise.objects.create(
                name=self.cleaned_data["enterprise_name"],
                credit_code=self.cleaned_data["credit_code"],
                county=self.cleaned_data["county"],
                industry=self.cleaned_data["industry"],
                size=self.cleaned_data["enterprise_size"],
            )
        profile.save()
        self.save_m2m()
        return profile


class MembershipApplicationForm(forms.ModelForm):
    class Meta:
        model = BodyMembership
        fields = ["chapter", "motivation"]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, body, chapters=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import ChapterPage

        self.body = body
        self.fields["chapter"].queryset = ChapterPage.objects.live().child_of(body).order_by("title")
        self.fields["chapter"].required = False
        self.fields["chapter"].empty_label = _("No chapter")
        if chapters is not None:
            # The page has the chapters already; offer them without asking the database again.
            self.fields["chapter"].choices = [("", _("No chapter")), *((c.pk, c.title) for c in chapters)]
        self.fields["motivation"].required = True


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s.value, s.label) for s in profile.allowed_transitions()]


class RelaxedAdmissionForm(forms.Form):
    reason = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Why this experienced technical expert is admitted although the basic conditions are not met."),
    )


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
