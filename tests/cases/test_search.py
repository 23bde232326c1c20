"""The site search over cases: Chinese recall, permission-awareness, safe highlighted snippets, bad input,
pagination and the query budget. The same tests run on SQLite (FTS5) and on PostgreSQL (full text):

    .venv/bin/pytest -p no:xdist -q tests/cases/test_search.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test \
        .venv/bin/pytest -p no:xdist --create-db -q tests/cases/test_search.py

Cases come from `make_case` (tests/cases/conftest.py), which publishes through a revision as the review
workflow does; Wagtail's signal handlers put each saved page into the search index.
"""

import re
from html import unescape

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from alliance_site.search.services import MAX_QUERY_LENGTH, PAGE_SIZE, Query, highlight
from cases.blocks import Visibility

PUBLIC, MEMBERS, JUDGES = Visibility.PUBLIC, Visibility.MEMBERS, Visibility.JUDGES
ENGLISH = {"accept-language": "en"}
BUDGET = 12
SEARCH = "/search/"

# Words that appear only where the public must never find them.
MEMBERS_SECRET = "钛合金"
JUDGES_SECRET = "供应商报价"
DRAFT_WORD = "氢燃料"
PRIVATE_WORD = "碳纤维"
UNPUBLISHED_WORD = "石墨烯"


def section(heading, visibility=PUBLIC, text=None):
    return {
        "type": "section",
        "value": {
            "heading": heading,
            "visibility": visibility,
            "content": [{"type": "text", "value": f"<p>{text or heading + '的正文。'}</p>"}],
        },
    }


@pytest.fixture
def library(make_case, member):
    """Published public cases with known text, plus cases the public must never see."""
    cases = {
        "six_sigma": make_case(
            member,
            title="六西格玛管理降低铸件气孔缺陷率",
            summary="运用六西格玛方法，铸件气孔缺陷率从3.2%降至0.8%。",
            body=[
                section("项目背景", PUBLIC, "铸造车间的气孔问题长期影响交付。"),
                section("关键工艺参数", MEMBERS, f"浇注温度与{MEMBERS_SECRET}配比的管理窗口。"),
                section("采购成本", JUDGES, f"{JUDGES_SECRET}与管理费用明细。"),
            ],
        ),
        "lean": make_case(
            member,
            title="精益生产缩短交付周期",
            summary="通过精益管理和价值流图分析，订单交付周期缩短40%。",
            body=[section("现状调查", PUBLIC, "价值流图显示等待浪费占比最高。")],
        ),
        "spc": make_case(
            member,
            title="SPC控制图稳定焊缝强度",
            summary="应用SPC统计过程控制监视焊缝强度，过程能力指数提升到1.67。",
            body=[section("控制图选择", PUBLIC, "采用均值极差控制图。")],
        ),
    }
    cases["draft"] = make_case(member, live=False, title=f"{DRAFT_WORD}电池壳体精益改善", summary=f"{DRAFT_WORD}。")
    private = make_case(member, title=f"{PRIVATE_WORD}精益改善", summary=f"{PRIVATE_WORD}构件的精益改善。")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    cases["private"] = private
    unpublished = make_case(member, title=f"{UNPUBLISHED_WORD}精益改善", summary=f"{UNPUBLISHED_WORD}的精益改善。")
    unpublished.unpublish()
    cases["unpublished"] = unpublished
    return cases


def search(client, q, **params):
    return client.get(SEARCH, {"q": q, **params}, headers=ENGLISH)


def titles(response):
    return [result.title for result in response.context["page_obj"].object_list]


# Recall: Chinese words inside longer phrases, two-character words, English tokens ----------------------


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("西格玛", {"六西格玛管理降低铸件气孔缺陷率"}),  # a word inside 六西格玛管理
        ("六西格玛", {"六西格玛管理降低铸件气孔缺陷率"}),
        ("精益", {"精益生产缩短交付周期"}),  # two-character words
        ("管理", {"六西格玛管理降低铸件气孔缺陷率", "精益生产缩短交付周期"}),
        ("缺陷率", {"六西格玛管理降低铸件气孔缺陷率"}),
        ("气孔缺陷", {"六西格玛管理降低铸件气孔缺陷率"}),
        ("SPC", {"SPC控制图稳定焊缝强度"}),
        ("spc", {"SPC控制图稳定焊缝强度"}),
        ("控制图", {"SPC控制图稳定焊缝强度"}),
        ("价值流图", {"精益生产缩短交付周期"}),  # in a public section only
        ("精益 交付周期", {"精益生产缩短交付周期"}),
        ("精益的交付周期", {"精益生产缩短交付周期"}),  # the particle 的 is not required
        ("六西格玛 精益", set()),  # words are ANDed: no case has both
        ("区块链", set()),
    ],
)
def test_recall(client, library, q, expected):
    response = search(client, q)
    assert response.status_code == 200
    assert set(titles(response)) == expected
    assert response.context["page_obj"].paginator.count == len(expected)


def test_no_match_shows_an_empty_state(client, library):
    response = search(client, "区块链")
    page = response.content.decode()
    assert "Nothing was found for “区块链”." in page
    assert 'class="empty-state"' in page


def test_query_words_are_segmented_and_particles_dropped():
    assert Query.parse("西格玛").terms == ("西格", "西格玛")
    assert Query.parse("精益的交付周期").terms == ("精益", "交付", "周期")
    assert Query.parse("的").terms == ("的",)  # alone, a single character is still searched for
    assert Query.parse('SPC" OR x*').terms == ("SPC", "OR", "x")  # no operator or quote reaches the backend
    assert Query.parse("！？…").terms == ()


# Permission-awareness: hidden sections, drafts, private and unpublished cases --------------------------

# Who finds a case by its members-only text: whoever may read every case's members' sections. The judge is an
# outside expert (no CQO profile); `judging_member` is a CQO who judges; `reader` a member who wrote nothing.
FINDS_MEMBERS_TEXT = {
    "visitor": False,
    "applicant": False,
    "judge": False,
    "judging_member": True,
    "reader": True,
    "member": True,
    "staff": True,
}


@pytest.fixture
def reader(make_profile):
    from alliance_site.models import ProfileStatus

    return make_profile(status=ProfileStatus.ACTIVE).user


@pytest.fixture
def judging_member(make_profile, make_user):
    from alliance_site.accounts import roles
    from alliance_site.models import ProfileStatus

    return make_profile(make_user("judging-member", groups=[roles.JUDGE]), status=ProfileStatus.ACTIVE).user


@pytest.mark.parametrize("word", [JUDGES_SECRET, DRAFT_WORD, PRIVATE_WORD, UNPUBLISHED_WORD])
@pytest.mark.parametrize("who", ["visitor", "member", "judge", "staff"])
def test_hidden_text_and_cases_are_never_found(client_for, library, request, word, who):
    user = request.getfixturevalue(who)
    response = search(client_for(user), word)
    assert titles(response) == []
    assert response.context["page_obj"].paginator.count == 0


@pytest.mark.parametrize("who", list(FINDS_MEMBERS_TEXT))
def test_members_text_is_found_by_those_who_may_read_it(client_for, library, request, who):
    """A members-only word finds its case for members and staff, with the members' text in the snippet; for
    anyone else it finds nothing, and no snippet ever shows judges-only text."""
    client = client_for(request.getfixturevalue(who))
    response = search(client, MEMBERS_SECRET)
    if FINDS_MEMBERS_TEXT[who]:
        assert titles(response) == ["六西格玛管理降低铸件气孔缺陷率"]
        assert f"<mark>{MEMBERS_SECRET}</mark>配比的管理窗口" in response.content.decode()
    else:
        assert titles(response) == []
    assert JUDGES_SECRET not in response.content.decode()


@pytest.mark.parametrize("who", list(FINDS_MEMBERS_TEXT))
def test_a_members_words_may_span_public_and_members_text(client_for, library, request, who):
    """All the words are looked for in one entry holding everything members may read (铸造 is public)."""
    response = search(client_for(request.getfixturevalue(who)), f"铸造 {MEMBERS_SECRET}")
    assert titles(response) == (["六西格玛管理降低铸件气孔缺陷率"] if FINDS_MEMBERS_TEXT[who] else [])


def test_a_case_found_by_both_entries_is_one_result(client_for, library, reader):
    """管理 is in the case's public text and its members' text: one result, counted once."""
    response = search(client_for(reader), "管理")
    assert sorted(titles(response)) == sorted(["六西格玛管理降低铸件气孔缺陷率", "精益生产缩短交付周期"])
    assert response.context["page_obj"].paginator.count == 2
    assert [tab.hits.count() for tab in response.context["tabs"] if tab.type.key == "cases"] == [2]


def test_the_members_entry_follows_the_published_case(client_for, library, reader, staff, member):
    """A new revision that opens the members' section to everyone, or removes it, changes what is found."""
    from cases.models import CaseMembersText

    case = library["six_sigma"]
    assert CaseMembersText.objects.filter(case=case).exists()
    assert not CaseMembersText.objects.filter(case=library["lean"]).exists()  # no members-only section
    background = section("项目背景", PUBLIC, "铸造车间的气孔问题长期影响交付。")
    case.body = [background, section("新的会员内容", MEMBERS, "陶瓷过滤网的选型。")]
    case.save_revision(user=member).publish(user=member, skip_permission_checks=True)
    assert titles(search(client_for(reader), MEMBERS_SECRET)) == []
    assert titles(search(client_for(reader), "陶瓷过滤网")) == ["六西格玛管理降低铸件气孔缺陷率"]
    assert titles(search(client_for(None), "陶瓷过滤网")) == []
    case.body = [background]
    case.save_revision(user=member).publish(user=member, skip_permission_checks=True)
    assert not CaseMembersText.objects.filter(case=case).exists()
    assert titles(search(client_for(reader), "陶瓷过滤网")) == []
    case.delete()
    assert not CaseMembersText.objects.exists()


def test_a_draft_revision_does_not_change_the_members_entry(client_for, library, reader, member):
    case = library["six_sigma"]
    case.body = [section("草稿", MEMBERS, "草稿里的氮化硅。")]
    case.save_revision(user=member)  # not published: members still find the published text only
    assert titles(search(client_for(reader), "氮化硅")) == []
    assert titles(search(client_for(reader), MEMBERS_SECRET)) == ["六西格玛管理降低铸件气孔缺陷率"]


def test_update_index_rebuilds_every_entry(client_for, library, reader):
    """`manage.py update_index`, which a release that changes what is indexed asks for (README), writes the cases'
    own entries with their enterprise and the members' entries again."""
    import io

    from django.core.management import call_command
    from modelsearch.conf import get_app_config

    get_app_config().get_model("IndexEntry").objects.all().delete()
    assert titles(search(client_for(reader), MEMBERS_SECRET)) == []

    call_command("update_index", stdout=io.StringIO())

    assert titles(search(client_for(reader), MEMBERS_SECRET)) == ["六西格玛管理降低铸件气孔缺陷率"]
    assert titles(search(client_for(None), MEMBERS_SECRET)) == []
    assert len(titles(search(client_for(None), "测试精密制造"))) == 3  # the enterprise of the three public cases


# Enterprise names ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["华瑞", "晋城华瑞精密铸造有限公司", "华瑞精密铸造", "华瑞 气孔"])
def test_a_case_is_found_by_its_enterprises_name(client, make_case, make_enterprise, member, q):
    huarui = make_enterprise(name="晋城华瑞精密铸造有限公司")
    make_case(member, title="缸体气孔缺陷改进", summary="降低缸体气孔缺陷。", enterprise=huarui)
    make_case(member, title="另一家企业的案例", summary="另一家企业的缸体气孔改进。")
    response = search(client, q)
    assert titles(response) == ["缸体气孔缺陷改进"]
    assert "晋城华瑞精密铸造有限公司 · 2024" in response.content.decode()


def test_a_renamed_enterprises_cases_are_found_by_the_new_name(client_for, library, reader):
    enterprise = library["six_sigma"].enterprise
    enterprise.name = "晋城新名称铸业有限公司"
    enterprise.save()
    for user in (None, reader):  # the cases' own entries and the members' entry alike
        assert len(titles(search(client_for(user), "新名称铸业"))) == 3
        assert titles(search(client_for(user), "测试精密制造")) == []


def test_a_live_cases_unpublished_draft_is_not_searched(client, library, member):
    case = library["lean"]
    case.summary = "修订中的草稿提到了氦气检漏。"
    case.save_revision(user=member)  # a new draft of a live case: the index keeps the published text
    assert titles(search(client, "氦气")) == []
    assert titles(search(client, "价值流图")) == ["精益生产缩短交付周期"]


@pytest.mark.parametrize("who", ["visitor", "member", "staff"])
def test_hidden_cases_do_not_appear_for_a_common_word(client_for, library, request, who):
    response = search(client_for(request.getfixturevalue(who)), "精益")
    assert titles(response) == ["精益生产缩短交付周期"]
    page = response.content.decode()
    for word in (DRAFT_WORD, PRIVATE_WORD, UNPUBLISHED_WORD):
        assert word not in page


@pytest.mark.parametrize("who", list(FINDS_MEMBERS_TEXT))
def test_snippets_show_only_sections_the_viewer_may_read(client_for, library, request, who):
    # 管理 is in the title and in the hidden sections too: the snippet comes from the text the viewer may read,
    # never from judges-only sections (not even for staff and the author, who may read them on the page).
    page = search(client_for(request.getfixturevalue(who)), "管理").content.decode()
    assert (MEMBERS_SECRET in page) == FINDS_MEMBERS_TEXT[who]
    assert JUDGES_SECRET not in page
    assert "管理费用" not in page


def test_snippet_highlights_the_query_words(client, library):
    response = search(client, "西格玛")
    [result] = response.context["page_obj"].object_list
    assert "<mark>西格玛</mark>" in result.snippet
    assert "<mark>西格玛</mark>" in response.content.decode()
    assert result.url == library["six_sigma"].url
    assert "铸件气孔缺陷率" in unescape(re.sub(r"</?mark>", "", result.snippet))


def test_snippet_escapes_text_before_marking(client, make_case, member):
    make_case(member, title="防错", summary='<img src=x onerror="alert(1)"> 防错 & 5S < 精益 "quoted"')
    page = search(client, "精益").content.decode()
    assert "<img" not in page
    assert "&amp; 5S &lt; <mark>精益</mark>" in page
    assert "alert(1)" not in page or "&quot;alert(1)&quot;" in page


def test_markup_typed_in_a_case_is_shown_as_text_escaped_once(client, make_case, member):
    """Plain-text fields are text and rich text is HTML: either way the snippet shows what the case page shows,
    `<script>` as text, escaped once (never `&amp;lt;`), never as markup."""
    make_case(
        member,
        title="防错案例",
        summary="摘要写了<script>alert(1)</script>防错 & 5S。",
        body=[section("背景", PUBLIC, "正文写了&lt;script&gt;alert(2)&lt;/script&gt;防错&amp;5S。")],  # as Draftail
    )
    page = search(client, "防错").content.decode()
    assert "摘要写了&lt;script&gt;alert(1)&lt;/script&gt;<mark>防错</mark> &amp; 5S。" in page
    assert "正文写了&lt;script&gt;alert(2)&lt;/script&gt;<mark>防错</mark>&amp;5S。" in page
    assert "&amp;lt;" not in page and "&amp;amp;" not in page
    assert "<script>alert" not in page


def test_highlight_is_safe_and_short():
    snippet = highlight("开头" + "填充" * 200 + " 精益 " + "填充" * 200, ["精益"])
    assert "<mark>精益</mark>" in snippet
    assert "开头" not in snippet  # the excerpt is taken around the first match
    assert snippet.startswith("…") and snippet.endswith("…")
    assert len(snippet) < 200
    # Terms never match inside the entities escaping creates, and markup comes only from <mark>.
    start = highlight("x < y & z amp lt", ["lt", "amp"])
    assert start == "x &lt; y &amp; z <mark>amp</mark> <mark>lt</mark>"


def test_the_query_is_escaped_on_the_page(client, library):
    page = search(client, "<script>alert(1)</script>精益").content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;精益" in page


# Bad input ------------------------------------------------------------------------------------------------


def test_empty_query_invites_a_search(client, library):
    for params in ({}, {"q": ""}, {"q": "   "}, {"q": "\t"}):
        response = client.get(SEARCH, params, headers=ENGLISH)
        assert response.status_code == 200
        assert response.context["page_obj"] is None
        assert "Enter a word or phrase to search" in response.content.decode()
    # A NUL character is refused before the search (alliance_site.common.middleware): PostgreSQL cannot take it.
    assert client.get(SEARCH, {"q": "\x00\t"}).status_code == 400


def test_too_long_query_is_refused_with_a_message(client, library):
    response = search(client, "精益" * MAX_QUERY_LENGTH)
    assert response.status_code == 400
    assert response.context["page_obj"] is None
    assert f"The search is too long: use at most {MAX_QUERY_LENGTH} characters." in response.content.decode()
    # Exactly the limit is fine.
    assert search(client, "精" * MAX_QUERY_LENGTH).status_code == 200


@pytest.mark.parametrize("q", ["！？…", "!!!", "***", '"', "("])
def test_a_query_without_words_says_so(client, library, q):
    response = search(client, q)
    assert response.status_code == 200
    assert response.context["page_obj"] is None
    assert "There is nothing to search for" in response.content.decode()


@pytest.mark.parametrize(
    "q", ['精益"', "精益 AND", "精益 OR 管理", "NOT 精益", "精益*", "精益 -管理", "精益:管理", "'精益'"]
)
def test_search_syntax_in_a_query_is_harmless(client, library, q):
    assert search(client, q).status_code == 200


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "1.5", "²", "１", str(2**63), "9" * 5000])
def test_bad_page_numbers_fall_back(client, library, page):
    response = search(client, "精益", page=page)
    assert response.status_code == 200
    assert titles(response) == ["精益生产缩短交付周期"]


def test_unknown_type_falls_back_to_the_first_with_results(client, library):
    response = search(client, "精益", type="no-such-type")
    assert response.status_code == 200
    assert response.context["current_tab"].type.key == "cases"


# Order ------------------------------------------------------------------------------------------------------


def test_a_title_match_comes_first(client, make_case, member):
    make_case(member, title="精益改善缩短周期", summary="现场改善。")
    make_case(member, title="焊接工艺改进", summary="借鉴精益思想改进焊接。")  # newer, the word only in its summary
    assert titles(search(client, "精益")) == ["精益改善缩短周期", "焊接工艺改进"]


def test_very_common_words_are_ordered_cheaply_and_found_alike(client, make_case, member, monkeypatch):
    """A query matching more than RANKED_LIMIT entries skips bm25/ts_rank: title matches, then newest."""
    from alliance_site.search.services import RankedMatches

    monkeypatch.setattr(RankedMatches, "RANKED_LIMIT", 0)
    make_case(member, title="精益改善缩短周期", summary="现场改善。")
    make_case(member, title="焊接工艺改进", summary="借鉴精益思想改进焊接。")
    make_case(member, title="涂装线改进", summary="精益涂装。")  # newest of the two without 精益 in the title
    make_case(member, title="无关案例", summary="无关。")
    assert titles(search(client, "精益")) == ["精益改善缩短周期", "涂装线改进", "焊接工艺改进"]
    assert search(client, "精益").context["page_obj"].paginator.count == 3


# Pagination, header box, query budget ---------------------------------------------------------------------


def test_results_are_paginated_in_the_database(client, make_case, member):
    for serial in range(PAGE_SIZE + 3):
        make_case(member, title=f"精益改善第{serial}号", summary="精益改善。")
    first = search(client, "精益")
    assert first.context["page_obj"].paginator.count == PAGE_SIZE + 3
    assert len(titles(first)) == PAGE_SIZE
    second = search(client, "精益", page=2)
    assert len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))
    page = second.content.decode()
    assert "Page 2 of 2" in page
    assert 'href="?q=%E7%B2%BE%E7%9B%8A&amp;type=cases&amp;page=1"' in page


def test_every_page_has_a_labelled_search_box(client, library):
    page = client.get("/", headers=ENGLISH).content.decode()
    assert f'action="{reverse("search")}"' in page
    assert 'role="search"' in page
    assert '<label for="site-search-q" class="visually-hidden">Search the site</label>' in page


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_search_query_budget_does_not_grow_with_the_data(
    client_for, make_case, member, request, who, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(who))
    for size in (3, 30):
        while len(search(client, "管理").context["page_obj"].paginator.object_list) < size:
            make_case(
                member,
                title="质量管理改进",
                summary="管理评审与质量管理。",
                body=[section("现状", PUBLIC, "管理现状。"), section("参数", MEMBERS, "保密管理参数。")],
            )
        search(client, "管理")  # warm the per-process caches (site root paths, menus) as a server would have
        with django_assert_max_num_queries(BUDGET):
            response = search(client, "管理")
        assert len(titles(response)) == min(size, PAGE_SIZE)
