"""The forums' outgoing links are on the public address (alliance_site.common.links): notification mail, the
announcements feed and API, and the links inside a post's HTML when it is read elsewhere."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from alliance_site.models import ProfileStatus
from forums import posting
from forums.models import Board, Subscription
from tests.feeds import ATOM
from tests.public_address import PUBLIC_ADDRESS, assert_links_on_public_address

NAMESPACES = ("http://www.w3.org/",)  # XML namespaces, not links


@pytest.fixture
def announcement(db, staff, make_profile):
    board = Board.objects.create(name="联盟公告", slug="ann", kind=Board.Kind.ANNOUNCEMENTS)
    return posting.start_thread(board, staff, "评比通知", "报名详见[论坛](/forums/)。")


def test_a_notification_mail_links_to_the_public_address(
    public_address, client_for, member, make_profile, django_capture_on_commit_callbacks, mailoutbox
):
    board = Board.objects.create(name="公开交流", slug="open", kind=Board.Kind.DISCUSSION, public=True)
    watcher = make_profile(status=ProfileStatus.ACTIVE, real_name="关注者").user
    Subscription.objects.create(user=watcher, board=board)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(member).post(
            reverse("forums:new_thread", args=[board.slug]), {"title": "焊接质量", "text": "大家好。"}
        )
    assert response.status_code == 302
    [message] = mailoutbox
    assert_links_on_public_address(message.body)
    post = board.threads.get().posts.get()
    assert f"{PUBLIC_ADDRESS}{reverse('forums:post', args=[post.pk])}" in message.body


def test_the_announcements_feed_links_to_the_public_address(public_address, client, announcement):
    xml = client.get(reverse("announcements_feed")).content.decode()
    assert_links_on_public_address(xml, besides=NAMESPACES)
    root = ET.fromstring(xml)
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{PUBLIC_ADDRESS}/feeds/announcements/"
    [entry] = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == f"{PUBLIC_ADDRESS}{announcement.get_absolute_url()}"
    assert f'href="{PUBLIC_ADDRESS}/forums/"' in entry.findtext(f"{ATOM}summary")  # the post's own link


def test_the_announcements_api_links_to_the_public_address(public_address, client, announcement):
    for path in ("/api/v2/announcements/", f"/api/v2/announcements/{announcement.pk}/"):
        response = client.get(path)
        assert response.status_code == 200
        assert_links_on_public_address(response.content.decode())
    data = response.json()
    assert data["meta"]["detail_url"] == f"{PUBLIC_ADDRESS}/api/v2/announcements/{announcement.pk}/"
    assert data["meta"]["html_url"] == f"{PUBLIC_ADDRESS}{announcement.get_absolute_url()}"
    assert f'href="{PUBLIC_ADDRESS}/forums/"' in data["html"]
