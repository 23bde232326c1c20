"""Warnings (警示) to a CQO, with the evidence and the CQO's response on record (policy 五(三))."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance_site.files.uploads import UploadValidator
from alliance_site.members.models import CQOProfile


def evidence_path(instance, filename):
    return f"warning_evidence/{instance.profile_id}/{filename}"


class CQOWarning(models.Model):
    profile = models.ForeignKey(CQOProfile, verbose_name=_("CQO"), on_delete=models.PROTECT, related_name="warnings")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True)
    reason = models.TextField(_("reason"), max_length=2000)
    evidence = models.FileField(
        _("evidence"),
        upload_to=evidence_path,
        blank=True,
        validators=[UploadValidator("warning_evidence")],
        help_text=_("PDF or image, at most 5 MB."),
    )
    response = models.TextField(_("the CQO's response"), blank=True, max_length=2000)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("warning")
        verbose_name_plural = _("warnings")

    def __str__(self):
        return f"{self.profile} · {self.issued_at:%Y-%m-%d}"
