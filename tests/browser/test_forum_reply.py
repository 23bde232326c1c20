"""A member replies with Markdown and a mention; the board's moderator hides the reply with a reason.

The steps find things by address, name and attribute rather than by wording (the pages are in Chinese).
"""

import re

from playwright.sync_api import expect

from alliance_site.accounts import roles
from alliance_site.models import ProfileStatus
from forums import posting
from forums.models import Board, Post


def test_member_replies_with_markdown_and_a_mention_and_a_moderator_hides_it(
    page, browser_context, sign_in_as, make_profile, make_user, settings
):
    settings.FORUM_RATE_LIMITS = {"new": {"posts": (100, 600), "threads": (100, 3600)}}
    member = make_profile(status=ProfileStatus.ACTIVE, real_name="王质量").user
    mentioned = make_profile(status=ProfileStatus.ACTIVE, real_name="刘建华")
    moderator = make_user(groups=[roles.MODERATOR])
    board = Board.objects.create(name="共性问题", slug="problems", kind=Board.Kind.PROBLEMS)
    board.moderators.add(moderator)
    thread = posting.start_thread(board, mentioned.user, "如何推行SPC", "从哪个工序开始？")
    assert roles.group_of(roles.MODERATOR).user_set.filter(pk=moderator.pk).exists()

    sign_in_as(member)
    page.goto(thread.get_absolute_url())
    page.locator("#reply textarea[name=text]").fill(
        "建议从**缸孔直径**开始，@刘建华 有经验。\n\n<script>alert(1)</script>"
    )
    page.locator("#reply button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/forums/t/{thread.pk}/\?page=1#post-\d+$"))
    reply = Post.objects.order_by("-pk").first()
    body = page.locator(f"#post-{reply.pk} .post-body")
    expect(body.locator("strong")).to_have_text("缸孔直径")
    expect(body.locator("a.mention")).to_have_attribute("href", f"/members/{mentioned.pk}/")
    expect(body).to_contain_text("<script>alert(1)</script>")  # shown as text, never run
    assert mentioned.user.forum_notifications.filter(kind="mention", post=reply).exists()

    browser_context.clear_cookies()
    sign_in_as(moderator)
    page.goto(thread.get_absolute_url())
    moderation = page.locator(f"#post-{reply.pk} form[action$='/moderate/']")
    moderation.locator("input[name=reason]").fill("与主题无关")
    moderation.locator("button[name=action][value=hide]").click()
    expect(page.locator(f"#post-{reply.pk}")).to_have_class(re.compile("is-hidden"))
    reply.refresh_from_db()
    assert reply.hidden and reply.hidden_reason == "与主题无关"

    browser_context.clear_cookies()
    page.goto(thread.get_absolute_url())
    expect(page.locator(f"#post-{reply.pk}")).to_have_count(0)
