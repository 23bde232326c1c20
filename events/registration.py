"""Registration: seats held by the database, a waitlist promoted in order, and who may register when.

Every change to an event's seats happens inside one transaction that first locks the event's row
(`SELECT … FOR UPDATE` on PostgreSQL), so sign-ups for the same event are decided one after another: the
count of confirmed seats read under the lock is the count the new row is judged against. Sign-ups for
different events never wait for each other. On SQLite, which has one writer at a time, every transaction takes
the database's write lock when it begins (`transaction_mode` IMMEDIATE, settings), so sign-ups queue for it
and are decided one after another all the same.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from alliance_site.accounts.access import allowed

from . import notifications
from .models import EventPage, Registration


class RegistrationError(ValidationError):
    """A registration the rules refuse; its message is for the person who tried."""


def lock_event(event):
    """Lock the event's own row until the transaction ends (a no-op on SQLite, whose transactions queue anyway)."""
    EventPage.objects.select_for_update(of=("self",)).filter(pk=event.pk).values_list("pk", flat=True).get()


def why_user_may_not_register(event, user, now=None):
    """None when the user may ask for a place now, else the reason in words for them."""
    if not user.is_authenticated:
        return _("Sign in to register.")
    if not allowed(user, "events.attend", event):
        return _("This event is for members (CQOs with a filed appointment).")
    now = now or timezone.now()
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration opens on %(date)s.") % {
            "date": timezone.localtime(event.registration_opens_at).strftime("%Y-%m-%d %H:%M")
        }
    if not event.registration_open(now):
        return _("Registration is closed.")
    return None


def seats_taken(event):
    return Registration.objects.filter(event=event).confirmed().count()


def register(event, user, now=None):
    """Give the user a seat if one is free and nobody is waiting, else a place at the back of the waitlist.

    Registering again while registered returns the existing registration unchanged (a double click, two
    tabs); registering after cancelling re-activates the same row, at the back of the queue.
    """
    reason = why_user_may_not_register(event, user, now)
    if reason:
        raise RegistrationError(reason)
    now = now or timezone.now()
    with transaction.atomic():
        lock_event(event)
        registration = Registration.objects.filter(event=event, user=user).first()
        if registration and registration.status != Registration.Status.CANCELLED:
            return registration
        counts = Registration.objects.filter(event=event).aggregate(
            confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
        )
        seat_free = event.capacity is None or counts["confirmed"] < event.capacity
        status = (
            Registration.Status.CONFIRMED if seat_free and not counts["waiting"] else Registration.Status.WAITLISTED
        )
        if registration is None:
            registration = Registration(event=event, user=user)
        registration.status = status
        registration.queued_at = now
        registration.confirmed_at = now if status == Registration.Status.CONFIRMED else None
        registration.promoted_at = registration.cancelled_at = None
        registration.save()
        log(registration, "events.registration.register", user=user)
        notifications.registration_changed(registration, "confirmed" if registration.is_confirmed else "waitlisted")
    return registration


def cancel(registration, by, now=None):
    """Cancel a registration (until the event starts) and give any freed seat to the waitlist."""
    now = now or timezone.now()
    event = registration.event
    if event.has_started(now):
        raise RegistrationError(_("The event has started; a registration can no longer be cancelled."))
    with transaction.atomic():
        lock_event(event)
        registration.refresh_from_db()
        if registration.status == Registration.Status.CANCELLED:
            return []
        registration.status = Registration.Status.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["status", "cancelled_at"])
        log(registration, "events.registration.cancel", user=by)
        return promote_waitlisted(event, now)


def promote_waitlisted(event, now=None):
    """Confirm people from the head of the waitlist while seats are free; each is told. Call under the lock
    (`cancel` does; an edit that raises the capacity goes through `capacity_changed`)."""
    now = now or timezone.now()
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - seats_taken(event)
        if free <= 0:
            return []
    waiting = Registration.objects.filter(event=event).waitlisted().select_related("user")
    promoted = list(waiting if free is None else waiting[:free])
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.confirmed_at = registration.promoted_at = now
        registration.save(update_fields=["status", "confirmed_at", "promoted_at"])
        log(registration, "events.registration.promote", user=None)
        notifications.registration_changed(registration, "promoted")
    return promoted


def capacity_changed(event):
    """After an edit is published: a larger capacity (or none) lets the waitlist move up."""
    if event.has_started():
        return []
    with transaction.atomic():
        lock_event(event)
        event = EventPage.objects.get(pk=event.pk)
        return promote_waitlisted(event)


def let_the_waitlist_move_up(sender, instance, **kwargs):
    """After an event is published: a larger capacity (or none) gives the free seats to the waitlist."""
    capacity_changed(instance)


def event_page_context(event, user):
    """What the event page shows this user: seats, their registration and what it lets them see."""
    counts = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
    )
    registration = None
    if user.is_authenticated:
        registration = Registration.objects.filter(event=event, user=user).select_related("evaluation").first()
        if registration and registration.status == Registration.Status.CANCELLED:
            registration = None
    if registration and registration.is_waitlisted:
        registration.waitlist_position = (
            Registration.objects.filter(event=event)
            .waitlisted()
            .filter(
                Q(queued_at__lt=registration.queued_at) | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
            )
            .count()
            + 1
        )
    # The online link and attendees' materials: for confirmed registrants (and staff running the event).
    runs_events = allowed(user, "events.run_events")
    insider = runs_events or bool(registration and registration.is_confirmed)
    seats_left = None if event.capacity is None else max(event.capacity - counts["confirmed"], 0)
    return {
        "registration": registration,
        "why_not": None if registration else why_user_may_not_register(event, user),
        "confirmed_count": counts["confirmed"],
        "waitlist_count": counts["waiting"],
        "seats_left": seats_left,
        "show_online_link": insider and event.is_online,
        "materials": [block.value for block in event.materials if insider or not block.value["attendees_only"]],
        "hidden_materials": sum(1 for block in event.materials if block.value["attendees_only"]) if not insider else 0,
        "is_event_staff": runs_events,
        "can_evaluate": bool(
            registration and registration.attended and event.has_ended() and not has_evaluated(registration)
        ),
    }


def has_evaluated(registration):
    try:
        return registration.evaluation is not None
    except Registration.evaluation.RelatedObjectDoesNotExist:
        return False
