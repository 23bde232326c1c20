"""Demo content for the case library: the library page, the written cases, two drafts and the benchmark cases.

`seed(scale, stdout)` is what the `alliance_seed_demo` hook runs (see cases.wagtail_hooks and
alliance_site.management.commands.seed_demo), after the core seed and inside its own transaction.

- demo: the "案例库" page under the home page with the "案例审核" workflow; the cases of `demo_data.CASES`,
  created as drafts by their first author and published by secretariat staff, as the workflow would; two
  drafts of the demo user `member`, one of them submitted for review.
- large: the above plus BENCH_CASES generated cases, written straight into the tables (see seed_bench_cases).

Idempotent: cases are looked up by slug under the library page and only the missing ones are created; the
benchmark cases are skipped when any of them exists.
"""

import io
import random
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import partial

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connections, router
from django.db.models import F
from django.test.utils import override_settings
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.search.backends import get_search_backends

from alliance_site.demo import core
from alliance_site.demo import data as core_data
from alliance_site.models import CQOProfile, HomePage, ProfileStatus

from . import demo_data
from .models import CaseAuthor, CaseIndexPage, CaseMembersText, CasePage, CaseTag, QualityMethod
from .workflow import ensure_review_workflow

User = get_user_model()

BENCH_CASES = 10_000
BENCH_SLUG_PREFIX = "bench-case-"
BENCH_BATCH = 1000  # rows per bulk insert and per search-index batch

# How a method reads in a generated title: "运用精益方法…", "运用QC小组活动…".
METHOD_PHRASES = {"qc-circle": "QC小组活动", "qms": "质量管理体系", "performance-excellence": "卓越绩效模式"}


def seed(scale="demo", stdout=None):
    stdout = stdout or io.StringIO()
    started = time.monotonic()
    staff = User.objects.get(username=core_data.STAFF_USER[0])
    index = ensure_library(staff)
    ensure_review_workflow(index)
    lookups = Lookups()
    published = seed_written_cases(index, staff, lookups)
    drafts = seed_member_drafts(index, lookups)
    # Indexed again on every run, so a demo database made before a change of what is indexed (the enterprise's
    # name, members' entries) is searched as a new one is; a few dozen pages, well under a second.
    written = CasePage.objects.child_of(index).exclude(slug__startswith=BENCH_SLUG_PREFIX).select_related("enterprise")
    index_for_search(list(written))
    stdout.write(
        f"Case library: {published} cases published, {drafts} drafts added ({time.monotonic() - started:.1f} s)."
    )
    if scale == "large":
        started = time.monotonic()
        created = seed_bench_cases(index)
        stdout.write(f"Bench cases: {created} added ({time.monotonic() - started:.1f} s).")


def ensure_library(staff):
    """The case library page under the home page, created and published if missing."""
    index = CaseIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first()
        index = home.add_child(
            instance=CaseIndexPage(
                title=demo_data.INDEX_TITLE, slug=demo_data.INDEX_SLUG, intro=demo_data.INDEX_INTRO, live=False
            )
        )
    if not index.live:
        core.publish(index, staff)
    return index


class Lookups:
    """The records the written cases refer to by natural key, read once."""

    def __init__(self):
        usernames = {name for spec in all_written_specs() for name in spec.authors}
        self.profiles = {
            p.user.username: p for p in CQOProfile.objects.select_related("user").filter(user__username__in=usernames)
        }
        self.firms = core.firms_by_key()
        self.methods = {method.slug: method for method in QualityMethod.objects.all()}


def all_written_specs():
    return [*demo_data.CASES, demo_data.SUBMITTED_DRAFT, demo_data.PLAIN_DRAFT]


def existing_slugs(index):
    return set(CasePage.objects.child_of(index).values_list("slug", flat=True))


# Written cases ---------------------------------------------------------------------------------------------


def seed_written_cases(index, staff, lookups):
    """Create and publish (as `staff`) the written cases not in the library yet. Returns how many."""
    existing = existing_slugs(index)
    created = 0
    for spec in demo_data.CASES:
        if spec.slug in existing:
            continue
        page = build_case(spec, lookups, first_published_at=aware(spec.published))
        index.add_child(instance=page)
        core.publish(page, staff)
        created += 1
    return created


def seed_member_drafts(index, lookups):
    """`member`'s two drafts: one submitted into the review workflow, one still being written."""
    existing = existing_slugs(index)
    created = 0
    for spec, submit in ((demo_data.SUBMITTED_DRAFT, True), (demo_data.PLAIN_DRAFT, False)):
        if spec.slug in existing:
            continue
        page = build_case(spec, lookups)
        author = page.owner
        index.add_child(instance=page)
        page.save_revision(user=author, log_action=True)
        if submit:
            # Seeding is not news: reviewers are not e-mailed about a demo submission (nor, on a server with
            # real mail settings, are the demo addresses).
            with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
                page.get_workflow().start(page, author)
        created += 1
    return created


def build_case(spec, lookups, first_published_at=None):
    """An unsaved, unpublished CasePage for `spec`, owned by its first author, with authors, methods and tags."""
    authors = [lookups.profiles[username] for username in spec.authors]
    enterprise = lookups.firms[spec.firm]
    owner = authors[0].user
    page = CasePage(
        title=spec.title,
        slug=spec.slug,
        summary=spec.summary,
        enterprise=enterprise,
        industry=enterprise.industry,
        period_start=date(*spec.period[0]),
        period_end=date(*spec.period[1]),
        economic_benefit=Decimal(spec.benefit) if spec.benefit else None,
        benefit_note=spec.benefit_note,
        body=body_data(spec.sections, lambda item: attach_workbook(item, owner)),
        owner=owner,
        live=False,
        first_published_at=first_published_at,
    )
    page.authors = [CaseAuthor(profile=profile, sort_order=order) for order, profile in enumerate(authors)]
    page.methods = [lookups.methods[slug] for slug in spec.methods]
    page.tags.add(*spec.tags)
    return page


def aware(ymd):
    return datetime(*ymd, 9, 30, tzinfo=UTC)


# StreamField data ------------------------------------------------------------------------------------------


def body_data(sections, make_document=None):
    """The body's raw StreamField data for demo_data Sections."""
    return [
        block(
            "section",
            {
                "heading": section.heading,
                "visibility": section.visibility,
                "content": [item_data(item, make_document) for item in section.items],
            },
        )
        for section in sections
    ]


def block(kind, value):
    return {"type": kind, "value": value, "id": str(uuid.uuid4())}


def item_data(item, make_document):
    kind = item[0]
    if kind == "text":
        return block("text", item[1])
    if kind == "quote":
        return block("quote", {"text": item[1], "source": item[2]})
    if kind == "table":
        _, caption, rows = item
        return block("table", table_value(caption, rows))
    if kind == "metric":
        _, indicator, unit, baseline, result, direction = item
        return block(
            "metric",
            {"indicator": indicator, "unit": unit, "baseline": baseline, "result": result, "direction": direction},
        )
    if kind == "document":
        return block("document", make_document(item).pk)
    raise ValueError(f"Unknown demo content item {kind!r}")


def table_value(caption, rows):
    return {
        "data": rows,
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_caption": caption,
    }


def attach_workbook(item, owner):
    """The document for an ("document", title, filename, rows) item: an .xlsx of the rows (found by title)."""
    _, title, filename, rows = item
    Document = get_document_model()
    document = Document.objects.filter(title=title).first()
    if document is None:
        content = build_workbook(title, rows)
        document = Document(title=title, uploaded_by_user=owner, file_size=len(content))
        document.file.save(filename, ContentFile(content), save=False)
        document.save()
    return document


def build_workbook(title, rows):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "数据"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    for row in rows:
        sheet.append([number_or_text(cell) for cell in row])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def number_or_text(cell):
    try:
        return int(cell)
    except ValueError:
        return cell


# Benchmark cases -------------------------------------------------------------------------------------------


def seed_bench_cases(index, count=BENCH_CASES):
    """`count` generated cases by the bench CQOs, published, in bulk. Returns how many were created.

    add_child() costs a tree lookup, several inserts, a revision and a search-index update per page; for
    10,000 pages the rows are written directly instead: the treebeard paths are computed here (the next
    steps after the library's last child), wagtailcore_page rows go in with bulk_create, the cases_casepage
    rows with one multi-row INSERT per batch (bulk_create refuses multi-table inheritance), then authors,
    methods and tags, the library's numchild, and the search index through the backends' add_bulk. The
    pages are live without revisions, like pages imported by a script; editing one in the admin creates
    its first revision.
    """
    if CasePage.objects.filter(slug__startswith=BENCH_SLUG_PREFIX).exists():
        return 0
    rng = random.Random(2027)
    profiles = list(
        CQOProfile.objects.filter(
            user__username__startswith=core_data.BENCH_PREFIX, status=ProfileStatus.ACTIVE
        ).select_related("enterprise")
    )
    if not profiles:
        return 0
    colleagues = defaultdict(list)
    for profile in profiles:
        colleagues[profile.enterprise_id].append(profile)
    methods = list(QualityMethod.objects.all())
    tag_model = CaseTag.tag_model()
    tags = [tag_model.objects.get_or_create(name=name)[0] for name in demo_data.BENCH_TAGS]
    index = CaseIndexPage.objects.get(pk=index.pk)  # fresh numchild and path
    last_child = index.get_last_child()
    first_step = last_child._get_lastpos_in_path() + 1 if last_child else 1
    context = {
        "index": index,
        "content_type": ContentType.objects.get_for_model(CasePage),
        "methods": methods,
    }
    cases, authors, case_methods, case_tags = [], [], [], []
    for number in range(1, count + 1):
        author = rng.choice(profiles)
        others = [p for p in colleagues[author.enterprise_id] if p is not author]
        team = [author, *rng.sample(others, min(len(others), rng.choice((0, 0, 1, 2))))]
        chosen_methods = rng.sample(methods, rng.choice((1, 1, 2)))
        case = bench_case(rng, number, first_step + number - 1, author, chosen_methods[0], context)
        cases.append(case)
        authors.append(team)
        case_methods.append(chosen_methods)
        case_tags.append(rng.sample(tags, rng.randint(1, 3)))
    write_bench_rows(index, cases, authors, case_methods, case_tags)
    index_for_search(cases)
    return len(cases)


def bench_case(rng, number, step, author, method, context):
    index = context["index"]
    enterprise = author.enterprise
    product = rng.choice(demo_data.BENCH_PRODUCTS.get(enterprise.industry, demo_data.BENCH_PRODUCTS["C"]))
    indicator_spec = rng.choice(demo_data.BENCH_INDICATORS)
    metric_value = bench_metric(rng, indicator_spec, product)
    words = {
        "firm": enterprise.name,
        "product": product,
        "method": METHOD_PHRASES.get(method.slug, f"{method.name}方法"),
        "indicator": metric_value["indicator"],
        "baseline": metric_value["baseline"],
        "result": metric_value["result"],
        "unit": metric_value["unit"],
    }
    title = rng.choice(demo_data.BENCH_TITLES).format(**words)
    slug = f"{BENCH_SLUG_PREFIX}{number:05d}"
    start = date(2019, 1, 1) + timedelta(days=rng.randint(0, 2200))
    end = start + timedelta(days=rng.randint(120, 360))
    published = datetime.combine(end + timedelta(days=rng.randint(20, 120)), datetime.min.time(), tzinfo=UTC)
    return CasePage(
        title=title,
        draft_title=title,
        slug=slug,
        path=CasePage._get_path(index.path, index.depth + 1, step),
        depth=index.depth + 1,
        numchild=0,
        url_path=f"{index.url_path}{slug}/",
        live=True,
        has_unpublished_changes=False,
        first_published_at=published,
        last_published_at=published,
        content_type=context["content_type"],
        owner_id=author.user_id,
        locale_id=index.locale_id,
        summary=rng.choice(demo_data.BENCH_BACKGROUNDS).format(**words),
        enterprise=enterprise,  # its name is indexed with the case
        industry=enterprise.industry,
        period_start=start,
        period_end=end,
        economic_benefit=Decimal(rng.randint(50, 3000)) / 10,
        benefit_note="按改进前后质量损失之差测算",
        body=bench_body(rng, number, words, metric_value, context["methods"], product),
    )


def bench_metric(rng, spec, product):
    indicator, unit, direction, (low, high), (least, most) = spec
    baseline = rng.uniform(low, high)
    change = baseline * rng.uniform(least, most)
    result = baseline - change if direction == demo_data.LOWER else baseline + change
    if unit == "%":
        result = min(result, 99.9)
    places = 2 if unit == "" else 0 if isinstance(low, int) else 1
    return {
        "indicator": indicator.format(product=product),
        "unit": unit,
        "baseline": f"{baseline:.{places}f}",
        "result": f"{result:.{places}f}",
        "direction": direction,
    }


def bench_body(rng, number, words, metric_value, methods, product):
    """Two or three sections; the first bench case always has all three, a members-only one among them."""
    background = [("text", f"<p>{rng.choice(demo_data.BENCH_BACKGROUNDS).format(**words)}</p>")]
    if rng.random() < 0.4:
        background.append(
            (
                "table",
                "改进前后对比",
                [["指标", "改进前", "改进后"], [words["indicator"], metric_value["baseline"], metric_value["result"]]],
            )
        )
    sections = [demo_data.public("背景与现状", *background)]
    roll = 0.5 if number == 1 else rng.random()
    if roll < 0.7:
        analysis = [("text", f"<p>{rng.choice(demo_data.BENCH_ANALYSES).format(**words)}</p>")]
        if roll < 0.35:
            sections.append(demo_data.public("原因分析与对策", *analysis))
        elif roll < 0.58:
            note = rng.choice(demo_data.BENCH_MEMBER_NOTES)
            sections.append(demo_data.members("原因分析与对策", *analysis, ("text", f"<p>{note}</p>")))
        else:
            secret = rng.choice(demo_data.BENCH_SECRETS)
            sections.append(demo_data.judges("关键参数与对策", *analysis, ("text", f"<p>{secret}</p>")))
    results = [
        ("text", f"<p>{rng.choice(demo_data.BENCH_RESULTS).format(**words)}</p>"),
        ("metric", *metric_value.values()),
    ]
    if number == 1 or rng.random() < 0.4:
        second = bench_metric(rng, rng.choice(demo_data.BENCH_INDICATORS), product)
        if second["indicator"] != metric_value["indicator"]:
            results.append(("metric", *second.values()))
    sections.append(demo_data.public("效果验证", *results))
    return body_data(sections)


def write_bench_rows(index, cases, authors, case_methods, case_tags):
    database = router.db_for_write(Page)
    page_fields = [field.attname for field in Page._meta.concrete_fields if not field.primary_key]
    pages = [Page(**{name: getattr(case, name) for name in page_fields}) for case in cases]
    Page.objects.using(database).bulk_create(pages, batch_size=BENCH_BATCH)
    for case, page in zip(cases, pages, strict=True):
        case.id = case.page_ptr_id = page.pk
        case._state.adding = False
        case._state.db = database
    insert_child_rows(CasePage, cases, database)
    CaseAuthor.objects.using(database).bulk_create(
        [
            CaseAuthor(page_id=case.pk, profile_id=profile.pk, sort_order=order)
            for case, team in zip(cases, authors, strict=True)
            for order, profile in enumerate(team)
        ],
        batch_size=BENCH_BATCH,
    )
    through = CasePage.methods.through
    through.objects.using(database).bulk_create(
        [
            through(casepage_id=case.pk, qualitymethod_id=method.pk)
            for case, chosen in zip(cases, case_methods, strict=True)
            for method in chosen
        ],
        batch_size=BENCH_BATCH,
    )
    CaseTag.objects.using(database).bulk_create(
        [
            CaseTag(content_object_id=case.pk, tag_id=tag.pk)
            for case, chosen in zip(cases, case_tags, strict=True)
            for tag in chosen
        ],
        batch_size=BENCH_BATCH,
    )
    Page.objects.using(database).filter(pk=index.pk).update(numchild=F("numchild") + len(cases))


def insert_child_rows(model, objs, database):
    """INSERT the rows of a multi-table-inherited model's own table, for objects whose parent rows exist.

    This is the insert Model.save() makes for the child table, with many rows at a time.
    """
    fields = model._meta.local_concrete_fields
    batch = min(BENCH_BATCH, connections[database].ops.bulk_batch_size(fields, objs) or BENCH_BATCH)
    for start in range(0, len(objs), batch):
        model._base_manager.using(database)._insert(objs[start : start + batch], fields=fields, using=database)


def index_for_search(cases):
    """Add the cases to every search backend that Wagtail keeps up to date on save, in batches, with the
    members' entries (CaseMembersText) of those with members-only sections, as saving each case would.

    The database backend reads each search field three times per object (for the title, body and
    autocomplete columns), and segmenting the text with jieba is the costly part: it is done once
    per entry here and the result handed to the indexer. The cases' enterprises must be loaded.
    """
    members, without = [], []
    for case in cases:
        case.segmented_public_text = partial(str, case.segmented_public_text())
        if case.has_members_text():
            entry = CaseMembersText(case=case)
            entry.segmented_text = partial(str, entry.segmented_text())
            members.append(entry)
        else:
            without.append(case.pk)
    CaseMembersText.objects.filter(case_id__in=without).delete()  # their entries go with them (signals)
    CaseMembersText.objects.bulk_create(members, batch_size=BENCH_BATCH, ignore_conflicts=True)
    for backend in get_search_backends(with_auto_update=True):
        for model, objects in ((CasePage, cases), (CaseMembersText, members)):
            for start in range(0, len(objects), BENCH_BATCH):
                backend.add_bulk(model, objects[start : start + BENCH_BATCH])
