"""Regulators' review of appointment filings (备案), scoped to their region (mounted at /filings/).

Every view reads through `Filing.objects.visible_to(user)`: a filing outside the user's region is a 404,
by list, by address or by the letter's address alike. Deciding needs the `alliance_site.review_filing`
permission (alliance_site/rules.py): a regulator of the enterprise's region.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance_site.accounts import roles
from alliance_site.accounts.access import allowed, permission_required
from alliance_site.files.serving import send_private_file
from alliance_site.filings import services as filing_service
from alliance_site.members.views import profile_detail_context, profile_queryset
from alliance_site.models import (
    Filing,
)

reviewers_only = permission_required(
    "alliance_site.view_filings", gettext_lazy("Appointment filings are reviewed by market regulators.")
)


def visible_filings(user):
    return Filing.objects.visible_to(user).select_related("profile", "enterprise__county__parent", "decided_by")


@reviewers_only
def filing_list(request):
    """Filings in the user's region, those awaiting review first."""
    status = request.GET.get("status", Filing.Status.SUBMITTED)
    filings = visible_filings(request.user)
    if status in Filing.Status.values:
        filings = filings.filter(status=status)
    else:
        status = ""
    filings = filings.order_by("submitted_at" if status == Filing.Status.SUBMITTED else "-submitted_at", "pk")
    return render(
        request,
        "alliance_site/filing_list.html",
        {
            "page_obj": Paginator(filings, 30).get_page(request.GET.get("page")),
            "status": status,
            "statuses": Filing.Status.choices,
            "region": roles.regulated_region(request.user),
            "query_string": f"status={status}&" if status else "status=all&",
        },
    )


@reviewers_only
def filing_detail(request, pk, *, form_errors=None, status=200):
    filing = get_object_or_404(visible_filings(request.user), pk=pk)
    history = visible_filings(request.user).filter(profile=filing.profile).exclude(pk=filing.pk)
    can_decide = filing.is_open and allowed(request.user, "alliance_site.review_filing", filing)
    # A re-filing shows what was approved before, wherever it was: a CQO who moved here comes from elsewhere.
    approved_before = None
    if filing.is_refiling:
        approved_before = (
            Filing.objects.filter(profile=filing.profile, status=Filing.Status.APPROVED, pk__lt=filing.pk)
            .select_related("enterprise__county")
            .order_by("-pk")
            .first()
        )
    changed = set()
    if approved_before is not None:
        changed = {
            name
            for name in ("enterprise_id", "position", "appointment_date", "letter")
            if getattr(filing, name) != getattr(approved_before, name)
        }
    context = {
        "filing": filing,
        "history": history,
        "approved_before": approved_before,
        "changed": changed,
        "can_decide": can_decide,
        "form_errors": form_errors or [],
    }
    return render(request, "alliance_site/filing_detail.html", context, status=status)


@require_POST
@reviewers_only
def decide(request, pk):
    filing = get_object_or_404(visible_filings(request.user), pk=pk)
    action = request.POST.get("action")
    try:
        if action == "approve":
            filing_service.approve(filing, by=request.user, note=request.POST.get("reason", "")[:2000])
            messages.success(request, _("The filing of %(name)s is approved.") % {"name": filing.profile})
        elif action == "return":
            filing_service.return_for_correction(filing, by=request.user, reason=request.POST.get("reason", "")[:2000])
            messages.success(
                request, _("The filing of %(name)s is returned with your reasons.") % {"name": filing.profile}
            )
        else:
            return filing_detail(request, pk, form_errors=[_("Choose to approve or to return.")], status=400)
    except ValidationError as error:
        refused = 409 if not Filing.objects.filter(pk=pk, status=Filing.Status.SUBMITTED).exists() else 400
        return filing_detail(request, pk, form_errors=error.messages, status=refused)
    return redirect("filings:detail", pk=pk)


@login_required
def letter(request, pk):
    """The appointment letter, served only to those who may see the filing."""
    filing = get_object_or_404(visible_filings(request.user), pk=pk)
    if not filing.letter:  # recorded before the platform, on paper
        raise Http404(_("No letter was uploaded with this filing."))
    return send_private_file(request, filing.letter.name)


@login_required
@require_POST
def submit_filing(request):
    """The member sends their appointment for filing (备案): applicant → filing submitted."""
    profile = roles.profile_of(request.user)
    if profile is None:
        return redirect("members:edit")
    try:
        filing_service.submit(profile, by=request.user)
    except ValidationError as error:
        # The owner's own page again, with the reason on it; 409: the profile is not in a state to be filed.
        messages.error(request, " ".join(error.messages))
        context = profile_detail_context(request, profile_queryset().get(pk=profile.pk))
        return render(request, "alliance_site/profile_detail.html", context, status=409)
    messages.success(request, _("Your filing has been submitted for review."))
    return redirect("members:detail", pk=profile.pk)
