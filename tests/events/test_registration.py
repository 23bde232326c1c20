"""Registration: seats, the waitlist and its order, the registration window, cancelling and promotion, the
e-mail each change sends, and the member's own pages (my events, tickets).

The rules are exercised through the HTTP views where a person meets them (status codes, redirects) and through
`events.registration` where the order of events matters (queue times are given explicitly there). Mail is
sent by a django-tasks task after commit: `django_capture_on_commit_callbacks(execute=True)` runs it.
"""

from datetime import timedelta

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from events import registration
from events.models import EventPage, Registration
from events.notifications import without_email
from tests import markup

from .conftest import registration_of

ENGLISH = {"accept-language": "en"}
LINK = "https://meeting.example.cn/j/8848-quality"
Mode, Audience = EventPage.Mode, EventPage.Audience
CONFIRMED, WAITLISTED, CANCELLED = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.CANCELLED,
)


def register_url(event):
    return reverse("events:register", args=[event.pk])


def cancel_url(event):
    return reverse("events:cancel", args=[event.pk])


def statuses(event, people):
    return [registration_of(event, person).status for person in people]


def html_of(response):
    return response.content.decode()


def ics_attachments(message):
    """The (name, parsed calendar, mimetype) of each attachment of a mail."""
    found = []
    for name, content, mimetype in message.attachments:
        found.append((name, icalendar.Calendar.from_ical(content), mimetype))
    return found


def raw_attachment(message):
    [(_name, content, _mimetype)] = message.attachments
    return content.decode() if isinstance(content, bytes) else content


@pytest.fixture
def sent(django_capture_on_commit_callbacks, mailoutbox):
    """A context that runs the after-commit mail tasks of what happens inside it; the mail is in `mailoutbox`."""

    def capture():
        return django_capture_on_commit_callbacks(execute=True)

    return capture


# Seats and the waitlist --------------------------------------------------------------------------------------


def test_seats_are_confirmed_while_free_then_people_are_waitlisted(make_event, make_members):
    event = make_event(capacity=2)
    people = make_members(4)

    results = [registration.register(event, person) for person in people]

    assert [r.status for r in results] == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    assert statuses(event, people) == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    assert all(r.confirmed_at is not None for r in results[:2])
    assert all(r.confirmed_at is None and r.promoted_at is None for r in results[2:])
    assert registration.seats_taken(event) == 2


def test_the_register_view_confirms_then_waitlists_and_returns_to_the_event(make_event, make_members, client_for):
    event = make_event(capacity=1)
    first, second = make_members(2)

    confirmed = client_for(first).post(register_url(event), headers=ENGLISH, follow=True)
    assert confirmed.redirect_chain == [(event.url, 302)]
    assert "Your ticket and calendar file are in your e-mail." in html_of(confirmed)
    waitlisted = client_for(second).post(register_url(event), headers=ENGLISH, follow=True)

    assert waitlisted.redirect_chain == [(event.url, 302)]
    assert "The event is full: you are on the waitlist" in html_of(waitlisted)
    assert "You are number 1 on the waitlist." in html_of(waitlisted)
    assert statuses(event, [first, second]) == [CONFIRMED, WAITLISTED]


def test_nobody_jumps_the_waitlist_even_when_a_seat_is_free(make_event, make_members):
    """A seat may be free while people wait (the capacity raised without publishing, so without promotion):
    it is theirs, not a newcomer's."""
    event = make_event(capacity=1)
    seated, waiting, newcomer = make_members(3)
    registration.register(event, seated)
    registration.register(event, waiting)
    EventPage.objects.filter(pk=event.pk).update(capacity=5)
    event.refresh_from_db()

    late = registration.register(event, newcomer)

    assert late.status == WAITLISTED
    assert list(Registration.objects.filter(event=event).waitlisted().values_list("user", flat=True)) == [
        waiting.pk,
        newcomer.pk,
    ]


def test_an_event_without_a_limit_confirms_everyone(make_event, make_members):
    event = make_event(capacity=None)

    results = [registration.register(event, person) for person in make_members(6)]

    assert {r.status for r in results} == {CONFIRMED}


def test_registering_twice_returns_the_same_place(make_event, make_members, client_for, sent, mailoutbox):
    event = make_event(capacity=1)
    member, other = make_members(2)
    client = client_for(member)

    with sent():
        first = client.post(register_url(event))
        second = client.post(register_url(event))

    assert first.status_code == second.status_code == 302
    assert Registration.objects.filter(event=event, user=member).count() == 1
    assert len(mailoutbox) == 1  # a double click sends one confirmation
    again = registration.register(event, member)
    assert again.pk == registration_of(event, member).pk and again.status == CONFIRMED
    # A waitlisted person registering again stays where they are.
    waiting = registration.register(event, other)
    assert registration.register(event, other).queued_at == waiting.queued_at


def test_registering_again_after_cancelling_reuses_the_row_at_the_back_of_the_queue(make_event, make_members):
    event = make_event(capacity=1)
    seated, early, later = make_members(3)
    start = timezone.now()
    registration.register(event, seated, now=start)
    original = registration.register(event, early, now=start + timedelta(seconds=1))
    registration.register(event, later, now=start + timedelta(seconds=2))
    registration.cancel(original, by=early, now=start + timedelta(seconds=3))

    back = registration.register(event, early, now=start + timedelta(seconds=4))

    assert back.pk == original.pk and back.status == WAITLISTED
    assert back.queued_at == start + timedelta(seconds=4)
    assert back.cancelled_at is None
    assert Registration.objects.filter(event=event, user=early).count() == 1
    queue = list(Registration.objects.filter(event=event).waitlisted().values_list("user", flat=True))
    assert queue == [later.pk, early.pk]
    # And when a seat comes free, it goes to the one who now waited longer.
    registration.cancel(registration_of(event, seated), by=seated)
    assert statuses(event, [later, early]) == [CONFIRMED, WAITLISTED]


def test_registering_again_after_cancelling_takes_a_free_seat(make_event, member):
    event = make_event(capacity=1)
    place = registration.register(event, member)
    registration.cancel(place, by=member)

    again = registration.register(event, member)

    assert again.pk == place.pk and again.status == CONFIRMED
    assert again.confirmed_at is not None and again.cancelled_at is None


# The registration window and who may register ----------------------------------------------------------------


def refused(response, status, message):
    assert response.status_code == status
    assert message in html_of(response)


def test_registration_before_it_opens_is_refused_with_the_opening_time(make_event, member, client_for):
    opens = timezone.now() + timedelta(days=1)
    event = make_event(registration_opens_at=opens)

    with pytest.raises(registration.RegistrationError, match=f"{timezone.localtime(opens):%Y-%m-%d %H:%M}"):
        registration.register(event, member)
    response = client_for(member).post(register_url(event), headers=ENGLISH)

    refused(response, 409, f"Registration opens on {timezone.localtime(opens):%Y-%m-%d %H:%M}.")
    assert not Registration.objects.filter(event=event).exists()


def test_registration_after_it_closes_is_refused(make_event, member, client_for):
    event = make_event(registration_closes_at=timezone.now() - timedelta(minutes=1))

    response = client_for(member).post(register_url(event), headers=ENGLISH)

    refused(response, 409, "Registration is closed.")
    assert not Registration.objects.filter(event=event).exists()


def test_registration_closes_when_the_event_starts_whatever_the_window_says(make_event, member, client_for):
    event = make_event(starts_in=-timedelta(minutes=5), registration_closes_at=timezone.now() + timedelta(days=1))

    with pytest.raises(registration.RegistrationError):
        registration.register(event, member)
    response = client_for(member).post(register_url(event), headers=ENGLISH)

    refused(response, 409, "Registration is closed.")
    assert not Registration.objects.filter(event=event).exists()


def test_registration_inside_the_window_is_accepted(make_event, member):
    now = timezone.now()
    event = make_event(registration_opens_at=now - timedelta(days=1), registration_closes_at=now + timedelta(days=1))

    assert registration.register(event, member).status == CONFIRMED


def test_an_applicant_may_not_register_for_a_members_event(event, applicant, client_for):
    response = client_for(applicant).post(register_url(event), headers=ENGLISH)

    refused(response, 403, "This event is for members (CQOs with a filed appointment).")
    assert not Registration.objects.filter(event=event).exists()


def test_an_applicant_may_register_for_a_public_event(make_event, applicant, client_for):
    event = make_event(audience=Audience.PUBLIC)

    response = client_for(applicant).post(register_url(event))

    assert response.status_code == 302
    assert registration_of(event, applicant).status == CONFIRMED


@pytest.mark.parametrize("who", ["visitor", "member"])
@pytest.mark.parametrize("action", ["register", "cancel"])
def test_register_and_cancel_answer_get_with_405(event, member, client_for, who, action):
    url = reverse(f"events:{action}", args=[event.pk])

    response = client_for(member if who == "member" else None).get(url)

    assert response.status_code == 405
    assert not Registration.objects.filter(event=event).exists()


def test_a_visitor_who_registers_is_sent_to_sign_in(event, client):
    response = client.post(register_url(event))

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={register_url(event)}"
    assert not Registration.objects.filter(event=event).exists()


def test_no_registration_for_a_draft_a_private_or_a_missing_event(make_event, member, client_for):
    draft = make_event(live=False)
    private = make_event()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    client = client_for(member)

    assert client.post(register_url(draft)).status_code == 404
    assert client.post(register_url(private)).status_code == 404
    assert client.post(reverse("events:register", args=[987654])).status_code == 404
    assert not Registration.objects.exists()


# Cancelling and the waitlist moving up -----------------------------------------------------------------------


@pytest.fixture
def full_event(make_event, make_members):
    """One seat, taken; two people waiting, the second created first but queued later (order is by time)."""
    event = make_event(capacity=1, mode=Mode.HYBRID, online_url=LINK)
    seated, head, second = make_members(3)
    now = timezone.now()
    with without_email():
        registration.register(event, seated, now=now - timedelta(minutes=30))
        registration.register(event, second, now=now - timedelta(minutes=5))
        registration.register(event, head, now=now - timedelta(minutes=10))
    event.people = {"seated": seated, "head": head, "second": second}
    return event


def test_cancelling_gives_the_seat_to_the_head_of_the_waitlist(full_event, client_for, sent, mailoutbox):
    seated, head, second = full_event.people.values()

    with sent():
        response = client_for(seated).post(cancel_url(full_event))

    assert response.status_code == 302 and response["Location"] == full_event.url
    gone, promoted = registration_of(full_event, seated), registration_of(full_event, head)
    assert gone.status == CANCELLED and gone.cancelled_at is not None
    assert promoted.status == CONFIRMED
    assert promoted.promoted_at is not None and promoted.confirmed_at == promoted.promoted_at
    assert registration_of(full_event, second).status == WAITLISTED
    [message] = mailoutbox
    assert message.to == [head.email]
    assert full_event.title in message.subject
    assert promoted.code in message.body
    [(name, calendar, mimetype)] = ics_attachments(message)
    assert name == "event.ics" and mimetype == "text/calendar"
    assert [str(item["SUMMARY"]) for item in calendar.walk("VEVENT")] == [full_event.title]
    assert LINK in raw_attachment(message)  # the promoted person now has a seat, and the link


def test_cancelling_from_my_events_returns_there(full_event, client_for):
    response = client_for(full_event.people["seated"]).post(cancel_url(full_event), {"next": "mine"})

    assert response.status_code == 302 and response["Location"] == reverse("events:my_events")


def test_leaving_the_waitlist_promotes_nobody(full_event, client_for, sent, mailoutbox):
    seated, head, second = full_event.people.values()

    with sent():
        response = client_for(head).post(cancel_url(full_event))

    assert response.status_code == 302
    assert statuses(full_event, [seated, head, second]) == [CONFIRMED, CANCELLED, WAITLISTED]
    assert mailoutbox == []


def test_a_registration_cannot_be_cancelled_once_the_event_has_started(make_event, make_members, client_for):
    event = make_event(capacity=1, starts_in=-timedelta(minutes=10))
    seated, waiting = make_members(2)
    Registration.objects.create(event=event, user=seated, status=CONFIRMED, confirmed_at=timezone.now())
    Registration.objects.create(event=event, user=waiting, status=WAITLISTED)

    response = client_for(seated).post(cancel_url(event), headers=ENGLISH)

    refused(response, 409, "The event has started; a registration can no longer be cancelled.")
    assert statuses(event, [seated, waiting]) == [CONFIRMED, WAITLISTED]
    assert registration_of(event, seated).cancelled_at is None


def test_nobody_can_cancel_someone_elses_registration(full_event, make_members, client_for):
    seated = full_event.people["seated"]
    (stranger,) = make_members(1)

    assert client_for(stranger).post(cancel_url(full_event)).status_code == 404
    assert registration_of(full_event, seated).status == CONFIRMED


def test_cancelling_twice_is_a_404_and_changes_nothing(full_event, client_for):
    seated, head, second = full_event.people.values()
    client = client_for(seated)
    client.post(cancel_url(full_event))

    assert client.post(cancel_url(full_event)).status_code == 404
    assert statuses(full_event, [seated, head, second]) == [CANCELLED, CONFIRMED, WAITLISTED]


# A larger capacity published ---------------------------------------------------------------------------------


def test_capacity_changed_promotes_the_waitlist_in_order_and_tells_each(full_event, make_members, sent, mailoutbox):
    seated, head, second = full_event.people.values()
    (third,) = make_members(1)
    with without_email():
        registration.register(full_event, third)
    EventPage.objects.filter(pk=full_event.pk).update(capacity=3)

    with sent():
        promoted = registration.capacity_changed(full_event)

    assert [r.user for r in promoted] == [head, second]
    assert statuses(full_event, [seated, head, second, third]) == [CONFIRMED, CONFIRMED, CONFIRMED, WAITLISTED]
    assert sorted(m.to[0] for m in mailoutbox) == sorted([head.email, second.email])


def test_removing_the_limit_confirms_everyone_waiting(full_event):
    EventPage.objects.filter(pk=full_event.pk).update(capacity=None)

    promoted = registration.capacity_changed(full_event)

    assert len(promoted) == 2
    assert set(statuses(full_event, full_event.people.values())) == {CONFIRMED}


def test_a_smaller_capacity_promotes_nobody_and_demotes_nobody(full_event):
    EventPage.objects.filter(pk=full_event.pk).update(capacity=0)

    assert registration.capacity_changed(full_event) == []
    assert statuses(full_event, full_event.people.values()) == [CONFIRMED, WAITLISTED, WAITLISTED]


def admin_edit_data(event, **changes):
    """The admin's edit form for an event, as a browser would post it to publish."""
    local = timezone.localtime
    fields = {
        "title": event.title,
        "slug": event.slug,
        "summary": event.summary,
        "kind": event.kind,
        "mode": event.mode,
        "starts_at": f"{local(event.starts_at):%Y-%m-%d %H:%M}",
        "ends_at": f"{local(event.ends_at):%Y-%m-%d %H:%M}",
        "venue": event.venue,
        "online_url": event.online_url,
        "audience": event.audience,
        "capacity": event.capacity,
        "hours": event.hours,
        "level": event.level,
        "description": rich_text(""),
        "agenda": streamfield([]),
        "speakers": inline_formset([]),
        "materials": streamfield([]),
        "action-publish": "action-publish",
    }
    fields.update(changes)
    return nested_form_data({key: "" if value is None else value for key, value in fields.items()})


def test_publishing_a_larger_capacity_in_the_admin_promotes_the_waitlist(full_event, admin_user, client_for):
    seated, head, second = full_event.people.values()

    response = client_for(admin_user).post(
        reverse("wagtailadmin_pages:edit", args=[full_event.pk]), admin_edit_data(full_event, capacity=3)
    )

    assert response.status_code == 302, response.context["form"].errors if response.context else response
    full_event.refresh_from_db()
    assert full_event.capacity == 3
    assert statuses(full_event, [seated, head, second]) == [CONFIRMED, CONFIRMED, CONFIRMED]


def test_publishing_a_larger_capacity_promotes_the_waitlist(full_event):
    seated, head, second = full_event.people.values()

    full_event.capacity = 60
    full_event.save_revision().publish()

    assert statuses(full_event, [seated, head, second]) == [CONFIRMED, CONFIRMED, CONFIRMED]


# Confirmation e-mail -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [Mode.ONLINE, Mode.HYBRID])
def test_a_confirmation_carries_the_ics_with_the_online_link(make_event, member, client_for, sent, mailoutbox, mode):
    event = make_event(mode=mode, online_url=LINK, venue="" if mode == Mode.ONLINE else "太原市培训中心")

    with sent():
        client_for(member).post(register_url(event))

    [message] = mailoutbox
    place = registration_of(event, member)
    assert message.to == [member.email]
    assert event.title in message.subject
    assert place.code in message.body
    assert reverse("events:ticket", args=[place.pk]) in message.body
    [(name, calendar, mimetype)] = ics_attachments(message)
    assert (name, mimetype) == ("event.ics", "text/calendar")
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event.title
    assert LINK in raw_attachment(message)


def test_an_in_person_confirmation_has_an_ics_with_the_venue(event, member, sent, mailoutbox):
    with sent():
        registration.register(event, member)

    [message] = mailoutbox
    [(_name, calendar, _mimetype)] = ics_attachments(message)
    [vevent] = calendar.walk("VEVENT")
    assert "太原市培训中心" in str(vevent["LOCATION"])


def test_a_waitlist_mail_has_no_ics_and_no_ticket(make_event, make_members, sent, mailoutbox):
    event = make_event(capacity=1, mode=Mode.ONLINE, online_url=LINK, venue="")
    seated, waiting = make_members(2)
    with without_email():
        registration.register(event, seated)

    with sent():
        place = registration.register(event, waiting)

    [message] = mailoutbox
    assert place.status == WAITLISTED
    assert message.to == [waiting.email]
    assert event.title in message.subject
    assert message.attachments == []
    assert place.code not in message.body and LINK not in message.body


def test_no_mail_under_without_email(event, member, sent, mailoutbox):
    with sent() as callbacks, without_email():
        place = registration.register(event, member)

    assert place.status == CONFIRMED
    assert mailoutbox == [] and callbacks == []


def test_no_mail_to_a_person_without_an_address(event, make_profile, make_user, sent, mailoutbox):
    person = make_profile(make_user(email=""), status="active").user

    with sent():
        registration.register(event, person)

    assert mailoutbox == []


def test_no_mail_before_the_transaction_commits(event, member, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration.register(event, member)

    assert mailoutbox == []
    assert len(callbacks) == 1


# My events and tickets -----------------------------------------------------------------------------------------


def test_my_events_lists_my_upcoming_and_past_registrations_only(make_event, make_members, client_for):
    me, someone = make_members(2)
    soon = make_event(title="三天后的论坛", starts_in=timedelta(days=3))
    later = make_event(title="下周的培训", starts_in=timedelta(days=7), capacity=0)
    before = make_event(title="上月的参观", starts_in=-timedelta(days=30))
    dropped = make_event(title="我已取消的活动", starts_in=timedelta(days=5))
    theirs = make_event(title="别人报名的活动", starts_in=timedelta(days=4))
    hidden = make_event(title="已撤下的活动", starts_in=timedelta(days=6))
    now = timezone.now()
    Registration.objects.create(event=soon, user=me, status=CONFIRMED, confirmed_at=now)
    Registration.objects.create(event=later, user=me, status=WAITLISTED)
    Registration.objects.create(event=before, user=me, status=CONFIRMED, confirmed_at=now)
    Registration.objects.create(event=dropped, user=me, status=CANCELLED, cancelled_at=now)
    Registration.objects.create(event=theirs, user=someone, status=CONFIRMED, confirmed_at=now)
    Registration.objects.create(event=hidden, user=me, status=CONFIRMED, confirmed_at=now)
    hidden.unpublish()

    response = client_for(me).get(reverse("events:my_events"), headers=ENGLISH)

    assert response.status_code == 200
    assert [r.event.title for r in response.context["upcoming"]] == ["三天后的论坛", "下周的培训"]
    assert [r.event.title for r in response.context["past"]] == ["上月的参观"]
    html = html_of(response)
    for title in ("三天后的论坛", "下周的培训", "上月的参观"):
        assert title in html
    for title in ("我已取消的活动", "别人报名的活动", "已撤下的活动"):
        assert title not in html
    assert reverse("events:ticket", args=[registration_of(soon, me).pk]) in html
    assert reverse("events:ticket", args=[registration_of(later, me).pk]) not in html  # no ticket while waiting


def test_my_events_needs_a_signed_in_user(client):
    response = client.get(reverse("events:my_events"))

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.fixture
def ticket(event, member):
    return Registration.objects.create(event=event, user=member, status=CONFIRMED, confirmed_at=timezone.now())


def ticket_url(place):
    return reverse("events:ticket", args=[place.pk])


def test_the_owner_sees_the_ticket_with_its_code_and_qr_code(ticket, member, client_for):
    response = client_for(member).get(ticket_url(ticket), headers=ENGLISH)

    assert response.status_code == 200
    html = html_of(response)
    assert ticket.code in html and ticket.event.title in html
    [svg] = markup.one(response, "div.qr").find_all(recursive=False)  # the drawing itself, not an image of it
    assert svg.name == "svg" and svg.select("path.qrline")
    assert markup.text_of(svg.find("title")) == f"QR code of ticket {ticket.code}"


def test_staff_may_open_any_ticket(ticket, staff, client_for):
    response = client_for(staff).get(ticket_url(ticket))

    assert response.status_code == 200 and ticket.code in html_of(response)


def test_another_member_cannot_open_my_ticket(ticket, make_members, client_for):
    (other,) = make_members(1)

    assert client_for(other).get(ticket_url(ticket)).status_code == 404


@pytest.mark.parametrize("status", [WAITLISTED, CANCELLED])
def test_there_is_no_ticket_without_a_confirmed_place(event, member, staff, client_for, status):
    place = Registration.objects.create(event=event, user=member, status=status)

    assert client_for(member).get(ticket_url(place)).status_code == 404
    assert client_for(staff).get(ticket_url(place)).status_code == 404


def test_a_visitor_is_sent_to_sign_in_for_a_ticket(ticket, client):
    response = client.get(ticket_url(ticket))

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
