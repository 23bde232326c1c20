"""The case library's filters (cases.filters.CaseFilter) with values no form of the site sends: each is dropped or
matches nothing as the list always did, the page never fails, and the form shows what was applied.

The ordinary filters, the form's chosen values and the pagination are tested in test_pages.py.
"""

import datetime
import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance_site.models import ProfileStatus

ENGLISH = {"accept-language": "en"}
# Digits Python's int() and str.isdigit() take and no form sends, numbers in other clothes, and odd text.
ODD = ["²", "١٢", "１４０５００", "２０２４", "2024.0", "+2024", "2_024", "-1", "1e3"]
ODD += ["'\"<script>", "%_", "x" * 3000]


@pytest.fixture
def cases(make_case, make_enterprise, make_profile, regions):
    """甲: industry C, six sigma, tag 降本, 2023, 晋城; 乙: industry D, lean, tag 安全, 2024, 太原."""
    author = make_profile(status=ProfileStatus.ACTIVE).user

    def case(title, county, industry, method, tag, year):
        enterprise = make_enterprise(county=regions[county], industry=industry)
        return make_case(
            author,
            title=title,
            enterprise=enterprise,
            industry=industry,
            methods=[method],
            tags=[tag],
            period_start=datetime.date(year, 1, 1),
            period_end=datetime.date(year, 10, 31),
        )

    return [
        case("甲案例", "zezhou", "C", "six-sigma", "降本", 2023),
        case("乙案例", "xiaodian", "D", "lean", "安全", 2024),
    ]


def titles(response):
    assert response.status_code == 200
    return {case.title for case in response.context["page_obj"].object_list}


def filter_form(response):
    return re.search(r'<form method="get" class="filters".*?</form>', response.content.decode(), re.S).group(0)


@pytest.mark.parametrize("name", ["industry", "year", "city"])
def test_an_odd_value_of_a_checked_filter_is_dropped(cases, case_index, client, name):
    """Industry, year and city are checked (a known industry, a year 1900–2100, ASCII digits): anything else
    lists every case and shows the filter unset, never an error or a field marked invalid."""
    for value in ODD:
        response = client.get(case_index.url, {name: value}, headers=ENGLISH)

        assert titles(response) == {"甲案例", "乙案例"}, value
        assert response.context["filters"][name] == "", value
        assert response.context["filters_query"] == "", value
        form = filter_form(response)
        assert "aria-invalid" not in form, value
        if name != "year":
            assert re.search(rf'<select name="{name}" id="f-{name}">\s*<option value="" selected>All</option>', form)


@pytest.mark.parametrize("name", ["method", "tag"])
def test_an_odd_method_or_tag_matches_nothing(cases, case_index, client, name):
    """A method slug or tag is applied as given: an unknown one lists nothing."""
    for value in ODD:
        response = client.get(case_index.url, {name: value}, headers=ENGLISH)

        assert titles(response) == set(), value
        assert response.context["filters"][name] == value[:50]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({"industry": " C "}, {"甲案例"}, id="industry with spaces"),
        pytest.param({"year": "02024"}, {"乙案例"}, id="year with a leading zero"),
        pytest.param({"city": "1405"}, {"甲案例"}, id="city by its four digits"),
        pytest.param({"method": "lean" + " " * 10}, {"乙案例"}, id="method with spaces"),
    ],
)
def test_values_are_read_as_the_list_always_read_them(cases, case_index, client, params, expected):
    assert titles(client.get(case_index.url, params)) == expected


def test_a_year_out_of_range_is_shown_unset_in_the_form(cases, case_index, client):
    response = client.get(case_index.url, {"year": "99999", "industry": "C"})

    form = filter_form(response)
    assert 'name="year" min="2000" max="2100" id="f-year"' in form  # no value
    assert '<option value="C" selected>' in form
    assert response.context["filters_query"] == "industry=C&"


def test_the_form_keeps_its_names_ids_and_labels(cases, case_index, client):
    form = filter_form(client.get(case_index.url, {"tag": "降本"}, headers=ENGLISH))

    for name, label in [("industry", "Industry"), ("method", "Quality method"), ("city", "City"), ("year", "Year")]:
        assert f'<label for="f-{name}">{label}</label>' in form
        assert f'name="{name}"' in form and f'id="f-{name}"' in form
    assert '<input type="hidden" name="tag" value="降本" id="f-tag">' in form
    assert '<option value="140500">晋城市</option>' in form and '<option value="lean">' in form


def test_no_tag_no_hidden_tag_field(cases, case_index, client):
    assert 'name="tag"' not in filter_form(client.get(case_index.url))


CHOICES_READ = re.compile(r'FROM "alliance_site_qualitymethod" ORDER BY|WHERE "alliance_site_region"."level" =')


def choice_queries(queries):
    """The queries that read the form's choices: every quality method, every city."""
    return [query["sql"] for query in queries.captured_queries if CHOICES_READ.search(query["sql"])]


def test_the_choices_are_read_once_then_cached(cases, case_index, client):
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        client.get(case_index.url)
    with CaptureQueriesContext(connection) as second:
        response = client.get(case_index.url, {"method": "lean", "city": "140100"})

    assert len(choice_queries(first)) == 2
    assert choice_queries(second) == []
    assert titles(response) == {"乙案例"}
