"""Appointment filing (备案): an enterprise's CQO appointment, reviewed by a regulator of its region.

A filing is a record of one submission and its decision; a returned filing stays, and the next submission is
a new one, so the whole history is kept. The profile's status follows the decisions (see `filing`).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alliance_site.accounts import roles
from alliance_site.enterprises.models import Enterprise
from alliance_site.members.models import CQOProfile, ProfileStatus


class FilingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every filing; a regulator those of enterprises in their region (province: all, city: its
        counties, county: its own); the CQO their own; anyone else none."""
        if roles.is_staff(user):
            return self
        shown = Q(pk__in=[])
        region = roles.regulated_region(user)
        if region is not None:
            shown |= Q(enterprise__county__code__startswith=region.code_prefix)
        if user.is_authenticated:
            shown |= Q(profile__user=user)
        return self.filter(shown)


class Filing(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting review")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        SUPERSEDED = "superseded", _("Superseded by a later filing")

    profile = models.ForeignKey(CQOProfile, verbose_name=_("CQO"), on_delete=models.PROTECT, related_name="filings")
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="filings"
    )
    # What was filed, as it stood when submitted (the profile may change later; the record must not).
    position = models.CharField(_("position"), max_length=100)
    appointment_date = models.DateField(_("appointment date"), null=True, blank=True)
    # Required by `filing.submit`; blank only for filings recorded before the platform (and the demo).
    letter = models.FileField(_("appointment letter"), max_length=255, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reason = models.TextField(_("reasons"), blank=True, max_length=2000)
    # A filed CQO who changed what the regulator approved files again (`filing.refile_after_change`): the
    # filing remembers the status they had, so a warning in force before stays in force after approval.
    previous_status = models.CharField(
        _("status before this filing"), max_length=20, choices=ProfileStatus.choices, default=ProfileStatus.APPLICANT
    )

    objects = FilingQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("appointment filing")
        verbose_name_plural = _("appointment filings")
        indexes = [models.Index(fields=["status", "submitted_at"], name="alliance_filing_queue_idx")]
        constraints = [
            # At most one filing under review per CQO: a second submission waits for the first decision.
            models.UniqueConstraint(
                fields=["profile"], condition=Q(status="submitted"), name="alliance_one_open_filing_per_cqo"
            )
        ]

    def __str__(self):
        return f"{self.profile} · {self.enterprise} · {self.get_status_display()}"

    @property
    def is_open(self):
        return self.status == self.Status.SUBMITTED

    @property
    def is_refiling(self):
        """Filed again by a CQO who was filed already and changed what the regulator had approved."""
        return self.previous_status in (ProfileStatus.ACTIVE, ProfileStatus.WARNED)
