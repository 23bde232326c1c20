"""The case form members fill in on the site: basic data, body sections with their metrics, and attachments.

One `CaseEditor` bundles three kinds of Django forms, all posted together and rendered without JavaScript:

* `CaseForm`: the basic data (title, summary, enterprise, industry, methods, tags, period, benefit, co-authors);
* a formset of `SectionForm` (prefix ``sections``): heading, visibility, plain text, uploads, attachments kept;
* for each section, a formset of `MetricForm` (prefix ``sections-<n>-metrics``): so a metric belongs to the
  section it is typed into, and the page shows it in that section.

"Add a section", "add a metric" and "find co-authors" are submit buttons that post the form back with one more
empty form (`grow`); nothing is saved and no errors are shown then. Only "save" and "submit" validate and save.

Text is plain: paragraphs separated by blank lines become ``<p>`` elements of escaped text, so whatever a member
types is stored as text, never as HTML. Uploads are checked (extension, size, content) before anything is saved;
when one is refused the whole post is refused and nothing is written.
"""

import html
import re
import uuid
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.forms.utils import ErrorDict
from django.template.defaultfilters import filesizeformat
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from taggit.utils import edit_string_for_tags, parse_tags
from wagtail.coreutils import find_available_slug
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page

from alliance_site.accounts import roles
from alliance_site.common.forms import OneLineCharField
from alliance_site.common.numbers import MAX_ID, parse_ids, parse_int
from alliance_site.files.uploads import UPLOAD_KINDS, UploadValidator, extension_of
from alliance_site.models import CQOProfile, Enterprise, Industry

from .blocks import Visibility
from .metrics import HIGHER_IS_BETTER, LOWER_IS_BETTER
from .models import CaseAuthor, CasePage, QualityMethod

# Uploads ---------------------------------------------------------------------------------------------------

UPLOAD_COLLECTION = "案例附件"
ATTACHMENTS = UPLOAD_KINDS["case_attachment"]  # what a case may have attached: see alliance_site.files.uploads


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Any number of files; each is checked as a case attachment and every refusal is reported."""

    widget = MultipleFileInput(attrs={"accept": ",".join(f".{ext}" for ext in ATTACHMENTS.extensions)})
    default_validators = [UploadValidator("case_attachment")]

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        cleaned, errors = [], []
        for file in files:
            try:
                cleaned.append(super().clean(file, initial))
            except ValidationError as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


def upload_collection():
    """The collection that holds the files members attach to cases (created when first needed)."""
    collection = Collection.objects.filter(name=UPLOAD_COLLECTION).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=UPLOAD_COLLECTION)
    return collection


def store_upload(file, user, collection):
    """A Wagtail Document (PDF, Office) or Image for an accepted upload: (block type, raw block value)."""
    title = PurePath(file.name).stem[:255] or file.name
    if extension_of(file.name) in ATTACHMENTS.image_extensions:
        # Images are served as plain media files, which no view guards: a random name keeps the address of a
        # members-only or judges-only picture (and its renditions) unguessable, and says nothing of its author.
        file.name = f"{uuid.uuid4().hex}.{extension_of(file.name)}"
        image = get_image_model()(title=title, file=file, collection=collection, uploaded_by_user=user)
        image._set_image_file_metadata()
        image.save()
        return "image", {"image": image.pk, "alt_text": title, "decorative": False}
    document = get_document_model()(title=title, file=file, collection=collection, uploaded_by_user=user)
    document._set_document_file_metadata()
    document.save()
    return "document", document.pk


# Text ------------------------------------------------------------------------------------------------------

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def text_to_html(text):
    """Plain text as rich text: escaped paragraphs (blank lines) with line breaks; never the member's HTML."""
    paragraphs = [p.strip() for p in PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n"))]
    return "".join(f"<p>{'<br/>'.join(escape(line) for line in p.splitlines())}</p>" for p in paragraphs if p)


BLOCK_END = re.compile(r"</(p|h[1-6]|li|ol|ul|blockquote)>", re.IGNORECASE)
LINE_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")


def html_to_text(value):
    """The text a member edits for a rich-text block: the reverse of text_to_html (formatting is dropped)."""
    value = LINE_BREAK.sub("\n", str(value))
    value = BLOCK_END.sub("\n\n", value)
    value = html.unescape(TAG.sub("", value))
    return PARAGRAPH_BREAK.sub("\n\n", value).strip()


def split_tags(value):
    """Tags separated by commas (also Chinese ，、；), as taggit parses them."""
    return parse_tags(re.sub(r"[，、；;]", ",", value or ""))


# Forms -----------------------------------------------------------------------------------------------------

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_TAGS = 10
# As long as a real name may be. The search only helps to find co-authors and is not part of the case: a longer
# text is cut here, as the field's maxlength has a browser cut it, and never keeps the form from saving.
COAUTHOR_SEARCH_MAX_LENGTH = 50


def author_label(profile, user):
    """The member as the co-author finder offers them: the enterprise only where their card shows it to `user`."""
    if profile.disclosed_to(user)["enterprise"]:
        return f"{profile.real_name}（{profile.enterprise.name}）"
    return profile.real_name


class CaseForm(forms.Form):
    title = OneLineCharField(label=_("Case title"), max_length=120, help_text=_("e.g. 运用六西格玛降低铸件气孔缺陷率"))
    summary = forms.CharField(
        label=_("Summary"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown to everyone, in lists and feeds: the problem, what was done and the result."),
    )
    enterprise = forms.ModelChoiceField(label=_("Enterprise"), queryset=Enterprise.objects.none(), empty_label=None)
    industry = forms.ChoiceField(label=_("Industry"), choices=Industry.choices)
    methods = forms.ModelMultipleChoiceField(
        label=_("Quality methods"),
        queryset=QualityMethod.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one quality method.")},
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=500,
        help_text=_("Separate tags with commas, e.g. 降本增效，焊接，一次合格率"),
    )
    period_start = forms.DateField(label=_("Project start"), widget=DATE_WIDGET)
    period_end = forms.DateField(label=_("Project end"), widget=DATE_WIDGET)
    economic_benefit = forms.DecimalField(
        label=_("Economic benefit (10,000 yuan)"), max_digits=12, decimal_places=2, min_value=0, required=False
    )
    benefit_note = forms.CharField(
        label=_("How the benefit was reckoned"),
        max_length=200,
        required=False,
        help_text=_("e.g. 按年减少废品损失计算，经财务部门确认"),
    )
    coauthors = forms.ModelMultipleChoiceField(
        label=_("Co-authors"),
        queryset=CQOProfile.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("You are always the first author. Tick the members who wrote the case with you."),
    )
    coauthor_search = forms.CharField(
        label=_("Find a member by name"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "maxlength": COAUTHOR_SEARCH_MAX_LENGTH}),
    )

    basic_fields = ["title", "summary", "enterprise", "industry", "methods", "tags"]
    project_fields = ["period_start", "period_end", "economic_benefit", "benefit_note"]

    def __init__(self, *args, user, first_author, page=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.first_author = first_author
        enterprise = first_author.enterprise
        choices = Q(pk=enterprise.pk)
        if page is not None:
            choices |= Q(pk=page.enterprise_id)
        if enterprise.group_id:
            choices |= Q(group_id=enterprise.group_id)  # a group's CQO may write about a sister company
        field = self.fields["enterprise"]
        field.queryset = Enterprise.objects.filter(choices).order_by("name")
        field.widget.choices = [(e.pk, e.name) for e in field.queryset]  # read once, not on each render
        existing = self.initial.get("coauthors", [])
        self.fields["coauthors"].queryset = (
            CQOProfile.objects.filter(Q(pk__in=existing) | Q(pk__in=self.searchable_members().values("pk")))
            .exclude(pk=first_author.pk)
            .select_related("enterprise__county")
        )
        self.fields["coauthors"].label_from_instance = lambda profile: author_label(profile, user)

    def searchable_members(self):
        """Active members whose card the user may see: the co-authors one may add."""
        return CQOProfile.objects.members().visible_to(self.user)

    def offer_coauthors(self, query):
        """Offer the members already chosen, and those whose name matches `query`, as co-author checkboxes."""
        chosen = [str(pk) for pk in (self.data.getlist(self.add_prefix("coauthors")) if self.is_bound else [])]
        chosen = chosen or [str(pk) for pk in self.initial.get("coauthors", [])]
        shown = Q(pk__in=parse_ids(chosen))
        if query:
            shown |= Q(pk__in=self.searchable_members().filter(real_name__icontains=query).values("pk")[:20])
        profiles = self.fields["coauthors"].queryset.filter(shown).order_by("real_name")
        self.fields["coauthors"].widget.choices = [(p.pk, author_label(p, self.user)) for p in profiles]
        self.coauthor_query = query
        self.coauthor_matches = [p for p in profiles if query and query.lower() in p.real_name.lower()]

    def clean_coauthor_search(self):
        return self.cleaned_data["coauthor_search"][:COAUTHOR_SEARCH_MAX_LENGTH]

    def clean_tags(self):
        tags = split_tags(self.cleaned_data["tags"])
        if len(tags) > MAX_TAGS:
            raise ValidationError(_("Give at most %(count)d tags."), params={"count": MAX_TAGS})
        if any(len(tag) > 50 for tag in tags):
            raise ValidationError(_("Each tag may be at most 50 characters long."))
        return tags

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The project cannot end before it starts."))
        return cleaned


class SectionForm(forms.Form):
    block_id = forms.CharField(widget=forms.HiddenInput, required=False)
    heading = forms.CharField(label=_("Heading"), max_length=120, help_text=_("e.g. 现状调查、原因分析、对策实施"))
    visibility = forms.ChoiceField(
        label=_("Who may see this section"),
        choices=Visibility.CHOICES,
        initial=Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=30_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Plain text. Leave a blank line between paragraphs."),
    )
    attachments = AttachmentsField(
        label=_("Attach files"),
        required=False,
        help_text=_("PDF, Word, Excel, PowerPoint, JPG or PNG; at most 20 MB each. Images are shown in the section."),
    )
    keep = forms.MultipleChoiceField(label=_("Attached files"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, originals=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.originals = originals or {}
        self.fields["keep"].choices = self.original_files()
        self.fields["attachments"].help_text = _(
            "PDF, Word, Excel, PowerPoint, JPG or PNG; at most %(limit)s each. Images are shown in the section."
        ) % {"limit": filesizeformat(ATTACHMENTS.max_bytes())}

    def has_changed(self):
        """A section counts as filled in when any of it is: its fields, a metric row or a file."""
        metrics = getattr(self, "metrics", None)
        return super().has_changed() or bool(metrics and any(form.has_changed() for form in metrics.forms))

    def block_id_value(self):
        value = self.data.get(self.add_prefix("block_id")) if self.is_bound else self.initial.get("block_id")
        return value or ""

    def original_section(self):
        return self.originals.get(self.block_id_value())

    def original_files(self):
        """(key, label) of the documents and images the section holds now; unticking one removes it."""
        section = self.original_section()
        return section["files"] if section else []


class BaseSectionFormSet(forms.BaseFormSet):
    deletion_widget = forms.CheckboxInput
    default_error_messages = {
        "too_few_forms": _("Write at least one section."),
        "too_many_forms": _("A case may have at most %(num)d sections."),
    }

    def __init__(self, *args, originals=None, **kwargs):
        self.originals = originals or {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "originals": self.originals}

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this section")


SectionFormSet = forms.formset_factory(
    SectionForm,
    formset=BaseSectionFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=30,
    validate_max=True,
    absolute_max=30,  # TOTAL_FORMS is typed by the sender: never build more forms than may be sent
    can_delete=True,
)


class MetricForm(forms.Form):
    indicator = forms.CharField(label=_("Indicator"), max_length=100)
    unit = forms.CharField(label=_("Unit"), max_length=20, required=False)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=18, decimal_places=4)
    result = forms.DecimalField(label=_("Result"), max_digits=18, decimal_places=4)
    direction = forms.ChoiceField(
        label=_("Better when"),
        choices=[(LOWER_IS_BETTER, _("Lower is better")), (HIGHER_IS_BETTER, _("Higher is better"))],
        initial=LOWER_IS_BETTER,
    )


class BaseMetricFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")


MetricFormSet = forms.formset_factory(
    MetricForm, formset=BaseMetricFormSet, extra=1, max_num=50, validate_max=True, absolute_max=50, can_delete=True
)


# The editor ------------------------------------------------------------------------------------------------

SECTIONS_PREFIX = "sections"


def metrics_prefix(section_prefix):
    return f"{section_prefix}-metrics"


def grow(data, action):
    """The posted data with one more empty form for the "add" buttons ("add-section", "add-metric-<n>")."""
    section = action.removeprefix("add-metric-")
    if action == "add-section":
        prefix = SECTIONS_PREFIX
    elif section != action and parse_int(section, minimum=0, maximum=MAX_ID) is not None:
        prefix = metrics_prefix(f"{SECTIONS_PREFIX}-{section}")
    else:
        return data
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    count = data.get(key, "0")
    count = parse_int(count, minimum=0, maximum=MAX_ID, default=0)
    data[key] = str(count + 1)
    if prefix == SECTIONS_PREFIX:
        # The new section starts with one empty metric row.
        data[f"{metrics_prefix(f'{SECTIONS_PREFIX}-{count}')}-TOTAL_FORMS"] = "1"
        data[f"{metrics_prefix(f'{SECTIONS_PREFIX}-{count}')}-INITIAL_FORMS"] = "0"
    return data


def with_metric_management(data):
    """A section posted without its metrics' management form has no metrics (rather than a broken form)."""
    total = data.get(f"{SECTIONS_PREFIX}-TOTAL_FORMS", "0")
    missing = [
        metrics_prefix(f"{SECTIONS_PREFIX}-{index}")
        for index in range(min(parse_int(total, minimum=0, maximum=MAX_ID, default=0), SectionFormSet.absolute_max))
        if f"{metrics_prefix(f'{SECTIONS_PREFIX}-{index}')}-TOTAL_FORMS" not in data
    ]
    if not missing:
        return data
    data = data.copy()
    for prefix in missing:
        data[f"{prefix}-TOTAL_FORMS"] = "0"
        data[f"{prefix}-INITIAL_FORMS"] = "0"
    return data


class CaseEditor:
    """Everything the case form posts, for a new case (`page=None`) or the latest revision of one."""

    def __init__(self, data=None, files=None, *, user, page=None):
        self.user = user
        self.page = page  # the case as in its latest revision, or None for a new case
        owner = page.owner if page is not None and page.owner_id != user.pk else user
        self.first_author = roles.profile_of(owner)
        if data is not None:
            data = with_metric_management(data)
        self.originals = self.original_sections()
        self.case_form = CaseForm(
            data, user=user, first_author=self.first_author, page=page, prefix="case", initial=self.case_initial()
        )
        self.sections = SectionFormSet(
            data, files, prefix=SECTIONS_PREFIX, initial=self.sections_initial(), originals=self.originals
        )
        for index, form in enumerate(self.sections.forms):
            form.metrics = MetricFormSet(data, prefix=metrics_prefix(form.prefix), initial=self.metrics_initial(index))
        search = self.case_form.data.get("case-coauthor_search", "").strip()
        self.case_form.offer_coauthors(search[:COAUTHOR_SEARCH_MAX_LENGTH])

    # Initial values from the latest revision ---------------------------------------------------------------

    def case_initial(self):
        page = self.page
        if page is None:
            enterprise = self.first_author.enterprise
            return {"enterprise": enterprise.pk, "industry": enterprise.industry}
        return {
            "title": page.title,
            "summary": page.summary,
            "enterprise": page.enterprise_id,
            "industry": page.industry,
            "methods": [method.pk for method in page.methods.all()],
            "tags": edit_string_for_tags(list(page.tags.all())),
            "period_start": page.period_start,
            "period_end": page.period_end,
            "economic_benefit": page.economic_benefit,
            "benefit_note": page.benefit_note,
            "coauthors": [a.profile_id for a in page.authors.all() if a.profile_id != self.first_author.pk],
        }

    def raw_sections(self):
        if self.page is None:
            return []
        return [block for block in self.page.body.raw_data if block["type"] == "section"]

    def sections_initial(self):
        return [
            {
                "block_id": block.get("id", ""),
                "heading": block["value"].get("heading", ""),
                "visibility": block["value"].get("visibility", Visibility.PUBLIC),
                "keep": [key for key, _label in self.originals.get(block.get("id", ""), {}).get("files", [])],
                "text": "\n\n".join(
                    html_to_text(item["value"]) for item in block["value"].get("content", []) if item["type"] == "text"
                ),
            }
            for block in self.raw_sections()
        ]

    def metrics_initial(self, index):
        sections = self.raw_sections()
        if index is None or index >= len(sections):
            return None
        return [
            {key: item["value"].get(key) for key in ("indicator", "unit", "baseline", "result", "direction")}
            for item in sections[index]["value"].get("content", [])
            if item["type"] == "metric"
        ]

    def original_sections(self):
        """{block id: {"content": raw items kept as they are, "files": (key, label) of documents and images}}."""
        sections = self.raw_sections()
        items = [item for block in sections for item in block["value"].get("content", [])]
        document_ids = {item["value"] for item in items if item["type"] == "document"}
        image_ids = {self.image_id(item["value"]) for item in items if item["type"] == "image"}
        documents = get_document_model().objects.in_bulk(document_ids) if document_ids else {}
        images = get_image_model().objects.in_bulk(image_ids) if image_ids else {}
        originals = {}
        for block in sections:
            files, kept = [], []
            for item in block["value"].get("content", []):
                if item["type"] == "document" and item["value"] in documents:
                    document = documents[item["value"]]
                    files.append((f"document:{document.pk}", f"{document.title}.{document.file_extension}"))
                elif item["type"] == "image" and self.image_id(item["value"]) in images:
                    files.append((f"image:{self.image_id(item['value'])}", images[self.image_id(item["value"])].title))
                if item["type"] not in ("text", "metric"):
                    kept.append(item)
            originals[block.get("id", "")] = {"content": kept, "files": files}
        return originals

    @staticmethod
    def image_id(value):
        return value.get("image") if isinstance(value, dict) else value

    @staticmethod
    def file_key(item):
        if item["type"] == "document":
            return f"document:{item['value']}"
        if item["type"] == "image":
            return f"image:{CaseEditor.image_id(item['value'])}"
        return None

    # Validation and saving ------------------------------------------------------------------------------

    def quiet(self):
        """Show the posted data again without errors (after an "add" or "find" button): validate nothing."""
        forms_ = [self.case_form, *self.sections.forms, *(m for f in self.sections.forms for m in f.metrics.forms)]
        for form in forms_:
            form._errors = ErrorDict()
        for formset in [self.sections, *(f.metrics for f in self.sections.forms)]:
            formset._errors = [form._errors for form in formset.forms]
            formset._non_form_errors = formset.error_class(renderer=formset.renderer)

    def live_sections(self):
        return [form for form in self.sections.forms if form not in self.sections.deleted_forms and form.has_changed()]

    def is_valid(self):
        valid = self.case_form.is_valid() & self.sections.is_valid()
        for form in self.sections.forms:
            if form in self.sections.deleted_forms:
                continue
            valid &= form.metrics.is_valid()
        return valid

    @property
    def errors_count(self):
        count = len(self.case_form.errors) + len(self.sections.non_form_errors())
        for form in self.sections.forms:
            count += len(form.errors) + len(form.metrics.non_form_errors())
            count += sum(len(metric.errors) for metric in form.metrics.forms)
        return count

    def build_body(self, collection):
        """The raw StreamField data of the body; stores the accepted uploads as Documents and Images."""
        body, used_ids = [], set()
        for form in self.sections.forms:
            if form in self.sections.deleted_forms or not (form.has_changed() or form.block_id_value()):
                continue
            data = form.cleaned_data
            content = []
            if data["text"].strip():
                content.append({"type": "text", "value": text_to_html(data["text"])})
            for metric in form.metrics.forms:
                if metric in form.metrics.deleted_forms or not metric.has_changed():
                    continue
                value = dict(metric.cleaned_data)
                value.pop("DELETE", None)
                value["baseline"] = str(value["baseline"].normalize())
                value["result"] = str(value["result"].normalize())
                content.append({"type": "metric", "value": value})
            original = form.original_section()
            if original:
                keep = set(data["keep"])
                content += [i for i in original["content"] if self.file_key(i) is None or self.file_key(i) in keep]
            for upload in data["attachments"]:
                kind, value = store_upload(upload, self.user, collection)
                content.append({"type": kind, "value": value})
            block = {
                "type": "section",
                "value": {"heading": data["heading"], "visibility": data["visibility"], "content": content},
            }
            block_id = data["block_id"]
            if block_id and original and block_id not in used_ids:
                block["id"] = block_id
                used_ids.add(block_id)
            body.append(block)
        return body

    @transaction.atomic
    def save(self, index=None):
        """Save a new revision of the case (creating the draft page under `index` for a new case)."""
        data = self.case_form.cleaned_data
        uploads = any(form.cleaned_data.get("attachments") for form in self.live_sections())
        page = self.page if self.page is not None else CasePage(owner=self.user, live=False)
        page.title = data["title"]
        page.draft_title = data["title"]
        for field in ("summary", "enterprise", "industry", "period_start", "period_end", "benefit_note"):
            setattr(page, field, data[field])
        page.economic_benefit = data["economic_benefit"]
        page.methods = list(data["methods"])
        page.tags.set(data["tags"])
        coauthors = sorted(data["coauthors"], key=self.coauthor_order(page))
        page.authors = [
            CaseAuthor(profile=profile, sort_order=order)
            for order, profile in enumerate([self.first_author, *coauthors])
        ]
        page.body = self.build_body(upload_collection() if uploads else None)
        created = page.pk is None
        if created:
            # Under a lock of the library's row (PostgreSQL; SQLite's writers queue anyway), so that two members
            # saving a case of the same title at once do not both pick the one free address.
            Page.objects.select_for_update().filter(pk=index.pk).values_list("pk", flat=True).get()
            page.slug = find_available_slug(index, slugify(data["title"], allow_unicode=True)[:80] or "case")
            index.add_child(instance=page)
        page.save_revision(user=self.user, log_action=True)
        if not created and not page.live:
            # A case never published shows nowhere, so its page row may follow the draft: then the authors
            # listed in 我的案例 and the attachments' references are those of the latest draft.
            page.save(clean=False)
        return page

    def coauthor_order(self, page):
        """Co-authors already on the case keep their order; new ones follow in the order they were ticked."""
        before = [author.profile_id for author in page.authors.all()] if page.pk else []
        ticked = parse_ids(self.case_form.data.getlist("case-coauthors"))

        def key(profile):
            if profile.pk in before:
                return (0, before.index(profile.pk))
            return (1, ticked.index(profile.pk) if profile.pk in ticked else 0)

        return key
