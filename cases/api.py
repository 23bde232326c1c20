"""A read-only Wagtail API v2 endpoint of published public cases (/api/v2/cases/).

It serves the model's `api_fields` only: the public fields and `public_sections`, never `body`, which holds
every section whatever its visibility. The queryset is live cases without a view restriction, whatever the
parameters; the parameters that could widen it or reach other page types (type, child_of, descendant_of,
ancestor_of, locale, site, search) are refused with 400, as are unknown fields (fields=body).
"""

from django.db.models import Prefetch
from rest_framework.fields import Field
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from wagtail.api import APIField
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet

from alliance_site.numbers import MAX_ID, parse_int

from .models import CaseAuthor, CasePage


def with_public_relations(cases):
    """Cases with what their public fields read (enterprise, authors, methods, tags) in a fixed number of
    queries; the authors go where CasePage.author_names reads them (`author_list`)."""
    return cases.select_related("enterprise").prefetch_related(
        Prefetch("authors", queryset=CaseAuthor.objects.select_related("profile"), to_attr="author_list"),
        "methods",
        "tags",
    )


class PublicSectionsField(Field):
    """The public sections, each rendered as the case page renders it: with its `block_id`.

    CasePage.public_sections renders a section with no context at all, which the section template cannot do
    (it reads block_id and the loop's counter); rendered here with both, from the same public blocks.
    """

    def __init__(self, **kwargs):
        super().__init__(source="public_section_blocks", read_only=True, **kwargs)

    def to_representation(self, blocks):
        return [
            {
                "heading": block.value["heading"],
                "html": str(block.block.render(block.value, {"block_id": block.id, "forloop": {"counter": number}})),
            }
            for number, block in enumerate(blocks, start=1)
        ]


class StrictPagination(WagtailPagination):
    """Wagtail's offset and limit, read as ASCII digits within range first: int() took "１", and an offset of 2^63
    reached SQLite, which cannot hold it (a 500)."""

    def paginate_queryset(self, queryset, request, view=None):
        for name in ("offset", "limit"):
            if name in request.GET and parse_int(request.GET[name], minimum=0, maximum=MAX_ID) is None:
                raise BadRequestError(f"{name} must be a positive integer")
        return super().paginate_queryset(queryset, request, view)


class CaseAPIViewSet(PagesAPIViewSet):
    model = CasePage
    pagination_class = StrictPagination
    name = "cases"
    renderer_classes = [JSONRenderer]
    authentication_classes = []  # public data only: who asks changes nothing
    permission_classes = [AllowAny]
    filter_backends = [FieldsFilter, OrderingFilter]
    known_query_parameters = BaseAPIViewSet.known_query_parameters - {"search", "search_operator"}
    meta_fields = ["type", "detail_url", "html_url", "slug", "first_published_at", "last_published_at"]
    listing_default_fields = [
        "id",
        "type",
        "detail_url",
        "html_url",
        "title",
        "first_published_at",
        "summary",
        "enterprise_name",
        "author_names",
    ]
    nested_default_fields = ["id", "type", "detail_url", "title"]
    detail_only_fields = []

    @classmethod
    def get_detail_default_fields(cls, model):
        return cls.get_available_fields(model)

    @classmethod
    def get_listing_default_fields(cls, model):
        return cls.listing_default_fields[:]

    @classmethod
    def get_body_fields(cls, model):
        return [
            APIField("public_sections", serializer=PublicSectionsField()) if field.name == "public_sections" else field
            for field in super().get_body_fields(model)
        ]

    @classmethod
    def get_urlpatterns(cls):
        listing, detail, _find = super().get_urlpatterns()
        return [listing, detail]

    def get_base_queryset(self):
        return CasePage.objects.live().public()

    def get_queryset(self):
        return with_public_relations(self.get_base_queryset()).order_by("-first_published_at", "-id")
