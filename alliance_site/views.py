from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks

from . import filing, roles, sanctions
from .forms import CQOProfileForm, MembershipApplicationForm
from .models import BodyMembership, BodyPage, CQOProfile, Enterprise, Industry, ProfileStatus, Region


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
    return CQOProfile.objects.select_related("enterprise__county__parent", "user").prefetch_related("expertise")


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
            saved = form.save(request.user)
            messages.success(request, _("Your profile has been saved."))
            return redirect("members:detail", pk=saved.pk)
        return render(request, "alliance_site/profile_form.html", {"form": form, "profile": profile}, status=400)
    return render(request, "alliance_site/profile_form.html", {"form": form, "profile": profile})


def profile_detail(request, pk):
    profile = get_object_or_404(profile_queryset().visible_to(request.user), pk=pk)
    return render(request, "alliance_site/profile_detail.html", profile_detail_context(request, profile))


def profile_detail_context(request, profile):
    is_owner = profile.user_id == request.user.id
    can_see_record = is_owner or roles.is_staff(request.user) or roles.is_regulator(request.user)
    context = {
        "profile": profile,
        "is_owner": is_owner,
        "can_see_record": can_see_record,
        "history": profile.status_history()[:20] if can_see_record else [],
        "memberships": profile.body_memberships.select_related("body", "chapter") if can_see_record else [],
        "filings": profile.filings.select_related("decided_by")[:10] if can_see_record else [],
        "warnings": profile.warnings.select_related("issued_by") if can_see_record else [],
        "may_sanction": sanctions.may_sanction(request.user, profile) and profile.status != ProfileStatus.EXITED,
        # Facts the apps keep about a CQO (training hours …), for those who may see the record.
        "app_facts": [fact for fn in hooks.get_hooks("alliance_profile_facts") for fact in fn(request, profile)]
        if can_see_record
        else [],
    }
    return context


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
    """Where the Wagtail admin sends those it turns away: visitors to sign in, signed-in users a 403."""
    if request.user.is_authenticated:
        raise PermissionDenied(
            _("Your account has no access to the administration. Sign out and sign in with a staff account.")
        )
    return redirect_to_login(request.GET.get("next", "/cms/"), login_url=reverse("account_login"))


@members_only
def talent_pool(request):
    """人才库: members who chose to be listed, with filters by city, industry, title and expertise."""
    profiles = profile_queryset().in_talent_pool().visible_to(request.user)
    city = request.GET.get("city", "")
    industry = request.GET.get("industry", "")
    title = request.GET.get("title", "")
    query = request.GET.get("q", "").strip()[:50]
    if city:
        profiles = profiles.filter(enterprise__county__parent__code=city)
    if industry:
        profiles = profiles.filter(enterprise__industry=industry)
    if title:
        profiles = profiles.filter(title=title)
    if query:
        profiles = profiles.filter(
            Q(real_name__icontains=query) | Q(expertise__name__icontains=query) | Q(enterprise__name__icontains=query)
        ).distinct()
    page = Paginator(profiles.order_by("real_name", "pk"), 24).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "cities": Region.objects.filter(level=Region.Level.CITY),
        "industries": Industry.choices,
        "titles": CQOProfile._meta.get_field("title").choices,
        "filters": {"city": city, "industry": industry, "title": title, "q": query},
        "query_string": "".join(f"{urlencode({k: v})}&" for k, v in (("q", query), ("city", city),
                                ("industry", industry), ("title", title)) if v),
    }
    return render(request, "alliance_site/talent_pool.html", context)


def dashboard(request):
    """数据看板: the policy's targets (三) and where the province stands."""
    from django.conf import settings

    active = CQOProfile.objects.members()
    covered = Enterprise.objects.filter(cqos__status__in=[ProfileStatus.ACTIVE, ProfileStatus.WARNED])
    award = Enterprise.objects.exclude(quality_award_level="")
    jingpin = Enterprise.objects.filter(is_jingpin_applicant=True)
    active_count = active.count()
    target = settings.CQO_TARGET_ACTIVE

    def coverage(queryset):
        total = queryset.count()
        with_cqo = queryset.filter(pk__in=covered.values("pk")).count()
        return {"total": total, "covered": with_cqo, "percent": round(100 * with_cqo / total, 1) if total else 0}

    by_city = (
        Region.objects.filter(level=Region.Level.CITY)
        .annotate(
            active=Count(
                "children__enterprises__cqos",
                filter=Q(children__enterprises__cqos__status__in=[ProfileStatus.ACTIVE, ProfileStatus.WARNED]),
            )
        )
        .order_by("code")
    )
    context = {
        "active_count": active_count,
        "target": target,
        "target_percent": min(100, round(100 * active_count / target, 1)) if target else 0,
        "award_coverage": coverage(award),
        "jingpin_coverage": coverage(jingpin),
        "below_seniority": active.filter(
            enterprise__size=Enterprise.Size.ABOVE_SCALE, is_senior_executive=False
        ).count(),
        "by_city": by_city,
        "city_max": max((c.active for c in by_city), default=0) or 1,
    }
    return render(request, "alliance_site/dashboard.html", context)
