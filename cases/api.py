"""A read-only Wagtail API v2 endpoint of published public cases (/api/v2/cases/).

It serves the model's `api_fields` only: the public fields and `public_sections`, never `body`, which holds
every section whatever its visibility. The queryset is live cases without a view restriction, whatever the
parameters (alliance_site.common.api.PublicPagesAPIViewSet refuses those that could widen it, and unknown fields such as
fields=body, with 400).
"""

from django.db.models import Prefetch
from rest_framework.fields import Field
from wagtail.api import APIField

from alliance_site.common.api import PublicPagesAPIViewSet
from alliance_site.common.links import absolute_links_in

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
                "html": absolute_links_in(
                    str(block.block.render(block.value, {"block_id": block.id, "forloop": {"counter": number}}))
                ),
            }
            for number, block in enumerate(blocks, start=1)
        ]


class CaseAPIViewSet(PublicPagesAPIViewSet):
    model = CasePage
    name = "cases"
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

    @classmethod
    def get_body_fields(cls, model):
        return [
            APIField("public_sections", serializer=PublicSectionsField()) if field.name == "public_sections" else field
            for field in super().get_body_fields(model)
        ]

    def get_queryset(self):
        return with_public_relations(self.get_base_queryset()).order_by("-first_published_at", "-id")
