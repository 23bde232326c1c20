"""Two-factor sign-in: staff, regulators and administrators need an authenticator code; members may opt in.

These tests sign in through allauth's pages with `plain_client`, whose `force_login` records no second factor
(the suite's `client` counts one, as tests/clients.py explains).
"""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse

from alliance_site.accounts import roles
from alliance_site.models import CQOWarning, ProfileStatus
from tests import markup

from ..conftest import PASSWORD

pytestmark = pytest.mark.django_db

CMS = "/cms/"
ENGLISH = {"Accept-Language": "en"}


def totp_code(secret, period=30):
    """The authenticator app's current code (RFC 6238: HMAC-SHA1 over the 30-second step, 6 digits)."""
    import base64
    import hashlib
    import hmac
    import struct

    if period - time.time() % period < 2:  # too near the next step: the server might already be in it
        time.sleep(2)
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", int(time.time()) // period), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def confirmed(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client, user, next_url=None):
    url = reverse("account_login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"login": user.email, "password": PASSWORD})


def with_authenticator(user):
    """The user set up an authenticator app earlier: its secret and their recovery codes."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes = RecoveryCodes.activate(user)
    return secret, codes.get_unused_codes()


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def page_messages(response):
    return [str(message) for message in response.context["messages"]]


@pytest.fixture
def staff_member(staff):
    return confirmed(staff)


def test_staff_set_up_an_authenticator_on_first_sign_in_then_are_asked_for_its_code(plain_client, staff_member):
    client = plain_client
    # The admin sends a visitor to allauth's sign-in, which keeps where they were going.
    response = client.get(CMS)
    response = client.get(response["Location"])
    assert response["Location"] == f"{reverse('account_login')}?next={CMS}"
    response = sign_in(client, staff_member, next_url=CMS)
    assert response["Location"] == CMS

    # The password alone does not open the admin: the site says why and sends them to set up an app.
    response = client.get(CMS, headers=ENGLISH)
    assert response["Location"] == reverse("mfa_activate_totp")
    response = client.get(reverse("mfa_activate_totp"), follow=True, headers=ENGLISH)
    assert any("second factor" in message for message in page_messages(response))
    # allauth asks for the password once more before an authenticator is added.
    assert response.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
    response = client.post(response.redirect_chain[-1][0], {"password": PASSWORD})
    assert response["Location"] == reverse("mfa_activate_totp")

    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = markup.one(page, "input#authenticator_secret")["value"]
    assert re.fullmatch(r"[A-Z2-7]+", secret)
    main = markup.one(page, "main#main")
    assert any(image["src"].startswith("data:image/svg+xml;base64,") for image in main.select("img[src]"))  # the QR
    assert not main.select("script")

    refused = client.post(reverse("mfa_activate_totp"), {"code": "000000" if totp_code(secret) != "000000" else "1"})
    assert refused.status_code == 200 and refused.context["form"].errors
    assert not Authenticator.objects.filter(user=staff_member).exists()
    assert client.get(CMS).status_code == 302

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    codes = codes_page.context["unused_codes"]
    assert len(codes) == 10 and all(code in codes_page.content.decode() for code in codes)
    assert f'href="{CMS}"' in codes_page.content.decode()  # back to where the site sent them from
    assert client.get(CMS).status_code == 200

    # Next time: password, then the code. A wrong code is refused; the right one opens the admin.
    client.post(reverse("account_logout"))
    assert signed_in_user_id(client) is None
    response = sign_in(client, staff_member, next_url=CMS)
    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    assert client.get(CMS).status_code == 302
    refused = client.post(reverse("mfa_authenticate"), {"code": "000000" if totp_code(secret) != "000000" else "1"})
    assert refused.status_code == 200 and refused.context["form"].errors
    assert signed_in_user_id(client) is None
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response["Location"] == CMS
    assert signed_in_user_id(client) == str(staff_member.pk)
    assert client.get(CMS).status_code == 200


def test_a_recovery_code_signs_in_once_when_the_phone_is_lost(plain_client, staff_member):
    secret, codes = with_authenticator(staff_member)
    client = plain_client

    assert sign_in(client, staff_member, next_url=CMS)["Location"] == reverse("mfa_authenticate")
    response = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert response["Location"] == CMS
    assert client.get(CMS).status_code == 200

    client.post(reverse("account_logout"))
    sign_in(client, staff_member, next_url=CMS)
    used_again = client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert used_again.status_code == 200 and used_again.context["form"].errors
    assert signed_in_user_id(client) is None
    assert client.post(reverse("mfa_authenticate"), {"code": codes[1]})["Location"] == CMS
    assert signed_in_user_id(client) == str(staff_member.pk)


def test_a_session_without_the_second_factor_is_asked_for_the_code_and_returns_to_the_page(plain_client, staff_member):
    """A session signed in before the rule applied (or by any other way than allauth's code step)."""
    secret, _codes = with_authenticator(staff_member)
    plain_client.force_login(staff_member)
    response = plain_client.get(reverse("filings:list") + "?status=submitted")
    assert response["Location"] == reverse("mfa_reauthenticate") + "?next=%2Ffilings%2F%3Fstatus%3Dsubmitted"
    response = plain_client.post(response["Location"], {"code": totp_code(secret)})
    assert response["Location"] == reverse("filings:list") + "?status=submitted"
    assert plain_client.get(response["Location"]).status_code == 200


def test_without_a_second_factor_a_regulator_sees_no_filings_or_exports(plain_client, regulator):
    plain_client.force_login(confirmed(regulator))
    for url in [reverse("filings:list"), reverse("region_dashboard"), reverse("region_dashboard_export")]:
        response = plain_client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), url
    # allauth's pages, sign-out and the language switch stay open.
    assert plain_client.get(reverse("mfa_index")).status_code == 200
    assert plain_client.post(reverse("set_language"), {"language": "en", "next": "/"}).status_code == 302
    plain_client.post(reverse("account_logout"))
    assert signed_in_user_id(plain_client) is None


def test_without_a_second_factor_staff_cannot_warn_a_cqo(plain_client, staff_member, make_profile):
    cqo = make_profile(status=ProfileStatus.ACTIVE)
    plain_client.force_login(staff_member)
    response = plain_client.post(reverse("members:warn", args=[cqo.pk]), {"reason": "未按规定履职"})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert not CQOWarning.objects.exists()
    assert cqo.__class__.objects.get(pk=cqo.pk).status == ProfileStatus.ACTIVE
    assert not mail.outbox


def test_administrators_and_anyone_with_admin_access_need_it_for_the_admin(plain_client, admin_user, make_user):
    plain_client.force_login(confirmed(admin_user))
    assert plain_client.get(CMS)["Location"] == reverse("mfa_activate_totp")

    editors = Group.objects.create(name="editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    editor = confirmed(make_user("editor", groups=["editors"]))
    plain_client.force_login(editor)
    assert plain_client.get(CMS)["Location"] == reverse("mfa_activate_totp")
    # Admin access alone gives no power on the site itself.
    assert plain_client.get("/").status_code == 200


def test_a_member_promoted_to_staff_is_asked_on_the_next_request(plain_client, make_profile):
    member = confirmed(make_profile(status=ProfileStatus.ACTIVE).user)
    plain_client.force_login(member)
    assert plain_client.get(reverse("members:talent_pool")).status_code == 200
    member.groups.add(roles.group_of(roles.STAFF))
    assert plain_client.get(reverse("members:talent_pool"))["Location"] == reverse("mfa_activate_totp")


def test_staff_who_remove_their_authenticator_must_set_up_another_at_once(plain_client, staff_member):
    secret, _codes = with_authenticator(staff_member)
    sign_in(plain_client, staff_member)
    plain_client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert plain_client.get(CMS).status_code == 200

    deactivate = reverse("mfa_deactivate_totp")
    response = plain_client.get(deactivate)  # allauth asks for the password again first
    plain_client.post(response["Location"], {"password": PASSWORD})
    assert plain_client.post(deactivate)["Location"] == reverse("mfa_index")
    assert not Authenticator.objects.filter(user=staff_member).exists()
    assert plain_client.get(CMS)["Location"] == reverse("mfa_activate_totp")


def test_members_are_not_asked_but_may_opt_in(plain_client, make_profile):
    profile = make_profile(status=ProfileStatus.ACTIVE)
    member = confirmed(profile.user)
    sign_in(plain_client, member)
    page = plain_client.get(reverse("members:detail", args=[profile.pk]))
    assert page.status_code == 200
    assert reverse("mfa_index") in page.content.decode()  # the way to opt in, on their own profile
    assert reverse("mfa_index") in plain_client.get("/").content.decode()  # and in the header

    response = plain_client.get(reverse("mfa_activate_totp"))
    plain_client.post(response["Location"], {"password": PASSWORD})
    secret = plain_client.get(reverse("mfa_activate_totp")).context["form"].secret
    plain_client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()

    plain_client.post(reverse("account_logout"))
    assert sign_in(plain_client, member)["Location"] == reverse("mfa_authenticate")


def test_with_the_setting_off_staff_sign_in_with_the_password_alone(plain_client, staff_member, settings):
    settings.CQO_REQUIRE_SECOND_FACTOR = False
    sign_in(plain_client, staff_member)
    assert plain_client.get(CMS).status_code == 200
    assert plain_client.get(reverse("filings:list")).status_code == 200


def test_the_suites_client_counts_force_login_as_a_full_sign_in(client, staff):
    """The rest of the suite signs staff in with `client.force_login`: they must reach their pages."""
    client.force_login(staff)
    assert client.get(CMS).status_code == 200
    assert client.get(reverse("filings:list")).status_code == 200


def test_the_two_factor_pages_are_in_chinese_and_in_the_sites_frame(client, staff):
    client.force_login(staff)
    html = client.get(reverse("mfa_index")).content.decode()
    assert "双因素" in html
    assert 'class="site-header"' in html
    assert reverse("account_change_password") in html and reverse("account_email") in html
    assert "<script" not in html
