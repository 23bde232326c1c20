"""Staff check-in, the training records attendance earns, the 学习档案, certificates and their public verification.

Everything goes through the HTTP client (check-in page, mark attendance, training file, certificate, verify, the
admin's training records) and is checked in the database and on the page; `attendance`'s public functions are
called directly where a page cannot show the difference (masked names, the summary's arithmetic).
"""

import datetime
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from alliance_site.models import ProfileStatus
from events import attendance
from events.models import CODE_ALPHABET, Evaluation, EventPage, Registration, TrainingLevel, TrainingRecord
from tests import markup
from tests.alliance_site.helpers import ENGLISH, text

ROLES_REFUSED = ["member", "applicant", "judge", "moderator", "regulator"]
ROLES_ALLOWED = ["staff", "admin_user"]
CHECK_IN_BUDGET = 10  # 7 today, whatever the number of registrations


def url(name, *args):
    return reverse(name, args=args)


def said(message, **params):
    """A message as the site's default language (Chinese first) renders it into a page."""
    with translation.override(settings.LANGUAGE_CODE):
        translated = gettext(message)
    return escape(translated % params if params else translated)


def seat(event, user, status=Registration.Status.CONFIRMED, **fields):
    """A registration written directly (registration.register refuses events that have started)."""
    now = timezone.now()
    confirmed = status == Registration.Status.CONFIRMED
    return Registration.objects.create(
        event=event, user=user, status=status, confirmed_at=now if confirmed else None, **fields
    )


def listed_ids(page):
    """The registrations the check-in page lists in its table, by primary key."""
    return [int(row["id"].removeprefix("registration-")) for row in markup.select(page, 'tr[id^="registration-"]')]


def no_shows(page):
    """The check-in page's no-shows: (the count in the heading, the names listed); None without the section."""
    section = markup.maybe_one(page, 'section[aria-labelledby="no-shows-title"]')
    if section is None:
        return None
    names = [markup.text_of(item).split(" · ")[0] for item in section.select("li")]
    return markup.text_of(section.select_one("h2 .meta")), names


def who_is(request, name):
    return None if name == "visitor" else request.getfixturevalue(name)


@pytest.fixture
def running(make_event):
    """An event that started an hour ago and runs for three hours: check-in is open."""
    return make_event(starts_in=-timedelta(hours=1), hours=Decimal("6.5"), level=TrainingLevel.CAPABILITY)


@pytest.fixture
def person(make_profile):
    return make_profile(status=ProfileStatus.ACTIVE, real_name="张晓明").user


@pytest.fixture
def ticket(running, person):
    return seat(running, person)


# Who may run check-in and read the reports -------------------------------------------------------------------


STAFF_PAGES = ["events:check_in", "events:evaluation_report", "events:evaluation_export"]


@pytest.mark.parametrize("page", STAFF_PAGES)
def test_a_visitor_is_sent_to_sign_in_for_staff_pages(client_for, running, page):
    address = url(page, running.pk)
    response = client_for(None).get(address)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]


@pytest.mark.parametrize("who", ROLES_REFUSED)
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_only_the_secretariat_opens_check_in_and_reports(client_for, request, ticket, running, page, who):
    response = client_for(request.getfixturevalue(who)).get(url(page, running.pk))
    assert response.status_code == 403
    assert "张晓明" not in text(response) and ticket.code not in text(response)


@pytest.mark.parametrize("who", ROLES_ALLOWED)
@pytest.mark.parametrize("page", STAFF_PAGES)
def test_staff_and_administrators_open_check_in_and_reports(client_for, request, ticket, running, page, who):
    response = client_for(request.getfixturevalue(who)).get(url(page, running.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("who", ["visitor", *ROLES_REFUSED])
@pytest.mark.parametrize("action", ["check_in", "undo"])
def test_nobody_but_staff_can_mark_attendance(client_for, request, ticket, running, staff, who, action):
    if action == "undo":
        attendance.check_in(ticket, by=staff)
    before = Registration.objects.values("attended_at", "checked_in_by").get(pk=ticket.pk)
    records = TrainingRecord.objects.count()

    data = {"action": "undo"} if action == "undo" else {}
    response = client_for(who_is(request, who)).post(url("events:mark_attendance", running.pk, ticket.pk), data)

    if who == "visitor":
        assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == 403
    assert Registration.objects.values("attended_at", "checked_in_by").get(pk=ticket.pk) == before
    assert TrainingRecord.objects.count() == records


@pytest.mark.parametrize("who", ROLES_ALLOWED)
def test_staff_and_administrators_can_mark_attendance(client_for, request, ticket, running, who):
    user = request.getfixturevalue(who)
    response = client_for(user).post(url("events:mark_attendance", running.pk, ticket.pk))
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.attended and ticket.checked_in_by == user


def test_marking_attendance_needs_a_post(client_for, staff, ticket, running):
    response = client_for(staff).get(url("events:mark_attendance", running.pk, ticket.pk))
    assert response.status_code == 405
    ticket.refresh_from_db()
    assert not ticket.attended


def test_a_registration_is_marked_only_through_its_own_event(client_for, staff, ticket, make_event):
    other = make_event(starts_in=-timedelta(hours=1))
    response = client_for(staff).post(url("events:mark_attendance", other.pk, ticket.pk))
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert not ticket.attended
    assert not TrainingRecord.objects.exists()


# Finding a registration ------------------------------------------------------------------------------------


@pytest.fixture
def coded(running, person, make_profile):
    """A ticket whose code holds the digits 0 and 1 (the ones people type as O, I or L), and a neighbour."""
    mine = seat(running, person, code="0A1B2C3D")
    other = seat(running, make_profile(status=ProfileStatus.ACTIVE, real_name="李国庆").user, code="9Z8Y7X6W")
    return mine, other


@pytest.mark.parametrize(
    "typed",
    ["0A1B2C3D", "0a1b2c3d", "0A1B-2C3D", " 0a1b 2c3d ", "OA1B2C3D", "0AIB2C3D", "0alb-2c3d", "oaib 2c3d"],
)
def test_staff_find_a_ticket_by_its_code_however_it_was_typed(client_for, staff, running, coded, typed):
    mine, other = coded
    response = client_for(staff).get(url("events:check_in", running.pk), {"q": typed})
    assert response.status_code == 200
    assert listed_ids(text(response)) == [mine.pk]
    assert list(attendance.find_registrations(running, typed)) == [mine]


@pytest.mark.parametrize("typed", ["晓明", "张晓", "张晓明"])
def test_staff_find_a_registration_by_part_of_the_real_name(client_for, staff, running, coded, typed):
    mine, other = coded
    html = text(client_for(staff).get(url("events:check_in", running.pk), {"q": typed}))
    assert listed_ids(html) == [mine.pk]
    assert "张晓明" in html and mine.code in html


def test_a_code_that_is_nobodys_finds_nothing(client_for, staff, running, coded):
    response = client_for(staff).get(url("events:check_in", running.pk), {"q": "0A1B2C3E"}, headers=ENGLISH)
    assert listed_ids(text(response)) == []
    assert "No registration matches." in text(response)


def test_without_a_query_every_active_registration_of_the_event_is_listed(
    client_for, staff, running, coded, make_profile
):
    mine, other = coded
    waiting = seat(running, make_profile(status=ProfileStatus.ACTIVE).user, status=Registration.Status.WAITLISTED)
    gone = seat(running, make_profile(status=ProfileStatus.ACTIVE).user, status=Registration.Status.CANCELLED)
    html = text(client_for(staff).get(url("events:check_in", running.pk)))
    listed = listed_ids(html)
    assert sorted(listed) == sorted([mine.pk, other.pk, waiting.pk])
    assert listed[-1] == waiting.pk  # confirmed people first
    assert gone.pk not in listed and gone.code not in html


def test_cancelled_registrations_are_not_found(client_for, staff, running, make_profile):
    gone = seat(
        running,
        make_profile(status=ProfileStatus.ACTIVE, real_name="王取消").user,
        status=Registration.Status.CANCELLED,
    )
    client = client_for(staff)
    for typed in [gone.code, "王取消"]:
        html = text(client.get(url("events:check_in", running.pk), {"q": typed}))
        assert listed_ids(html) == [], typed
    assert not attendance.find_registrations(running, gone.code).exists()


def test_another_events_registrations_are_never_listed(client_for, staff, running, person, make_event):
    here = seat(running, person)
    elsewhere = seat(make_event(starts_in=-timedelta(hours=2)), person)
    client = client_for(staff)
    for typed in ["", "张晓明", elsewhere.code, here.code]:
        html = text(client.get(url("events:check_in", running.pk), {"q": typed}))
        assert elsewhere.pk not in listed_ids(html), typed
        if typed != elsewhere.code:  # (the query itself is echoed)
            assert elsewhere.code not in html, typed
    assert listed_ids(text(client.get(url("events:check_in", running.pk), {"q": elsewhere.code}))) == []


# Checking in ----------------------------------------------------------------------------------------------


def test_check_in_records_attendance_and_writes_one_training_record(client_for, staff, running, ticket):
    before = timezone.now()
    response = client_for(staff).post(url("events:mark_attendance", running.pk, ticket.pk), {"q": "张晓明"})

    assert response.status_code == 302
    assert response["Location"] == url("events:check_in", running.pk) + "?q=%E5%BC%A0%E6%99%93%E6%98%8E"
    ticket.refresh_from_db()
    assert before <= ticket.attended_at <= timezone.now()
    assert ticket.checked_in_by == staff
    record = TrainingRecord.objects.get()
    assert record.user == ticket.user and record.registration == ticket and record.event.pk == running.pk
    assert record.title == running.title
    assert (record.hours, record.level) == (Decimal("6.5"), TrainingLevel.CAPABILITY)
    assert record.date == timezone.localdate(running.starts_at)
    assert record.source == TrainingRecord.Source.EVENT
    assert len(record.certificate_code) == 12 and set(record.certificate_code) <= set(CODE_ALPHABET)
    assert record.created_by == staff


def test_the_record_is_dated_by_the_local_day_of_the_start(client_for, staff, make_event, person):
    """07:00 in Beijing is 23:00 of the day before in UTC: the record carries the Beijing date."""
    day = timezone.localdate() - timedelta(days=1)
    starts = timezone.make_aware(datetime.datetime(day.year, day.month, day.day, 7, 0))
    event = make_event(starts_in=starts - timezone.now())
    assert event.starts_at.astimezone(datetime.UTC).date() == day - timedelta(days=1)
    registration = seat(event, person)

    client_for(staff).post(url("events:mark_attendance", event.pk, registration.pk))

    assert TrainingRecord.objects.get(registration=registration).date == day


def test_the_page_confirms_the_check_in(client_for, staff, running, ticket):
    response = client_for(staff).post(url("events:mark_attendance", running.pk, ticket.pk), follow=True)
    html = text(response)
    assert said("%(name)s is checked in.", name="张晓明") in html
    assert "badge-ok" in html and 'name="action" value="undo"' in html


def test_a_double_tap_checks_in_once(client_for, staff, admin_user, running, ticket):
    client = client_for(staff)
    client.post(url("events:mark_attendance", running.pk, ticket.pk))
    ticket.refresh_from_db()
    first = ticket.attended_at
    code = TrainingRecord.objects.get().certificate_code

    response = client_for(admin_user).post(url("events:mark_attendance", running.pk, ticket.pk))

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.attended_at, ticket.checked_in_by) == (first, staff)
    assert TrainingRecord.objects.count() == 1
    assert TrainingRecord.objects.get().certificate_code == code
    assert attendance.check_in(ticket, by=staff).attended_at == first
    assert TrainingRecord.objects.count() == 1


@pytest.mark.parametrize("status", [Registration.Status.WAITLISTED, Registration.Status.CANCELLED])
def test_only_a_confirmed_registration_can_be_checked_in(client_for, staff, running, person, status):
    registration = seat(running, person, status=status)
    response = client_for(staff).post(url("events:mark_attendance", running.pk, registration.pk))

    assert response.status_code == 409
    with translation.override(settings.LANGUAGE_CODE):
        shown = registration.get_status_display()
    message = said("Only confirmed registrations can be checked in; this one is %(status)s.", status=shown)
    assert message in text(response)
    registration.refresh_from_db()
    assert registration.attended_at is None and registration.checked_in_by is None
    assert not TrainingRecord.objects.exists()


def test_check_in_opens_24_hours_before_the_start(client_for, staff, make_event, person):
    early = make_event(starts_in=timedelta(hours=25))
    registration = seat(early, person)
    response = client_for(staff).post(url("events:mark_attendance", early.pk, registration.pk))

    assert response.status_code == 409
    assert said("Check-in opens 24 hours before the event starts.") in text(response)
    registration.refresh_from_db()
    assert not registration.attended
    assert not TrainingRecord.objects.exists()


def test_check_in_is_open_from_24_hours_before_the_start(staff, make_event, person):
    event = make_event(starts_in=timedelta(days=3))
    registration = seat(event, person)
    with pytest.raises(attendance.CheckInError):
        attendance.check_in(registration, by=staff, now=event.starts_at - timedelta(hours=24, seconds=1))
    attendance.check_in(registration, by=staff, now=event.starts_at - timedelta(hours=24))
    registration.refresh_from_db()
    assert registration.attended_at == event.starts_at - timedelta(hours=24)
    assert TrainingRecord.objects.filter(registration=registration).count() == 1


def test_an_event_crediting_no_hours_records_attendance_only(client_for, staff, make_event, person):
    event = make_event(starts_in=-timedelta(hours=1), hours=Decimal("0"), level="")
    registration = seat(event, person)
    response = client_for(staff).post(url("events:mark_attendance", event.pk, registration.pk))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.attended
    assert not TrainingRecord.objects.exists()


def test_undo_removes_the_attendance_and_its_record(client_for, staff, running, ticket, make_profile):
    keeper = seat(running, make_profile(status=ProfileStatus.ACTIVE).user)
    client = client_for(staff)
    client.post(url("events:mark_attendance", running.pk, ticket.pk))
    client.post(url("events:mark_attendance", running.pk, keeper.pk))
    assert TrainingRecord.objects.count() == 2

    response = client.post(url("events:mark_attendance", running.pk, ticket.pk), {"action": "undo"}, follow=True)

    assert response.status_code == 200
    assert said("Check-in of %(name)s undone.", name="张晓明") in text(response)
    ticket.refresh_from_db()
    assert ticket.attended_at is None and ticket.checked_in_by is None
    assert not TrainingRecord.objects.filter(registration=ticket).exists()
    assert TrainingRecord.objects.filter(registration=keeper).count() == 1  # the neighbour keeps theirs

    client.post(url("events:mark_attendance", running.pk, ticket.pk))  # checked in again: a new record
    assert TrainingRecord.objects.filter(registration=ticket).count() == 1


def test_no_shows_are_the_confirmed_people_not_checked_in_once_the_event_started(
    client_for, staff, running, make_profile
):
    def person_named(name):
        return make_profile(status=ProfileStatus.ACTIVE, real_name=name).user

    came = seat(running, person_named("王到场"))
    seat(running, person_named("赵缺席"))
    seat(running, person_named("钱候补"), status=Registration.Status.WAITLISTED)
    seat(running, person_named("孙取消"), status=Registration.Status.CANCELLED)
    attendance.check_in(came, by=staff)

    # Not 王到场 (came), 钱候补 (waitlisted) or 孙取消 (cancelled).
    assert no_shows(client_for(staff).get(url("events:check_in", running.pk))) == ("(1)", ["赵缺席"])


def test_there_are_no_no_shows_before_the_event_starts(client_for, staff, make_event, person):
    soon = make_event(starts_in=timedelta(hours=2))
    seat(soon, person)
    html = text(client_for(staff).get(url("events:check_in", soon.pk)))
    assert no_shows(html) is None


def test_the_check_in_page_counts_attended_confirmed_and_waiting(client_for, staff, running, make_profile):
    people = [make_profile(status=ProfileStatus.ACTIVE).user for _ in range(5)]
    first, second, third = (seat(running, user) for user in people[:3])
    seat(running, people[3], status=Registration.Status.WAITLISTED)
    seat(running, people[4], status=Registration.Status.CANCELLED)
    attendance.check_in(first, by=staff)
    attendance.check_in(second, by=staff)
    html = text(client_for(staff).get(url("events:check_in", running.pk), headers=ENGLISH))
    assert "2 of 3 checked in" in html
    assert "1 on the waitlist" in html


def test_the_check_in_page_needs_as_many_queries_for_60_registrations_as_for_5(
    client_for, staff, running, make_profile, make_enterprise, django_assert_max_num_queries
):
    def fill(count):
        for n in range(count):
            registration = seat(
                running,
                make_profile(status=ProfileStatus.ACTIVE, enterprise=make_enterprise()).user,
                status=Registration.Status.WAITLISTED if n % 7 == 6 else Registration.Status.CONFIRMED,
            )
            if n % 3 == 0 and registration.is_confirmed:
                attendance.check_in(registration, by=staff)

    fill(5)
    client = client_for(staff)
    address = url("events:check_in", running.pk)
    client.get(address)
    with CaptureQueriesContext(connection) as five:
        assert len(listed_ids(text(client.get(address)))) == 5
    assert len(five.captured_queries) <= CHECK_IN_BUDGET, [q["sql"] for q in five.captured_queries]

    fill(55)
    with django_assert_max_num_queries(len(five.captured_queries)):
        html = text(client.get(address))
    assert len(listed_ids(html)) == 60
    absent = Registration.objects.filter(event=running, status="confirmed", attended_at__isnull=True).count()
    count, names = no_shows(html)
    assert (count, len(names)) == (f"({absent})", absent) and absent > 20


# The training file (学习档案) ---------------------------------------------------------------------------------


def record(user, level, hours, date, source=TrainingRecord.Source.EVENT, **fields):
    fields.setdefault("title", f"培训{level}{date}")
    if source == TrainingRecord.Source.EVENT:
        fields.setdefault("certificate_code", attendance.new_certificate_code())
    return TrainingRecord.objects.create(
        user=user, level=level, hours=Decimal(hours), date=date, source=source, **fields
    )


@pytest.fixture
def training_file(person, staff, member):
    """Records over two years and three levels, one of them external (entered by staff); and someone else's."""
    basic, capability, continuing = TrainingLevel.BASIC, TrainingLevel.CAPABILITY, TrainingLevel.CONTINUING
    records = [
        record(person, basic, "12", datetime.date(2025, 3, 8)),
        record(person, continuing, "3", datetime.date(2025, 6, 1)),
        record(
            person,
            continuing,
            "1.5",
            datetime.date(2025, 12, 31),
            source=TrainingRecord.Source.EXTERNAL,
            title="省外质量研修（外部）",
            provider="某省质量协会",
            created_by=staff,
        ),
        record(person, capability, "16", datetime.date(2026, 1, 1)),
        record(person, continuing, "2.5", datetime.date(2026, 4, 20)),
    ]
    theirs = record(member, basic, "40", datetime.date(2025, 5, 5), title="别人的培训")
    return records, theirs


def totals_table(page):
    """The rows of the hours-by-year table: {year or "All years": ([hours by level], total)}."""
    rows = {}
    for row in markup.select(page, 'section[aria-labelledby="totals-title"] table tr:has(> th[scope="row"])'):
        *levels, total = (Decimal(hours) for hours in markup.texts(row, "td.num"))
        rows[markup.text_of(row.th)] = (levels, total)
    return rows


def test_the_training_file_totals_hours_by_year_and_level(client_for, person, training_file):
    response = client_for(person).get(url("events:training"), headers=ENGLISH)
    assert response.status_code == 200
    html = text(response)
    rows = totals_table(html)
    # Levels in the order basic, capability, continuing.
    assert rows["2026"] == ([Decimal("0"), Decimal("16"), Decimal("2.5")], Decimal("18.5"))
    assert rows["2025"] == ([Decimal("12"), Decimal("0"), Decimal("4.5")], Decimal("16.5"))
    assert rows["All years"] == ([Decimal("12"), Decimal("16"), Decimal("7")], Decimal("35"))
    assert list(rows) == ["2026", "2025", "All years"]
    assert re.search(r"35(\.0)? training hours in all", html)


def test_the_training_file_lists_only_the_users_own_records(client_for, person, member, training_file):
    records, theirs = training_file
    html = text(client_for(person).get(url("events:training")))
    for item in records:
        assert escape(item.title) in html
    assert "省外质量研修（外部）" in html and "某省质量协会" in html
    assert "别人的培训" not in html
    assert url("events:certificate", theirs.pk) not in html
    external = records[2]
    assert url("events:certificate", external.pk) not in html  # no certificate for training held elsewhere
    assert url("events:certificate", records[0].pk) in html

    theirs_html = text(client_for(member).get(url("events:training"), headers=ENGLISH))
    assert "别人的培训" in theirs_html and "省外质量研修（外部）" not in theirs_html
    assert totals_table(theirs_html)["All years"][1] == Decimal("40")


def test_an_empty_training_file_says_so(client_for, member):
    html = text(client_for(member).get(url("events:training"), headers=ENGLISH))
    assert "No training recorded yet." in html
    assert "0 training hours in all." in html


def test_the_training_file_needs_sign_in(client_for, db):
    response = client_for(None).get(url("events:training"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_training_summary_adds_hours_by_year_and_level(person, training_file):
    records, _theirs = training_file
    summary = attendance.training_summary(TrainingRecord.objects.of(person))
    assert [row["year"] for row in summary["rows"]] == [2026, 2025]
    assert summary["rows"][0]["levels"] == [Decimal("0"), Decimal("16"), Decimal("2.5")]
    assert summary["rows"][1]["levels"] == [Decimal("12"), Decimal("0"), Decimal("4.5")]
    assert [row["total"] for row in summary["rows"]] == [Decimal("18.5"), Decimal("16.5")]
    assert summary["level_totals"] == [Decimal("12"), Decimal("16"), Decimal("7")]
    assert summary["total"] == Decimal("35")
    assert summary["levels"] == TrainingLevel.labels
    assert attendance.training_summary([])["total"] == 0


# Certificates ---------------------------------------------------------------------------------------------


@pytest.fixture
def certificate(client_for, staff, running, ticket):
    client_for(staff).post(url("events:mark_attendance", running.pk, ticket.pk))
    return TrainingRecord.objects.get(registration=ticket)


def formatted(code):
    return f"{code[:4]}-{code[4:8]}-{code[8:]}"


def test_the_owner_prints_the_certificate(client_for, person, certificate, running):
    response = client_for(person).get(url("events:certificate", certificate.pk), headers=ENGLISH)
    assert response.status_code == 200
    html = text(response)
    assert "张晓明" in html
    assert escape(running.title) in html
    assert "6.5 hours" in html
    code = certificate.certificate_code
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", formatted(code))
    assert f"<strong>{formatted(code)}</strong>" in html
    assert attendance.format_code(code) == formatted(code)
    assert reverse("certificate_verify") in html


def test_another_member_cannot_open_a_certificate(client_for, member, certificate):
    assert client_for(member).get(url("events:certificate", certificate.pk)).status_code == 404


def test_staff_open_anyones_certificate(client_for, staff, certificate):
    response = client_for(staff).get(url("events:certificate", certificate.pk))
    assert response.status_code == 200
    assert "张晓明" in text(response)


def test_a_visitor_is_sent_to_sign_in_for_a_certificate(client_for, certificate):
    response = client_for(None).get(url("events:certificate", certificate.pk))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_an_external_record_has_no_certificate(client_for, person, staff, training_file):
    external = training_file[0][2]
    assert external.certificate_code is None
    assert client_for(person).get(url("events:certificate", external.pk)).status_code == 404
    assert client_for(staff).get(url("events:certificate", external.pk)).status_code == 404


# Verifying a certificate (public) ---------------------------------------------------------------------------


@pytest.fixture
def known(person, running):
    return TrainingRecord.objects.create(
        user=person,
        title=running.title,
        level=TrainingLevel.CAPABILITY,
        hours=Decimal("6.5"),
        date=timezone.localdate(running.starts_at),
        source=TrainingRecord.Source.EVENT,
        event=running,
        certificate_code="0A1B2C3D4E5F",
    )


def test_anyone_can_verify_a_certificate_and_sees_a_masked_name(client_for, known, running):
    response = client_for(None).get(reverse("certificate_verify"), {"code": "0A1B-2C3D-4E5F"}, headers=ENGLISH)
    assert response.status_code == 200
    html = text(response)
    assert "张*明" in html and "张晓明" not in html
    assert escape(running.title) in html
    facts = {markup.text_of(term): markup.text_of(term.find_next_sibling("dd")) for term in markup.select(html, "dt")}
    assert facts["Hours"].startswith("6.5 · ")
    assert "0A1B-2C3D-4E5F" in html
    assert "Valid" in html


@pytest.mark.parametrize(
    "typed", ["0A1B2C3D4E5F", "0a1b2c3d4e5f", " 0A1B 2C3D 4E5F ", "OA1B-2C3D-4E5F", "0AIB-2C3D-4E5F", "oalb2c3d4e5f"]
)
def test_the_ways_people_type_a_code_all_verify(client_for, known, typed):
    response = client_for(None).get(reverse("certificate_verify"), {"code": typed})
    assert response.status_code == 200, typed
    assert "张*明" in text(response)


def test_the_verify_page_without_a_code_is_the_empty_form(client_for, db):
    response = client_for(None).get(reverse("certificate_verify"))
    assert response.status_code == 200
    assert 'class="errorlist"' not in text(response)


def test_an_unknown_code_is_not_found(client_for, known):
    response = client_for(None).get(reverse("certificate_verify"), {"code": "0A1B-2C3D-4E5G"})
    assert response.status_code == 404
    html = text(response)
    assert said("No certificate has this code. Check the code on the certificate.") in html
    assert "张*明" not in html and known.title not in html


@pytest.mark.parametrize("typed", ["0A1B2C3D", "0A1B2C3D4E5!", "0A1B_2C3D.4E5F", "<script>1</script>", "A" * 100])
def test_a_malformed_code_is_refused(client_for, known, typed):
    response = client_for(None).get(reverse("certificate_verify"), {"code": typed})
    assert response.status_code == 400, typed
    html = text(response)
    assert said("A certificate code has 12 letters and digits, e.g. 7K3M-QX9D-2B4F.") in html
    assert "张*明" not in html
    assert "<script>1</script>" not in html
    assert f'name="code" value="{escape(typed[:40])}"' in html  # what was typed is echoed, cut short


def test_an_undone_check_in_no_longer_verifies(client_for, staff, running, ticket, certificate):
    code = certificate.certificate_code
    assert client_for(None).get(reverse("certificate_verify"), {"code": code}).status_code == 200

    client_for(staff).post(url("events:mark_attendance", running.pk, ticket.pk), {"action": "undo"})

    response = client_for(None).get(reverse("certificate_verify"), {"code": formatted(code)})
    assert response.status_code == 404
    assert attendance.certificate_with_code(code) is None


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("", ""),
        ("张", "张"),
        ("张三", "张*"),
        ("张晓明", "张*明"),
        ("欧阳晓明", "欧**明"),
        (" 李四 ", "李*"),
        (None, ""),
    ],
)
def test_masked_name(name, shown):
    assert attendance.masked_name(name) == shown


# Training records in the admin ------------------------------------------------------------------------------


def test_staff_list_training_records_in_the_admin(client_for, staff, training_file):
    response = client_for(staff).get(reverse("training_records:index"))
    assert response.status_code == 200
    html = text(response)
    assert "省外质量研修（外部）" in html and "别人的培训" in html


def test_staff_add_an_external_training_record_in_the_admin(client_for, staff, person):
    client = client_for(staff)
    assert client.get(reverse("training_records:add")).status_code == 200
    response = client.post(
        reverse("training_records:add"),
        {
            "user": person.pk,
            "title": "ISO 9001 内审员培训",
            "level": TrainingLevel.CONTINUING,
            "hours": "8",
            "date": "2026-02-03",
            "provider": "某认证机构",
            "note": "凭结业证书录入",
        },
    )
    assert response.status_code == 302
    added = TrainingRecord.objects.get(title="ISO 9001 内审员培训")
    assert added.user == person
    assert added.source == TrainingRecord.Source.EXTERNAL
    assert (added.hours, added.date, added.level) == (Decimal("8"), datetime.date(2026, 2, 3), "continuing")
    assert added.certificate_code is None and added.registration is None

    html = text(client_for(person).get(url("events:training")))
    assert "ISO 9001 内审员培训" in html


def test_the_admin_records_who_entered_an_external_record(client_for, staff, person):
    client_for(staff).post(
        reverse("training_records:add"),
        {"user": person.pk, "title": "外部培训", "level": "basic", "hours": "4", "date": "2026-02-03"},
    )
    assert TrainingRecord.objects.get(title="外部培训").created_by == staff


@pytest.mark.parametrize("hours", ["0", "0.4", "200.5", "-1"])
def test_the_admin_refuses_hours_out_of_range(client_for, staff, person, hours):
    response = client_for(staff).post(
        reverse("training_records:add"),
        {"user": person.pk, "title": "外部培训", "level": "basic", "hours": hours, "date": "2026-02-03"},
    )
    assert response.status_code == 200  # the form again, with its error
    assert not TrainingRecord.objects.exists()


@pytest.mark.parametrize("who", ["member", "judge", "regulator"])
def test_others_cannot_reach_the_training_records_admin(client_for, request, person, who):
    client = client_for(request.getfixturevalue(who))
    listing = client.get(reverse("training_records:index"))
    assert listing.status_code in (302, 403)
    response = client.post(
        reverse("training_records:add"),
        {"user": person.pk, "title": "自己加的学时", "level": "basic", "hours": "100", "date": "2026-02-03"},
    )
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert not response["Location"].startswith(reverse("training_records:index"))
    assert not TrainingRecord.objects.filter(Q(title="自己加的学时") | Q(user=person)).exists()


def test_the_running_event_is_under_way(running):
    """Guard: the `running` fixture really is running (the tests above rely on it)."""
    fresh = EventPage.objects.get(pk=running.pk)
    assert fresh.has_started() and not fresh.has_ended() and fresh.credits_training


# Review follow-ups --------------------------------------------------------------------------------------


def test_a_code_typed_in_full_width_characters_verifies(client, certificate):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in certificate.certificate_code)
    response = client.get(reverse("certificate_verify"), {"code": full_width})
    assert response.status_code == 200
    assert escape(certificate.title) in response.content.decode()


def test_twelve_chinese_characters_are_refused_as_malformed(client, db):
    response = client.get(reverse("certificate_verify"), {"code": "首席质量官首席质量官首席"})
    assert response.status_code == 400


def test_a_check_in_cannot_be_undone_once_the_attendee_has_evaluated(client_for, staff, certificate):
    registration = certificate.registration
    Evaluation.objects.create(
        registration=registration,
        content=4,
        speakers=4,
        organisation=4,
        usefulness=4,
        knowledge_before=2,
        knowledge_after=4,
    )
    response = client_for(staff).post(
        reverse("events:mark_attendance", args=[registration.event_id, registration.pk]), {"action": "undo"}
    )
    assert response.status_code == 409
    registration.refresh_from_db()
    assert registration.attended_at is not None
    assert TrainingRecord.objects.filter(pk=certificate.pk).exists()
