"""The talent pool's filters: a filter matches only what the viewer may see of a card."""

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from alliance_site.common.filters import KnownChoicesFilter, ListFilterSet
from alliance_site.models import CQOProfile, Industry, QualityMethod, Region

# Each availability and the field that says a CQO offers it.
AVAILABILITY = {
    "mentoring": "offers_mentoring",
    "speaking": "offers_speaking",
    "site_visits": "offers_site_visits",
}


class CardPartFilter(django_filters.CharFilter):
    """A filter on a part of a CQO's card: it finds only cards that show the viewer that part, or filtering the
    pool by a city kept to staff would tell the city all the same. A value is applied as given (an unknown one
    matches nothing)."""

    def __init__(self, part, field_name, **kwargs):
        self.part = part
        super().__init__(field_name=field_name, **kwargs)

    def filter(self, profiles, value):
        if value in EMPTY_VALUES:
            return profiles
        return super().filter(profiles.disclosing(self.part, self.parent.request.user), value)


class TalentPoolFilter(ListFilterSet):
    """人才库: the text search reads the parts the viewer may see too (`CQOProfileQuerySet.matching`)."""

    q = django_filters.CharFilter(
        label=_("Name, enterprise, expertise or method"), method="filter_q", max_length=50, widget=forms.SearchInput
    )
    city = CardPartFilter("region", "enterprise__county__parent__code", label=_("City"))
    industry = CardPartFilter("enterprise", "enterprise__industry", label=_("Industry"))
    title = CardPartFilter("qualifications", "title", label=_("Professional title"))
    # An id of at most 9 ASCII digits: a larger one no database row has, and SQLite cannot hold from 2^63.
    method = CardPartFilter(
        "expertise", "methods", label=_("Quality method"), validators=[RegexValidator(r"\A[0-9]{1,9}\Z")]
    )
    offers = KnownChoicesFilter(
        label=_("Available for"),
        method="filter_offers",
        widget=forms.CheckboxSelectMultiple,
        choices=[("mentoring", _("Mentoring")), ("speaking", _("Speaking")), ("site_visits", _("Hosting site visits"))],
    )

    def __init__(self, data, queryset, *, request):
        super().__init__(data, queryset, request=request)
        self.offer("city", [(c.code, c.name) for c in Region.objects.filter(level=Region.Level.CITY)], _("All"))
        self.offer("industry", Industry.choices, _("All"))
        self.offer("title", CQOProfile._meta.get_field("title").choices, _("All"))
        self.offer("method", [(str(m.pk), m.name) for m in QualityMethod.objects.all()], _("All"))

    def filter_q(self, profiles, name, value):
        return profiles.matching(value, self.request.user)

    def filter_offers(self, profiles, name, value):
        for offer in value:  # each one asked for: mentoring and speaking
            profiles = profiles.filter(**{AVAILABILITY[offer]: True})
        return profiles
