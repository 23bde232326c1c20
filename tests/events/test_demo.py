"""The demo events `manage.py seed_demo` adds: every kind, past and upcoming, registrations, attendance, training
records with certificates and evaluations, and the demo member's own events; seeding again adds nothing, and no
registrant is e-mailed.

The demo seed (core, cases, competitions, forums, events) takes a while, so it is made once for this module inside
a transaction that is rolled back afterwards; each test runs in a savepoint within it. Every test asks for `db`, so
that pytest-django's ordering (database tests first) keeps them together and the seed runs once. The after-commit
callbacks the seed leaves (where registration e-mail would be sent) are run, so that any e-mail it asked for reaches
the outbox.
"""

import io
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.test import TestCase
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from alliance_site.models import CQOProfile
from events import attendance, demo, registration
from events.models import Evaluation, EventIndexPage, EventPage, Registration, TrainingRecord
from tests.alliance_site.helpers import ENGLISH, text

User = get_user_model()
SLUGS = [spec[0] for spec in demo.EVENTS]


def seed_demo():
    """`manage.py seed_demo`, running the after-commit callbacks it leaves; (output, e-mail sent)."""
    output = io.StringIO()
    outbox = len(mail.outbox)
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", stdout=output)
    return output.getvalue(), mail.outbox[outbox:]


def event_mail(messages):
    """The e-mail about one of the demo events (other apps' mail is theirs to test)."""
    titles = [spec[1] for spec in demo.EVENTS]
    return [message for message in messages if any(title in message.subject for title in titles)]


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """`manage.py seed_demo` once for the module; everything is rolled back after the last test."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        mail.outbox = []
        output, sent = seed_demo()
        yield SimpleNamespace(output=output, mail=sent)
        transaction.set_rollback(True)


def counts():
    return {
        "events": EventPage.objects.count(),
        "registrations": Registration.objects.count(),
        "attended": Registration.objects.filter(attended_at__isnull=False).count(),
        "training records": TrainingRecord.objects.count(),
        "evaluations": Evaluation.objects.count(),
        "statuses": sorted(Registration.objects.values_list("pk", "status")),
    }


@pytest.fixture
def member(demo_site, db):
    return User.objects.get(username="member")


def by_slug(slug):
    return EventPage.objects.get(slug=slug)


# Seeding ---------------------------------------------------------------------------------------------------


def test_the_seed_reports_the_events(demo_site, db):
    assert f"Events: {len(demo.EVENTS)} added" in demo_site.output


def test_every_kind_of_event_is_published_past_and_upcoming(demo_site, db):
    index = EventIndexPage.objects.get()
    assert index.live
    events = list(EventPage.objects.child_of(index).filter(slug__in=SLUGS))
    assert len(events) == len(demo.EVENTS) == len(SLUGS)
    assert all(event.live for event in events)
    assert {event.kind for event in events} == set(EventPage.Kind.values)
    now = timezone.now()
    past = [event for event in events if event.ends_at < now]
    upcoming = [event for event in events if event.starts_at > now]
    assert len(past) == 5 and len(upcoming) == 6
    assert len({event.kind for event in past}) >= 4 and len({event.kind for event in upcoming}) >= 4
    assert {event.mode for event in events} == set(EventPage.Mode.values)
    for event in events:
        event.full_clean()  # every demo event would pass the editor's own checks


def test_past_events_were_played_through_check_in(demo_site, db):
    now = timezone.now()
    for event in EventPage.objects.filter(slug__in=SLUGS, ends_at__lt=now):
        registrations = Registration.objects.filter(event=event)
        attended = registrations.filter(attended_at__isnull=False)
        assert attended.count() > registrations.count() / 2, event.slug
        assert not attended.exclude(status=Registration.Status.CONFIRMED).exists()
        assert not attended.filter(checked_in_by__isnull=True).exists()
        records = TrainingRecord.objects.filter(event=event)
        assert event.credits_training
        assert records.count() == attended.count(), event.slug
        assert set(records.values_list("registration", flat=True)) == set(attended.values_list("pk", flat=True))
        for record in records:
            assert (record.hours, record.level, record.source) == (event.hours, event.level, "event")
            assert record.date == timezone.localdate(event.starts_at)
            assert len(record.certificate_code) == 12
            assert attendance.certificate_with_code(record.certificate_code) == record
        answers = Evaluation.objects.filter(registration__event=event)
        assert answers.exists(), event.slug
        assert not answers.filter(registration__attended_at__isnull=True).exists()
        assert not answers.filter(submitted_at__lt=event.ends_at).exists()
    assert len(set(TrainingRecord.objects.values_list("certificate_code", flat=True))) == TrainingRecord.objects.count()
    past = Registration.objects.filter(event__slug__in=SLUGS, event__ends_at__lt=now)
    assert past.filter(attended_at__isnull=True).exists()  # about one in five did not come


def test_upcoming_events_have_sign_ups_and_a_waitlist(demo_site, db):
    now = timezone.now()
    upcoming = EventPage.objects.filter(slug__in=SLUGS, starts_at__gt=now)
    assert not Registration.objects.filter(event__in=upcoming, attended_at__isnull=False).exists()
    assert not Evaluation.objects.filter(registration__event__in=upcoming).exists()
    assert not TrainingRecord.objects.filter(event__in=upcoming).exists()
    for event in upcoming:
        confirmed = Registration.objects.filter(event=event).confirmed().count()
        assert event.capacity is None or confirmed <= event.capacity
        if event.registration_open(now):
            assert confirmed > 0, event.slug
        else:
            assert not Registration.objects.filter(event=event).exists(), event.slug
    full = by_slug("2026-group-supply-chain")
    assert Registration.objects.filter(event=full).confirmed().count() == full.capacity
    assert Registration.objects.filter(event=full).waitlisted().count() >= 2


def test_the_demo_member_has_a_seat_a_waitlist_place_and_an_evaluation_to_do(member):
    mine = {r.event.slug: r for r in Registration.objects.filter(user=member).select_related("event")}
    now = timezone.now()

    seat = mine["2026-basic-training-2"]
    assert seat.status == Registration.Status.CONFIRMED and seat.event.starts_at > now
    waiting = mine["2026-group-supply-chain"]
    assert waiting.status == Registration.Status.WAITLISTED and waiting.event.starts_at > now

    attended = {slug for slug, r in mine.items() if r.attended}
    assert attended == {"2026-basic-training-1", "2026-quality-forum-spring", "2026-excellence-capability"}
    evaluated = set(Evaluation.objects.filter(registration__user=member).values_list("registration__event__slug"))
    assert evaluated == {("2026-basic-training-1",), ("2026-quality-forum-spring",)}
    to_do = mine["2026-excellence-capability"]
    assert to_do.event.has_ended() and not Evaluation.objects.filter(registration=to_do).exists()


def test_the_demo_member_sees_them_on_my_events(client_for, member):
    html = text(client_for(member).get(reverse("events:my_events")))
    to_do = by_slug("2026-excellence-capability")
    assert reverse("events:evaluate", args=[to_do.pk]) in html
    assert reverse("events:evaluate", args=[by_slug("2026-basic-training-1").pk]) not in html
    assert by_slug("2026-basic-training-2").title in html and by_slug("2026-group-supply-chain").title in html
    assert client_for(member).get(reverse("events:evaluate", args=[to_do.pk])).status_code == 200


def test_the_demo_members_training_file_and_certificate(client_for, member):
    records = list(TrainingRecord.objects.filter(user=member))
    assert len(records) == 3 and all(record.certificate_code for record in records)
    client = client_for(member)
    html = text(client.get(reverse("events:training"), headers=ENGLISH))
    total = sum(record.hours for record in records)
    assert total == 31  # 12 basic + 3 continuing + 16 capability
    assert re.search(r"31(\.0)? training hours in all", html)
    record = records[0]
    certificate = client.get(reverse("events:certificate", args=[record.pk]))
    assert certificate.status_code == 200 and "王晓峰" in text(certificate)
    verified = client_for(None).get(reverse("certificate_verify"), {"code": record.certificate_code.lower()})
    assert verified.status_code == 200
    assert "王*峰" in text(verified) and "王晓峰" not in text(verified)


def test_staff_open_check_in_and_the_reports_of_the_demo_events(client_for, demo_site, db):
    client = client_for(User.objects.get(username="staff"))
    for slug in SLUGS:
        event = by_slug(slug)
        for name in ["events:check_in", "events:evaluation_report", "events:evaluation_export"]:
            assert client.get(reverse(name, args=[event.pk])).status_code == 200, (slug, name)


def test_a_second_seed_adds_nothing_and_sends_nothing(demo_site, db):
    before = counts()
    assert before["registrations"] and before["training records"] and before["evaluations"]

    output, sent = seed_demo()

    assert counts() == before
    assert "Events: 0 added" in output
    assert event_mail(sent) == []


def test_no_registrant_is_emailed_while_seeding(demo_site, db):
    assert event_mail(demo_site.mail) == []


def test_registering_outside_the_seed_does_send_the_mail(member, mailoutbox):
    """The control for the test above: the same after-commit path, without the seed's muting, sends one e-mail."""
    event = by_slug("2026-continuing-cost-of-quality")
    assert event.registration_open()
    newcomer = (
        CQOProfile.objects.members().exclude(user__event_registrations__event=event).select_related("user").first()
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        registration.register(event, newcomer.user)
    sent = event_mail(mailoutbox)
    assert len(sent) == 1 and sent[0].to == [newcomer.user.email]
