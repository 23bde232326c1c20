"""A secretariat staff member's first sign-in: password, an authenticator app set up from the page, the
recovery codes, the admin; then "log out" in the admin's sidebar signs them out.

The steps find things by address, name and id rather than by wording (the pages are in Chinese).
"""

import re

from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from tests.alliance_site.test_second_factor import totp_code
from tests.conftest import PASSWORD


def test_staff_set_up_the_second_factor_reach_the_admin_and_sign_out_from_its_sidebar(page, staff):
    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto("/cms/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/cms/$"))
    page.locator("main input[name=login]").fill(staff.email)
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()

    # The password alone does not open the admin: a message says why, and allauth confirms the password first.
    expect(page).to_have_url(re.compile(r"/accounts/reauthenticate/"))
    expect(page.locator(".messages .message-warning")).to_be_visible()
    page.locator("main input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    qr_code = page.locator("main img[src^='data:image/svg+xml']")
    expect(qr_code).to_be_visible()
    assert qr_code.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code did not load (CSP img-src?)"
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("main input[name=code]").fill(totp_code(secret))
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    expect(page.locator("#recovery_codes")).to_have_value(re.compile(r"^(\d{8}\n){9}\d{8}$"))
    page.locator("main a[href='/cms/']").click()
    expect(page).to_have_url(re.compile(r"/cms/$"))
    expect(page.get_by_role("navigation").first).to_be_visible()

    # The sidebar's account menu posts "log out" to /cms/logout/, now allauth's sign-out.
    page.locator("#wagtail-sidebar button[aria-haspopup]", has=page.locator("img, .avatar")).last.click()
    page.locator("#wagtail-sidebar form[action='/cms/logout/'] button").click()
    expect(page).to_have_url(re.compile(r"/$"))
    page.goto("/cms/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    assert not [error for error in errors if "Content Security Policy" in error], errors
