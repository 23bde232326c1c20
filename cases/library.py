"""Filtering the case library by industry, quality method, tag, year and city."""

from alliance_site import structure_cache
from alliance_site.models import Industry, Region

from .models import CasePage, CaseTag, QualityMethod

FILTER_KEYS = ("industry", "method", "tag", "year", "city")


def filter_cases(cases, params):
    """The cases matching the request's filters (unknown values are ignored) and the filters as applied."""
    applied = {key: params.get(key, "").strip()[:50] for key in FILTER_KEYS}
    if applied["industry"] in Industry.values:
        cases = cases.filter(industry=applied["industry"])
    else:
        applied["industry"] = ""
    # Subqueries rather than joins: a join on a many-to-many needs DISTINCT, which makes the database sort
    # every matching row (bodies and all) before it can count or take a page.
    if applied["method"]:
        cases = cases.filter(
            pk__in=CasePage.methods.through.objects.filter(qualitymethod__slug=applied["method"]).values("casepage_id")
        )
    if applied["tag"]:
        cases = cases.filter(pk__in=CaseTag.objects.filter(tag__slug=applied["tag"]).values("content_object_id"))
    if applied["year"].isascii() and applied["year"].isdigit() and 1900 <= int(applied["year"]) <= 2100:
        cases = cases.filter(period_end__year=int(applied["year"]))
    else:
        applied["year"] = ""
    if applied["city"].isdigit():
        cases = cases.filter(enterprise__county__code__startswith=applied["city"][:4])
    else:
        applied["city"] = ""
    cases = (
        cases.select_related("enterprise__county__parent")
        .prefetch_related("methods")
        .order_by("-first_published_at", "-id")
    )
    return cases, applied


def filter_choices():
    """What the filter form offers; methods and cities are cached until the page tree or taxonomy changes."""

    def compute():
        return {
            "methods": [(m.slug, m.name) for m in QualityMethod.objects.all()],
            "cities": [(c.code, c.name) for c in Region.objects.filter(level=Region.Level.CITY)],
        }

    return {"industries": Industry.choices, **structure_cache.cached("case_filter_choices", compute)}
