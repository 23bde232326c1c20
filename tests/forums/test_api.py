"""The announcements as Atom and as a read-only API (/feeds/announcements/, /api/v2/announcements/).

Both carry the visible threads of announcement boards only, each with its first visible post: nothing of other
boards, hidden threads, hidden or held posts, or who wrote them. The feed is valid Atom (RFC 4287: <updated> on
every entry), announced and linked on the announcements board; bad API input is a 400, never a 500.
"""

import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from forums import posting
from forums.models import Board, Post
from tests.feeds import ATOM, atom_problems

API = "/api/v2/announcements/"
FEED = "/feeds/announcements/"
HIDDEN = ["会员讨论不应出现", "公开讨论不应出现", "隐藏公告不应出现", "被隐藏的正文", "待审的回复"]


@pytest.fixture(autouse=True)
def generous_limits(settings):
    settings.FORUM_RATE_LIMITS = {"new": {"posts": (100, 600), "threads": (100, 3600)}}


@pytest.fixture
def boards(db):
    return {
        "ann": Board.objects.create(name="联盟公告", slug="ann", kind=Board.Kind.ANNOUNCEMENTS),
        "open": Board.objects.create(name="公开交流", slug="open", kind=Board.Kind.DISCUSSION, public=True),
        "members": Board.objects.create(name="会员交流", slug="members", kind=Board.Kind.DISCUSSION, public=False),
    }


@pytest.fixture
def threads(boards, member, staff):
    notice = posting.start_thread(boards["ann"], staff, "评比通知", "报名[开始](/forums/)。")
    held = posting.reply(notice, staff, "待审的回复")
    Post.objects.filter(pk=held.pk).update(held_for_review=True)  # as after three reports
    hidden = posting.start_thread(boards["ann"], staff, "隐藏公告不应出现", "被隐藏的正文")
    hidden.hidden = True
    hidden.save()
    posting.start_thread(boards["open"], member, "公开讨论不应出现", "大家好。")
    posting.start_thread(boards["members"], member, "会员讨论不应出现", "内部交流。")
    return {"notice": notice, "hidden": hidden}


def api(client, path="", **params):
    return client.get(API + path, params)


def assert_nothing_hidden(response, *people):
    raw = response.content.decode()
    is_json = response["Content-Type"] == "application/json"
    decoded = json.dumps(response.json(), ensure_ascii=False) if is_json else raw
    for word in HIDDEN + [value for person in people for value in (person.email, person.username)]:
        assert word not in raw
        assert word not in decoded


# API ----------------------------------------------------------------------------------------------------


def test_lists_the_announcements_with_their_first_post(client, threads, staff):
    response = api(client)
    assert response.status_code == 200
    data = response.json()
    assert data["meta"]["total_count"] == 1
    [item] = data["items"]
    notice = threads["notice"]
    assert item["id"] == notice.pk
    assert item["title"] == "评比通知"
    assert item["board"] == "联盟公告"
    assert item["published_at"] and item["updated_at"] >= item["published_at"]
    assert "报名" in item["html"] and "<a " in item["html"]
    assert item["meta"]["html_url"].endswith(reverse("forums:thread", args=[notice.pk]))
    assert item["meta"]["detail_url"].endswith(f"{API}{notice.pk}/")
    assert_nothing_hidden(response, staff)


def test_the_detail_of_an_announcement(client, threads, staff):
    response = api(client, f"{threads['notice'].pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == "评比通知"
    assert_nothing_hidden(response, staff)


def test_an_edited_announcement_says_when(client, threads, staff):
    first = threads["notice"].posts.order_by("pk").first()
    edited = timezone.now() + timezone.timedelta(hours=2)
    Post.objects.filter(pk=first.pk).update(edited_at=edited)
    [item] = api(client).json()["items"]
    assert item["updated_at"] > item["published_at"]


def test_other_boards_and_hidden_threads_are_404(client, threads, boards):
    assert api(client, f"{threads['hidden'].pk}/").status_code == 404
    for thread in boards["open"].threads.all() | boards["members"].threads.all():
        assert api(client, f"{thread.pk}/").status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"fields": "*"},
        {"fields": "_,id,html"},
        {"order": "-id"},
        {"order": "title"},
        {"board": "1"},
        {"limit": "1", "offset": "0"},
    ],
)
def test_parameters_never_widen_it(client_for, threads, member, staff, params):
    for client in (client_for(None), client_for(staff)):
        response = api(client, **params)
        assert response.status_code == 200, response.content
        assert_nothing_hidden(response, staff)
        assert {item["id"] for item in response.json()["items"]} <= {threads["notice"].pk}


@pytest.mark.parametrize(
    "params",
    [
        {"fields": "author"},
        {"fields": "posts"},
        {"fields": "hidden"},
        {"fields": "*,hidden_reason"},
        {"hidden": "true"},
        {"author": "1"},
        {"board": "x"},
        {"id": "x"},
        {"search": "公告"},
        {"type": "forums.Post"},
        {"order": "hidden"},
        {"title": "x\x00"},
        {"offset": "-1"},
        {"limit": "²"},
    ],
)
def test_refuses_what_could_reach_hidden_data_or_cannot_be_read(client, threads, staff, params):
    response = api(client, **params)
    assert response.status_code == 400, response.content
    assert_nothing_hidden(response, staff)


@pytest.mark.parametrize("pk", [0, 2**63, 10**30])
def test_an_id_no_row_can_have_is_404(client, threads, pk):
    assert api(client, f"{pk}/").status_code == 404


def test_read_only(client_for, threads, staff):
    client = client_for(staff)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)(API, data="{}", content_type="application/json").status_code == 405
    assert api(client, "find/", id=threads["hidden"].pk).status_code == 404


def test_the_query_budget_does_not_grow(client, boards, staff, django_assert_max_num_queries):
    for size in (3, 20):
        while api(client).json()["meta"]["total_count"] < size:
            posting.start_thread(boards["ann"], staff, "公告", "正文。")
        with django_assert_max_num_queries(6):
            response = api(client, limit=20)
        assert len(response.json()["items"]) == size


# Feed ---------------------------------------------------------------------------------------------------


def test_the_feed_is_valid_atom_with_updated_on_every_entry(client, threads, boards, staff):
    posting.start_thread(boards["ann"], staff, "第二则公告", "正文。")
    response = client.get(FEED)
    assert response.status_code == 200
    assert atom_problems(response.content) == []
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    assert [entry.findtext(f"{ATOM}title") for entry in entries] == ["第二则公告", "评比通知"]
    assert all(entry.findtext(f"{ATOM}updated") for entry in entries)
    assert_nothing_hidden(response, staff)


def test_the_announcements_board_announces_and_links_its_feed(client, boards, threads):
    html = client.get(reverse("forums:board", args=["ann"])).content.decode()
    assert f'<link rel="alternate" type="application/atom+xml" href="{FEED}"' in html
    assert f'<a href="{FEED}" type="application/atom+xml">' in html
    other = client.get(reverse("forums:board", args=["open"])).content.decode()
    assert FEED not in other  # a discussion board is not in the feed
