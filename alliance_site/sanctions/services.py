"""Warnings and exit (policy 五(三)): staff, or a regulator of the CQO's region, warn a CQO with a reason and
evidence, or exit them; the CQO is told by e-mail and may answer a warning once, on record. Every step is a
log entry on the profile. An exited CQO loses member rights and leaves the talent pool (`change_status`).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task
from wagtail.log_actions import log

from alliance_site.accounts.access import allowed
from alliance_site.common import mail
from alliance_site.common.links import absolute_url
from alliance_site.models import CQOProfile, CQOWarning, ProfileStatus

NOT_YOURS = gettext_lazy("Only the secretariat or a regulator of the CQO's region may do this.")


def _require(user, profile):
    if not allowed(user, "alliance_site.sanction_cqo", profile):
        raise PermissionDenied(NOT_YOURS)


@transaction.atomic
def issue_warning(profile, *, by, reason, evidence=None):
    _require(by, profile)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Give the reason for the warning; the CQO sees it."))
    if profile.status not in (ProfileStatus.ACTIVE, ProfileStatus.WARNED):
        raise ValidationError(_("Only an active CQO can be warned."))
    warning = CQOWarning.objects.create(profile=profile, issued_by=by, reason=reason, evidence=evidence or "")
    if profile.status == ProfileStatus.ACTIVE:
        profile.change_status(ProfileStatus.WARNED, by=by, reason=reason)
    log(instance=profile, action="alliance.profile.warning", user=by, data={"reason": reason})
    pk = warning.pk
    transaction.on_commit(lambda: sanction_mail.enqueue(profile.pk, "warning", pk), robust=True)
    return warning


@transaction.atomic
def exit_cqo(profile, *, by, reason):
    _require(by, profile)
    profile.change_status(ProfileStatus.EXITED, by=by, reason=reason)
    pk = profile.pk
    transaction.on_commit(lambda: sanction_mail.enqueue(pk, "exit", None), robust=True)


@transaction.atomic
def respond(warning, *, by, text):
    """The CQO's answer to a warning, once; it stays on the record beside the warning."""
    if warning.profile.user_id != by.pk:
        raise PermissionDenied
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Write your response."))
    updated = CQOWarning.objects.filter(pk=warning.pk, responded_at__isnull=True).update(
        response=text, responded_at=timezone.now()
    )
    if not updated:
        raise ValidationError(_("You have already responded to this warning; your response is on record."))
    log(instance=warning.profile, action="alliance.profile.warning_response", user=by, data={"response": text})


@task()
def sanction_mail(profile_id, kind, warning_id):
    profile = CQOProfile.objects.select_related("user").filter(pk=profile_id).first()
    if profile is None or not profile.user.email:
        return 0
    with translation.override(settings.LANGUAGE_CODE):
        if kind == "warning":
            warning = CQOWarning.objects.get(pk=warning_id)
            subject = _("A warning has been recorded on your CQO profile")
            lines = [
                _("Reason:"),
                warning.reason,
                "",
                _("You may respond on your profile page; your response is kept with the warning."),
            ]
        else:
            subject = _("You have exited the CQO register")
            lines = [_("Your member rights end and you leave the talent pool. Your history is kept.")]
        lines += ["", absolute_url(reverse("members:detail", args=[profile.pk]))]
        message = EmailMessage(mail.subject(subject), "\n".join(str(line) for line in lines), to=[profile.user.email])
    return mail.send([message], what=f"sanction {kind} of profile {profile_id}")
