"""数据看板: where the province (or a regulator's region) stands against the policy's targets (三、工作目标).

An enterprise counts as covered when it has a CQO with member rights (active or warned): a filing approved by a
regulator makes it so. Every figure is a handful of aggregate queries over the region's prefix of the division
code, whatever the number of enterprises; the apps add their own figures through `alliance_dashboard_figures`.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, When
from django.utils.translation import gettext_lazy as _

from alliance_site import hooks
from alliance_site.members.models import MEMBER_STATUSES
from alliance_site.models import CQOProfile, Enterprise, ProfileStatus, Region


@dataclass
class Ratio:
    part: int
    whole: int

    @property
    def percent(self):
        """Share in per cent, one decimal; None when there is nothing to cover."""
        return round(100 * self.part / self.whole, 1) if self.whole else None


@dataclass
class Row:
    """One line of a breakdown: a city, a county or an industry category."""

    key: str
    label: str
    enterprises: int = 0
    covered: int = 0
    active: int = 0
    award: Ratio = field(default_factory=lambda: Ratio(0, 0))
    jingpin: Ratio = field(default_factory=lambda: Ratio(0, 0))

    @property
    def coverage(self):
        return Ratio(self.covered, self.enterprises)


@dataclass
class Dashboard:
    region: Region | None  # None: the whole province, as the public sees it
    active: int
    target: int | None
    enterprises: Ratio
    award: Ratio
    jingpin: Ratio
    below_seniority: int
    categories: list
    breakdown: list
    breakdown_label: str
    figures: list

    @property
    def target_ratio(self):
        return Ratio(self.active, self.target) if self.target else None


# The industry categories the policy names, each a filter on the enterprise (三: 规上, 六新, 战略性新兴).
CATEGORIES = [
    ("above_scale", _("Above designated size (规上)"), Q(size=Enterprise.Size.ABOVE_SCALE)),
    ("six_new", _("Six new industries (六新)"), Q(is_six_new=True)),
    ("strategic_emerging", _("Strategic emerging industries"), Q(is_strategic_emerging=True)),
]
AWARD = ~Q(quality_award_level="")
JINGPIN = Q(is_jingpin_applicant=True)


def covered_enterprises():
    """Enterprises annotated with `has_cqo`: a CQO with member rights."""
    cqo = CQOProfile.objects.filter(enterprise=OuterRef("pk"), status__in=MEMBER_STATUSES)
    return Enterprise.objects.annotate(has_cqo=Exists(cqo))


def enterprises_in(region):
    queryset = covered_enterprises()
    return queryset if region is None else queryset.filter(county__code__startswith=region.code_prefix)


def coverage_counts(**groups):
    """Count(...) pairs (total, covered) for each named filter, for one aggregate or values() query."""
    counts = {}
    for name, condition in groups.items():
        counts[f"{name}_total"] = Count("pk", filter=condition)
        counts[f"{name}_covered"] = Count("pk", filter=condition & Q(has_cqo=True))
    return counts


def ratio(values, name):
    return Ratio(values[f"{name}_covered"], values[f"{name}_total"])


def build(region=None):
    """The dashboard of a region (None: the whole province)."""
    enterprises = enterprises_in(region)
    groups = {"all": Q(), "award": AWARD, "jingpin": JINGPIN, **{key: cond for key, _label, cond in CATEGORIES}}
    totals = enterprises.aggregate(**coverage_counts(**groups))
    profiles = CQOProfile.objects.filter(status__in=MEMBER_STATUSES)
    if region is not None:
        profiles = profiles.filter(enterprise__county__code__startswith=region.code_prefix)
    people = profiles.aggregate(
        active=Count("pk"),
        below_seniority=Count("pk", filter=Q(enterprise__size=Enterprise.Size.ABOVE_SCALE, is_senior_executive=False)),
    )
    categories = []
    for key, label, _condition in CATEGORIES:
        categories.append(Row(key, str(label), enterprises=totals[f"{key}_total"], covered=totals[f"{key}_covered"]))
    breakdown, breakdown_label = breakdown_of(region, enterprises, profiles)
    whole_province = region is None or region.level == Region.Level.PROVINCE
    return Dashboard(
        region=region,
        active=people["active"],
        target=settings.CQO_TARGET_ACTIVE if whole_province else None,
        enterprises=ratio(totals, "all"),
        award=ratio(totals, "award"),
        jingpin=ratio(totals, "jingpin"),
        below_seniority=people["below_seniority"],
        categories=categories,
        breakdown=breakdown,
        breakdown_label=breakdown_label,
        figures=app_figures(region),
    )


def breakdown_of(region, enterprises, profiles):
    """By city for the province, by county for a city; a county has nothing below it."""
    if region is None or region.level == Region.Level.PROVINCE:
        parts = Region.objects.filter(level=Region.Level.CITY)
        if region is not None:
            parts = parts.filter(code__startswith=region.code_prefix)
        enterprise_key, profile_key, label = "county__parent", "enterprise__county__parent", str(_("City"))
    elif region.level == Region.Level.CITY:
        parts = Region.objects.filter(parent=region)
        enterprise_key, profile_key, label = "county", "enterprise__county", str(_("County or district"))
    else:
        return [], ""
    per_part = {
        values[enterprise_key]: values
        for values in enterprises.values(enterprise_key)
        .order_by()
        .annotate(**coverage_counts(all=Q(), award=AWARD, jingpin=JINGPIN))
    }
    active = dict(profiles.values_list(profile_key).order_by().annotate(n=Count("pk")))
    rows = []
    for part in parts.order_by("code"):
        values = per_part.get(part.pk)
        row = Row(part.code, part.name, active=active.get(part.pk, 0))
        if values:
            row.enterprises, row.covered = values["all_total"], values["all_covered"]
            row.award, row.jingpin = ratio(values, "award"), ratio(values, "jingpin")
        rows.append(row)
    return rows, label


def app_figures(region):
    return hooks.dashboard_figures(region)


def uncovered_enterprises(region):
    """The region's enterprises still without a CQO, the policy's targets first (award, 山西精品, 规上).

    Each says whether a CQO is on the way: a profile waiting for the filing's review.
    """
    pending = CQOProfile.objects.filter(enterprise=OuterRef("pk"))
    return (
        enterprises_in(region)
        .filter(has_cqo=False)
        .annotate(
            is_target=Case(When(AWARD | JINGPIN, then=True), default=False, output_field=BooleanField()),
            filing_pending=Exists(pending.filter(status=ProfileStatus.FILING_SUBMITTED)),
            cqo_applying=Exists(pending.filter(status=ProfileStatus.APPLICANT)),
        )
        .select_related("county__parent")
        # Size sorts 规上 (above_scale) before medium and small: the choices' values are in that order.
        .order_by("-is_target", "size", "-is_jingpin_applicant", "name", "pk")
    )
