"""The case library: CQOs' quality-improvement cases, each section visible to the public, members or judges."""

from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from alliance_site.accounts import roles
from alliance_site.accounts.access import allowed
from alliance_site.models import CQOProfile, Enterprise, Industry, QualityMethod  # noqa: F401 (re-exported)
from alliance_site.search.segmentation import segment
from alliance_site.search.services import text_of_html

from .blocks import CaseBodyBlock, Visibility


class CaseTag(TaggedItemBase):
    content_object = ParentalKey("cases.CasePage", on_delete=models.CASCADE, related_name="tagged_items")


class CaseIndexPage(Page):
    """案例库: the list of published cases, with filters by industry, method, tag, year and city."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["alliance_site.HomePage"]
    subpage_types = ["cases.CasePage"]
    max_count = 1
    page_size = 12

    class Meta:
        verbose_name = _("case library")

    def route(self, request, path_components):
        # Load a case with its enterprise in one query, instead of Wagtail's generic page + specific lookups.
        if len(path_components) == 1:
            case = CasePage.objects.child_of(self).select_related("enterprise").filter(slug=path_components[0]).first()
            if case is None:
                raise Http404
            case._cached_parent_obj = self
            return case.route(request, [])
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        from .filters import CaseFilter

        context = super().get_context(request, *args, **kwargs)
        cases = CaseFilter(request.GET, CasePage.objects.live().public().child_of(self), request=request)
        context["page_obj"] = Paginator(cases.qs, self.page_size).get_page(request.GET.get("page"))
        context["filterset"] = cases
        context["filters"] = cases.applied()
        context["filters_query"] = cases.query_string()
        return context


class CasePage(Page):
    """A quality-improvement case. Members write it on the site; staff approve it in the "案例审核" workflow."""

    summary = models.TextField(_("summary"), max_length=1000, help_text=_("Shown to everyone, in lists and feeds."))
    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="cases"
    )
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices)
    methods = ParentalManyToManyField(QualityMethod, verbose_name=_("quality methods"), related_name="cases")
    tags = ClusterTaggableManager(verbose_name=_("tags"), through=CaseTag, blank=True)
    period_start = models.DateField(_("project start"))
    period_end = models.DateField(_("project end"))
    economic_benefit = models.DecimalField(
        _("economic benefit (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    benefit_note = models.CharField(_("how the benefit was reckoned"), max_length=200, blank=True)
    body = StreamField(CaseBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        InlinePanel("authors", label=_("Authors"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("enterprise"),
                FieldPanel("industry"),
                FieldPanel("methods"),
                FieldPanel("tags"),
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end")]),
                FieldRowPanel([FieldPanel("economic_benefit"), FieldPanel("benefit_note")]),
            ],
            heading=_("Case data"),
        ),
        FieldPanel("body"),
    ]
    # Only public text goes into the case's own index entry: no visitor's search may match a word of a members' or
    # judges' section. Members' text has an entry of its own (CaseMembersText); judges' text is never indexed.
    search_fields = [
        *Page.search_fields,
        index.SearchField("segmented_public_text"),
        index.FilterField("industry"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("industry"),
        APIField("period_start"),
        APIField("period_end"),
        APIField("economic_benefit"),
        APIField("enterprise_name"),
        APIField("method_names"),
        APIField("tag_names"),
        APIField("author_names"),
        APIField("public_sections"),
    ]
    parent_page_types = ["cases.CaseIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    # Who may see what (the rules are in cases/rules.py) -------------------------------------------------

    @cached_property
    def author_list(self):
        return list(self.authors.select_related("profile"))

    def is_author(self, user):
        if not user.is_authenticated:
            return False
        if self.owner_id == user.pk:
            return True
        profile = roles.profile_of(user)
        return profile is not None and any(a.profile_id == profile.pk for a in self.author_list)

    def is_author_of_some_version(self, user):
        """An author of the case as stored or of its latest draft (a co-author added in a draft of a published case
        is one before staff approve it)."""
        return self.is_author(user) or self.latest_version().is_author(user)

    @staticmethod
    def levels_by_role(user):
        """The section visibility levels this user may read in every case, whoever wrote it."""
        return readable_levels(user)

    def visibility_levels_for(self, user):
        """The section visibility levels this user may read in this case (its authors read every section)."""
        return readable_levels(user, self)

    def sections_for(self, user):
        """(sections the user may see, how many are hidden from them)."""
        levels = self.visibility_levels_for(user)
        shown = [block for block in self.body if block.value["visibility"] in levels]
        return shown, len(self.body) - len(shown)

    @staticmethod
    def metrics_of(sections):
        return [item.value for section in sections for item in section.value["content"] if item.block_type == "metric"]

    # The case as its authors see it on their own pages ---------------------------------------------------

    def latest_version(self, *, for_saving=False):
        """The case as in its latest revision (as Page.get_latest_revision_as_object).

        To be saved, it is built by Wagtail (with_content_json). To be shown, it is built without checking each
        foreign key of the revision against the database: a dozen queries fewer, the same values.
        """
        if not self.has_unpublished_changes or self.latest_revision is None:
            return self
        content = self.latest_revision.content
        if for_saving:
            return self.with_content_json(content)
        version = CasePage.from_serializable_data(content, check_fks=False)
        for field in PAGE_FIELDS:
            setattr(version, field, getattr(self, field))
        version.first_published_at = version.first_published_at or self.first_published_at
        return version

    @cached_property
    def review_status(self):
        """Where the case stands for its authors (a CaseStatus); the list of a member's cases sets it for a whole
        page of cases at once (cases.workflow.review_overview)."""
        from .workflow import status_of

        return status_of(self, self.current_workflow_state)

    # Public views of the case: search, API, feeds -------------------------------------------------------

    @cached_property
    def public_section_blocks(self):
        return [block for block in self.body if block.value["visibility"] == Visibility.PUBLIC]

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().select_related("enterprise")  # its name is indexed with each case

    def search_text(self, levels):
        """The text to index for readers of these section levels: title, summary, enterprise and those sections.

        The enterprise's name stands apart (spaces around it), so it is cut as it would be typed alone: 华瑞 and
        晋城华瑞精密铸造有限公司 both find the cases of 晋城华瑞精密铸造有限公司.
        """
        return " ".join([self.title, self.summary, self.enterprise.name, *section_text(self.body.raw_data, levels)])

    def segmented_public_text(self):
        """Public text cut into words by jieba, so that 西格玛 finds 六西格玛管理 (see segmentation)."""
        return segment(self.search_text({Visibility.PUBLIC}))

    def has_members_text(self):
        return any(section_visibility(section) == Visibility.MEMBERS for section in self.body.raw_data)

    @property
    def enterprise_name(self):
        return self.enterprise.name

    @property
    def method_names(self):
        return [method.name for method in self.methods.all()]

    @property
    def tag_names(self):
        return [tag.name for tag in self.tags.all()]

    @property
    def author_names(self):
        return [author.profile.real_name for author in self.author_list]

    @property
    def public_sections(self):
        return [
            {"heading": block.value["heading"], "html": str(block.render())} for block in self.public_section_blocks
        ]

    @property
    def year(self):
        return self.period_end.year

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sections, hidden = self.sections_for(request.user)
        context.update(
            sections=sections,
            hidden_section_count=hidden,
            metrics=self.metrics_of(sections),
            is_author=self.is_author(request.user),
        )
        return context


def readable_levels(user, case=None):
    """The section visibility levels the user may read: in this case, or (no case) in every case."""
    levels = {Visibility.PUBLIC}
    if allowed(user, "cases.read_members_sections", case):
        levels.add(Visibility.MEMBERS)
    if allowed(user, "cases.read_judges_sections", case):
        levels.add(Visibility.JUDGES)
    return levels


# Fields of the page as a whole that a revision does not change (as in Wagtail's Page.with_content_json).
PAGE_FIELDS = [
    "id", "content_type_id", "path", "depth", "numchild", "url_path", "draft_title", "live",
    "has_unpublished_changes", "owner", "locked", "locked_by_id", "locked_at", "latest_revision",
    "latest_revision_created_at", "translation_key", "locale_id", "alias_of_id",
]  # fmt: skip


# What members search beyond the public text: the members' sections. Judges' sections are never indexed.
MEMBERS_SEARCH_LEVELS = frozenset({Visibility.PUBLIC, Visibility.MEMBERS})


def section_visibility(section):
    """A stored section's visibility; anything that is not a well-formed section counts as judges only."""
    value = section.get("value") or {}
    return value.get("visibility", Visibility.JUDGES) if section.get("type") == "section" else Visibility.JUDGES


def section_text(raw_body, levels):
    """The text of the sections of these visibility levels, read from a body's stored JSON, as a list of parts.

    Reading the JSON converts no blocks, so images and documents cost no queries. Rich text is HTML and turned
    into the text it shows; headings, quotes and indicators are text already (a `<` in them is a `<`).
    """
    parts = []
    for section in raw_body:
        if section_visibility(section) not in levels:
            continue
        parts.append(section["value"].get("heading") or "")
        for item in section["value"].get("content") or []:
            kind, value = item.get("type"), item.get("value")
            if kind == "text":
                parts.append(text_of_html(value or ""))
            elif kind == "quote":
                parts.append((value or {}).get("text") or "")
            elif kind == "metric":
                parts.append((value or {}).get("indicator") or "")
    return parts


class CaseMembersText(index.Indexed, models.Model):
    """A second search-index entry for a case with members-only sections, searched for members and staff only.

    The case's own entry holds its public text, so a visitor's search can never match a word of a section they
    may not read. This entry, under the case's id, holds everything members may read (public and members-only
    text, never judges-only), so that a member's words are all looked for in one entry. It exists while the
    case has members-only sections: `cases.signals` keeps it in step whenever a case is saved, and its own save
    and delete update the index, like any indexed model's.
    """

    case = models.OneToOneField(CasePage, primary_key=True, on_delete=models.CASCADE, related_name="+")

    search_fields = [index.SearchField("title"), index.SearchField("segmented_text")]

    class Meta:
        verbose_name = _("members' search text of a case")

    def __str__(self):
        return self.title

    @classmethod
    def get_indexed_objects(cls):
        return super().get_indexed_objects().select_related("case__enterprise")

    @property
    def title(self):
        return self.case.title

    def segmented_text(self):
        return segment(self.case.search_text(MEMBERS_SEARCH_LEVELS))

    @classmethod
    def keep_in_step(cls, case):
        """Give the case its members' entry while it has members-only text, and take it away otherwise."""
        if case.has_members_text():
            cls(case_id=case.pk).save()  # inserted or not, saved: the index reads the case again
        else:
            cls.objects.filter(case_id=case.pk).delete()


class CaseAuthor(Orderable):
    page = ParentalKey(CasePage, on_delete=models.CASCADE, related_name="authors")
    profile = models.ForeignKey(
        CQOProfile, verbose_name=_("author"), on_delete=models.PROTECT, related_name="case_authorships"
    )

    panels = [FieldPanel("profile")]

    class Meta(Orderable.Meta):
        verbose_name = _("author")
        verbose_name_plural = _("authors")

    def __str__(self):
        return str(self.profile)
