"""人才库 on the site: the pool members browse, and a member's logged request for a CQO's contact details."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_site.accounts.access import permission_required, require
from alliance_site.members.views import profile_detail_context, profile_queryset
from alliance_site.talent import services as talent
from alliance_site.talent.filters import TalentPoolFilter
from alliance_site.talent.forms import ContactRequestForm


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
    else:
        require(request, "alliance_site.request_contact", profile, _("This CQO's contact details are not open to you."))
    context = profile_detail_context(request, profile)
    context["contact_form"] = form
    return render(request, "alliance_site/profile_detail.html", context, status=status or 400)


@permission_required("alliance_site.use_member_area", _("This page is for CQO members."))
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
