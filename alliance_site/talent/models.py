"""The talent pool's records: the quality methods a CQO offers, consent to public disclosure, contact reveals.

PIPL art. 25 asks for a separate consent before personal information is made public, and art. 15 lets it be
withdrawn as easily; both are kept as rows, never overwritten. A member's contact details are shown only on a
request that names its purpose, and the member sees every request (art. 44, the right to know).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance_site.members.models import CQOProfile


class QualityMethod(models.Model):
    """A quality method (QC小组, 六西格玛, 精益 …): what cases are filed under and what a CQO offers in the pool.

    One taxonomy for the whole site, kept by staff, so a case's methods lead to the CQOs who know them.
    """

    name = models.CharField(_("name"), max_length=50, unique=True)
    slug = models.SlugField(_("slug"), max_length=50, unique=True, allow_unicode=True)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("quality method")
        verbose_name_plural = _("quality methods")

    def __str__(self):
        return self.name


# The wording the member agrees to; stored with each consent so a later edit cannot change what was agreed.
PUBLIC_CONSENT_TEXT = _(
    "I separately consent to the parts of my card that I set to “Everyone” being shown publicly on this site, "
    "to anyone, without signing in. I can withdraw this consent at any time on this page; the parts then go "
    "back to members only."
)


class DisclosureConsent(models.Model):
    profile = models.ForeignKey(
        CQOProfile, verbose_name=_("CQO"), on_delete=models.CASCADE, related_name="disclosure_consents"
    )
    given = models.BooleanField(_("given"), help_text=_("Unticked: the consent was withdrawn."))
    at = models.DateTimeField(_("when"), auto_now_add=True)
    wording = models.TextField(_("wording agreed to"), blank=True)
    parts = models.JSONField(_("public parts at the time"), default=list, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("consent to public disclosure")
        verbose_name_plural = _("consents to public disclosure")

    def __str__(self):
        return f"{self.profile} · {self.at:%Y-%m-%d %H:%M}"


class ContactReveal(models.Model):
    class Purpose(models.TextChoices):
        MENTORING = "mentoring", _("Mentoring")
        SPEAKING = "speaking", _("Invitation to speak")
        SITE_VISIT = "site_visit", _("Site visit")
        PROBLEM = "problem", _("A quality problem to discuss")
        SECRETARIAT = "secretariat", _("Secretariat work")
        OTHER = "other", _("Other")

    profile = models.ForeignKey(
        CQOProfile, verbose_name=_("CQO"), on_delete=models.CASCADE, related_name="contact_reveals"
    )
    revealed_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revealed to"), on_delete=models.CASCADE, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("contact reveal")
        verbose_name_plural = _("contact reveals")
        indexes = [models.Index(fields=["revealed_to", "at"])]

    def __str__(self):
        return f"{self.profile} → {self.revealed_to} · {self.at:%Y-%m-%d %H:%M}"
