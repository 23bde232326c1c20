from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """One submission of a form that does something: the one-time token it carried and where its success led.

    The unique token is what makes a double click do the thing once (`alliance_site.common.submit_once`); rows are
    dropped after a day, when no browser will send the same form again.
    """

    token = models.CharField(_("token"), max_length=32, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True, db_index=True)
    location = models.CharField(_("led to"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("form submission")
        verbose_name_plural = _("form submissions")

    def __str__(self):
        return self.token
