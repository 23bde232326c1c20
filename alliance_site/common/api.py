"""What the read-only public API endpoints share (/api/v2/…; each app registers its own in the root URLconf).

Public data only: nobody is signed in (who asks changes nothing), a page endpoint lists live pages without a view
restriction whatever the parameters, and the parameters that could widen it or reach other page types (type,
child_of, descendant_of, ancestor_of, locale, site, search) are refused with 400, as are unknown fields. Input is
read strictly: offsets and limits as ASCII numbers within range, a filter value its field cannot hold as a 400.
Links are on the public address: Wagtail builds `detail_url` and `html_url` from the default Site, which
`migrate` keeps on WAGTAILADMIN_BASE_URL (alliance_site.common.links), and HTML carries absolute links.
"""

from django.core.exceptions import ValidationError
from rest_framework.fields import Field
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter
from wagtail.api.v2.pagination import WagtailPagination
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.rich_text import expand_db_html

from alliance_site.common.links import absolute_links_in
from alliance_site.common.numbers import MAX_ID, parse_int


class StrictPagination(WagtailPagination):
    """Wagtail's offset and limit, read as ASCII digits within range first: int() took "１", and an offset of 2^63
    reached SQLite, which cannot hold it (a 500)."""

    def paginate_queryset(self, queryset, request, view=None):
        for name in ("offset", "limit"):
            if name in request.GET and parse_int(request.GET[name], minimum=0, maximum=MAX_ID) is None:
                raise BadRequestError(f"{name} must be a positive integer")
        return super().paginate_queryset(queryset, request, view)


class StrictFieldsFilter(FieldsFilter):
    """Wagtail's filter by a field's value (?kind=forum), with a value the field cannot hold (?starts_at=x) refused
    with 400: Django's ValidationError went through to a 500."""

    def filter_queryset(self, request, queryset, view):
        try:
            return super().filter_queryset(request, queryset, view)
        except ValidationError as error:
            raise BadRequestError("field filter error: " + " ".join(error.messages)) from error


class RichTextHTMLField(Field):
    """A rich-text field as the page shows it (Wagtail's internal links expanded), with absolute links."""

    def to_representation(self, value):
        return absolute_links_in(expand_db_html(value or ""))


class PublicAPIViewSet(BaseAPIViewSet):
    """A read-only endpoint of public data: no authentication, JSON only, strict pagination, no find view."""

    pagination_class = StrictPagination
    renderer_classes = [JSONRenderer]
    authentication_classes = []  # public data only: who asks changes nothing
    permission_classes = [AllowAny]
    # Rich text is always served as HTML (RichTextHTMLField), so its format is not a parameter.
    known_query_parameters = BaseAPIViewSet.known_query_parameters - {"search", "search_operator", "rich_text_format"}
    detail_only_fields = []

    @classmethod
    def get_detail_default_fields(cls, model):
        return cls.get_available_fields(model)

    @classmethod
    def get_listing_default_fields(cls, model):
        return cls.listing_default_fields[:]

    @classmethod
    def get_urlpatterns(cls):
        listing, detail, _find = super().get_urlpatterns()
        return [listing, detail]


class PublicPagesAPIViewSet(PublicAPIViewSet, PagesAPIViewSet):
    """Live pages of one model (`model`) without a view restriction; subclasses name the fields."""

    filter_backends = [StrictFieldsFilter, OrderingFilter]
    meta_fields = ["type", "detail_url", "html_url", "slug", "first_published_at", "last_published_at"]
    nested_default_fields = ["id", "type", "detail_url", "title"]

    def get_base_queryset(self):
        return self.model.objects.live().public()

    def get_queryset(self):
        return self.get_base_queryset()
