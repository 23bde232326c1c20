"""The event list's filters (events.filters.EventFilter) with values no form of the site sends, a body with a long
slug, the form's names, ids and labels, and the cached choices.

The ordinary filters, the chosen values in the form and the pagination are tested in test_pages.py.
"""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alliance_site.models import BodyPage, HomePage
from events.models import EventPage

ENGLISH = {"accept-language": "en"}
ODD = ["²", "１４０５００", "-1", "1e3", "null", "'\"<script>", "%_", " ", "x" * 3000]


@pytest.fixture
def two_events(make_event, regions):
    home = HomePage.objects.first()
    alliance = BodyPage(
        title="首席质量官联盟", slug="shanxi-chief-quality-officer-alliance", kind=BodyPage.Kind.ALLIANCE
    )
    body = home.add_child(instance=alliance)
    make_event(title="甲论坛", kind=EventPage.Kind.FORUM, city=regions["jincheng"], organizer=body)
    make_event(title="乙培训", city=regions["taiyuan"], starts_in=timedelta(days=8))
    return body


def upcoming(response):
    assert response.status_code == 200
    return {event.title for event in response.context["upcoming"].object_list}


def filter_form(response):
    return re.search(r'<form method="get" class="filters".*?</form>', response.content.decode(), re.S).group(0)


@pytest.mark.parametrize("name", ["kind", "city", "mode", "body"])
def test_an_odd_value_is_dropped(two_events, event_index, client, name):
    """Every filter is a choice of the form's: anything else lists every event and shows the filter unset,
    never an error or a field marked invalid."""
    for value in ODD:
        response = client.get(event_index.url, {name: value, "month": "2031-03"}, headers=ENGLISH)

        assert upcoming(response) == {"甲论坛", "乙培训"}, value
        assert response.context["filters"][name] == "", value
        assert response.context["page_query"] == "month=2031-03&", value
        form = filter_form(response)
        assert "aria-invalid" not in form
        assert re.search(rf'<select name="{name}" id="f-{name}">\s*<option value="" selected>All</option>', form)


def test_a_body_with_a_long_slug_filters_the_list(two_events, event_index, client):
    """Values were cut to 20 characters, so a body whose slug was longer was offered and then ignored."""
    assert len(two_events.slug) > 20

    response = client.get(event_index.url, {"body": two_events.slug})

    assert upcoming(response) == {"甲论坛"}
    assert f'<option value="{two_events.slug}" selected>' in filter_form(response)


def test_values_are_stripped(two_events, event_index, client):
    assert upcoming(client.get(event_index.url, {"kind": " forum ", "city": "140500 "})) == {"甲论坛"}


def test_the_form_keeps_its_names_ids_and_labels(two_events, event_index, client):
    form = filter_form(client.get(event_index.url, headers=ENGLISH))

    for name, label in [("kind", "Kind"), ("city", "City"), ("mode", "Mode"), ("body", "Organising body")]:
        assert f'<label for="f-{name}">{label}</label>' in form
        assert f'<select name="{name}" id="f-{name}">' in form
    assert '<option value="140500">晋城市</option>' in form and '<option value="forum">Quality forum</option>' in form


# The cities' query (the bodies' one looks like the main menu's, cached beside it).
CHOICES_READ = re.compile(r'WHERE "alliance_site_region"."level" =')


def test_the_choices_are_read_once_then_cached(two_events, event_index, client):
    cache.clear()
    with CaptureQueriesContext(connection) as first:
        client.get(event_index.url)
    with CaptureQueriesContext(connection) as second:
        response = client.get(event_index.url, {"city": "140100"})

    assert len([query for query in first.captured_queries if CHOICES_READ.search(query["sql"])]) == 1
    assert [query for query in second.captured_queries if CHOICES_READ.search(query["sql"])] == []
    assert upcoming(response) == {"乙培训"}
