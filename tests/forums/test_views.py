"""The forum pages through HTTP: who may read and write each kind of board, posting, limits, moderation, budget."""

import pytest
from django.urls import reverse

from forums import posting
from forums.models import Board, Post, Thread
from tests.alliance_site.helpers import ENGLISH, text


@pytest.fixture(autouse=True)
def generous_limits(settings):
    """The set-up posts more than a new member may; the limit itself has its own test."""
    settings.FORUM_RATE_LIMITS = {"new": {"posts": (100, 600), "threads": (100, 3600)}}


@pytest.fixture
def boards(db, moderator):
    announcements = Board.objects.create(name="联盟公告", slug="ann", kind=Board.Kind.ANNOUNCEMENTS)
    public = Board.objects.create(name="公开交流", slug="open", kind=Board.Kind.DISCUSSION, public=True)
    members = Board.objects.create(name="会员交流", slug="members", kind=Board.Kind.DISCUSSION, public=False)
    problems = Board.objects.create(name="共性问题", slug="problems", kind=Board.Kind.PROBLEMS)
    problems.moderators.add(moderator)
    return {"ann": announcements, "open": public, "members": members, "problems": problems}


@pytest.fixture
def threads(boards, member, staff):
    return {
        "ann": posting.start_thread(boards["ann"], staff, "评比通知", "报名开始。"),
        "open": posting.start_thread(boards["open"], member, "公开讨论", "大家好。"),
        "members": posting.start_thread(boards["members"], member, "会员讨论", "内部交流。"),
        "problems": posting.start_thread(boards["problems"], member, "共性问题一", "如何兼顾？"),
    }


READ = {  # who may read which board: visitors see public boards only
    "visitor": {"ann": 200, "open": 200, "members": 404, "problems": 200},
    "applicant": {"ann": 200, "open": 200, "members": 404, "problems": 200},
    "member": {"ann": 200, "open": 200, "members": 200, "problems": 200},
    "staff": {"ann": 200, "open": 200, "members": 200, "problems": 200},
}


@pytest.mark.parametrize("who", READ)
def test_reading_boards_and_threads(client_for, request, threads, boards, who):
    user = None if who == "visitor" else request.getfixturevalue(who)
    client = client_for(user)
    for key, status in READ[who].items():
        assert client.get(reverse("forums:board", args=[boards[key].slug])).status_code == status, key
        assert client.get(threads[key].get_absolute_url()).status_code == status, key
    listed = text(client.get(reverse("forums:index")))
    assert ("会员交流" in listed) == (READ[who]["members"] == 200)


WRITE = {  # status of starting a thread: members write in discussion and problems, only staff announce
    "applicant": {"ann": 403, "open": 403, "problems": 403},
    "member": {"ann": 403, "open": 302, "problems": 302},
    "staff": {"ann": 302, "open": 302, "problems": 302},
}


@pytest.mark.parametrize("who", WRITE)
def test_starting_threads(client_for, request, boards, who):
    client = client_for(request.getfixturevalue(who))
    for key, status in WRITE[who].items():
        before = Thread.objects.count()
        response = client.post(
            reverse("forums:new_thread", args=[boards[key].slug]), {"title": "标题", "text": f"正文{key}"}
        )
        assert response.status_code == status, key
        assert Thread.objects.count() == before + (1 if status == 302 else 0)


def test_visitors_are_sent_to_sign_in_to_post(client_for, threads):
    response = client_for(None).post(reverse("forums:reply", args=[threads["open"].pk]), {"text": "匿名"})
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert Post.objects.count() == 4


def test_a_reply_with_markdown_and_a_mention_is_rendered_safely(client_for, threads, member, make_profile):
    make_profile(real_name="刘建华")
    client = client_for(member)
    response = client.post(
        reverse("forums:reply", args=[threads["open"].pk]), {"text": "**同意** @刘建华 <script>alert(1)</script>"}
    )
    assert response.status_code == 302
    page = client.get(response.url, follow=True).content.decode()
    assert "<strong>同意</strong>" in page and 'class="mention"' in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("data", [{"text": ""}, {"text": "   "}, {}, {"text": "x" * 20_001}])
def test_empty_or_oversized_replies_are_refused(client_for, threads, member, data):
    response = client_for(member).post(reverse("forums:reply", args=[threads["open"].pk]), data)
    assert response.status_code == 400
    assert Post.objects.count() == 4


def test_over_the_limit_is_429_and_nothing_is_saved(client_for, threads, member, settings):
    settings.FORUM_RATE_LIMITS = {"new": {"posts": (1, 600)}, "regular": {"posts": (1, 600)}}
    client = client_for(member)
    url = reverse("forums:reply", args=[threads["open"].pk])
    before = Post.objects.count()
    response = client.post(url, {"text": "第二条"}, headers=ENGLISH)  # the thread's first post already counts
    assert response.status_code == 429
    assert "please wait" in text(response)
    assert Post.objects.count() == before


def test_locked_threads_take_replies_from_moderators_only(client_for, threads, member, moderator):
    thread = threads["problems"]
    assert (
        client_for(moderator).post(reverse("forums:moderate_thread", args=[thread.pk]), {"action": "lock"}).status_code
        == 302
    )
    thread.refresh_from_db()
    assert thread.locked
    assert client_for(member).post(reverse("forums:reply", args=[thread.pk]), {"text": "还能回复吗"}).status_code == 403
    assert (
        client_for(moderator).post(reverse("forums:reply", args=[thread.pk]), {"text": "版主说明"}).status_code == 302
    )


def test_only_the_boards_moderators_moderate(client_for, threads, member, moderator):
    post = threads["open"].posts.get()
    # The moderator of the problems board is no moderator of the open board.
    response = client_for(moderator).post(
        reverse("forums:moderate_post", args=[post.pk]), {"action": "hide", "reason": "x"}
    )
    assert response.status_code == 403
    assert client_for(member).get(reverse("forums:moderation")).status_code == 403
    post.refresh_from_db()
    assert not post.hidden


def test_a_hidden_post_is_gone_for_others_and_shown_with_its_reason_to_its_author(
    client_for, threads, member, moderator
):
    thread = threads["problems"]
    reply = posting.reply(thread, member, "需要隐藏的回复")
    response = client_for(moderator).post(
        reverse("forums:moderate_post", args=[reply.pk]), {"action": "hide", "reason": "广告"}
    )
    assert response.status_code == 302
    assert "需要隐藏的回复" not in text(client_for(None).get(thread.get_absolute_url()))
    own = text(client_for(member).get(thread.get_absolute_url()))
    assert "需要隐藏的回复" in own and "广告" in own


def test_three_reports_hold_a_post_until_reviewed(client_for, threads, make_profile, moderator):
    from alliance_site.models import ProfileStatus

    post = threads["problems"].posts.get()
    for _ in range(3):
        reporter = make_profile(status=ProfileStatus.ACTIVE).user
        response = client_for(reporter).post(reverse("forums:report", args=[post.pk]), {"reason": "spam"})
        assert response.status_code == 302
    post.refresh_from_db()
    assert post.held_for_review
    assert "如何兼顾" not in text(client_for(None).get(threads["problems"].get_absolute_url()))
    assert "如何兼顾" in text(client_for(moderator).get(reverse("forums:moderation")))


def test_a_bad_report_reason_is_refused(client_for, threads, staff):
    post = threads["open"].posts.get()
    response = client_for(staff).post(reverse("forums:report", args=[post.pk]), {"reason": "because"})
    assert response.status_code == 400
    assert not post.reports.exists()


def test_the_permalink_finds_the_page_of_a_post(client_for, threads, member):
    thread = threads["open"]
    for serial in range(25):
        Post.objects.create(thread=thread, author=member, source=f"第{serial}楼", html=f"<p>第{serial}楼</p>")
    last = thread.posts.order_by("-pk").first()
    response = client_for(None).get(reverse("forums:post", args=[last.pk]))
    assert response.status_code == 302 and response.url.endswith(f"?page=2#post-{last.pk}")


def test_the_problems_page_lists_problems_by_status(client_for, threads, moderator):
    thread = threads["problems"]
    client_for(moderator).post(
        reverse("forums:moderate_thread", args=[thread.pk]), {"action": "status", "status": "acknowledged"}
    )
    page = text(client_for(None).get(reverse("forums:problems"), headers=ENGLISH))
    assert "共性问题一" in page and "Acknowledged" in page


@pytest.mark.parametrize("size", [40, 400])
def test_a_40_post_thread_page_stays_within_12_queries(
    client_for, threads, member, size, django_assert_max_num_queries
):
    thread = threads["open"]
    Post.objects.bulk_create(
        [Post(thread=thread, author=member, source=f"第{i}楼", html=f"<p>第{i}楼</p>") for i in range(size)]
    )
    client = client_for(member)
    client.get(thread.get_absolute_url())
    with django_assert_max_num_queries(12):
        assert client.get(thread.get_absolute_url() + "?page=2").status_code == 200


def test_the_announcements_feed_lists_announcements_only(client_for, threads):
    response = client_for(None).get(reverse("announcements_feed"))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    assert "评比通知" in feed and "报名开始" in feed
    assert "公开讨论" not in feed and "会员讨论" not in feed


@pytest.mark.parametrize(("who", "sees_members_board"), [("visitor", False), ("member", True)])
def test_forum_threads_are_found_in_the_site_search_as_permitted(
    client_for, request, boards, member, who, sees_members_board, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the first post is indexed after commit
        posting.start_thread(boards["open"], member, "推行六西格玛管理的体会", "先从黑带培训开始。")
        posting.start_thread(boards["members"], member, "内部：六西格玛项目复盘", "仅会员可见的复盘。")
    user = None if who == "visitor" else request.getfixturevalue(who)
    response = client_for(user).get(reverse("search"), {"q": "西格玛", "type": "forums"})
    found = [result.title for result in response.context["page_obj"].object_list]
    assert "推行六西格玛管理的体会" in found
    assert ("内部：六西格玛项目复盘" in found) == sees_members_board
    # Found by the first post's words too, highlighted.
    response = client_for(user).get(reverse("search"), {"q": "黑带", "type": "forums"})
    assert [r.title for r in response.context["page_obj"].object_list] == ["推行六西格玛管理的体会"]
    assert "<mark>黑带</mark>" in response.content.decode()


def test_the_demo_seed_writes_boards_and_threads_once(db, settings):
    import io

    from django.core.management import call_command

    call_command("seed_demo", stdout=io.StringIO())
    counts = (Board.objects.count(), Thread.objects.count(), Post.objects.count())
    assert counts[0] == 4 and counts[1] >= 8 and counts[2] > counts[1]
    assert Thread.objects.filter(board__kind=Board.Kind.PROBLEMS).exclude(status="new").exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert (Board.objects.count(), Thread.objects.count(), Post.objects.count()) == counts


def test_replies_are_found_in_the_site_search_unless_hidden_or_unreadable(client_for, boards, member, staff):
    thread = posting.start_thread(boards["open"], member, "交流", "开头。")
    shown = posting.reply(thread, staff, "我们用防错装置解决了漏装问题。")
    hidden = posting.reply(thread, staff, "防错的另一个例子：颜色标识。")
    posting.hide_post(hidden, staff, "重复")
    secret = posting.start_thread(boards["members"], member, "内部", "内部开头。")
    posting.reply(secret, staff, "内部的防错清单。")

    def found(user):
        response = client_for(user).get(reverse("search"), {"q": "防错", "type": "forum_posts"})
        return [result.url for result in response.context["page_obj"].object_list]

    assert found(None) == [reverse("forums:post", args=[shown.pk])]
    assert len(found(member)) == 2  # the members' board too, never the hidden reply
    assert reverse("forums:post", args=[hidden.pk]) not in found(member)


@pytest.mark.parametrize("kind", ["forums", "forum_posts"])
def test_markup_typed_in_a_post_is_shown_as_text_in_search_snippets(
    client_for, boards, member, staff, kind, django_capture_on_commit_callbacks
):
    """Typed HTML is escaped once: the snippet shows `<script>` as the post does, neither as markup nor `&lt;`."""
    with django_capture_on_commit_callbacks(execute=True):
        thread = posting.start_thread(boards["open"], member, "标签问题", "我写了 <script>alert(1)</script> 防错 & 5S")
        posting.reply(thread, staff, "回复里也有 <b>粗体</b> 和 <script>alert(2)</script> 防错")
    response = client_for(None).get(reverse("search"), {"q": "防错", "type": kind})
    page = text(response)
    assert response.context["page_obj"].object_list
    assert "&amp;lt;" not in page and "&amp;amp;" not in page
    assert "<script>alert" not in page and "<b>粗体" not in page
    typed = "&lt;script&gt;alert(1)&lt;/script&gt; <mark>防错</mark> &amp; 5S"
    if kind == "forum_posts":
        typed = "粗体&lt;/b&gt; 和 &lt;script&gt;alert(2)&lt;/script&gt; <mark>防错</mark>"  # the reply, excerpted
    assert typed in page


# Numbers typed into the address or a form are read strictly: "²" passes str.isdigit() but not int().
ODD_NUMBERS = ["²", "١٢", "１２", str(2**63), "9" * 5000, "-1"]


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_an_odd_quote_number_shows_the_thread_without_a_quote(client_for, threads, member, value):
    response = client_for(member).get(threads["open"].get_absolute_url(), {"quote": value})

    assert response.status_code == 200
    assert response.context["quote"] is None


def test_a_quote_number_of_a_post_of_the_thread_quotes_it(client_for, threads, member):
    first = threads["open"].posts.get()

    response = client_for(member).get(threads["open"].get_absolute_url(), {"quote": str(first.pk)})

    assert response.context["quote"] == first


@pytest.mark.parametrize("value", ODD_NUMBERS)
def test_a_reply_with_an_odd_quote_of_is_saved_without_a_quote(client_for, threads, member, value):
    response = client_for(member).post(
        reverse("forums:reply", args=[threads["open"].pk]), {"text": "回复", "quote_of": value}
    )

    assert response.status_code == 302
    assert Post.objects.get(source="回复").quote_of is None
