"""Filtering the case library by industry, quality method, tag, year and city."""

import django_filters
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from alliance_site.common import structure_cache
from alliance_site.common.filters import IntegerFilter, ListFilterSet, ascii_digits
from alliance_site.models import Industry, Region

from .models import CasePage, CaseTag, QualityMethod


class CaseFilter(ListFilterSet):
    """An unknown industry, a year outside 1900–2100 or a city that is not digits is dropped; a method, tag or
    city code is applied as given, so an unknown one matches nothing."""

    industry = django_filters.ChoiceFilter(label=_("Industry"), choices=Industry.choices, empty_label=_("All"))
    method = django_filters.CharFilter(label=_("Quality method"), method="filter_method")
    tag = django_filters.CharFilter(method="filter_tag", widget=forms.HiddenInput)
    year = IntegerFilter(
        label=_("Year"),
        field_name="period_end__year",
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100}),
    )
    city = django_filters.CharFilter(label=_("City"), method="filter_city", validators=[ascii_digits])

    def __init__(self, data, queryset, *, request=None):
        super().__init__(data, queryset, request=request)
        choices = filter_choices()
        self.offer("method", choices["methods"], _("All"))
        self.offer("city", choices["cities"], _("All"))

    # Subqueries rather than joins: a join on a many-to-many needs DISTINCT, which makes the database sort
    # every matching row (bodies and all) before it can count or take a page.
    def filter_method(self, cases, name, value):
        return cases.filter(
            pk__in=CasePage.methods.through.objects.filter(qualitymethod__slug=value).values("casepage_id")
        )

    def filter_tag(self, cases, name, value):
        return cases.filter(pk__in=CaseTag.objects.filter(tag__slug=value).values("content_object_id"))

    def filter_city(self, cases, name, value):
        # A city's code is its first four digits and zeros (140500): its counties share the four.
        return cases.filter(enterprise__county__code__startswith=value[:4])

    def filter_queryset(self, cases):
        return (
            super()
            .filter_queryset(cases)
            .select_related("enterprise__county__parent")
            .prefetch_related("methods")
            .order_by("-first_published_at", "-id")
        )


def filter_choices():
    """The methods and cities the form offers, cached until the page tree or taxonomy changes."""

    def compute():
        return {
            "methods": [(m.slug, m.name) for m in QualityMethod.objects.all()],
            "cities": [(c.code, c.name) for c in Region.objects.filter(level=Region.Level.CITY)],
        }

    return structure_cache.cached("case_filter_choices", compute)
