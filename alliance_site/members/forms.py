"""A CQO's profile form (appointment, enterprise, card) and privacy settings; staff's status forms."""

from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from alliance_site.common.forms import OneLineCharField
from alliance_site.enterprises.credit_code import normalise, validate_credit_code
from alliance_site.files.widgets import PrivateFileInput
from alliance_site.filings import services as filing
from alliance_site.members.models import DISCLOSED_PARTS
from alliance_site.models import Audience, CQOProfile, Enterprise, ProfileStatus, Region
from alliance_site.talent import services as talent
from alliance_site.talent.forms import validate_phone
from alliance_site.talent.models import PUBLIC_CONSENT_TEXT

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


CARD_FIELDS = ["expertise", "bio", "photo"]


ENTERPRISE_FIELDS = ["credit_code", "enterprise_name", "county", "industry", "enterprise_size"]


# Shown to a filed CQO above the form.
FILED_NOTE = _(
    "Your appointment is filed. If you change your enterprise, position, appointment date or letter, it is filed "
    "again: until a regulator approves it, you do not have the rights of a member."
)


# Who sees what, the talent pool and contact details: the privacy settings page (PrivacyForm).
AUDIENCE_FIELDS = [f"{part}_audience" for part in DISCLOSED_PARTS]


TALENT_FIELDS = ["talent_pool_opt_in", "offers_mentoring", "offers_speaking", "offers_site_visits", "methods"]


class CQOProfileForm(forms.ModelForm):
    """A member's own profile, with the enterprise found or registered by its credit code."""

    credit_code = forms.CharField(
        label=_("Unified social credit code of your enterprise"),
        max_length=30,
        help_text=_("If the enterprise is already registered here, its registered details are used."),
    )
    enterprise_name = OneLineCharField(label=_("Enterprise name"), max_length=200, required=False)
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
        field_classes = {"real_name": OneLineCharField, "position": OneLineCharField}
        widgets = {
            "appointment_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "appointment_letter": PrivateFileInput,
            "bio": forms.Textarea(attrs={"rows": 5}),
            "photo": PrivateFileInput,
        }

    fieldset_layout = [
        (_("Enterprise"), ENTERPRISE_FIELDS),
        (_("Appointment and qualifications"), APPOINTMENT_FIELDS),
        (_("Card and privacy"), CARD_FIELDS),
    ]
    filed_note = FILED_NOTE

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
        # What the regulator approved, read before validation writes the new values onto the instance.
        self.filed_before = filing.filed_facts(self.instance) if self.is_filed else None

    @property
    def is_filed(self):
        return bool(self.instance.pk) and self.instance.status in filing.REFILED_STATUSES

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
        moved = self.existing_enterprise is None or self.existing_enterprise.pk != self.instance.enterprise_id
        if self.is_filed and moved and "appointment_letter" not in self.changed_data:
            self.add_error(
                "appointment_letter",
                _("An appointment at another enterprise is filed with that enterprise's letter: upload it."),
            )
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
        self.refiling = None
        if self.filed_before is not None:
            self.refiling = filing.refile_after_change(profile, self.filed_before, by=user)
        return profile


class PrivacyForm(forms.ModelForm):
    """Who sees each part of the card, the talent-pool listing and the separate consent to public disclosure."""

    public_consent = forms.BooleanField(label=PUBLIC_CONSENT_TEXT, required=False)

    class Meta:
        model = CQOProfile
        fields = [
            "visibility",
            *TALENT_FIELDS,
            "contact_phone",
            "contact_email",
            *AUDIENCE_FIELDS,
        ]
        widgets = {"methods": forms.CheckboxSelectMultiple}

    fieldset_layout = [
        (_("Talent pool"), TALENT_FIELDS),
        (_("Contact details"), ["contact_phone", "contact_email"]),
        (_("Who sees what"), ["visibility", *AUDIENCE_FIELDS]),
        (_("Public disclosure"), ["public_consent"]),
    ]

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.fieldset_layout]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.had_consent = bool(self.instance.public_consent_at)
        self.initial["public_consent"] = self.had_consent
        for part, label in DISCLOSED_PARTS.items():
            field = self.fields[f"{part}_audience"]
            field.label = label
            field.widget = forms.RadioSelect(choices=field.choices)
        self.fields["visibility"].help_text = _("Who may open your card at all; the parts below narrow it further.")
        self.fields["contact_phone"].validators.append(validate_phone)

    def audience_fields(self):
        return [self[name] for name in AUDIENCE_FIELDS]

    def chose_public(self, cleaned):
        return cleaned.get("visibility") == CQOProfile.Visibility.PUBLIC or any(
            cleaned.get(field) == Audience.PUBLIC for field in AUDIENCE_FIELDS
        )

    def clean(self):
        cleaned = super().clean()
        withdrawing = self.had_consent and not cleaned.get("public_consent")
        if self.chose_public(cleaned) and not cleaned.get("public_consent") and not withdrawing:
            self.add_error(
                "public_consent",
                _("Showing anything to everyone needs your separate consent: tick the box, or choose members."),
            )
        return cleaned

    @transaction.atomic
    def save(self):
        profile = super().save()
        withdrew = talent.record_consent(profile, given=self.cleaned_data["public_consent"])
        self.withdrew = withdrew is not None and not withdrew.given
        return profile


class StatusChangeForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, profile, **kwargs):
        super().__init__(*args, **kwargs)
        # A filed CQO files again only by changing their appointment (filing.refile_after_change), which opens the
        # filing the regulator reviews; setting the status by hand would leave nothing to review.
        refiling = profile.is_member
        self.fields["status"].choices = [
            (s.value, s.label)
            for s in profile.allowed_transitions()
            if not (refiling and s == ProfileStatus.FILING_SUBMITTED)
        ]


class RelaxedAdmissionForm(forms.Form):
    reason = forms.CharField(
        label=_("Justification"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Why this experienced technical expert is admitted although the basic conditions are not met."),
    )
