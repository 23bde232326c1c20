"""The case pages as people see them: who reads which section, the library's list and filters, the home page's
latest cases and the main menu, and the SQL query budgets of the list and the detail page.

Cases come from `make_case` (tests/cases/conftest.py); the body data is built with the small helpers below.
"""

import datetime

import pytest
from wagtail.models import PageViewRestriction

from alliance_site.accounts import roles
from alliance_site.models import HomePage, ProfileStatus
from cases.blocks import Visibility
from cases.models import CaseIndexPage
from tests import markup

PUBLIC, MEMBERS, JUDGES = Visibility.PUBLIC, Visibility.MEMBERS, Visibility.JUDGES
EVERY_LEVEL = {PUBLIC, MEMBERS, JUDGES}
ENGLISH = {"accept-language": "en"}  # messages read in English, whatever the state of the catalogue
BUDGET = 12


# Body data ------------------------------------------------------------------------------------------------


def section(heading, visibility=PUBLIC, *content):
    """Raw StreamField data for one section; `content` is (block_type, value) pairs, default one paragraph."""
    content = content or (paragraph(f"{heading}的正文。"),)
    return {
        "type": "section",
        "value": {
            "heading": heading,
            "visibility": visibility,
            "content": [{"type": kind, "value": value} for kind, value in content],
        },
    }


def paragraph(words):
    return ("text", f"<p>{words}</p>")


def metric(indicator="焊缝不良率", baseline="2.4", result="0.6", unit="%", direction="lower"):
    return (
        "metric",
        {"indicator": indicator, "unit": unit, "baseline": baseline, "result": result, "direction": direction},
    )


# One section per level, each with a heading, a word found nowhere else, and a metric.
HEADINGS = {PUBLIC: "项目背景与现状调查", MEMBERS: "关键工艺参数窗口", JUDGES: "核心配方与供应商"}
SECRETS = {PUBLIC: "青松暗号", MEMBERS: "翠竹暗号", JUDGES: "寒梅暗号"}
INDICATORS = {PUBLIC: "一次交检合格率", MEMBERS: "吨钢综合能耗", JUDGES: "配方收率"}


def confidential_body():
    return [
        section(
            HEADINGS[level],
            level,
            paragraph(f"本节记载{SECRETS[level]}等内容。"),
            metric(INDICATORS[level], "92", "97", "%", "higher"),
        )
        for level in (PUBLIC, MEMBERS, JUDGES)
    ]


def html_of(response):
    return response.content.decode()


def hidden_notice(count):
    if count == 1:
        return "1 section of this case is shown only to members or judges."
    return f"{count} sections of this case are shown only to members or judges."


# People -----------------------------------------------------------------------------------------------------


@pytest.fixture
def member_judge(make_profile, make_user):
    """A judge who is also an active member."""
    return make_profile(make_user(groups=[roles.JUDGE]), status=ProfileStatus.ACTIVE).user


@pytest.fixture
def exited_member(make_profile):
    return make_profile(status=ProfileStatus.EXITED).user


@pytest.fixture
def confidential_case(make_case, owner, co_author):
    return make_case(
        owner,
        title="铸造车间气孔缺陷攻关",
        body=confidential_body(),
        authors=[co_author.cqo_profile],
        methods=["six-sigma"],
        tags=["降本增效"],
    )


# What each role reads: fixture name → the section levels shown to them.
SEES = {
    "visitor": {PUBLIC},
    "applicant": {PUBLIC},
    "exited_member": {PUBLIC},
    "member": {PUBLIC, MEMBERS},
    "owner": EVERY_LEVEL,
    "co_author": EVERY_LEVEL,
    # Judges read judges-only sections through the competition issue (entries assigned to them), not here:
    # until then a judge sees what the same person sees without the role (see the named test below).
    "judge": {PUBLIC},
    "member_judge": {PUBLIC, MEMBERS},
    "moderator": {PUBLIC},
    "regulator": {PUBLIC},
    "staff": EVERY_LEVEL,
    "admin_user": EVERY_LEVEL,
}


@pytest.fixture
def viewer_client(request, client_for):
    """A client signed in as the user of the named fixture ("visitor" stays anonymous)."""

    def sign_in(name):
        return client_for(None if name == "visitor" else request.getfixturevalue(name))

    return sign_in


# The visibility matrix ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("viewer", "levels"), SEES.items(), ids=list(SEES))
def test_case_page_shows_each_viewer_only_the_sections_they_may_see(confidential_case, viewer_client, viewer, levels):
    response = viewer_client(viewer).get(confidential_case.url, headers=ENGLISH)

    assert response.status_code == 200
    html = html_of(response)
    for level in (PUBLIC, MEMBERS, JUDGES):
        shown = level in levels
        assert (HEADINGS[level] in html) is shown, (level, "heading")
        assert (SECRETS[level] in html) is shown, (level, "text")
        assert (INDICATORS[level] in html) is shown, (level, "metric")
    hidden = 3 - len(levels)
    if hidden:
        assert hidden_notice(hidden) in html
    else:
        assert 'class="notice"' not in html


@pytest.mark.parametrize(("viewer", "levels"), SEES.items(), ids=list(SEES))
def test_results_summary_gathers_only_the_metrics_of_visible_sections(confidential_case, viewer_client, viewer, levels):
    response = viewer_client(viewer).get(confidential_case.url, headers=ENGLISH)

    indicators = [value["indicator"] for value in response.context["metrics"]]
    assert indicators == [INDICATORS[level] for level in (PUBLIC, MEMBERS, JUDGES) if level in levels]
    assert response.context["hidden_section_count"] == 3 - len(levels)


def test_a_judge_is_not_yet_special_judges_only_sections_come_with_the_competition_issue(
    confidential_case, client_for, judge, member_judge
):
    """A judge who is not an author sees no judges-only section here: an outside expert sees what a visitor
    sees, a judge who is a member sees what a member sees."""
    as_judge = html_of(client_for(judge).get(confidential_case.url, headers=ENGLISH))
    as_member_judge = html_of(client_for(member_judge).get(confidential_case.url, headers=ENGLISH))

    assert SECRETS[JUDGES] not in as_judge and SECRETS[MEMBERS] not in as_judge
    assert hidden_notice(2) in as_judge
    assert SECRETS[MEMBERS] in as_member_judge and SECRETS[JUDGES] not in as_member_judge
    assert hidden_notice(1) in as_member_judge


def test_a_judges_only_metric_stays_out_of_a_members_results_summary(confidential_case, client_for, member):
    response = client_for(member).get(confidential_case.url, headers=ENGLISH)

    summary = markup.text_of(markup.one(response, 'section[aria-labelledby="results-title"]'))
    assert INDICATORS[PUBLIC] in summary and INDICATORS[MEMBERS] in summary
    assert INDICATORS[JUDGES] not in html_of(response)


def test_visitor_is_offered_to_sign_in_when_sections_are_hidden(confidential_case, client):
    html = html_of(client.get(confidential_case.url, headers=ENGLISH))

    assert f'href="/accounts/login/?next={confidential_case.url}"' in html


def test_a_public_only_case_has_no_hidden_notice(make_case, member, client):
    case = make_case(member, body=[section("背景"), section("效果", PUBLIC, metric())])

    response = client.get(case.url, headers=ENGLISH)

    assert response.context["hidden_section_count"] == 0
    assert "shown only to members or judges" not in html_of(response)


# Drafts and privacy ---------------------------------------------------------------------------------------

EVERYONE = ["visitor", "applicant", "member", "owner", "co_author", "judge", "staff", "regulator", "admin_user"]


@pytest.mark.parametrize("viewer", EVERYONE)
def test_a_draft_case_is_not_found_at_its_url_by_anyone(make_case, owner, co_author, viewer_client, viewer):
    """Wagtail serves live pages only; authors and staff read drafts through previews, not the public URL."""
    draft = make_case(owner, live=False, authors=[co_author.cqo_profile], body=confidential_body())

    assert viewer_client(viewer).get(draft.url).status_code == 404


def test_the_same_url_serves_the_case_once_it_is_published(make_case, owner, client):
    """The 404 above is about the draft, not a wrong URL."""
    draft = make_case(owner, live=False, body=confidential_body())
    assert client.get(draft.url).status_code == 404

    draft.get_latest_revision().publish()

    assert SECRETS[PUBLIC] in html_of(client.get(draft.url))


@pytest.mark.parametrize("viewer", ["visitor", "owner", "staff"])
def test_an_unpublished_case_is_not_found_any_more(confidential_case, viewer_client, viewer):
    confidential_case.unpublish()

    assert viewer_client(viewer).get(confidential_case.url).status_code == 404


def test_unpublished_changes_to_a_live_case_stay_unseen(confidential_case, owner, client_for, staff):
    confidential_case.title = "修订中的标题"
    confidential_case.body = [*confidential_body(), section("尚未审核的新章节", PUBLIC, paragraph("草稿暗号"))]
    confidential_case.save_revision(user=owner)

    for user in (None, owner, staff):
        html = html_of(client_for(user).get(confidential_case.url))
        assert "草稿暗号" not in html and "尚未审核的新章节" not in html and "修订中的标题" not in html


@pytest.fixture
def login_restricted_case(confidential_case):
    PageViewRestriction.objects.create(page=confidential_case, restriction_type=PageViewRestriction.LOGIN)
    return confidential_case


def test_a_case_restricted_to_signed_in_users_sends_visitors_to_sign_in(login_restricted_case, client):
    response = client.get(login_restricted_case.url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert SECRETS[PUBLIC] not in html_of(response)


@pytest.mark.parametrize(("viewer", "levels"), [("applicant", {PUBLIC}), ("member", {PUBLIC, MEMBERS})])
def test_a_login_restricted_case_still_hides_sections_by_role(login_restricted_case, viewer_client, viewer, levels):
    """Wagtail's privacy decides who gets the page; the section levels still apply inside it."""
    html = html_of(viewer_client(viewer).get(login_restricted_case.url))

    assert {level for level in SECRETS if SECRETS[level] in html} == levels


def test_a_case_restricted_to_members_turns_away_signed_in_non_members(
    confidential_case, client_for, applicant, member
):
    restriction = PageViewRestriction.objects.create(
        page=confidential_case, restriction_type=PageViewRestriction.GROUPS
    )
    restriction.groups.add(roles.group_of(roles.MEMBER))

    refused = client_for(applicant).get(confidential_case.url)
    allowed = client_for(member).get(confidential_case.url)

    assert refused.status_code == 302 and refused["Location"].startswith("/accounts/login/")
    assert allowed.status_code == 200


def test_a_restriction_on_the_library_covers_every_case_in_it(confidential_case, case_index, client, member):
    PageViewRestriction.objects.create(page=case_index, restriction_type=PageViewRestriction.LOGIN)

    assert client.get(confidential_case.url).status_code == 302
    client.force_login(member)
    assert client.get(confidential_case.url).status_code == 200


# The library's list ---------------------------------------------------------------------------------------


@pytest.fixture
def library(make_case, make_enterprise, make_profile, regions):
    """Three published cases that differ in every filter, plus a draft and a restricted case matching them all.

    | case | industry | methods        | tags       | year | city |
    | 甲   | C        | six-sigma      | 降本       | 2023 | 晋城 |
    | 乙   | D        | lean           | 安全       | 2024 | 太原 |
    | 丙   | C        | qc-circle,lean | 降本, 提效 | 2024 | 晋城 |
    """
    author = make_profile(status=ProfileStatus.ACTIVE).user
    jincheng_c = make_enterprise(county=regions["zezhou"], industry="C")
    taiyuan_d = make_enterprise(county=regions["xiaodian"], industry="D")
    gaoping_c = make_enterprise(county=regions["gaoping"], industry="C")

    def case(title, enterprise, methods, tags, year, **kwargs):
        return make_case(
            author,
            title=title,
            enterprise=enterprise,
            industry=enterprise.industry,
            methods=methods,
            tags=tags,
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 10, 31),
            body=confidential_body(),
            **kwargs,
        )

    cases = {
        "甲": case("甲案例", jincheng_c, ["six-sigma"], ["降本"], 2023),
        "乙": case("乙案例", taiyuan_d, ["lean"], ["安全"], 2024),
        "丙": case("丙案例", gaoping_c, ["qc-circle", "lean"], ["降本", "提效"], 2024),
    }
    everything = (["six-sigma", "lean", "qc-circle"], ["降本", "安全", "提效"], 2024)
    case("草稿案例", jincheng_c, *everything, live=False)
    restricted = case("受限案例", jincheng_c, *everything)
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    return cases


def listed(response):
    """The titles on the page of the list, in order; checked against the HTML too."""
    assert response.status_code == 200
    titles = [case.title for case in response.context["page_obj"].object_list]
    html = html_of(response)
    for title in titles:
        assert title in html
    return titles


def short(titles):
    return {title.removesuffix("案例") for title in titles}


def test_the_list_shows_published_public_cases_newest_first(library, case_index, client):
    assert listed(client.get(case_index.url)) == ["丙案例", "乙案例", "甲案例"]


def test_the_list_shows_no_draft_and_no_restricted_case(library, case_index, client):
    html = html_of(client.get(case_index.url))

    assert "草稿案例" not in html
    assert "受限案例" not in html


def test_the_list_shows_summaries_but_no_section_text(library, case_index, client_for, staff):
    html = html_of(client_for(staff).get(case_index.url))

    assert not any(secret in html for secret in SECRETS.values())


FILTERS = {
    "industry C": ({"industry": "C"}, {"甲", "丙"}),
    "industry D": ({"industry": "D"}, {"乙"}),
    "method lean": ({"method": "lean"}, {"乙", "丙"}),
    "method six sigma": ({"method": "six-sigma"}, {"甲"}),
    "tag 降本": ({"tag": "降本"}, {"甲", "丙"}),
    "tag 安全": ({"tag": "安全"}, {"乙"}),
    "year 2024": ({"year": "2024"}, {"乙", "丙"}),
    "year 2023": ({"year": "2023"}, {"甲"}),
    "city 晋城": ({"city": "140500"}, {"甲", "丙"}),
    "city 太原": ({"city": "140100"}, {"乙"}),
    "industry and year": ({"industry": "C", "year": "2024"}, {"丙"}),
    "method and city": ({"method": "lean", "city": "140500"}, {"丙"}),
    "nothing matches": ({"industry": "D", "year": "2023"}, set()),
}


@pytest.mark.parametrize(("params", "expected"), FILTERS.values(), ids=list(FILTERS))
def test_each_filter_narrows_the_list(library, case_index, client, params, expected):
    response = client.get(case_index.url, params)

    assert short(listed(response)) == expected
    assert response.context["page_obj"].paginator.count == len(expected)  # counted once, despite the joins
    assert {key: value for key, value in response.context["filters"].items() if value} == params


def test_the_filter_form_keeps_the_chosen_values(library, case_index, client):
    response = client.get(case_index.url, {"industry": "C", "method": "lean", "city": "140500", "year": "2024"})

    chosen = markup.selected(response)
    assert (chosen["industry"], chosen["method"], chosen["city"]) == ("C", "lean", "140500")
    assert markup.one(response, "input[name=year]")["value"] == "2024"


@pytest.mark.parametrize(
    "params",
    [{"year": "abc"}, {"year": "２０２４年"}, {"industry": "ZZ"}, {"industry": "c"}, {"city": "晋城"}, {"page": "abc"}],
    ids=["year abc", "year with 年", "industry ZZ", "industry lower-case", "city by name", "page abc"],
)
def test_values_that_are_not_filters_are_ignored(library, case_index, client, params):
    response = client.get(case_index.url, params)

    assert short(listed(response)) == {"甲", "乙", "丙"}
    assert not any(response.context["filters"].values())


@pytest.mark.parametrize(
    "params",
    [{"method": "nope"}, {"tag": "没有这个标签"}, {"city": "999999"}, {"year": "1999"}],
    ids=["unknown method", "unknown tag", "unknown city code", "year without cases"],
)
def test_well_formed_values_that_match_nothing_give_an_empty_list(library, case_index, client, params):
    """What the code does: a method slug, tag or city code is applied as given, so an unknown one matches
    nothing (unlike industry and a non-numeric year or city, which are dropped)."""
    response = client.get(case_index.url, params, headers=ENGLISH)

    assert listed(response) == []
    assert "No case matches these filters." in html_of(response)


@pytest.mark.parametrize("year", ["0", "99999", "12345678901234567890"])
def test_an_impossible_year_does_not_break_the_list(library, case_index, client, year):
    """`year` only has to be digits, and Django cannot build the date range of year 0 or 99999."""
    response = client.get(case_index.url, {"year": year})

    assert response.status_code == 200


@pytest.fixture
def fourteen_cases(make_case, make_profile):
    author = make_profile(status=ProfileStatus.ACTIVE).user
    return [make_case(author, title=f"分页案例{n:02d}", tags=["分页"]) for n in range(1, 15)]


def test_the_list_shows_twelve_cases_a_page(fourteen_cases, case_index, client):
    first = client.get(case_index.url)
    second = client.get(case_index.url, {"page": "2"})

    assert len(listed(first)) == 12
    assert listed(second) == ["分页案例02", "分页案例01"]
    assert first.context["page_obj"].paginator.num_pages == 2


@pytest.mark.parametrize("page", ["3", "999", "-1", "0"])
def test_a_page_number_out_of_range_shows_the_last_page(fourteen_cases, case_index, client, page):
    """Django's Paginator.get_page: a number past the end (or below 1) gives the last page, not a 404."""
    response = client.get(case_index.url, {"page": page})

    assert response.context["page_obj"].number == 2
    assert listed(response) == ["分页案例02", "分页案例01"]


def test_pagination_links_keep_the_filters(fourteen_cases, case_index, client):
    first = client.get(case_index.url, {"tag": "分页", "industry": "C"})

    next_link = markup.one(first, "a[rel=next]")["href"]
    response = client.get(case_index.url + next_link)

    assert "industry=C" in next_link and "page=2" in next_link
    assert response.context["filters"]["tag"] == "分页" and response.context["filters"]["industry"] == "C"
    assert listed(response) == ["分页案例02", "分页案例01"]


def test_tag_links_on_a_case_lead_to_the_list_of_cases_with_that_tag(library, client):
    case = library["丙"]
    links = {markup.text_of(link): link["href"] for link in markup.select(client.get(case.url), "ul.tags a")}

    assert set(links) == {"降本", "提效"}
    assert short(listed(client.get(links["降本"]))) == {"甲", "丙"}
    assert short(listed(client.get(links["提效"]))) == {"丙"}


def test_a_tag_with_a_space_has_a_working_link(make_case, member, client):
    case = make_case(member, tags=["精益 生产"])
    [link] = markup.select(client.get(case.url), "ul.tags a")
    assert markup.text_of(link) == "精益 生产"
    href = link["href"]

    assert listed(client.get(href)) == [case.title]


# The home page and the main menu ----------------------------------------------------------------------------


def home_sections(response):
    return {section.key: section for section in response.context["sections"]}


def test_home_page_latest_cases_lists_published_public_cases_only(library, client):
    response = client.get("/")

    latest = [title for title, url, meta in home_sections(response)["cases"].items]
    assert set(latest) == {"甲案例", "乙案例", "丙案例"}
    html = html_of(response)
    assert "草稿案例" not in html and "受限案例" not in html


def test_home_page_latest_cases_are_the_five_newest_with_their_links(fourteen_cases, client):
    response = client.get("/")

    items = home_sections(response)["cases"].items
    assert [title for title, url, meta in items] == [f"分页案例{n:02d}" for n in (14, 13, 12, 11, 10)]
    links = markup.select(response, 'section[aria-labelledby="section-cases"] li a')
    assert [(markup.text_of(link), link["href"]) for link in links] == [(title, url) for title, url, meta in items]
    for _title, url, _meta in items:
        assert client.get(url).status_code == 200


def test_home_page_never_lists_a_draft(make_case, member, case_index, client):
    make_case(member, title="尚未发布的草稿", live=False)

    response = client.get("/")

    assert home_sections(response)["cases"].items == []
    assert "尚未发布的草稿" not in html_of(response)


def main_menu(response):
    return {link["href"]: markup.text_of(link) for link in markup.select(response, "nav.main-nav a")}


def test_main_menu_shows_the_case_library_when_it_exists(case_index, client):
    assert main_menu(client.get("/"))[case_index.url] == "案例库"


def test_main_menu_has_no_case_library_without_one(db, client):
    assert "案例库" not in main_menu(client.get("/")).values()


def test_main_menu_shows_the_library_as_soon_as_it_is_published(db, client):
    """The menu is cached: publishing the library must retire the cached menu."""
    assert "案例库" not in main_menu(client.get("/")).values()

    index = HomePage.objects.first().add_child(instance=CaseIndexPage(title="案例库", slug="cases", live=False))
    index.save_revision().publish()

    assert main_menu(client.get("/")).get("/cases/") == "案例库"


# Query budgets --------------------------------------------------------------------------------------------


class Library:
    """Cases with two authors, two methods, two tags and three sections each, grown on request."""

    def __init__(self, make_case, make_profile):
        self.make_case = make_case
        self.authors = [make_profile(status=ProfileStatus.ACTIVE).user for _ in range(3)]
        self.cases = []

    def grow(self, size):
        while len(self.cases) < size:
            n = len(self.cases)
            owner, co_author = self.authors[n % 3], self.authors[(n + 1) % 3]
            self.cases.append(
                self.make_case(
                    owner,
                    title=f"预算案例{n}",
                    authors=[co_author.cqo_profile],
                    methods=["six-sigma", "lean"] if n % 2 else ["qc-circle", "pdca"],
                    tags=[f"标签{n}", "降本"],
                    body=confidential_body(),
                )
            )

    @property
    def target(self):
        return self.cases[0]


@pytest.fixture
def budget_library(make_case, make_profile):
    return Library(make_case, make_profile)


def count_queries(client, url, django_assert_max_num_queries, limit=2 * BUDGET):
    """The queries of one request (after one that warms the per-site and per-user caches), and its response."""
    first = client.get(url)
    assert first.status_code == 200, (url, first.status_code)
    with django_assert_max_num_queries(limit) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), "\n".join(query["sql"][:160] for query in queries), response


def shows_the_list(response, library):
    page_obj = response.context["page_obj"]
    assert page_obj.paginator.count == len(library.cases)
    assert len(page_obj.object_list) == min(12, len(library.cases))
    assert "六西格玛、精益" in html_of(response) or "QC小组、PDCA" in html_of(response)


def shows_the_case(response, library):
    html = html_of(response)
    assert "、".join(library.target.author_names) in html
    assert "标签0" in html and HEADINGS[PUBLIC] in html and INDICATORS[PUBLIC] in html


PAGES = {
    "list": (lambda library: library.target.get_parent().url, shows_the_list),
    "detail": (lambda library: library.target.url, shows_the_case),
}


@pytest.mark.parametrize("viewer", ["visitor", "member"])
@pytest.mark.parametrize("page", list(PAGES))
def test_page_stays_within_budget_with_ten_times_the_cases(
    budget_library, viewer_client, django_assert_max_num_queries, page, viewer
):
    url_of, check_shown = PAGES[page]
    client = viewer_client(viewer)

    budget_library.grow(3)
    small, _, _ = count_queries(client, url_of(budget_library), django_assert_max_num_queries)
    budget_library.grow(30)
    large, sql, response = count_queries(client, url_of(budget_library), django_assert_max_num_queries)

    check_shown(response, budget_library)  # a budget met by a page that shows nothing would prove nothing
    assert large == small, f"{small} queries with 3 cases, {large} with 30:\n{sql}"
    assert large <= BUDGET, f"{large} queries, budget {BUDGET}:\n{sql}"


def test_detail_query_count_does_not_grow_with_the_number_of_authors(
    make_case, make_profile, client, django_assert_max_num_queries
):
    """A QC circle may list ten members: the author list must not cost a query per author."""
    owner = make_profile(status=ProfileStatus.ACTIVE).user
    others = [make_profile(status=ProfileStatus.ACTIVE) for _ in range(5)]
    one = make_case(owner, body=confidential_body())
    six = make_case(owner, body=confidential_body(), authors=others)

    small, _, _ = count_queries(client, one.url, django_assert_max_num_queries)
    large, sql, response = count_queries(client, six.url, django_assert_max_num_queries)

    assert all(profile.real_name in html_of(response) for profile in others)
    assert large == small, f"{small} queries with one author, {large} with six:\n{sql}"
