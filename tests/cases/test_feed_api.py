"""The Atom feed of new cases and the read-only API: public cases, public fields and public sections only.

Whatever the parameters, neither the feed's XML nor the API's JSON may contain a members' or judges' section,
a draft, an unpublished case or one behind a view restriction.
"""

import json
import xml.etree.ElementTree as ET

import pytest
from wagtail.models import PageViewRestriction

from alliance_site.common.links import absolute_url
from cases.blocks import Visibility
from tests.feeds import atom_problems

PUBLIC, MEMBERS, JUDGES = Visibility.PUBLIC, Visibility.MEMBERS, Visibility.JUDGES
BUDGET = 12
FEED = "/feeds/cases/"
API = "/api/v2/cases/"
ATOM = "{http://www.w3.org/2005/Atom}"

PUBLIC_WORD = "青松公开段"
MEMBERS_WORD = "翠竹会员段"
JUDGES_WORD = "寒梅评委段"
DRAFT_TITLE = "草稿案例不应出现"
PRIVATE_TITLE = "受限案例不应出现"
UNPUBLISHED_TITLE = "撤回案例不应出现"
HIDDEN = [MEMBERS_WORD, JUDGES_WORD, DRAFT_TITLE, PRIVATE_TITLE, UNPUBLISHED_TITLE]


def section(heading, visibility, text):
    return {
        "type": "section",
        "value": {
            "heading": heading,
            "visibility": visibility,
            "content": [
                {"type": "text", "value": f"<p>{text}</p>"},
                {
                    "type": "metric",
                    "value": {
                        "indicator": f"{heading}指标",
                        "unit": "%",
                        "baseline": "2",
                        "result": "1",
                        "direction": "lower",
                    },
                },
            ],
        },
    }


def confidential_body():
    return [
        section("公开背景", PUBLIC, PUBLIC_WORD),
        section("会员参数", MEMBERS, MEMBERS_WORD),
        section("评委配方", JUDGES, JUDGES_WORD),
    ]


@pytest.fixture
def cases(make_case, member):
    public = make_case(
        member,
        title="精益改善缩短交付周期",
        summary="通过价值流图缩短交付周期。",
        body=confidential_body(),
        methods=["lean"],
        tags=["降本"],
    )
    make_case(member, live=False, title=DRAFT_TITLE, body=confidential_body())
    private = make_case(member, title=PRIVATE_TITLE, body=confidential_body())
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    unpublished = make_case(member, title=UNPUBLISHED_TITLE, body=confidential_body())
    unpublished.unpublish()
    return {"public": public, "private": private, "unpublished": unpublished}


# Feed ---------------------------------------------------------------------------------------------------


def test_feed_lists_public_cases_with_their_public_data(client, cases, member):
    response = client.get(FEED)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    entries = root.findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["精益改善缩短交付周期"]
    [entry] = entries
    case = cases["public"]
    assert entry.find(f"{ATOM}link").get("href") == absolute_url(case.url)
    assert entry.findtext(f"{ATOM}summary") == "通过价值流图缩短交付周期。"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == member.cqo_profile.real_name
    assert entry.findtext(f"{ATOM}published")
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["精益"]


def test_the_feed_is_valid_atom_with_updated_on_every_entry(client, make_case, member, cases):
    """RFC 4287 requires atom:updated on each entry (and an author for the feed or each entry)."""
    make_case(member, authors=(), title="第二个公开案例")
    response = client.get(FEED)
    assert atom_problems(response.content) == []
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert len(entries) == 2
    assert all(entry.findtext(f"{ATOM}updated") >= entry.findtext(f"{ATOM}published") for entry in entries)


def test_the_case_library_links_to_its_feed(client, cases, case_index):
    html = client.get(case_index.url).content.decode()
    assert f'<link rel="alternate" type="application/atom+xml" href="{FEED}"' in html
    assert f'<a href="{FEED}" type="application/atom+xml">' in html


def test_feed_leaks_nothing_hidden(client_for, cases, staff):
    for client in (client_for(None), client_for(staff)):
        xml = client.get(FEED).content.decode()
        for word in HIDDEN:
            assert word not in xml
        assert PUBLIC_WORD not in xml  # sections are not in the feed at all: the summary stands for the case


def test_feed_query_budget_does_not_grow(client, make_case, member, django_assert_max_num_queries):
    for size in (3, 30):
        while client.get(FEED).content.decode().count("<entry>") < size:
            make_case(member, body=confidential_body(), methods=["lean", "spc"], tags=["降本"])
        with django_assert_max_num_queries(BUDGET):
            assert client.get(FEED).status_code == 200


# API ----------------------------------------------------------------------------------------------------


def api(client, path="", **params):
    return client.get(API + path, params)


def assert_nothing_hidden(response):
    """Neither the bytes sent nor the decoded JSON (whatever its escaping) hold a hidden word."""
    raw = response.content.decode()
    decoded = json.dumps(response.json(), ensure_ascii=False)
    for word in HIDDEN:
        assert word not in raw
        assert word not in decoded


def test_api_lists_public_cases_only(client, cases):
    response = api(client)
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == 1
    [item] = data["items"]
    assert item["id"] == cases["public"].pk
    assert item["title"] == "精益改善缩短交付周期"
    assert item["summary"] == "通过价值流图缩短交付周期。"
    assert "body" not in item


def test_api_detail_shows_public_fields_and_public_sections_only(client, cases, member):
    case = cases["public"]
    response = api(client, f"{case.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert "body" not in data
    assert data["enterprise_name"] == case.enterprise.name
    assert data["method_names"] == ["精益"]
    assert data["tag_names"] == ["降本"]
    assert data["author_names"] == [member.cqo_profile.real_name]
    assert data["industry"] == case.industry
    assert data["period_start"] == "2024-01-01"
    assert [s["heading"] for s in data["public_sections"]] == ["公开背景"]
    assert PUBLIC_WORD in data["public_sections"][0]["html"]
    assert_nothing_hidden(response)


@pytest.mark.parametrize("key", ["private", "unpublished"])
def test_api_detail_of_a_hidden_case_is_404(client, cases, key):
    assert api(client, f"{cases[key].pk}/").status_code == 404


def test_api_detail_of_a_draft_is_404(client, cases, make_case, member):
    draft = make_case(member, live=False, title="另一份草稿")
    assert api(client, f"{draft.pk}/").status_code == 404
    assert api(client, f"{draft.pk}/", fields="*").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"fields": "*"},
        {"fields": "*,-title"},
        {"fields": "_,id,public_sections,summary"},
        {"fields": "*", "limit": "20", "offset": "0"},
        {"order": "title"},
        {"order": "-first_published_at"},
        {"industry": "C"},
    ],
)
def test_api_listing_parameters_never_widen_it(client_for, cases, staff, params):
    for client in (client_for(None), client_for(staff)):
        response = api(client, **params)
        assert response.status_code == 200, response.content
        assert_nothing_hidden(response)
        items = response.json()["items"]
        assert [item["id"] for item in items] == [cases["public"].pk]
        assert all("body" not in item for item in items)


@pytest.mark.parametrize(
    "params",
    [
        {"fields": "body"},
        {"fields": "*,body"},
        {"fields": "_,body"},
        {"fields": "authors"},
        {"fields": "parent"},
        {"fields": "owner"},
        {"type": "wagtailcore.Page"},
        {"type": "cases.CasePage"},
        {"child_of": "1"},
        {"descendant_of": "1"},
        {"ancestor_of": "1"},
        {"search": "精益"},
        {"body": "x"},
        {"live": "false"},
        {"has_unpublished_changes": "true"},
        {"order": "body"},
        {"period_start": "x"},  # a value the field cannot hold was a 500
        {"first_published_at": "2026-13-45"},
        {"economic_benefit": "x"},
    ],
)
def test_api_refuses_parameters_that_could_reach_hidden_data(client, cases, params):
    response = api(client, **params)
    assert response.status_code == 400, response.content
    for word in HIDDEN:
        assert word not in response.content.decode()


@pytest.mark.parametrize("name", ["offset", "limit"])
@pytest.mark.parametrize("value", [str(2**63), str(10**30), "9" * 5000, "²", "１", "-1", "1.5"])
def test_api_offsets_and_limits_are_ascii_numbers_within_range(client, cases, name, value):
    """An offset of 2^63 reached SQLite (a 500); int() read "１" as 1."""
    response = api(client, **{name: value})
    assert response.status_code == 400, response.content
    assert f"{name} must be a positive integer" in response.content.decode()


def test_api_offset_past_the_end_is_an_empty_page(client, cases):
    response = api(client, offset=str(2**63 - 1))
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize("pk", [0, 2**63, 10**30])
def test_api_detail_of_an_id_no_row_can_have_is_404(client, cases, pk):
    assert api(client, f"{pk}/").status_code == 404


def test_api_detail_refuses_the_body_too(client, cases):
    case = cases["public"]
    assert api(client, f"{case.pk}/", fields="body").status_code == 400
    response = api(client, f"{case.pk}/", fields="*")
    assert "body" not in response.json()
    assert_nothing_hidden(response)


def test_api_find_view_is_not_exposed(client, cases):
    assert api(client, "find/", id=cases["private"].pk).status_code == 404


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_api_is_read_only(client_for, cases, staff, method):
    client = client_for(staff)
    case = cases["public"]
    for path in ("", f"{case.pk}/"):
        response = getattr(client, method)(API + path, data="{}", content_type="application/json")
        assert response.status_code == 405


def test_api_query_budget_does_not_grow(client, make_case, member, django_assert_max_num_queries):
    for size in (3, 20):
        while api(client).json()["meta"]["total_count"] < size:
            make_case(member, body=confidential_body(), methods=["lean", "spc"], tags=["降本"])
        with django_assert_max_num_queries(BUDGET):
            response = api(client, fields="*", limit=20)
        assert len(response.json()["items"]) == size
