"""A read-only API endpoint of the public event pages (/api/v2/events/).

Live events without a view restriction, members' events included: their pages are public, only registration is
limited (as in the calendar feeds). An event gives what its page shows everyone: times, place, audience, capacity,
registration window, hours, speakers and agenda. Never the online link (registrants only), the materials (some
are attendees' only), the registrations or any count of them.
"""

from rest_framework.fields import CharField, Field
from wagtail.api import APIField
from wagtail.api.v2.views import PagesAPIViewSet

from alliance_site.common.api import PublicPagesAPIViewSet, RichTextHTMLField

from .models import EventPage


class SpeakersField(Field):
    """The speakers as the page lists them: name, affiliation and topic (never the CQO profile behind one)."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, speakers):
        return [{"name": s.name, "affiliation": s.affiliation, "topic": s.topic} for s in speakers.all()]


def name_of(source):
    return CharField(source=source, read_only=True, allow_null=True)


class EventAPIViewSet(PublicPagesAPIViewSet):
    model = EventPage
    name = "events"
    # Listed here rather than as the model's api_fields, so that what the API shows is read in one place.
    body_fields = [
        *PagesAPIViewSet.body_fields,
        "summary",
        APIField("description", serializer=RichTextHTMLField()),
        "kind",
        APIField("kind_label", serializer=name_of("get_kind_display")),
        "mode",
        "starts_at",
        "ends_at",
        APIField("city", serializer=name_of("city.name")),
        "venue",
        APIField("organizer", serializer=name_of("organizer.title")),
        "audience",
        "capacity",
        "registration_opens_at",
        "registration_closes_at",
        "hours",
        "level",
        APIField("speakers", serializer=SpeakersField()),
        "agenda",
    ]
    listing_default_fields = [
        "id",
        "type",
        "detail_url",
        "html_url",
        "title",
        "summary",
        "kind",
        "mode",
        "starts_at",
        "ends_at",
        "city",
        "venue",
        "audience",
    ]

    def get_queryset(self):
        return (
            self.get_base_queryset()
            .select_related("city", "organizer")
            .prefetch_related("speakers")
            .order_by("-starts_at", "-id")
        )
