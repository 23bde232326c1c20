"""Filtering the event list by kind, city, mode and organising body."""

import django_filters
from django.utils.translation import gettext_lazy as _

from alliance_site.common import structure_cache
from alliance_site.common.filters import ListFilterSet
from alliance_site.models import BodyPage, Region

from .models import EventPage


class EventFilter(ListFilterSet):
    """Each filter is a choice of the form's: any other value is dropped, an unknown city code or body too."""

    max_length = 255  # a body's slug is as long as a page's may be

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=EventPage.Kind.choices, empty_label=_("All"))
    city = django_filters.ChoiceFilter(label=_("City"), field_name="city__code")
    mode = django_filters.ChoiceFilter(label=_("Mode"), choices=EventPage.Mode.choices, empty_label=_("All"))
    body = django_filters.ChoiceFilter(label=_("Organising body"), field_name="organizer__slug")

    def __init__(self, data, queryset, *, request=None):
        super().__init__(data, queryset, request=request)
        choices = filter_choices()
        self.offer("city", choices["cities"], _("All"))
        self.offer("body", choices["bodies"], _("All"))


def filter_choices():
    """The cities and bodies the form offers, cached until the page tree or the regions change."""

    def compute():
        return {
            "cities": [(c.code, c.name) for c in Region.objects.filter(level=Region.Level.CITY)],
            "bodies": [(b.slug, b.title) for b in BodyPage.objects.live().order_by("path")],
        }

    return structure_cache.cached("event_filters", compute)
