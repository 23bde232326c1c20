"""Signing in to the admin: through allauth, like every other way in."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def admin_sign_in(request):
    """The admin's sign-in page (/cms/login/), and where the admin sends those it turns away: visitors to sign in
    through allauth, signed-in users with admin access on to the admin, others a 403."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.user.is_authenticated:
        if request.user.has_perm("wagtailadmin.access_admin"):
            return redirect(next_url or "wagtailadmin_home")
        raise PermissionDenied(
            _("Your account has no access to the administration. Sign out and sign in with a staff account.")
        )
    return redirect_to_login(next_url or reverse("wagtailadmin_home"), login_url=reverse("account_login"))
