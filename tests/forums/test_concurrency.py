"""Two members reply to one thread at the same moment, over real HTTP, on SQLite and PostgreSQL: both replies
answer with their redirect (never a 500), both posts are there and the thread counts them.

The server runs the two requests at once, each on a database connection of its own (`concurrent_db`). One pair
meets the other's transaction only some of the time, so the pair is sent three times over.
"""

import pytest
from django.urls import reverse

from forums import posting
from forums.models import Board, Post, ThreadRead
from tests.perf import burst


def test_two_replies_at_the_same_moment_are_both_posted(concurrent_db, make_profile, staff):
    board = Board.objects.create(name="公开交流", slug="open", kind=Board.Kind.DISCUSSION, public=True)
    thread = posting.start_thread(board, staff, "如何降低焊缝不良率", "请大家分享经验。")
    authors = [make_profile(status="active").user for _ in range(2)]
    sessions = burst.session_cookies(authors)
    url = reverse("forums:reply", args=[thread.pk])
    sent = []
    for round_ in range(3):
        texts = [f"第{round_ + 1}轮，{author.cqo_profile.real_name}的经验。" for author in authors]
        sent += texts

        statuses = burst.post_at_once(url, sessions, [{"text": text} for text in texts])

        assert statuses == [302, 302]
    posts = Post.objects.filter(thread=thread)
    assert sorted(posts.exclude(author=staff).values_list("source", flat=True)) == sorted(sent)
    thread.refresh_from_db()
    assert thread.post_count == 7
    assert thread.last_post_id == posts.latest("pk").pk


@pytest.mark.django_db
def test_a_read_marker_written_by_another_request_meanwhile_is_moved_on_not_a_500(
    client_for, make_profile, staff, monkeypatch
):
    """Two tabs open a thread at once: both read "no marker yet", one writes it, and the other's insert hit the
    unique constraint (a 500). The window between the read and the write is opened here on purpose: the marker
    is read as missing while a row is there."""
    board = Board.objects.create(name="公开交流", slug="open", kind=Board.Kind.DISCUSSION, public=True)
    thread = posting.start_thread(board, staff, "如何降低焊缝不良率", "请大家分享经验。")
    reader = make_profile(status="active").user
    ThreadRead.objects.create(user=reader, thread=thread, last_read_post_id=0)  # the other tab's marker
    monkeypatch.setattr(ThreadRead, "last_read", classmethod(lambda cls, user, thread: 0))

    response = client_for(reader).get(reverse("forums:thread", args=[thread.pk]))

    assert response.status_code == 200
    assert list(ThreadRead.objects.filter(user=reader).values_list("last_read_post_id", flat=True)) == [
        thread.posts.get().pk
    ]


@pytest.mark.django_db
def test_a_read_marker_never_moves_back(client_for, make_profile, staff):
    """An older page, answered after a newer one, leaves the marker where the newer one put it."""
    board = Board.objects.create(name="公开交流", slug="open", kind=Board.Kind.DISCUSSION, public=True)
    thread = posting.start_thread(board, staff, "如何降低焊缝不良率", "请大家分享经验。")
    reader = make_profile(status="active").user
    later = thread.posts.get().pk + 1000
    ThreadRead.objects.create(user=reader, thread=thread, last_read_post_id=later)

    ThreadRead.mark(reader, thread, thread.posts.get().pk)

    assert ThreadRead.objects.get(user=reader).last_read_post_id == later
