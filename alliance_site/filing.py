"""Filing (备案): submit an appointment, and a regulator of the enterprise's region approves or returns it.

Approval makes the CQO active (member rights, and the enterprise counts as covered on the dashboard); a
return sends the profile back to applicant with the reasons, to be corrected and filed again. Both sides
hear of it by e-mail after the transaction commits; every step is a log entry on the profile.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from . import roles
from .links import absolute_url
from .models import Filing, ProfileStatus, RegionalRegulator


@transaction.atomic
def submit(profile, *, by):
    """File the profile's current appointment. Needs the letter, an applicant profile and no open filing."""
    if not profile.appointment_letter:
        raise ValidationError(_("Upload your appointment letter before you submit the filing."))
    if profile.filings.filter(status=Filing.Status.SUBMITTED).exists():
        raise ValidationError(_("Your filing is already awaiting review."))
    profile.change_status(ProfileStatus.FILING_SUBMITTED, by=by, reason=_("Appointment filed for review"))
    try:
        with transaction.atomic():
            filing = create_filing(profile, by)
    except IntegrityError as duplicate:  # a second click that raced the first past the check above
        raise ValidationError(_("Your filing is already awaiting review.")) from duplicate
    pk = filing.pk
    transaction.on_commit(lambda: filing_mail.enqueue(pk, "submitted"), robust=True)
    return filing


def create_filing(profile, by):
    return Filing.objects.create(
        profile=profile,
        enterprise=profile.enterprise,
        position=profile.position,
        appointment_date=profile.appointment_date,
        letter=profile.appointment_letter.name,
        submitted_by=by,
    )


def _decide(filing, by, status, reason):
    if not Filing.objects.reviewable_by(by).filter(pk=filing.pk).exists():
        raise PermissionDenied(_("Only a regulator of the enterprise's region reviews its filings."))
    locked = Filing.objects.select_for_update().get(pk=filing.pk)
    if locked.status != Filing.Status.SUBMITTED:
        raise ValidationError(_("This filing has already been decided."))
    locked.status, locked.reason = status, reason
    locked.decided_by, locked.decided_at = by, timezone.now()
    locked.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    return locked


@transaction.atomic
def approve(filing, *, by, note=""):
    filing = _decide(filing, by, Filing.Status.APPROVED, (note or "").strip())
    filing.profile.change_status(ProfileStatus.ACTIVE, by=by, reason=_("Appointment filing approved"))
    pk = filing.pk
    transaction.on_commit(lambda: filing_mail.enqueue(pk, "approved"), robust=True)
    return filing


@transaction.atomic
def return_for_correction(filing, *, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say what must be corrected; the CQO sees your reasons."))
    filing = _decide(filing, by, Filing.Status.RETURNED, reason)
    filing.profile.change_status(ProfileStatus.APPLICANT, by=by, reason=reason)
    pk = filing.pk
    transaction.on_commit(lambda: filing_mail.enqueue(pk, "returned"), robust=True)
    return filing


def regulators_of(enterprise):
    """The regulators whose region contains the enterprise's county (county, city and province)."""
    code = enterprise.county.code
    prefixes = {code, code[:4], code[:2]}
    # Only those who still hold the role: a withdrawn regulator keeps the record but hears of nothing.
    regulators = RegionalRegulator.objects.select_related("region", "user").filter(
        user__is_active=True, user__groups__name=roles.REGULATOR
    )
    return [r.user for r in regulators if r.region.code_prefix in prefixes]


@task()
def filing_mail(filing_id, event):
    """Tell the regulators of a new filing, and the CQO of the decision."""
    filing = Filing.objects.select_related("profile__user", "enterprise__county", "decided_by").filter(pk=filing_id)
    filing = filing.first()
    if filing is None:
        return 0
    prefix = getattr(settings, "ACCOUNT_EMAIL_SUBJECT_PREFIX", "")
    context = {"name": filing.profile.real_name, "enterprise": filing.enterprise.name}
    with translation.override(settings.LANGUAGE_CODE):
        if event == "submitted":
            recipients = [u.email for u in regulators_of(filing.enterprise) if u.email]
            subject = _("New CQO appointment filing: %(name)s, %(enterprise)s") % context
            body = [
                str(subject),
                "",
                _("Review it here: %(url)s") % {"url": absolute_url(reverse("filings:detail", args=[filing.pk]))},
            ]
        else:
            user = filing.profile.user
            recipients = [user.email] if user.is_active and user.email else []
            if event == "approved":
                subject = _("Your CQO appointment filing has been approved")
                body = [str(subject), "", _("You now have the rights of a member of the platform.")]
            else:
                subject = _("Your CQO appointment filing has been returned for correction")
                body = [str(subject), "", _("Reasons:"), filing.reason, "", _("Correct your profile and file again.")]
            body += ["", absolute_url(reverse("members:me"))]
        messages = [(prefix + str(subject), "\n".join(str(line) for line in body), None, [to]) for to in recipients]
    return send_mass_mail(messages) if messages else 0
