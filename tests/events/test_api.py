"""The read-only API of public events (/api/v2/events/): live, unrestricted event pages, members' events included
(their pages are public; registration is what is limited), with what the page shows everyone.

Never the online link, the materials, the registrations or who registered, whatever the parameters; bad input is
a 400, never a 500.
"""

import json

import pytest
from wagtail.models import PageViewRestriction

from events.models import EventPage, EventSpeaker, Registration

API = "/api/v2/events/"
ONLINE = "https://meeting.example.cn/j/secret-room"
DRAFT_TITLE = "草稿活动不应出现"
PRIVATE_TITLE = "受限活动不应出现"
UNPUBLISHED_TITLE = "撤回活动不应出现"
HIDDEN = [ONLINE, "secret-room", DRAFT_TITLE, PRIVATE_TITLE, UNPUBLISHED_TITLE, "讲义不应出现"]


@pytest.fixture
def events(make_event, member):
    online = make_event(
        title="线上质量论坛",
        kind=EventPage.Kind.FORUM,
        mode=EventPage.Mode.ONLINE,
        online_url=ONLINE,
        venue="",
        description='<p>论坛介绍，见<a href="/cases/">案例库</a>。</p>',
        materials=[{"type": "material", "value": {"title": "讲义不应出现", "document": None, "attendees_only": True}}],
    )
    EventSpeaker.objects.create(page=online, name="王质量", affiliation="某集团质量总监", topic="质量变革")
    Registration.objects.create(event=online, user=member, status=Registration.Status.CONFIRMED)
    public = make_event(title="公开培训", audience=EventPage.Audience.PUBLIC)
    make_event(title=DRAFT_TITLE, live=False)
    private = make_event(title=PRIVATE_TITLE)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    unpublished = make_event(title=UNPUBLISHED_TITLE)
    unpublished.unpublish()
    return {"online": online, "public": public, "private": private, "unpublished": unpublished}


def api(client, path="", **params):
    return client.get(API + path, params)


def assert_nothing_hidden(response, member=None):
    raw = response.content.decode()
    is_json = response["Content-Type"] == "application/json"  # a null character is refused before the API
    decoded = json.dumps(response.json(), ensure_ascii=False) if is_json else raw
    for word in HIDDEN + ([member.email, member.username, member.cqo_profile.real_name] if member else []):
        assert word not in raw
        assert word not in decoded


def test_lists_public_events_members_ones_included(client, events, member):
    response = api(client)
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == 2
    assert {item["title"] for item in data["items"]} == {"线上质量论坛", "公开培训"}
    item = next(item for item in data["items"] if item["title"] == "线上质量论坛")
    assert (item["kind"], item["mode"], item["audience"]) == ("forum", "online", "members")
    assert item["summary"] == "质量管理专题培训。"
    assert item["starts_at"] and item["ends_at"]
    assert_nothing_hidden(response, member)


def test_the_detail_shows_the_page_and_not_the_online_link(client, events, member):
    event = events["online"]
    response = api(client, f"{event.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert data["title"] == "线上质量论坛"
    assert data["speakers"] == [{"name": "王质量", "affiliation": "某集团质量总监", "topic": "质量变革"}]
    assert "论坛介绍" in data["description"]
    assert data["hours"] == "3.0" and data["level"] == "continuing" and data["capacity"] == 50
    for field in ("online_url", "materials", "registrations", "owner"):
        assert field not in data
    assert_nothing_hidden(response, member)


@pytest.mark.parametrize("key", ["private", "unpublished"])
def test_a_hidden_event_is_404(client, events, key):
    assert api(client, f"{events[key].pk}/").status_code == 404


def test_a_draft_is_404(client, make_event):
    draft = make_event(title=DRAFT_TITLE, live=False)
    assert api(client, f"{draft.pk}/").status_code == 404
    assert api(client, f"{draft.pk}/", fields="*").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"fields": "*"},
        {"fields": "_,id,description,speakers,agenda"},
        {"fields": "*", "limit": "20", "offset": "0"},
        {"order": "starts_at"},
        {"order": "-title"},
        {"kind": "forum"},
        {"audience": "members"},
    ],
)
def test_parameters_never_widen_it(client_for, events, staff, member, params):
    for client in (client_for(None), client_for(staff)):
        response = api(client, **params)
        assert response.status_code == 200, response.content
        assert_nothing_hidden(response, member)
        ids = {item["id"] for item in response.json()["items"]}
        assert ids <= {events["online"].pk, events["public"].pk}


@pytest.mark.parametrize(
    "params",
    [
        {"fields": "online_url"},
        {"fields": "*,online_url"},
        {"fields": "materials"},
        {"fields": "registrations"},
        {"fields": "speakers(profile)"},
        {"online_url": ONLINE},
        {"type": "wagtailcore.Page"},
        {"type": "cases.CasePage"},
        {"child_of": "1"},
        {"descendant_of": "1"},
        {"search": "论坛"},
        {"live": "false"},
        {"rich_text_format": "db_html"},
        {"order": "online_url"},
        {"starts_at": "x"},
        {"hours": "x"},
        {"capacity": "x"},
        {"capacity": "1.5"},
        {"registration_opens_at": "2026-13-45"},
        {"kind": "forum\x00"},
        {"offset": "１"},
        {"limit": str(2**63)},
    ],
)
def test_refuses_what_could_reach_hidden_data_or_cannot_be_read(client, events, params):
    response = api(client, **params)
    assert response.status_code == 400, response.content
    assert_nothing_hidden(response)


@pytest.mark.parametrize("pk", [0, 2**63, 10**30])
def test_an_id_no_row_can_have_is_404(client, events, pk):
    assert api(client, f"{pk}/").status_code == 404


def test_there_is_no_find_view_and_nothing_to_write(client_for, events, staff):
    client = client_for(staff)
    assert api(client, "find/", id=events["private"].pk).status_code == 404
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(API, data="{}", content_type="application/json").status_code == 405


def test_the_query_budget_does_not_grow(client, make_event, django_assert_max_num_queries):
    for size in (3, 20):
        while api(client).json()["meta"]["total_count"] < size:
            event = make_event()
            EventSpeaker.objects.create(page=event, name="讲者", topic="主题")
        with django_assert_max_num_queries(10):
            response = api(client, fields="*", limit=20)
        assert len(response.json()["items"]) == size
