"""Registration, tickets, the 学习档案 and certificates, evaluation, staff check-in and reports, calendars.

Every view finds its objects through the requesting user: a person reaches only their own registrations,
tickets, records and certificates; check-in and reports are for staff. Anything else is a 404 or 403.
"""

from datetime import timedelta

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance_site.accounts import roles
from alliance_site.accounts.access import permission_required
from alliance_site.common import excel
from alliance_site.common.links import absolute_url
from alliance_site.models import BodyPage

from . import attendance, evaluations, exports, ical, registration
from .forms import EvaluationForm
from .models import EventPage, Registration, TrainingRecord, is_well_formed_code, normalise_code

CHECK_IN_LIST_LIMIT = 200


staff_only = permission_required(
    "events.run_events", gettext_lazy("Only the secretariat runs check-in and reads evaluation reports.")
)


def public_events():
    """Events anyone may see: live and under no view restriction."""
    return EventPage.objects.live().public()


def refuse(request, event, message, status, back=None):
    return render(request, "events/refused.html", {"event": event, "message": message, "back": back}, status=status)


# Registration ---------------------------------------------------------------------------------------


@require_POST
@login_required
def register(request, event_id):
    event = get_object_or_404(public_events(), pk=event_id)
    try:
        result = registration.register(event, request.user)
    except registration.RegistrationError as error:
        status = 403 if event.registration_open() else 409
        return refuse(request, event, error.messages[0], status)
    if result.is_confirmed:
        messages.success(request, _("You are registered. Your ticket and calendar file are in your e-mail."))
    else:
        messages.warning(
            request,
            _("The event is full: you are on the waitlist, and a place that comes free goes to you automatically."),
        )
    return redirect(event.url)


@require_POST
@login_required
def cancel(request, event_id):
    mine = Registration.objects.active().filter(user=request.user).select_related("event")
    entry = get_object_or_404(mine, event_id=event_id)
    try:
        registration.cancel(entry, by=request.user)
    except registration.RegistrationError as error:
        return refuse(request, entry.event, error.messages[0], 409)
    messages.success(request, _("Your registration is cancelled."))
    return redirect("events:my_events" if request.POST.get("next") == "mine" else entry.event.url)


@login_required
def my_events(request):
    now = timezone.now()
    registrations = list(
        Registration.objects.active()
        .filter(user=request.user, event__live=True)
        .select_related("event", "training_record", "evaluation")
        .order_by("-event__starts_at")
    )
    for item in registrations:
        item.can_evaluate = item.attended and item.event.ends_at <= now and not registration.has_evaluated(item)
    return render(
        request,
        "events/my_events.html",
        {
            "upcoming": [r for r in reversed(registrations) if r.event.ends_at >= now],
            "past": [r for r in registrations if r.event.ends_at < now],
        },
    )


def check_in_url(item):
    """What a ticket's QR code holds: the check-in page at this ticket, on the public address (a phone reads it)."""
    query = urlencode({"q": item.code})
    return absolute_url(reverse("events:check_in", args=[item.event_id]) + f"?{query}")


@login_required
def ticket(request, pk):
    tickets = Registration.objects.confirmed().visible_to(request.user).select_related("event", "user__cqo_profile")
    item = get_object_or_404(tickets, pk=pk)
    # The QR code opens the check-in page at this ticket for the staff member who scans it.
    qr = segno.make(check_in_url(item), error="m")
    svg = qr.svg_inline(scale=5, dark="#1b2a41", title=_("QR code of ticket %(code)s") % {"code": item.code})
    return render(request, "events/ticket.html", {"ticket": item, "event": item.event, "qr_svg": mark_safe(svg)})


# Training records and certificates -------------------------------------------------------------------


@login_required
def training(request):
    records = list(TrainingRecord.objects.of(request.user).select_related("event"))
    return render(
        request,
        "events/training.html",
        {
            "records": records,
            "summary": attendance.training_summary(records),
            "profile": roles.profile_of(request.user),
        },
    )


@login_required
def certificate(request, pk):
    records = (
        TrainingRecord.objects.visible_to(request.user)
        .filter(certificate_code__isnull=False)
        .select_related("user__cqo_profile__enterprise", "event__organizer")
    )
    record = get_object_or_404(records, pk=pk)
    return render(
        request,
        "events/certificate.html",
        {
            "record": record,
            "holder": roles.display_name(record.user),
            "code": attendance.format_code(record.certificate_code),
            "verify_url": absolute_url(
                reverse("certificate_verify") + "?" + urlencode({"code": record.certificate_code})
            ),
        },
    )


def verify(request):
    """Anyone may check a certificate's code; the page shows what the paper says, with the name masked."""
    typed = request.GET.get("code", "")
    context = {"typed": typed[:40], "record": None, "error": None}
    status = 200
    if typed:
        code = normalise_code(typed)
        if not is_well_formed_code(code, 12):
            context["error"] = _("A certificate code has 12 letters and digits, e.g. 7K3M-QX9D-2B4F.")
            status = 400
        else:
            record = attendance.certificate_with_code(code)
            if record is None:
                context["error"] = _("No certificate has this code. Check the code on the certificate.")
                status = 404
            else:
                context.update(
                    record=record,
                    holder=attendance.masked_name(roles.display_name(record.user)),
                    code=attendance.format_code(record.certificate_code),
                )
    return render(request, "events/verify.html", context, status=status)


# Evaluation -----------------------------------------------------------------------------------------


@login_required
def evaluate(request, event_id):
    mine = Registration.objects.filter(user=request.user, event_id=event_id).select_related("event")
    entry = get_object_or_404(mine)
    reason = evaluations.why_user_may_not_evaluate(entry)
    if reason:
        return refuse(request, entry.event, reason, 409 if entry.attended else 403)
    form = EvaluationForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            answer = form.save(commit=False)
            answer.registration = entry
            answer.save()
            messages.success(request, _("Thank you: your evaluation is recorded."))
            return redirect("events:my_events")
        return render(request, "events/evaluate.html", {"form": form, "event": entry.event}, status=400)
    return render(request, "events/evaluate.html", {"form": form, "event": entry.event})


# Staff: check-in and reports ------------------------------------------------------------------------


def managed_event(event_id):
    return get_object_or_404(EventPage.objects.select_related("organizer"), pk=event_id)


@staff_only
def check_in(request, event_id):
    event = managed_event(event_id)
    query = request.GET.get("q", "").strip()[:50]
    found = list(attendance.find_registrations(event, query)[:CHECK_IN_LIST_LIMIT])
    everyone = Registration.objects.filter(event=event)
    no_shows = []
    if event.has_started():
        no_shows = list(
            everyone.confirmed()
            .filter(attended_at__isnull=True)
            .select_related("user__cqo_profile__enterprise")
            .order_by("user__cqo_profile__real_name", "pk")
        )
    counts = everyone.aggregate(
        confirmed=Count("pk", filter=Q(status=Registration.Status.CONFIRMED)),
        attended=Count("pk", filter=Q(attended_at__isnull=False)),
        waitlisted=Count("pk", filter=Q(status=Registration.Status.WAITLISTED)),
    )
    return render(
        request,
        "events/check_in.html",
        {
            "event": event,
            "query": query,
            "found": found,
            "no_shows": no_shows,
            "counts": counts,
            "limited": len(found) == CHECK_IN_LIST_LIMIT,
        },
    )


@require_POST
@staff_only
def mark_attendance(request, event_id, pk):
    event = managed_event(event_id)
    entry = get_object_or_404(Registration.objects.filter(event=event).select_related("user__cqo_profile"), pk=pk)
    entry.event = event
    back = reverse("events:check_in", args=[event.pk]) + "?" + urlencode({"q": request.POST.get("q", "")[:50]})
    name = roles.display_name(entry.user)
    undo = request.POST.get("action") == "undo"
    try:
        (attendance.undo_check_in if undo else attendance.check_in)(entry, by=request.user)
    except attendance.CheckInError as error:
        return refuse(request, event, error.messages[0], 409, back=back)
    done = _("Check-in of %(name)s undone.") if undo else _("%(name)s is checked in.")
    messages.success(request, done % {"name": name})
    return redirect(back)


@staff_only
def evaluation_report(request, event_id):
    event = managed_event(event_id)
    return render(
        request, "events/evaluation_report.html", {"event": event, "report": evaluations.evaluation_report(event)}
    )


@staff_only
def evaluation_export(request, event_id):
    event = managed_event(event_id)
    workbook = exports.evaluation_workbook(evaluations.evaluation_report(event))
    return excel.workbook_response(workbook, f"event-{event.pk}-evaluations.xlsx")


# Calendars ------------------------------------------------------------------------------------------

CALENDAR_PAST_DAYS = 180
CALENDAR_LIMIT = 500


def ics_response(content, filename):
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar_events(events):
    since = timezone.now() - timedelta(days=CALENDAR_PAST_DAYS)
    return events.filter(ends_at__gte=since).select_related("city").order_by("starts_at")[:CALENDAR_LIMIT]


def event_calendar(request, event_id):
    event = get_object_or_404(public_events().select_related("city"), pk=event_id)
    return ics_response(ical.event_ics(event), f"event-{event.pk}.ics")


def public_calendar(request):
    events = calendar_events(public_events())
    return ics_response(ical.calendar_of(events, _("CQO Alliance events")), "events.ics")


def body_calendar(request, slug):
    body = get_object_or_404(BodyPage.objects.live().public(), slug=slug)
    events = calendar_events(public_events().filter(organizer=body))
    return ics_response(ical.calendar_of(events, body.title), f"{slug}.ics")
