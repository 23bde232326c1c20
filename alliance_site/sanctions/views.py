"""Warning and exiting a CQO on the site (staff, or regulators of the CQO's region), and the CQO's response."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_site.accounts.access import require
from alliance_site.members.views import profile_detail_context, profile_queryset
from alliance_site.models import CQOWarning
from alliance_site.sanctions import services as sanctions
from alliance_site.sanctions.forms import ExitForm, WarningForm


def sanctionable(request, pk):
    """The profile, if this user may see it (else 404) and may warn or exit its CQO (else 403)."""
    profile = get_object_or_404(profile_queryset().visible_to(request.user), pk=pk)
    require(request, "alliance_site.sanction_cqo", profile, sanctions.NOT_YOURS)
    return profile


def sanction_form(request, profile, form, title, action, status=200):
    context = {"profile": profile, "form": form, "title": title, "action": action}
    return render(request, "alliance_site/sanction_form.html", context, status=status)


def sanction_page(request, profile, form, title, action, perform, done):
    """The warn or exit form: a bad form is 400, a step the rules refuse 409, success back to the profile."""
    if request.method != "POST":
        return sanction_form(request, profile, form, title, action)
    if not form.is_valid():
        return sanction_form(request, profile, form, title, action, status=400)
    try:
        perform(form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return sanction_form(request, profile, form, title, action, status=409)
    messages.success(request, done % {"name": profile.real_name})
    return redirect("members:detail", pk=profile.pk)


@login_required
def warn(request, pk):
    profile = sanctionable(request, pk)
    return sanction_page(
        request,
        profile,
        WarningForm(request.POST or None, request.FILES or None),
        _("Warn %(name)s") % {"name": profile.real_name},
        "warn",
        lambda data: sanctions.issue_warning(
            profile, by=request.user, reason=data["reason"], evidence=data["evidence"]
        ),
        _("The warning is recorded and %(name)s is told."),
    )


@login_required
def exit_cqo(request, pk):
    profile = sanctionable(request, pk)
    return sanction_page(
        request,
        profile,
        ExitForm(request.POST or None),
        _("Exit %(name)s from the CQO register") % {"name": profile.real_name},
        "exit",
        lambda data: sanctions.exit_cqo(profile, by=request.user, reason=data["reason"]),
        _("%(name)s has exited; the history is kept."),
    )


@require_POST
@login_required
def respond(request, pk):
    warning = get_object_or_404(CQOWarning.objects.select_related("profile"), pk=pk, profile__user=request.user)
    try:
        sanctions.respond(warning, by=request.user, text=request.POST.get("response", "")[:2000])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        context = profile_detail_context(request, profile_queryset().get(pk=warning.profile_id))
        status = 409 if warning.responded_at else 400
        return render(request, "alliance_site/profile_detail.html", context, status=status)
    messages.success(request, _("Your response is recorded with the warning."))
    return redirect("members:detail", pk=warning.profile_id)
