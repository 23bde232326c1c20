"""A CQO's own profile (create, edit, privacy) and the profile page others see, as their cards allow."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from alliance_site import hooks
from alliance_site.accounts import roles
from alliance_site.accounts.access import allowed
from alliance_site.members.forms import CQOProfileForm, PrivacyForm
from alliance_site.models import (
    CQOProfile,
    ProfileStatus,
)
from alliance_site.talent import services as talent
from alliance_site.talent.forms import ContactRequestForm


def profile_queryset():
    return CQOProfile.objects.select_related("enterprise__county__parent", "user").prefetch_related(
        "expertise", "methods"
    )


@login_required
def my_profile(request):
    profile = roles.profile_of(request.user)
    if profile is None:
        return redirect("members:edit")
    return redirect("members:detail", pk=profile.pk)


@login_required
def edit_profile(request):
    profile = roles.profile_of(request.user)
    if profile is not None and profile.status == ProfileStatus.EXITED:
        raise PermissionDenied(_("An exited CQO's profile is kept as a record and can no longer be edited."))
    form = CQOProfileForm(request.POST or None, request.FILES or None, instance=profile)
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = form.save(request.user)
            except ValidationError as refused:  # a changed appointment that cannot be filed (eligibility)
                form.add_error(None, refused)
            else:
                if form.refiling is not None:
                    messages.success(
                        request, _("Your profile has been saved and your changed appointment is filed for review.")
                    )
                else:
                    messages.success(request, _("Your profile has been saved."))
                return redirect("members:detail", pk=saved.pk)
        return render(request, "alliance_site/profile_form.html", {"form": form, "profile": profile}, status=400)
    return render(request, "alliance_site/profile_form.html", {"form": form, "profile": profile})


def profile_detail(request, pk):
    profile = get_object_or_404(profile_queryset().visible_to(request.user), pk=pk)
    return render(request, "alliance_site/profile_detail.html", profile_detail_context(request, profile))


def profile_detail_context(request, profile):
    is_owner = profile.user_id == request.user.id
    # The record (status history, warnings, filings) is the owner's, staff's and their region's regulators'.
    user = request.user
    can_see_record = allowed(user, "alliance_site.see_profile_record", profile)
    may_request_contact = allowed(user, "alliance_site.request_contact", profile)
    context = {
        "profile": profile,
        "shown": profile.disclosed_to(request.user),
        "is_owner": is_owner,
        "may_request_contact": may_request_contact,
        "contact_form": ContactRequestForm() if may_request_contact else None,
        "revealed": talent.recent_reveal(request.user, profile) if may_request_contact else None,
        "can_see_record": can_see_record,
        "history": profile.status_history()[:20] if can_see_record else [],
        "memberships": profile.body_memberships.select_related("body", "chapter") if can_see_record else [],
        "filings": profile.filings.select_related("decided_by")[:10] if can_see_record else [],
        "warnings": profile.warnings.select_related("issued_by") if can_see_record else [],
        "may_sanction": allowed(user, "alliance_site.sanction_cqo", profile) and profile.status != ProfileStatus.EXITED,
        # Facts the apps keep about a CQO (training hours …), for those who may see the record.
        "app_facts": hooks.profile_facts(request, profile) if can_see_record else [],
    }
    return context


@login_required
def privacy_settings(request):
    """Who sees each part of my card, my talent-pool listing, my consent, and who asked for my contact."""
    profile = roles.profile_of(request.user)
    if profile is None:
        return redirect("members:edit")
    if profile.status == ProfileStatus.EXITED:
        raise PermissionDenied(_("An exited CQO's profile is kept as a record and can no longer be edited."))
    form = PrivacyForm(request.POST or None, instance=profile)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            form.save()
            if form.withdrew:
                messages.success(request, _("Your consent is withdrawn: nothing of your card is public any more."))
            else:
                messages.success(request, _("Your privacy settings have been saved."))
            return redirect("members:privacy")
        status = 400
    context = {
        "form": form,
        "profile": profile,
        "consents": profile.disclosure_consents.all()[:20],
        "reveals": talent.askers_shown_to(
            profile.contact_reveals.select_related("revealed_to__cqo_profile__enterprise__county")[:100], request.user
        ),
    }
    return render(request, "alliance_site/privacy_settings.html", context, status=status)
