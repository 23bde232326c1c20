"""A member finds an event full and joins the waitlist; when a registered member cancels, the waitlisted
member is moved up, told by e-mail (with the calendar file) and sees their ticket.

The steps find things by address, name and attribute rather than by wording (the pages are in Chinese).
"""

import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from alliance_site.models import HomePage, ProfileStatus
from events import registration
from events.models import EventIndexPage, EventPage, Registration


def test_member_is_waitlisted_then_promoted_after_a_cancellation(page, browser_context, sign_in_as, make_profile):
    first = make_profile(status=ProfileStatus.ACTIVE, real_name="李先到").user
    second = make_profile(status=ProfileStatus.ACTIVE, real_name="王候补").user
    index = HomePage.objects.first().add_child(instance=EventIndexPage(title="活动与培训", slug="events"))
    starts = timezone.now() + timedelta(days=5)
    event = index.add_child(
        instance=EventPage(
            title="分组交流：供应链质量管理",
            slug="supply-chain",
            kind="group",
            mode="hybrid",
            summary="小范围分组交流。",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            venue="晋城市首席质量官之家活动室",
            online_url="https://meeting.example.cn/j/secret-room",
            capacity=1,
            live=True,
        )
    )
    registration.register(event, first)
    mail.outbox.clear()

    # The second member finds the event full and joins the waitlist.
    sign_in_as(second)
    page.goto(event.url)
    expect(page.locator(".registration-box")).not_to_contain_text("secret-room")
    page.locator(f".registration-box form[action='/my/events/{event.pk}/register/'] button").click()
    expect(page).to_have_url(re.compile(rf"{event.url}$"))
    expect(page.locator(".registration-box .notice-warn")).to_contain_text("1")
    assert Registration.objects.get(event=event, user=second).status == Registration.Status.WAITLISTED
    expect(page.locator("a[href^='https://meeting.example.cn']")).to_have_count(0)

    # The first member cancels from "my events".
    browser_context.clear_cookies()
    sign_in_as(first)
    page.goto("/my/events/")
    page.locator(f"form[action='/my/events/{event.pk}/cancel/'] button").click()
    expect(page).to_have_url(re.compile(r"/my/events/$"))
    assert Registration.objects.get(event=event, user=first).status == Registration.Status.CANCELLED

    # The second member has been moved up: told by e-mail, with the calendar file and the online link.
    promoted = Registration.objects.get(event=event, user=second)
    assert promoted.status == Registration.Status.CONFIRMED and promoted.promoted_at is not None
    waitlisted, moved_up = [m for m in mail.outbox if m.to == [second.email]]
    assert waitlisted.attachments == []
    [(filename, content, mimetype)] = moved_up.attachments
    assert filename == "event.ics" and mimetype.startswith("text/calendar")
    assert "secret-room" in (content.decode() if isinstance(content, bytes) else content)

    browser_context.clear_cookies()
    sign_in_as(second)
    page.goto(event.url)
    expect(page.locator(".registration-box .notice-ok")).to_be_visible()
    expect(page.locator("a[href='https://meeting.example.cn/j/secret-room']")).to_be_visible()
    page.locator(f".registration-box a[href='/my/events/tickets/{promoted.pk}/']").click()
    expect(page.locator(".ticket-code")).to_have_text(promoted.code)
    expect(page.locator(".qr svg")).to_be_visible()
