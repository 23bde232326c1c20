"""Two-factor sign-in for the powerful roles (README, "Design notes").

Secretariat staff, regulators and administrators (and, for the admin, anyone with access to it) sign in with
their password and a code from an authenticator app: allauth's MFA, TOTP with one-time recovery codes. allauth
asks for the code at sign-in once an authenticator exists; the middleware here sees to it that one exists and
was used in the session before such a user reaches anything but allauth's own pages. Setting
`CQO_REQUIRE_SECOND_FACTOR` switches it (on in production and the tests, off under `make run`).
"""

from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY, get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.core import context
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_removed
from allauth.mfa.totp import forms as totp_forms
from django.conf import settings
from django.contrib import messages
from django.dispatch import receiver
from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from alliance_site.accounts import roles

# Where the middleware sent a user to set up their authenticator from; the recovery-code page links back.
NEXT_SESSION_KEY = "cqo_second_factor_next"
SECOND_FACTOR = "mfa"  # how allauth records a passed second factor among the session's authentications


def has_powerful_role(user):
    """Staff, regulators and administrators: they act on filings, warnings and exports."""
    return roles.is_staff(user) or roles.is_regulator(user)


def second_factor_required(request):
    """Whether this request's user must have passed a second factor to be served it."""
    user = request.user
    if not (settings.CQO_REQUIRE_SECOND_FACTOR and user.is_authenticated):
        return False
    if has_powerful_role(user):  # cached group names: no query
        return True
    # Admin access is a permission, not a role: asked only on the admin's pages, where Wagtail asks it anyway.
    return request.path_info.startswith(reverse("wagtailadmin_home")) and user.has_perm("wagtailadmin.access_admin")


def passed_second_factor(request):
    return any(record.get("method") == SECOND_FACTOR for record in get_authentication_records(request, request.user))


def open_without_second_factor(request):
    """allauth's pages (sign-out, password, e-mail, two-factor set-up and sign-in), the language switch, static
    files: what a user needs to add a second factor or leave."""
    if request.path_info.startswith(settings.STATIC_URL):
        return True
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.func.__module__.startswith("allauth.") or match.url_name == "set_language"


def require_second_factor(get_response):
    """Send a powerful user whose session has not passed a second factor to set one up or to enter a code."""

    def middleware(request):
        if (
            second_factor_required(request)
            and not passed_second_factor(request)
            and not open_without_second_factor(request)
        ):
            return redirect_to_second_factor(request)
        return get_response(request)

    return middleware


def redirect_to_second_factor(request):
    # Only a page can be returned to: a form posted without the second factor is dropped, nothing done.
    next_url = request.get_full_path() if request.method in ("GET", "HEAD") else None
    if next_url and not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = None  # "//elsewhere.example": a path that a browser reads as another site
    if Authenticator.objects.filter(user_id=request.user.pk, type=Authenticator.Type.TOTP).exists():
        messages.warning(
            request,
            _(
                "Secretariat staff, regulators and administrators sign in with a second factor. Enter the code "
                "from your authenticator app to continue."
            ),
        )
        url = reverse("mfa_reauthenticate")
        return HttpResponseRedirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)
    messages.warning(
        request,
        _(
            "Secretariat staff, regulators and administrators sign in with a second factor. Set up an "
            "authenticator app on your phone to continue; it takes a minute."
        ),
    )
    if next_url:
        request.session[NEXT_SESSION_KEY] = next_url
    return HttpResponseRedirect(reverse("mfa_activate_totp"))


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    """allauth's set-up form (MFA_FORMS). The code that proves the new authenticator also counts as this
    session's second factor, as the code asked at sign-in would; otherwise a user sent here by the middleware
    would be asked for a second code at once."""

    def clean_code(self):
        code = super().clean_code()
        record_authentication(context.request, self.user, SECOND_FACTOR, type=Authenticator.Type.TOTP)
        return code


@receiver(authenticator_removed)
def forget_second_factor(sender, request, user, authenticator, **kwargs):
    """A user who removes their authenticator (say, to set up a new phone) is asked for a new one at once."""
    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    records = get_authentication_records(request, user)
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [r for r in records if r.get("method") != SECOND_FACTOR]
