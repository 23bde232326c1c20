"""Check-in, the training record attendance earns, certificates and the 学习档案 (training file)."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from .models import (
    Evaluation,
    Registration,
    TrainingLevel,
    TrainingRecord,
    normalise_code,
    random_code,
)

# Check-in opens this long before the start (people arrive early) and stays open afterwards for late entry.
CHECK_IN_OPENS_BEFORE = timedelta(hours=24)


class CheckInError(ValidationError):
    pass


def find_registrations(event, query):
    """Registrations of the event matching a ticket code (exactly) or a name (in part), confirmed first."""
    registrations = (
        Registration.objects.filter(event=event)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("user__cqo_profile__enterprise", "training_record")
        .order_by("status", "user__cqo_profile__real_name", "user__last_name", "pk")
    )
    query = (query or "").strip()[:50]
    if not query:
        return registrations
    code = normalise_code(query)
    by_name = (
        Q(user__cqo_profile__real_name__icontains=query)
        | Q(user__first_name__icontains=query)
        | Q(user__last_name__icontains=query)
        | Q(user__username__iexact=query)
    )
    return registrations.filter(Q(code=code) | by_name)


def check_in(registration, by, now=None):
    """Mark attendance; an event that credits hours writes the attendee's training record with a certificate."""
    now = now or timezone.now()
    event = registration.event
    if registration.status != Registration.Status.CONFIRMED:
        raise CheckInError(
            _("Only confirmed registrations can be checked in; this one is %(status)s.")
            % {"status": registration.get_status_display()}
        )
    if now < event.starts_at - CHECK_IN_OPENS_BEFORE:
        raise CheckInError(_("Check-in opens 24 hours before the event starts."))
    with transaction.atomic():
        updated = Registration.objects.filter(pk=registration.pk, attended_at__isnull=True).update(
            attended_at=now, checked_in_by=by
        )
        if not updated:  # already checked in (another door, a second tap)
            registration.refresh_from_db()
            return registration
        registration.attended_at, registration.checked_in_by = now, by
        log(registration, "events.registration.check_in", user=by)
        if event.credits_training:
            record_attendance(registration)
    return registration


def undo_check_in(registration, by):
    """A mistaken check-in: attendance and the training record it made go; the log keeps both steps."""
    if Evaluation.objects.filter(registration=registration).exists():
        # Only an attendee can evaluate: an evaluation is proof enough that the check-in was no mistake.
        raise CheckInError(_("This attendee has already evaluated the event; the check-in cannot be undone."))
    with transaction.atomic():
        TrainingRecord.objects.filter(registration=registration).delete()
        Registration.objects.filter(pk=registration.pk).update(attended_at=None, checked_in_by=None)
        registration.attended_at = registration.checked_in_by = None
        log(registration, "events.registration.undo_check_in", user=by)
    return registration


def record_attendance(registration):
    event = registration.event
    return TrainingRecord.objects.create(
        user=registration.user,
        title=event.title,
        level=event.level,
        hours=event.hours,
        date=timezone.localdate(event.starts_at),
        source=TrainingRecord.Source.EVENT,
        provider=event.organizer.title if event.organizer_id else "",
        registration=registration,
        event=event,
        certificate_code=new_certificate_code(),
        created_by=registration.checked_in_by,
    )


def new_certificate_code():
    """12 characters of Crockford base-32 (60 random bits), so codes cannot be guessed by trying."""
    for _attempt in range(5):
        code = random_code(12)
        if not TrainingRecord.objects.filter(certificate_code=code).exists():
            return code
    raise IntegrityError("could not draw a free certificate code")


def format_code(code):
    """A certificate code as printed: groups of four (XXXX-XXXX-XXXX)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def certificate_with_code(code):
    """The training record a well-formed, normalised certificate code names, or None."""
    return TrainingRecord.objects.filter(certificate_code=code).select_related("user__cqo_profile", "event").first()


def masked_name(name):
    """A name as a public page shows it: enough to match the paper, not enough to find the person (张*明)."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def training_summary(records):
    """Totals by year and level for the 学习档案: rows of (year, {level: hours}, total), newest year first."""
    by_year = defaultdict(lambda: defaultdict(Decimal))
    for record in records:
        by_year[record.date.year][record.level] += record.hours
    rows = []
    for year in sorted(by_year, reverse=True):
        levels = by_year[year]
        rows.append(
            {
                "year": year,
                "levels": [levels.get(level, Decimal("0")) for level in TrainingLevel.values],
                "total": sum(levels.values(), Decimal("0")),
            }
        )
    totals = [sum((row["levels"][i] for row in rows), Decimal("0")) for i in range(len(TrainingLevel.values))]
    return {"rows": rows, "level_totals": totals, "total": sum(totals, Decimal("0")), "levels": TrainingLevel.labels}
