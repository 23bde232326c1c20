"""The case library's demo content: seeded once, published by staff, confidential sections hidden, drafts kept.

The demo seed (core and cases) takes a while, so it is made once for this module inside a transaction that is
rolled back afterwards; each test runs in a savepoint within it.
"""

import io
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.utils.html import escape, strip_tags
from wagtail.documents import get_document_model
from wagtail.models import Page, Revision, WorkflowState

from alliance_site.models import CQOProfile, Enterprise, HomePage, ProfileStatus
from cases import demo, demo_data
from cases.models import CaseAuthor, CaseIndexPage, CasePage, CaseTag
from cases.workflow import WORKFLOW_NAME

User = get_user_model()

WRITTEN_SLUGS = [spec.slug for spec in demo_data.CASES]
HIDDEN_NOTICE = re.compile(r'<p class="notice" role="note">')


def seed_demo():
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """`manage.py seed_demo` once for the module; everything is rolled back after the last test."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        output = seed_demo()
        yield output
        transaction.set_rollback(True)


def counts():
    return {
        "cases": CasePage.objects.count(),
        "live cases": CasePage.objects.live().count(),
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "authors": CaseAuthor.objects.count(),
        "method links": CasePage.methods.through.objects.count(),
        "tags": CaseTag.objects.count(),
        "documents": get_document_model().objects.count(),
        "workflow states": WorkflowState.objects.count(),
    }


def sections_of(spec, *visibilities):
    return [section for section in spec.sections if section.visibility in visibilities]


def hidden_markers(section):
    """Strings that only this section's content would put into a page: text openings, captions, indicators."""
    markers = []
    for item in section.items:
        if item[0] == "text":
            markers.append(strip_tags(item[1])[:24])
        elif item[0] == "table" and item[1]:
            markers.append(item[1])
        elif item[0] == "metric":
            markers.append(item[1])
        elif item[0] == "quote":
            markers.append(item[1][:24])
    return markers


def html_of(client, page):
    response = client.get(page.url)
    assert response.status_code == 200, (page.slug, response.status_code)
    return response.content.decode()


# Seeding ---------------------------------------------------------------------------------------------------


def test_seed_reports_the_case_library(demo_site):
    assert f"Case library: {len(demo_data.CASES)} cases published, 2 drafts added" in demo_site


def test_second_seed_adds_nothing(demo_site, db):
    before = counts()
    assert before["cases"] == len(demo_data.CASES) + 2
    assert before["documents"] >= 1

    output = seed_demo()

    assert counts() == before
    assert "Case library: 0 cases published, 0 drafts added" in output


def test_library_page_is_published_under_home_with_the_review_workflow(demo_site, db):
    index = CaseIndexPage.objects.get()
    assert (index.title, index.slug, index.live) == (demo_data.INDEX_TITLE, demo_data.INDEX_SLUG, True)
    assert index.intro
    assert isinstance(index.get_parent().specific, HomePage)
    assert index.get_workflow().name == WORKFLOW_NAME


@pytest.mark.parametrize("slug", WRITTEN_SLUGS)
def test_written_case_is_published_by_staff_with_its_data(demo_site, db, slug):
    spec = next(spec for spec in demo_data.CASES if spec.slug == slug)
    page = CasePage.objects.get(slug=slug)

    assert page.live and not page.has_unpublished_changes
    assert page.live_revision.user.username == "staff"
    assert page.first_published_at.date() == date(*spec.published)
    assert page.owner.username == spec.authors[0]
    authors = list(page.authors.select_related("profile__user"))
    assert [author.profile.user.username for author in authors] == list(spec.authors)
    assert all(author.profile.status == ProfileStatus.ACTIVE for author in authors)
    assert page.industry == page.enterprise.industry
    assert sorted(page.methods.values_list("slug", flat=True)) == sorted(spec.methods)
    assert sorted(page.tags.names()) == sorted(spec.tags)
    assert 3 <= len(page.body) <= 6
    blocks = [item.block_type for section in page.body for item in section.value["content"]]
    assert "table" in blocks
    assert 1 <= blocks.count("metric") <= 4


def test_demo_covers_industries_methods_and_every_visibility(demo_site, db):
    cases = CasePage.objects.filter(slug__in=WRITTEN_SLUGS)
    assert {"B", "C", "D", "E", "G", "I"} <= set(cases.values_list("industry", flat=True))
    methods = set(cases.values_list("methods__slug", flat=True))
    expected = {"qc-circle", "six-sigma", "lean", "spc", "fmea", "8d", "poka-yoke", "5s", "performance-excellence"}
    assert expected | {"qfd"} <= methods
    visibilities = [section.visibility for spec in demo_data.CASES for section in spec.sections]
    assert visibilities.count("members") >= 10
    assert visibilities.count("judges") >= len(demo_data.CASES) // 3
    assert cases.filter(authors__profile__user__username="member").count() >= 2


# What each viewer sees -------------------------------------------------------------------------------------


def test_every_case_renders_for_a_visitor_without_its_hidden_sections(demo_site, db, client):
    for spec in demo_data.CASES:
        html = html_of(client, CasePage.objects.get(slug=spec.slug))
        for section in sections_of(spec, "public"):
            assert escape(section.heading) in html, (spec.slug, section.heading)
        hidden = sections_of(spec, "members", "judges")
        for section in hidden:
            for marker in hidden_markers(section):
                assert marker not in html, (spec.slug, section.heading, marker)
        assert bool(HIDDEN_NOTICE.search(html)) == bool(hidden), spec.slug


def test_a_member_sees_members_sections_but_not_judges_sections(demo_site, db, client):
    spec = demo_data.CASES[0]
    client.force_login(User.objects.get(username="wu.jing"))  # an active CQO, not an author of this case
    html = html_of(client, CasePage.objects.get(slug=spec.slug))
    for section in sections_of(spec, "public", "members"):
        assert escape(section.heading) in html
    for section in sections_of(spec, "judges"):
        assert all(marker not in html for marker in hidden_markers(section))


@pytest.mark.parametrize("username", ["member", "staff"])
def test_the_author_and_staff_see_every_section(demo_site, db, client, username):
    spec = demo_data.CASES[0]
    assert spec.authors == ("member",)
    client.force_login(User.objects.get(username=username))
    html = html_of(client, CasePage.objects.get(slug=spec.slug))
    for section in spec.sections:
        assert escape(section.heading) in html
    assert not HIDDEN_NOTICE.search(html)


def test_search_finds_public_text_only(demo_site, db):
    assert CasePage.objects.live().search("精益").count() >= 2
    assert CasePage.objects.live().search("西格玛").count() >= 3  # inside 六西格玛: the text is segmented
    assert CasePage.objects.live().search("曲种").count() == 0  # only in a judges-only section


def found_by_site_search(client, q):
    response = client.get("/search/", {"q": q, "type": "cases"})
    return {result.title for result in response.context["page_obj"].object_list}


def test_the_site_search_finds_cases_by_their_enterprise_and_members_text_by_role(demo_site, db, client):
    huarui = {spec.title for spec in demo_data.CASES if spec.firm == "huarui"}
    assert len(huarui) == 2
    assert found_by_site_search(client, "华瑞") == huarui
    assert found_by_site_search(client, "晋城华瑞精密铸造有限公司") == huarui
    members_only = "在线水分仪"  # in a members-only section of the first case
    assert found_by_site_search(client, members_only) == set()
    client.force_login(User.objects.get(username="moderator"))  # a filed CQO, not an author of that case
    assert found_by_site_search(client, members_only) == {demo_data.CASES[0].title}
    assert found_by_site_search(client, "曲种") == set()  # judges only: never indexed


def test_seeding_again_repairs_a_search_index_made_before_what_is_indexed_changed(demo_site, db, client):
    """A demo database from before enterprise names and members' entries were indexed is searched like a new one
    once `make run` seeds it again."""
    from modelsearch.conf import get_app_config

    from cases.models import CaseMembersText

    CaseMembersText.objects.all().delete()  # as before migration 0007: no members' entries
    get_app_config().get_model("IndexEntry").objects.all().delete()
    client.force_login(User.objects.get(username="moderator"))
    assert found_by_site_search(client, "华瑞") == set()
    assert found_by_site_search(client, "在线水分仪") == set()

    seed_demo()

    assert len(found_by_site_search(client, "华瑞")) == 2
    assert found_by_site_search(client, "在线水分仪") == {demo_data.CASES[0].title}


# member's drafts -------------------------------------------------------------------------------------------


def test_the_submitted_draft_is_in_review_and_not_live(demo_site, db, client):
    page = CasePage.objects.get(slug=demo_data.SUBMITTED_DRAFT.slug)
    assert not page.live and page.first_published_at is None
    assert page.owner.username == "member"
    state = page.current_workflow_state
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == WORKFLOW_NAME
    assert state.requested_by.username == "member"
    assert client.get(page.url).status_code == 404


def test_the_plain_draft_has_a_revision_and_no_workflow(demo_site, db, client):
    page = CasePage.objects.get(slug=demo_data.PLAIN_DRAFT.slug)
    assert not page.live
    assert page.owner.username == "member"
    assert page.latest_revision.user.username == "member"
    assert page.current_workflow_state is None
    assert client.get(page.url).status_code == 404


# The benchmark cases (a few of them) -----------------------------------------------------------------------


def make_bench_profiles(count):
    enterprise = Enterprise.objects.get(name="晋城华瑞精密铸造有限公司")
    for number in range(1, count + 1):
        user = User.objects.create(username=f"bench{number:04d}", first_name=f"测试{number}")
        CQOProfile.objects.create(
            user=user,
            real_name=user.first_name,
            enterprise=enterprise,
            position="质量部部长",
            years_in_quality=8,
            title="intermediate",
            education="bachelor",
            status=ProfileStatus.ACTIVE,
        )


def test_bench_cases_are_written_into_a_consistent_tree_and_the_search_index(demo_site, db, client):
    make_bench_profiles(3)
    index = CaseIndexPage.objects.get()
    children = index.numchild

    assert demo.seed_bench_cases(index, count=25) == 25
    assert demo.seed_bench_cases(index, count=25) == 0  # idempotent

    assert Page.find_problems() == ([], [], [], [], [])
    index.refresh_from_db()
    assert index.numchild == children + 25
    bench = CasePage.objects.live().filter(slug__startswith=demo.BENCH_SLUG_PREFIX)
    assert bench.count() == 25
    first = bench.get(slug=f"{demo.BENCH_SLUG_PREFIX}00001")
    assert first.url == f"/{demo_data.INDEX_SLUG}/{first.slug}/"
    assert first.authors.exists() and first.methods.exists() and first.tags.exists()
    assert [section.value["visibility"] for section in first.body] == ["public", "members", "public"]
    html = html_of(client, first)
    assert "效果验证" in html and 'class="metric' in html
    found = {case.pk for case in CasePage.objects.live().search("质量")}
    assert found >= set(bench.values_list("pk", flat=True))
    # Members' entries for the cases with members-only sections, as saving them would give.
    from cases.models import CaseMembersText

    with_members_text = {case.pk for case in bench if case.has_members_text()}
    assert first.pk in with_members_text
    assert set(CaseMembersText.objects.filter(case__in=bench).values_list("pk", flat=True)) == with_members_text
    assert {case.pk for case in CasePage.objects.live().search("华瑞")} >= set(bench.values_list("pk", flat=True))
