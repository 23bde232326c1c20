"""Chromium reports no Content-Security-Policy violation on the site's pages and in the Wagtail admin.

The policy (alliance_site.common.headers, settings CONTENT_SECURITY_POLICY and CSP_EXCEPTIONS_BY_PATH) is strict on the
site and loosened in the admin only where Wagtail proved to need it. A browser is the only judge of that: it
reports every refused script, style, image or frame in the console, and this test fails on any such report.
The admin is used as an editor would: a case's edit page with its StreamField and rich text, the preview panel
(the previewed page is framed by the admin) and the document chooser.

The content is the demo seed (`manage.py seed_demo`): real pages with every kind of block.
"""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import CasePage
from events.models import EventPage, Registration

User = get_user_model()


@pytest.fixture
def demo_content(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())


@pytest.fixture
def violations(page):
    """The CSP violations Chromium reports in the console (it reports each refusal as an error there)."""
    reported = []
    page.on(
        "console",
        lambda message: reported.append(f"{page.url}: {message.text}")
        if "Content Security Policy" in message.text
        else None,
    )
    return reported


def visit(page, path):
    response = page.goto(path)
    assert response.status == 200, path
    assert "Content-Security-Policy" in {name.title() for name in response.headers}, path
    page.wait_for_load_state("networkidle")


def test_the_site_and_the_admin_run_without_a_policy_violation(demo_content, page, sign_in_as, violations):
    case = CasePage.objects.live().public().first()
    event = EventPage.objects.live().filter(registrations__status=Registration.Status.CONFIRMED).first()

    # A visitor: the home page, a case, an event.
    for path in ("/", case.url, event.url):
        visit(page, path)

    # A member: the same event, their profile and their ticket with its QR code (an inline SVG).
    member = User.objects.get(username="member")
    ticket = Registration.objects.filter(user=member, status=Registration.Status.CONFIRMED).first()
    sign_in_as(member)
    for path in (event.url, "/members/me/", f"/my/events/tickets/{ticket.pk}/"):
        visit(page, path)
    expect(page.locator("svg.segno")).to_be_visible()

    # An administrator edits the case: StreamField, rich text, the preview panel and the document chooser.
    sign_in_as(User.objects.get(username="admin"))
    visit(page, f"/cms/pages/{case.pk}/edit/")
    expect(page.locator(".Draftail-Editor").first).to_be_visible()
    page.locator("button[data-side-panel-toggle='preview']").click()
    preview = page.frame_locator("iframe#w-preview-iframe, .preview-panel iframe").first
    expect(preview.locator("h1")).to_contain_text(case.title)
    page.locator(".document-chooser [data-w-dropdown-target='toggle']").first.click()
    page.locator("[data-chooser-action-choose]:visible").first.click()
    modal = page.locator(".modal-dialog")
    expect(modal.locator("a[data-chooser-modal-choice]").first).to_be_visible()
    modal.locator("a[data-chooser-modal-choice]").first.click()
    expect(modal).to_be_hidden()
    page.wait_for_load_state("networkidle")

    assert violations == []


def test_a_violation_would_be_seen(page, live_server, violations):
    """The check itself: an inline script on a page of the site is refused and reported."""
    visit(page, "/")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1'; "
        "document.body.append(s); }"
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None
    assert any(re.search(r"script-src", text) for text in violations), violations
