"""Two members reply to one thread at the same moment, over real HTTP, on SQLite and PostgreSQL: both replies
answer with their redirect (never a 500), both posts are there and the thread counts them.

The server runs the two requests at once, each on a database connection of its own (`concurrent_db`). One pair
meets the other's transaction only some of the time, so the pair is sent three times over.
"""

from django.urls import reverse

from forums import posting
from forums.models import Board, Post
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
