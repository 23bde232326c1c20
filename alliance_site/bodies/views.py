"""Applying to join the Alliance or the Home of CQOs, from the body's page."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_site.accounts import roles
from alliance_site.accounts.access import require
from alliance_site.bodies.forms import MembershipApplicationForm
from alliance_site.models import (
    BodyMembership,
    BodyPage,
)


@require_POST
def apply_membership(request, body_id):
    body = get_object_or_404(BodyPage.objects.live(), pk=body_id)
    if not request.user.is_authenticated:
        return redirect_to_login(body.url, login_url=reverse("account_login"))
    require(request, "alliance_site.apply_to_body", body, _("Only filed CQOs may apply to join."))
    profile = roles.profile_of(request.user)
    if BodyMembership.objects.filter(profile=profile, body=body).exists():
        messages.info(request, _("You have already applied to join."))
        return redirect(body.url)
    form = MembershipApplicationForm(request.POST, body=body, instance=BodyMembership(profile=profile, body=body))
    if not form.is_valid():
        context = body.get_context(request)
        context.update(page=body, self=body, membership_form=form)
        return render(request, body.get_template(request), context, status=400)
    form.save()
    messages.success(request, _("Your application has been sent to the secretariat."))
    return redirect(body.url)
