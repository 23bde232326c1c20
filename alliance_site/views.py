from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_site import hooks

from . import filing, roles, sanctions, talent
from .filters import TalentPoolFilter
from .forms import ContactRequestForm, CQOProfileForm, MembershipApplicationForm, PrivacyForm
from .models import (
    BodyMembership,
    BodyPage,
    CQOProfile,
    ProfileStatus,
)


def members_only(view):
    """Signed-in members only: visitors are sent to sign in, others get 403."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not (roles.is_member(request.user) or roles.is_staff(request.user)):
            raise PermissionDenied(_("This page is for CQO members."))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


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
    can_see_record = is_owner or roles.is_staff(request.user) or profile.is_overseen_by(request.user)
    may_request_contact = talent.may_request_contact(request.user, profile)
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
        "may_sanction": sanctions.may_sanction(request.user, profile) and profile.status != ProfileStatus.EXITED,
        # Facts the apps keep about a CQO (training hours …), for those who may see the record.
        "app_facts": hooks.profile_facts(request, profile)
        if can_see_record
        else [],
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


@login_required
@require_POST
def request_contact(request, pk):
    """Reveal a CQO's contact details: logged with its purpose, and listed on the CQO's privacy page."""
    profile = get_object_or_404(profile_queryset().visible_to(request.user), pk=pk)
    form = ContactRequestForm(request.POST)
    status = None
    if form.is_valid():
        try:
            talent.reveal_contact(profile, to=request.user, **form.cleaned_data)
        except talent.TooManyReveals as error:
            form.add_error(None, error)
            status = 429
        else:
            return redirect(reverse("members:detail", args=[profile.pk]) + "#contact")
    elif not talent.may_request_contact(request.user, profile):
        raise PermissionDenied(_("This CQO's contact details are not open to you."))
    context = profile_detail_context(request, profile)
    context["contact_form"] = form
    return render(request, "alliance_site/profile_detail.html", context, status=status or 400)


@login_required
@require_POST
def submit_filing(request):
    """The member sends their appointment for filing (备案): applicant → filing submitted."""
    profile = roles.profile_of(request.user)
    if profile is None:
        return redirect("members:edit")
    try:
        filing.submit(profile, by=request.user)
    except ValidationError as error:
        # The owner's own page again, with the reason on it; 409: the profile is not in a state to be filed.
        messages.error(request, " ".join(error.messages))
        context = profile_detail_context(request, profile_queryset().get(pk=profile.pk))
        return render(request, "alliance_site/profile_detail.html", context, status=409)
    messages.success(request, _("Your filing has been submitted for review."))
    return redirect("members:detail", pk=profile.pk)


@require_POST
def apply_membership(request, body_id):
    body = get_object_or_404(BodyPage.objects.live(), pk=body_id)
    if not request.user.is_authenticated:
        return redirect_to_login(body.url, login_url=reverse("account_login"))
    if not roles.is_member(request.user):
        raise PermissionDenied(_("Only filed CQOs may apply to join."))
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


@members_only
def talent_pool(request):
    """人才库: members who chose to be listed, found by what each lets members see."""
    user = request.user
    pool = TalentPoolFilter(request.GET, profile_queryset().in_talent_pool(), request=request)
    page = Paginator(pool.qs.order_by("real_name", "pk"), 24).get_page(request.GET.get("page"))
    for profile in page.object_list:
        profile.shown = profile.disclosed_to(user)
        # Expertise tags and quality methods often name the same thing (六西格玛): list each once.
        profile.skills = list(
            dict.fromkeys([*(t.name for t in profile.expertise.all()), *map(str, profile.methods.all())])
        )
    context = {
        "page_obj": page,
        "filterset": pool,
        "filters": pool.applied(),
        "query_string": pool.query_string(),
    }
    return render(request, "alliance_site/talent_pool.html", context)
