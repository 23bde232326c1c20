from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.log_actions import log
from wagtail.models import Orderable, Page
from wagtail.search import index

from alliance_site.accounts.access import allowed
from alliance_site.members.models import MEMBER_STATUSES, CQOProfile
from alliance_site.regions.models import Region


class OfficerBase(Orderable):
    """An officer (理事长, 秘书长 …); linked to a CQO profile when the officer is one."""

    role = models.CharField(_("role"), max_length=50, help_text=_("e.g. 理事长、副理事长、秘书长"))
    name = models.CharField(_("full name"), max_length=50)
    profile = models.ForeignKey(
        CQOProfile, verbose_name=_("CQO profile"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    affiliation = models.CharField(_("affiliation"), max_length=100, blank=True)

    panels = [FieldPanel("role"), FieldPanel("name"), FieldPanel("profile"), FieldPanel("affiliation")]

    class Meta(Orderable.Meta):
        abstract = True

    def __str__(self):
        return f"{self.role} {self.name}"


class BodyPage(Page):
    """The CQO Alliance or the Home of CQOs: charter, officers, city chapters and membership."""

    class Kind(models.TextChoices):
        ALLIANCE = "alliance", _("CQO Alliance")
        HOME = "home", _("Home of CQOs")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, unique=True)
    lead = models.CharField(_("lead"), max_length=200, blank=True)
    intro = RichTextField(_("introduction"), blank=True)
    charter = RichTextField(_("charter"), blank=True)
    founded = models.DateField(_("founded"), null=True, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("lead"),
        FieldPanel("intro"),
        FieldPanel("charter"),
        MultiFieldPanel([FieldPanel("founded"), FieldPanel("contact")], heading=_("Details")),
        InlinePanel("officers", label=_("Officers")),
    ]
    search_fields = [*Page.search_fields, index.SearchField("lead"), index.SearchField("intro")]
    parent_page_types = ["alliance_site.HomePage"]
    subpage_types = ["alliance_site.ChapterPage"]

    class Meta:
        verbose_name = _("body page")

    def get_context(self, request, *args, **kwargs):
        from alliance_site.accounts import roles

        context = super().get_context(request, *args, **kwargs)
        context["officers"] = self.officers.select_related("profile")
        context["chapters"] = list(
            ChapterPage.objects.live().child_of(self).select_related("city").order_by("city__code")
        )
        context["member_count"] = self.memberships.filter(
            status=BodyMembership.Status.APPROVED, profile__status__in=MEMBER_STATUSES
        ).count()
        profile = roles.profile_of(request.user)
        context["my_membership"] = (
            self.memberships.filter(profile=profile).select_related("chapter").first() if profile else None
        )
        may_apply = allowed(request.user, "alliance_site.apply_to_body", self)
        context["can_apply"] = may_apply and context["my_membership"] is None
        if context["can_apply"]:
            from alliance_site.bodies.forms import MembershipApplicationForm

            context.setdefault("membership_form", MembershipApplicationForm(body=self, chapters=context["chapters"]))
        return context


class BodyOfficer(OfficerBase):
    page = ParentalKey(BodyPage, on_delete=models.CASCADE, related_name="officers")


class ChapterPage(Page):
    """A city chapter of a body."""

    city = models.ForeignKey(
        Region,
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.CITY},
    )
    intro = RichTextField(_("introduction"), blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("city"),
        FieldPanel("intro"),
        FieldPanel("contact"),
        InlinePanel("officers", label=_("Officers")),
    ]
    parent_page_types = ["alliance_site.BodyPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("city chapter")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["body"] = BodyPage.objects.get(path=self.path[: -self.steplen])
        context["officers"] = self.officers.select_related("profile")
        context["members"] = members = list(
            CQOProfile.objects.visible_to(request.user)
            .filter(body_memberships__chapter=self, body_memberships__status=BodyMembership.Status.APPROVED)
            .select_related("enterprise__county")[:50]
        )
        for member in members:
            member.shown = member.disclosed_to(request.user)
        return context


class ChapterOfficer(OfficerBase):
    page = ParentalKey(ChapterPage, on_delete=models.CASCADE, related_name="officers")


class BodyMembership(models.Model):
    """A CQO's membership of a body: applied for on the site, approved or declined by staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    profile = models.ForeignKey(
        CQOProfile, verbose_name=_("CQO"), on_delete=models.CASCADE, related_name="body_memberships"
    )
    body = models.ForeignKey(BodyPage, verbose_name=_("body"), on_delete=models.CASCADE, related_name="memberships")
    chapter = models.ForeignKey(
        ChapterPage,
        verbose_name=_("city chapter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="memberships",
    )
    motivation = models.TextField(_("why I want to join"), max_length=1000)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    applied_at = models.DateTimeField(_("applied at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        ordering = ["-applied_at"]
        verbose_name = _("body membership")
        verbose_name_plural = _("body memberships")
        constraints = [models.UniqueConstraint(fields=["profile", "body"], name="one_membership_per_body")]

    def __str__(self):
        return f"{self.profile} · {self.body}"

    def clean(self):
        if self.chapter_id and self.chapter.get_parent().pk != self.body_id:
            raise ValidationError({"chapter": _("This chapter belongs to another body.")})

    @transaction.atomic
    def decide(self, status, *, by, note=""):
        status = self.Status(status)
        if status == self.Status.PENDING:
            raise ValidationError(_("Approve or decline the application."))
        if status == self.Status.DECLINED and not note.strip():
            raise ValidationError(_("Say why the application is declined; the applicant will see it."))
        old = self.status
        self.status, self.decided_by, self.decided_at, self.decision_note = status, by, timezone.now(), note.strip()
        self.save()
        log(
            instance=self,
            action="alliance.membership.decide",
            user=by,
            data={"from": old, "to": status.value, "note": self.decision_note},
        )
