"""Accounts through allauth: sign-up needs a confirmed e-mail, login is rate-limited, resets work."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from alliance_site.management.commands.compile_translations import catalogues, gaps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def sign_up(client, email="new.cqo@example.cn", password="Zhiliang-2026!"):
    return client.post(reverse("account_signup"), {"email": email, "password1": password, "password2": password})


def test_sign_up_requires_confirming_the_email(client):
    response = sign_up(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = get_user_model().objects.get(email="new.cqo@example.cn")
    assert len(mail.outbox) == 1
    # Until the address is confirmed, the new account cannot sign in.
    client.logout()
    response = client.post(reverse("account_login"), {"login": user.email, "password": "Zhiliang-2026!"})
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")

    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body).group(1)
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 302
    assert user.emailaddress_set.get().verified
    # Confirming signs the user in and sends them to their CQO profile, which they have yet to create.
    assert client.get(reverse("members:me")).url == reverse("members:edit")


@pytest.mark.parametrize(
    "data, message",
    [
        ({"email": "not-an-email", "password1": "Zhiliang-2026!", "password2": "Zhiliang-2026!"}, "email"),
        ({"email": "a@example.cn", "password1": "Zhiliang-2026!", "password2": "different-2026!"}, "password"),
        ({"email": "a@example.cn", "password1": "123", "password2": "123"}, "password1"),
    ],
)
def test_sign_up_refuses_bad_input_and_saves_nothing(client, data, message):
    response = client.post(reverse("account_signup"), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert message in str(response.context["form"].errors) or message in response.context["form"].errors
    assert not get_user_model().objects.exists()
    assert not mail.outbox


def test_sign_up_refuses_an_email_already_in_use(client, member):
    response = sign_up(client, email=member.email)
    assert response.status_code in (200, 302)
    assert get_user_model().objects.filter(email=member.email).count() == 1


def test_failed_logins_are_rate_limited(client, make_user):
    user = make_user("target")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    statuses = [
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"}).status_code for _ in range(8)
    ]
    # allauth allows five failures per account in five minutes, then refuses even the right password.
    assert statuses[:5] == [200] * 5
    response = client.post(reverse("account_login"), {"login": user.email, "password": "test-password-123"})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_the_failed_login_limit_is_per_account_whatever_host_the_request_names(client, make_user):
    """allauth keyed the per-account count by the request's host, port included: a Host header with another
    port (the host alone is checked against ALLOWED_HOSTS) started a fresh count for the same account."""
    user = make_user("target")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for port in range(1, 6):
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": "wrong"}, HTTP_HOST=f"127.0.0.1:{port}"
        )
        assert response.status_code == 200
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "test-password-123"}, HTTP_HOST="127.0.0.1:6"
    )
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_password_reset_sends_a_link(client, member):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_logout_signs_out(client, member):
    client.force_login(member)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_zh_hans_translations_are_complete_and_compiled():
    paths = list(catalogues())
    assert paths, "no translation catalogue found"
    for po_path in paths:
        from babel.messages.pofile import read_po

        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        assert not gaps(catalog), f"{po_path} has untranslated or fuzzy entries: {gaps(catalog)[:10]}"
        mo_path = po_path.with_suffix(".mo")
        assert mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime, "run compile_translations"


def test_zh_hans_translations_keep_their_placeholders():
    """A translation with a stray "%" (e.g. "覆盖率（%）") breaks `_("…%(part)s…") % {...}` at run time."""
    import re

    from babel.messages.pofile import read_po

    placeholder = re.compile(r"%\((\w+)\)[sdf]|%[sdf]|%%")
    for po_path in catalogues():
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        for message in catalog:
            if not message.id or "python-format" not in message.flags:
                continue
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for string in strings:
                assert set(placeholder.findall(string)) - {""} == set(placeholder.findall(msgid)) - {""}, string
                assert "%" not in placeholder.sub("", string), f"a stray % in {string!r} ({po_path.name})"


def test_the_interface_is_chinese_by_default(client):
    response = client.get("/")
    assert '<html lang="zh-hans">' in response.content.decode()
    assert "数据看板" in response.content.decode()


def test_signing_in_greets_the_person_by_name_never_by_login_name(client, make_profile):
    from allauth.account.models import EmailAddress

    profile = make_profile(real_name="王质量")
    user = profile.user
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "test-password-123"}, follow=True
    )

    greetings = [str(message) for message in response.context["messages"]]
    assert any("王质量" in greeting for greeting in greetings), greetings
    assert not any(user.username in greeting for greeting in greetings)
