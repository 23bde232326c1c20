"""数据看板 pages: the public summary, and a regulator's region view with the enterprises still without a CQO.

A regulator sees their region and anything inside it (`?region=` a city or county code); a code outside it is
a 404, by page or by export alike. Staff see any region. Both views export what they show to Excel.
"""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from alliance_site.accounts import roles
from alliance_site.accounts.access import allowed, permission_required
from alliance_site.common.excel import workbook_response
from alliance_site.dashboard import figures as dashboard
from alliance_site.dashboard.charts import bar_chart
from alliance_site.dashboard.exports import add_gap_sheet, board_workbook
from alliance_site.models import Enterprise, Region


def public_dashboard(request):
    context = board_context(dashboard.build())
    context["may_see_regions"] = allowed(request.user, "alliance_site.view_region_dashboard")
    return render(request, "alliance_site/dashboard.html", context)


def public_export(request):
    return workbook_response(board_workbook(dashboard.build()), f"cqo-dashboard-{timezone.localdate():%Y%m%d}.xlsx")


regulators_and_staff = permission_required(
    "alliance_site.view_region_dashboard", gettext_lazy("The region view is for market regulators and the secretariat.")
)


def regions_open_to(user):
    """The regions whose figures this user may see: staff all, a regulator their own and those inside it."""
    if roles.is_staff(user):
        return Region.objects.all()
    return Region.objects.within(roles.regulated_region(user))


def chosen_region(request):
    regions = regions_open_to(request.user)
    code = request.GET.get("region", "")
    if code:
        return get_object_or_404(regions, code=code)
    own = roles.regulated_region(request.user)
    return own or get_object_or_404(regions, level=Region.Level.PROVINCE)


GAP_FILTERS = {
    "targets": _("Award winners and 山西精品 applicants"),
    "above_scale": _("Above designated size"),
    "all": _("All"),
}


def gap_list(request, region):
    enterprises = dashboard.uncovered_enterprises(region)
    show = request.GET.get("show", "targets")
    if show not in GAP_FILTERS:
        show = "targets"
    if show == "targets":
        enterprises = enterprises.filter(is_target=True)
    elif show == "above_scale":
        enterprises = enterprises.filter(size=Enterprise.Size.ABOVE_SCALE)
    return enterprises, show


@regulators_and_staff
def region_dashboard(request):
    region = chosen_region(request)
    board = dashboard.build(region)
    enterprises, show = gap_list(request, region)
    page = Paginator(enterprises, 50).get_page(request.GET.get("page"))
    context = board_context(board)
    context.update(
        page_obj=page,
        show=show,
        gap_filters=GAP_FILTERS,
        # The regions to switch to: the same set the address may name.
        choices=regions_open_to(request.user).select_related("parent").order_by("code"),
        query_string=urlencode({"region": region.code, "show": show}) + "&",
    )
    return render(request, "alliance_site/region_dashboard.html", context)


@regulators_and_staff
def region_export(request):
    region = chosen_region(request)
    workbook = board_workbook(dashboard.build(region))
    enterprises, _show = gap_list(request, region)
    add_gap_sheet(workbook, enterprises)
    return workbook_response(workbook, f"cqo-dashboard-{region.code}-{timezone.localdate():%Y%m%d}.xlsx")


def board_context(board):
    coverage_rows = [
        (_("Government quality-award enterprises"), board.award),
        (_("“山西精品” applicants"), board.jingpin),
        *((row.label, row.coverage) for row in board.categories),
    ]
    charts = {
        "coverage": bar_chart(
            _("Enterprises with a CQO, per cent"),
            [(label, ratio.percent) for label, ratio in coverage_rows],
            maximum=100,
            percent=True,
            target=100,
        ),
        "breakdown": bar_chart(
            _("Filed CQOs by %(part)s") % {"part": board.breakdown_label},
            [(row.label, row.active) for row in board.breakdown],
        )
        if board.breakdown
        else None,
        "breakdown_coverage": bar_chart(
            _("Enterprises with a CQO by %(part)s, per cent") % {"part": board.breakdown_label},
            [(row.label, row.coverage.percent) for row in board.breakdown],
            maximum=100,
            percent=True,
        )
        if board.breakdown
        else None,
    }
    if board.target:
        charts["target"] = bar_chart(
            _("Filed CQOs against the target"), [(_("Filed CQOs"), board.active)], maximum=max(board.target, 1)
        )
    return {"board": board, "coverage_rows": coverage_rows, "charts": charts}
