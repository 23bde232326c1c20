"""E-mail to registrants, sent in the background (django-tasks) once the transaction has committed.

A confirmation and a promotion from the waitlist carry the event's .ics (with the online link: the person now
has a seat); a waitlist place says where they stand. Bulk work (the demo seed) mutes the mail.
"""

import contextlib
import contextvars

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from alliance_site.accounts import roles
from alliance_site.common import mail
from alliance_site.common.links import absolute_url

_muted = contextvars.ContextVar("event_mail_muted", default=False)


@contextlib.contextmanager
def without_email():
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def registration_changed(registration, kind):
    """Tell the person, after commit: kind is "confirmed", "waitlisted" or "promoted"."""
    if _muted.get() or not registration.user.email:
        return
    pk = registration.pk
    transaction.on_commit(lambda: send_registration_mail.enqueue(pk, kind), robust=True)


@task()
def send_registration_mail(registration_id, kind):
    from . import ical
    from .models import Registration

    registration = Registration.objects.select_related("event", "user__cqo_profile").filter(pk=registration_id).first()
    if registration is None or registration.status == Registration.Status.CANCELLED:
        return 0
    event = registration.event
    with translation.override(settings.LANGUAGE_CODE):
        subject = {
            "confirmed": _("Your place at “%(event)s” is confirmed"),
            "waitlisted": _("You are on the waitlist for “%(event)s”"),
            "promoted": _("A place has come free: you are now registered for “%(event)s”"),
        }[kind] % {"event": event.title}
        when = timezone.localtime(event.starts_at).strftime("%Y-%m-%d %H:%M")
        lines = [
            _("Dear %(name)s,") % {"name": roles.display_name(registration.user)},
            "",
            str(subject),
            "",
            _("When: %(when)s (Beijing time)") % {"when": when},
        ]
        if event.venue:
            lines.append(_("Where: %(venue)s") % {"venue": event.venue})
        if registration.is_confirmed:
            lines += [
                _("Your ticket code: %(code)s") % {"code": registration.code},
                _("Show your ticket at check-in: %(url)s")
                % {"url": absolute_url(reverse("events:ticket", args=[registration.pk]))},
                _("The attached .ics file adds the event to your calendar."),
            ]
        else:
            lines.append(
                _("If a place comes free you will be registered automatically, in order, and we will write again.")
            )
        lines += [
            "",
            _("Cancel or see your registrations: %(url)s") % {"url": absolute_url(reverse("events:my_events"))},
        ]
        message = EmailMessage(
            mail.subject(subject), "\n".join(str(line) for line in lines), to=[registration.user.email]
        )
        if registration.is_confirmed:
            message.attach("event.ics", ical.event_ics(event, for_registrant=True), "text/calendar")
    return mail.send([message], what=f"registration {registration_id} {kind}")
