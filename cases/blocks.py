"""The StreamField of a case: sections, each visible to the public, to members or to judges only.

Policy 四(五) asks CQOs to keep trade secrets: an author marks a section "judges only" (or "members") and
the page shows each viewer only the sections they may see (see CasePage.sections_for).
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock

from .metrics import HIGHER_IS_BETTER, LOWER_IS_BETTER, improvement


class Visibility:
    PUBLIC = "public"
    MEMBERS = "members"
    JUDGES = "judges"
    CHOICES = [
        (PUBLIC, _("Public")),
        (MEMBERS, _("Members only")),
        (JUDGES, _("Judges only")),
    ]
    LABELS = dict(CHOICES)


class MetricValue(blocks.StructValue):
    @property
    def improvement(self):
        return improvement(self["baseline"], self["result"], self["direction"])


class MetricBlock(blocks.StructBlock):
    indicator = blocks.CharBlock(label=_("Indicator"), max_length=100, help_text=_("e.g. 铸件气孔缺陷率"))
    unit = blocks.CharBlock(label=_("Unit"), max_length=20, required=False, help_text=_("e.g. %、ppm、天"))
    baseline = blocks.DecimalBlock(label=_("Baseline"), decimal_places=4, max_digits=18)
    result = blocks.DecimalBlock(label=_("Result"), decimal_places=4, max_digits=18)
    direction = blocks.ChoiceBlock(
        label=_("Better when"),
        choices=[(LOWER_IS_BETTER, _("Lower is better")), (HIGHER_IS_BETTER, _("Higher is better"))],
        default=LOWER_IS_BETTER,
    )

    class Meta:
        icon = "order"
        label = _("Metric")
        template = "cases/blocks/metric.html"
        value_class = MetricValue


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Quote"))
    source = blocks.CharBlock(label=_("Source"), required=False, max_length=100)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "cases/blocks/quote.html"


class SectionContentBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=_("Text"), features=["h3", "h4", "bold", "italic", "ol", "ul", "link", "superscript", "subscript"]
    )
    image = ImageBlock(label=_("Image"), template="cases/blocks/image.html")
    table = TableBlock(label=_("Table"), template="cases/blocks/table.html")
    document = DocumentChooserBlock(label=_("Document"), template="cases/blocks/document.html")
    quote = QuoteBlock()
    metric = MetricBlock()


class SectionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    visibility = blocks.ChoiceBlock(
        label=_("Who may see this section"), choices=Visibility.CHOICES, default=Visibility.PUBLIC
    )
    content = SectionContentBlock(label=_("Content"))

    class Meta:
        icon = "doc-full"
        label = _("Section")
        template = "cases/blocks/section.html"


class CaseBodyBlock(blocks.StreamBlock):
    section = SectionBlock()
