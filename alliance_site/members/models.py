import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase
from wagtail.log_actions import log

from alliance_site.accounts import roles
from alliance_site.accounts.access import allowed
from alliance_site.enterprises.models import Enterprise
from alliance_site.files.uploads import UploadValidator
from alliance_site.members.eligibility import check_eligibility


class ProfessionalTitle(models.TextChoices):
    NONE = "none", _("None")
    JUNIOR = "junior", _("Junior")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ASSOCIATE_SENIOR = "associate_senior", _("Associate senior")
    SENIOR = "senior", _("Senior")


class Education(models.TextChoices):
    HIGH_SCHOOL = "high_school", _("Senior high school")
    JUNIOR_COLLEGE = "junior_college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor's degree")
    MASTER = "master", _("Master's degree")
    DOCTORATE = "doctorate", _("Doctorate")


class ProfileStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    FILING_SUBMITTED = "filing_submitted", _("Filing submitted")
    ACTIVE = "active", _("Active (filed)")
    WARNED = "warned", _("Warned")
    EXITED = "exited", _("Exited")


# Where each status may go next. A returned filing goes back to applicant; a warning may be lifted; a filed CQO
# who changes what the regulator approved (enterprise, position …) files again.
TRANSITIONS = {
    ProfileStatus.APPLICANT: {ProfileStatus.FILING_SUBMITTED, ProfileStatus.EXITED},
    ProfileStatus.FILING_SUBMITTED: {ProfileStatus.ACTIVE, ProfileStatus.APPLICANT, ProfileStatus.EXITED},
    ProfileStatus.ACTIVE: {ProfileStatus.WARNED, ProfileStatus.FILING_SUBMITTED, ProfileStatus.EXITED},
    ProfileStatus.WARNED: {ProfileStatus.ACTIVE, ProfileStatus.FILING_SUBMITTED, ProfileStatus.EXITED},
    ProfileStatus.EXITED: set(),
}
# Statuses that carry member rights (DESIGN: "a signed-in CQO whose profile is active"; a warning keeps them).
MEMBER_STATUSES = (ProfileStatus.ACTIVE, ProfileStatus.WARNED)


class InvalidTransition(ValidationError):
    pass


class Audience(models.TextChoices):
    """Who may see one part of a CQO's card; each member chooses per part (the talent pool, point 3)."""

    PUBLIC = "public", _("Everyone (needs my separate consent)")
    MEMBERS = "members", _("Members")
    STAFF = "staff", _("Secretariat staff only")


# The parts of a card whose audience the member chooses, in the order the settings page shows them.
DISCLOSED_PARTS = {
    "enterprise": _("Enterprise, position and industry"),
    "region": _("City and county"),
    "qualifications": _("Professional title, education and years in quality"),
    "expertise": _("Expertise and quality methods"),
    "bio": _("Biography"),
    "photo": _("Photo"),
    "contact": _("Contact details"),
}
# Contact details are never shown to the public: a member asks for them and the request is logged.
CONTACT_AUDIENCES = [(Audience.MEMBERS, _("Members, on a logged request")), (Audience.STAFF, Audience.STAFF.label)]


def audience_field(part, default=Audience.MEMBERS, choices=Audience.choices):
    return models.CharField(
        format_lazy("{}: {}", _("who sees"), DISCLOSED_PARTS[part]), max_length=10, choices=choices, default=default
    )


class ExpertiseTag(TagBase):
    class Meta:
        verbose_name = _("expertise")
        verbose_name_plural = _("expertise")


class TaggedExpertise(TaggedItemBase):
    tag = models.ForeignKey(ExpertiseTag, on_delete=models.CASCADE, related_name="tagged_profiles")
    content_object = models.ForeignKey("CQOProfile", on_delete=models.CASCADE, related_name="tagged_expertise")


class CQOProfileQuerySet(models.QuerySet):
    def members(self):
        return self.filter(status__in=MEMBER_STATUSES)

    def visible_to(self, user):
        """Profiles whose card this user may open.

        Public cards of members are open to everyone; members-only cards to members; the owner and staff see
        every profile, a regulator every profile of an enterprise in their region.
        """
        if roles.is_staff(user):
            return self
        # A public card needs the member's separate consent to public disclosure (PIPL art. 25).
        shown = Q(status__in=MEMBER_STATUSES, visibility=CQOProfile.Visibility.PUBLIC, public_consent_at__isnull=False)
        region = roles.regulated_region(user)
        if region is not None:
            shown |= Q(enterprise__county__code__startswith=region.code_prefix)
        if roles.is_member(user):
            # Members see public cards too, with or without the consent (which governs the public only).
            shown |= Q(
                status__in=MEMBER_STATUSES, visibility__in=[CQOProfile.Visibility.PUBLIC, CQOProfile.Visibility.MEMBERS]
            )
        if user.is_authenticated:
            shown |= Q(user=user)
        return self.filter(shown)

    def in_talent_pool(self):
        return self.members().filter(talent_pool_opt_in=True).exclude(visibility=CQOProfile.Visibility.HIDDEN)

    def disclosing(self, part, user):
        """Profiles whose `part` this user may see, so that a filter never reveals what the card hides.

        (Filtering the pool by a city the member keeps to staff would tell the city all the same.)
        """
        return self.filter(**{f"{part}_audience__in": pool_audiences(user)})

    def matching(self, query, user):
        """Text search: the name, and the enterprise, expertise and methods where this user may see them."""
        seen = pool_audiences(user)
        return self.filter(
            Q(real_name__icontains=query)
            | Q(enterprise_audience__in=seen, enterprise__name__icontains=query)
            | Q(expertise_audience__in=seen, expertise__name__icontains=query)
            | Q(expertise_audience__in=seen, methods__name__icontains=query)
        ).distinct()


def pool_audiences(user):
    """The audiences whose parts the talent pool shows `user`: staff all, members the public and members' parts."""
    return Audience.values if roles.is_staff(user) else [Audience.PUBLIC, Audience.MEMBERS]


def appointment_letter_path(instance, filename):
    return f"appointment_letters/{instance.user_id}/{filename}"


def photo_path(instance, filename):
    # Private storage adds a random folder (alliance_site.files); the uploader's file name says nothing useful.
    return f"cqo_photos/photo{os.path.splitext(filename)[1].lower()}"


class CQOProfile(models.Model):
    """A Chief Quality Officer: one per user, edited by its owner on the site and managed by staff."""

    class AppointedBy(models.TextChoices):
        GENERAL_MANAGER = "general_manager", _("General manager")
        PRESIDENT = "president", _("President")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public card")
        MEMBERS = "members", _("Members only")
        HIDDEN = "hidden", _("Hidden")

    Status = ProfileStatus

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="cqo_profile"
    )
    real_name = models.CharField(_("real name"), max_length=50)
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="cqos"
    )
    position = models.CharField(_("position"), max_length=100, help_text=_("e.g. 副总经理、质量总监"))
    is_senior_executive = models.BooleanField(
        _("senior executive"),
        default=False,
        help_text=_("Deputy general manager (vice president) or an equal or higher executive post."),
    )
    appointed_by = models.CharField(
        _("appointed by"), max_length=20, choices=AppointedBy.choices, default=AppointedBy.GENERAL_MANAGER
    )
    appointment_date = models.DateField(_("appointment date"), null=True, blank=True)
    appointment_letter = models.FileField(
        _("appointment letter"),
        upload_to=appointment_letter_path,
        blank=True,
        validators=[UploadValidator("appointment_letter")],
        help_text=_("PDF or image, at most 5 MB."),
    )
    years_in_quality = models.PositiveSmallIntegerField(
        _("years in quality management"), validators=[MaxValueValidator(60)]
    )
    title = models.CharField(_("professional title"), max_length=20, choices=ProfessionalTitle.choices)
    education = models.CharField(_("education"), max_length=20, choices=Education.choices)
    expertise = TaggableManager(
        verbose_name=_("expertise"), through=TaggedExpertise, blank=True, help_text=_("Comma-separated.")
    )
    bio = models.TextField(_("biography"), blank=True, max_length=2000)
    photo = models.ImageField(
        _("photo"),
        upload_to=photo_path,
        blank=True,
        validators=[UploadValidator("photo")],
    )
    visibility = models.CharField(
        _("who sees my card"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    talent_pool_opt_in = models.BooleanField(_("list me in the talent pool"), default=False)

    # What the CQO offers through the talent pool, and how to reach them.
    methods = models.ManyToManyField(
        "QualityMethod", verbose_name=_("quality methods"), blank=True, related_name="profiles"
    )
    offers_mentoring = models.BooleanField(_("available for mentoring"), default=False)
    offers_speaking = models.BooleanField(_("available for speaking"), default=False)
    offers_site_visits = models.BooleanField(_("can host site visits"), default=False)
    contact_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    # Who sees each part of the card. "Public" takes effect only with the consent recorded below.
    enterprise_audience = audience_field("enterprise")
    region_audience = audience_field("region")
    qualifications_audience = audience_field("qualifications")
    expertise_audience = audience_field("expertise")
    bio_audience = audience_field("bio")
    photo_audience = audience_field("photo")
    contact_audience = audience_field("contact", default=Audience.STAFF, choices=CONTACT_AUDIENCES)
    public_consent_at = models.DateTimeField(
        _("consented to public disclosure"),
        null=True,
        blank=True,
        help_text=_("Set and cleared only through the member's privacy settings; each change is kept."),
    )

    status = models.CharField(
        _("status"), max_length=20, choices=ProfileStatus.choices, default=ProfileStatus.APPLICANT, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    relaxed_admission_reason = models.TextField(
        _("justification for relaxed admission"),
        blank=True,
        help_text=_("Policy 四(二): an experienced technical expert may be admitted below the basic conditions."),
    )
    relaxed_admission_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("admitted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    relaxed_admission_at = models.DateTimeField(_("admitted at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CQOProfileQuerySet.as_manager()

    class Meta:
        ordering = ["real_name"]
        verbose_name = _("CQO profile")
        verbose_name_plural = _("CQO profiles")
        permissions = [("change_profile_status", _("Can change a CQO's status"))]

    def __str__(self):
        return self.real_name

    # Policy rules -------------------------------------------------------------------------------------

    @property
    def eligibility(self):
        return check_eligibility(self.years_in_quality, self.title, self.education)

    @property
    def admitted_by_relaxation(self):
        return bool(self.relaxed_admission_reason and self.relaxed_admission_by_id)

    @property
    def is_eligible(self):
        """Meets 四(二), or staff admitted them with a written justification."""
        return self.eligibility.meets_conditions or self.admitted_by_relaxation

    @property
    def is_below_required_seniority(self):
        """四(一): the CQO of an enterprise above designated size should be a deputy GM or higher."""
        return self.enterprise.requires_senior_cqo and not self.is_senior_executive

    @property
    def is_member(self):
        return self.status in MEMBER_STATUSES

    # Disclosure -------------------------------------------------------------------------------------

    def audiences_reached_by(self, user):
        """The audiences whose parts of this card `user` sees.

        The owner, staff and a regulator of the enterprise's region see everything; members see the parts for
        members and the public; everyone else only public parts, and only once the member consented.
        """
        everything = {Audience.PUBLIC, Audience.MEMBERS, Audience.STAFF}
        if user.is_authenticated and (user.pk == self.user_id or roles.is_staff(user)):
            return everything
        if self.is_overseen_by(user):
            return everything
        reached = {Audience.PUBLIC} if self.public_consent_at else set()
        if roles.is_member(user):
            reached |= {Audience.PUBLIC, Audience.MEMBERS}
        return reached

    def is_overseen_by(self, user):
        """Whether `user` is a regulator whose region contains this CQO's enterprise."""
        region = roles.regulated_region(user)
        return region is not None and self.enterprise.county.code.startswith(region.code_prefix)

    def disclosed_to(self, user):
        """{part: bool} for every part of DISCLOSED_PARTS: what this card shows `user`."""
        reached = self.audiences_reached_by(user)
        return {part: getattr(self, f"{part}_audience") in reached for part in DISCLOSED_PARTS}

    def public_parts(self):
        return [part for part in DISCLOSED_PARTS if getattr(self, f"{part}_audience") == Audience.PUBLIC]

    # Lifecycle ----------------------------------------------------------------------------------------

    def allowed_transitions(self):
        return sorted(TRANSITIONS[ProfileStatus(self.status)])

    @transaction.atomic
    def change_status(self, new_status, *, by, reason):
        """Move to `new_status`, recording who, when and why; keep the member group in step."""
        new_status = ProfileStatus(new_status)
        old_status = ProfileStatus(self.status)
        reason = (reason or "").strip()
        if new_status not in TRANSITIONS[old_status]:
            raise InvalidTransition(
                _("A CQO cannot go from “%(old)s” to “%(new)s”."),
                params={"old": old_status.label, "new": new_status.label},
            )
        if not reason:
            raise ValidationError(_("Give the reason for this change; it is kept in the record."))
        if new_status in (ProfileStatus.FILING_SUBMITTED, ProfileStatus.ACTIVE) and not self.is_eligible:
            raise ValidationError(
                _("This CQO does not meet the basic conditions (%(shortfalls)s) and was not admitted by staff."),
                params={"shortfalls": "；".join(str(s) for s in self.eligibility.shortfalls)},
            )
        self.status = new_status
        self.status_changed_at = timezone.now()
        self.save(update_fields=["status", "status_changed_at", "updated_at"])
        if new_status == ProfileStatus.EXITED:
            # An exited CQO's open filing is closed with the exit's reason: nobody is left to approve.
            self.filings.filter(status="submitted").update(
                status="returned", reason=reason, decided_by=by, decided_at=self.status_changed_at
            )
        member_group = roles.group_of(roles.MEMBER)
        if new_status in MEMBER_STATUSES:
            self.user.groups.add(member_group)
        else:
            self.user.groups.remove(member_group)
        roles.forget_roles(self.user)
        log(
            instance=self,
            action="alliance.profile.status",
            user=by,
            data={"from": old_status.value, "to": new_status.value, "reason": reason},
        )

    @transaction.atomic
    def admit_with_relaxation(self, *, by, reason):
        """Record staff's written justification for admitting a candidate below the basic conditions."""
        reason = (reason or "").strip()
        if not allowed(by, "alliance_site.admit_with_relaxation"):
            raise PermissionDenied
        if not reason:
            raise ValidationError(_("A relaxed admission needs a written justification."))
        self.relaxed_admission_reason = reason
        self.relaxed_admission_by = by
        self.relaxed_admission_at = timezone.now()
        self.save(
            update_fields=["relaxed_admission_reason", "relaxed_admission_by", "relaxed_admission_at", "updated_at"]
        )
        log(instance=self, action="alliance.profile.relaxed_admission", user=by, data={"reason": reason})

    def status_history(self):
        from wagtail.models import ModelLogEntry

        return (
            ModelLogEntry.objects.for_instance(self)
            .filter(action__startswith="alliance.profile.")
            .select_related("user")
            .order_by("-timestamp")
        )
