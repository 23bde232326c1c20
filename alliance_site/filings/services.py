"""Filing (备案): submit an appointment, and a regulator of the enterprise's region approves or returns it.

Approval makes the CQO active (member rights, and the enterprise counts as covered on the dashboard); a
return sends the profile back to applicant with the reasons, to be corrected and filed again. Both sides
hear of it by e-mail after the transaction commits; every step is a log entry on the profile.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task
from wagtail.log_actions import log

from alliance_site.accounts import roles
from alliance_site.accounts.access import allowed
from alliance_site.common import mail
from alliance_site.common.links import absolute_url
from alliance_site.members.models import InvalidTransition
from alliance_site.models import Enterprise, Filing, ProfileStatus, RegionalRegulator


@transaction.atomic
def submit(profile, *, by):
    """File the profile's current appointment. Needs the letter, an applicant profile and no open filing."""
    if not profile.appointment_letter:
        raise ValidationError(_("Upload your appointment letter before you submit the filing."))
    if profile.filings.filter(status=Filing.Status.SUBMITTED).exists():
        raise ValidationError(_("Your filing is already awaiting review."))
    if profile.status != ProfileStatus.APPLICANT:
        # A filed CQO's changes are filed when they are saved (refile_after_change), never by this button.
        raise InvalidTransition(
            _("A CQO cannot go from “%(old)s” to “%(new)s”."),
            params={"old": profile.get_status_display(), "new": ProfileStatus.FILING_SUBMITTED.label},
        )
    profile.change_status(ProfileStatus.FILING_SUBMITTED, by=by, reason=_("Appointment filed for review"))
    try:
        with transaction.atomic():
            filing = create_filing(profile, by)
    except IntegrityError as duplicate:  # a second click that raced the first past the check above
        raise ValidationError(_("Your filing is already awaiting review.")) from duplicate
    pk = filing.pk
    transaction.on_commit(lambda: filing_mail.enqueue(pk, "submitted"), robust=True)
    return filing


def create_filing(profile, by, previous_status=ProfileStatus.APPLICANT):
    return Filing.objects.create(
        profile=profile,
        enterprise=profile.enterprise,
        position=profile.position,
        appointment_date=profile.appointment_date,
        letter=profile.appointment_letter.name,
        submitted_by=by,
        previous_status=previous_status,
    )


# What a filing records and the regulator approves: changing any of it in a filed appointment files it again.
FILED_FACTS = {
    "enterprise": lambda profile: profile.enterprise_id,
    "position": lambda profile: profile.position,
    "appointment_date": lambda profile: profile.appointment_date,
    "appointment_letter": lambda profile: profile.appointment_letter.name or "",
}
REFILED_STATUSES = (ProfileStatus.ACTIVE, ProfileStatus.WARNED, ProfileStatus.FILING_SUBMITTED)


def filed_facts(profile):
    return {name: read(profile) for name, read in FILED_FACTS.items()}


def changed_facts(before, profile):
    """The filed facts (names of FILED_FACTS) that differ from `before`, a `filed_facts` of the profile."""
    after = filed_facts(profile)
    return [name for name in FILED_FACTS if before[name] != after[name]]


def describe_change(changed):
    from alliance_site.models import CQOProfile

    facts = "、".join(str(CQOProfile._meta.get_field(name).verbose_name) for name in changed)
    return _("Appointment changed (%(facts)s); filed again for review") % {"facts": facts}


@transaction.atomic
def refile_after_change(profile, before, *, by):
    """File the appointment again when a filed CQO changed what the regulator approved, or what is under review.

    Otherwise a CQO could move a filing to another enterprise without review: a policy-target enterprise would
    count as covered, and the first region's regulators would lose sight of the CQO. The status returns to
    "filing submitted" (no member rights; the enterprise counts on the dashboard only on approval), an open
    filing is superseded by the new one, every earlier filing stays in the history, and the regulators of the
    old and the new enterprise's regions are told. Returns the new filing, or None when nothing filed changed.
    """
    changed = changed_facts(before, profile)
    if not changed or profile.status not in REFILED_STATUSES:
        return None
    reason = describe_change(changed)
    previous_status = profile.status
    superseded = Filing.objects.select_for_update().filter(profile=profile, status=Filing.Status.SUBMITTED).first()
    if superseded is not None:
        previous_status = superseded.previous_status
        superseded.status, superseded.reason = Filing.Status.SUPERSEDED, reason
        superseded.decided_at = timezone.now()
        superseded.save(update_fields=["status", "reason", "decided_at"])
        log(instance=profile, action="alliance.profile.refiled", user=by, data={"reason": reason})
    if profile.status != ProfileStatus.FILING_SUBMITTED:
        profile.change_status(ProfileStatus.FILING_SUBMITTED, by=by, reason=reason)
    filing = create_filing(profile, by, previous_status=previous_status)
    pk, moved_from = filing.pk, before["enterprise"]
    transaction.on_commit(lambda: filing_mail.enqueue(pk, "refiled", moved_from, changed), robust=True)
    return filing


def _decide(filing, by, status, reason):
    if not allowed(by, "alliance_site.review_filing", filing):
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
    if filing.previous_status == ProfileStatus.WARNED:
        # Filing a changed appointment does not lift a warning: it stays in force until staff lift it.
        filing.profile.change_status(
            ProfileStatus.WARNED, by=by, reason=_("The warning in force before the change stays in force")
        )
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
        user__is_active=True, user__groups__role__code=roles.REGULATOR
    )
    return [r.user for r in regulators if r.region.code_prefix in prefixes]


@task()
def filing_mail(filing_id, event, moved_from=None, changed=()):
    """Tell the regulators of a new filing, and the CQO of the decision.

    A re-filing ("refiled": `changed` names the filed facts that changed) goes to the regulators of the
    enterprise's region and, when the CQO moved, to those of the enterprise they left (`moved_from`, its id), who
    would otherwise lose sight of the CQO unawares.
    """
    filing = Filing.objects.select_related("profile__user", "enterprise__county", "decided_by").filter(pk=filing_id)
    filing = filing.first()
    if filing is None:
        return 0
    context = {"name": filing.profile.real_name, "enterprise": filing.enterprise.name}
    review = _("Review it here: %(url)s") % {"url": absolute_url(reverse("filings:detail", args=[filing.pk]))}
    with translation.override(settings.LANGUAGE_CODE):
        if event == "submitted":
            recipients = [u.email for u in regulators_of(filing.enterprise) if u.email]
            subject = _("New CQO appointment filing: %(name)s, %(enterprise)s") % context
            body = [str(subject), "", review]
        elif event == "refiled":
            regulators = regulators_of(filing.enterprise)
            left = Enterprise.objects.select_related("county").filter(pk=moved_from).first()
            if left is not None and left.pk != filing.enterprise_id:
                regulators += regulators_of(left)
            recipients = sorted({u.email for u in regulators if u.email})
            subject = _("Changed CQO appointment filed again: %(name)s, %(enterprise)s") % context
            body = [str(subject), ""]
            if left is not None and left.pk != filing.enterprise_id:
                body += [_("The CQO has left %(left)s for %(enterprise)s.") % {**context, "left": left.name}, ""]
            body += [describe_change(changed), "", review]
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
        text = "\n".join(str(line) for line in body)
        messages = [EmailMessage(mail.subject(subject), text, to=[to]) for to in recipients]
    return mail.send(messages, what=f"filing {filing.pk} {event}")
