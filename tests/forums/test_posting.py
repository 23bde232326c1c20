"""forums.posting (with forums.limits and forums.notifications): the functions the forum views will call."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import ModelLogEntry

from alliance_site.accounts import roles
from alliance_site.models import ProfileStatus
from forums import limits, posting
from forums.models import (
    Board,
    Notification,
    Post,
    PostRevision,
    ProblemStatus,
    Reaction,
    Report,
    Subscription,
    Thread,
)
from forums.posting import ForumError

SMALL_LIMITS = {
    "new_member_days": 7,
    "new": {"posts": (2, 600), "threads": (1, 3600)},
    "regular": {"posts": (4, 600), "threads": (3, 3600)},
    "duplicate_window": 30 * 60,
}


@pytest.fixture
def board(db):
    return Board.objects.create(name="Discussion", slug="discussion", kind=Board.Kind.DISCUSSION)


@pytest.fixture
def private_board(db):
    return Board.objects.create(name="Members", slug="members", kind=Board.Kind.DISCUSSION, public=False)


@pytest.fixture
def problems(db):
    return Board.objects.create(name="Problems", slug="problems", kind=Board.Kind.PROBLEMS)


@pytest.fixture
def make_member(make_user, make_profile):
    """A member (active profile) who joined `days_ago` days ago."""

    def make(username=None, days_ago=365, **kwargs):
        user = make_user(username, **kwargs)
        user.date_joined = timezone.now() - datetime.timedelta(days=days_ago)
        user.save(update_fields=["date_joined"])
        make_profile(user, status=ProfileStatus.ACTIVE)
        return user

    return make


@pytest.fixture
def author(make_member):
    return make_member("author")


@pytest.fixture
def thread(board, author):
    return posting.start_thread(board, author, "Calibration intervals", "How often do you calibrate gauges?")


def first_post(thread):
    return thread.posts.order_by("pk").first()


def log_actions(instance):
    return list(ModelLogEntry.objects.for_instance(instance).order_by("pk").values_list("action", flat=True))


# 1. start_thread / reply --------------------------------------------------------------------------------------


def test_start_thread_stores_thread_first_post_and_counts(board, author):
    thread = posting.start_thread(board, author, "  Gauge R&R  ", "We use **ANOVA** for gauge studies.")
    thread.refresh_from_db()
    post = first_post(thread)
    assert thread.title == "Gauge R&R"
    assert thread.post_count == 1
    assert thread.author == author and thread.board == board
    assert post.author == author
    assert post.source == "We use **ANOVA** for gauge studies."
    assert post.html == "<p>We use <strong>ANOVA</strong> for gauge studies.</p>"
    assert thread.last_post_at == post.created_at


def test_starting_a_thread_subscribes_its_author(board, author):
    thread = posting.start_thread(board, author, "Title", "Text of the first post")
    assert Subscription.objects.filter(user=author, thread=thread).exists()


@pytest.mark.parametrize("title, source", [("", "text"), ("   ", "text"), ("Title", ""), ("Title", " \n\t ")])
def test_start_thread_without_title_or_text_saves_nothing(board, author, title, source):
    with pytest.raises(ForumError) as error:
        posting.start_thread(board, author, title, source)
    assert str(error.value)
    assert not Thread.objects.exists()
    assert not Post.objects.exists()
    assert not Subscription.objects.exists()


def test_reply_updates_counts_and_stores_html(thread, make_member):
    replier = make_member("replier")
    before = Thread.objects.get(pk=thread.pk).last_post_at
    post = posting.reply(thread, replier, "  I'd say *yearly*.  ")
    thread.refresh_from_db()
    assert thread.post_count == 2
    assert thread.last_post_at == post.created_at
    assert thread.last_post_at > before
    post.refresh_from_db()
    assert post.source == "I'd say *yearly*."
    assert "<em>yearly</em>" in post.html
    assert list(thread.posts.values_list("pk", flat=True)) == [first_post(thread).pk, post.pk]


def test_replying_subscribes_the_replier(thread, make_member):
    replier = make_member("replier")
    assert not Subscription.objects.filter(user=replier, thread=thread).exists()
    posting.reply(thread, replier, "A reply")
    assert Subscription.objects.filter(user=replier, thread=thread).count() == 1
    posting.reply(thread, replier, "Another reply")
    assert Subscription.objects.filter(user=replier, thread=thread).count() == 1


@pytest.mark.parametrize("source", ["", "   ", "\n\n"])
def test_empty_reply_is_refused(thread, make_member, source):
    replier = make_member("replier")
    with pytest.raises(ForumError):
        posting.reply(thread, replier, source)
    thread.refresh_from_db()
    assert thread.post_count == 1
    assert thread.posts.count() == 1
    assert not Subscription.objects.filter(user=replier).exists()


def test_quote_of_a_post_in_another_thread_is_dropped(board, thread, make_member):
    other = posting.start_thread(board, make_member("other"), "Other thread", "Elsewhere")
    replier = make_member("replier")
    post = posting.reply(thread, replier, "Quoting from elsewhere", quote_of=first_post(other))
    post.refresh_from_db()
    assert post.quote_of is None


def test_quote_of_a_post_in_the_same_thread_is_kept(thread, make_member):
    post = posting.reply(thread, make_member("replier"), "Quoting", quote_of=first_post(thread))
    post.refresh_from_db()
    assert post.quote_of == first_post(thread)


# 2. Rate limits -----------------------------------------------------------------------------------------------


@pytest.fixture
def small_limits(settings):
    settings.FORUM_RATE_LIMITS = SMALL_LIMITS
    return SMALL_LIMITS


def test_standing_by_date_joined(small_limits, make_member):
    assert limits.standing(make_member("newbie", days_ago=2)) == "new"
    assert limits.standing(make_member("veteran", days_ago=365)) == "regular"


def test_new_member_hits_the_reply_limit_before_a_regular_member(small_limits, thread, make_member):
    newbie = make_member("newbie", days_ago=2)
    veteran = make_member("veteran", days_ago=365)
    for i in range(2):
        posting.reply(thread, newbie, f"newbie reply {i}")
        posting.reply(thread, veteran, f"veteran reply {i}")
    with pytest.raises(limits.RateLimited) as error:
        posting.reply(thread, newbie, "newbie reply 2")
    assert "2" in str(error.value) and "10" in str(error.value)  # 2 posts in 10 minutes
    posting.reply(thread, veteran, "veteran reply 2")  # the regular limit (4) is not reached yet
    posting.reply(thread, veteran, "veteran reply 3")
    with pytest.raises(limits.RateLimited) as error:
        posting.reply(thread, veteran, "veteran reply 4")
    assert "4" in str(error.value)
    thread.refresh_from_db()
    assert thread.post_count == 1 + 2 + 4
    assert Post.objects.filter(author=newbie).count() == 2
    assert Post.objects.filter(author=veteran).count() == 4
    assert not Post.objects.filter(source__in=["newbie reply 2", "veteran reply 4"]).exists()


def test_new_member_hits_the_thread_limit_before_a_regular_member(small_limits, board, make_member):
    newbie = make_member("newbie", days_ago=2)
    veteran = make_member("veteran", days_ago=365)
    posting.start_thread(board, newbie, "Newbie 0", "newbie text 0")
    with pytest.raises(limits.RateLimited) as error:
        posting.start_thread(board, newbie, "Newbie 1", "newbie text 1")
    assert str(error.value)
    for i in range(3):
        posting.start_thread(board, veteran, f"Veteran {i}", f"veteran text {i}")
    with pytest.raises(limits.RateLimited):
        posting.start_thread(board, veteran, "Veteran 3", "veteran text 3")
    assert Thread.objects.filter(author=newbie).count() == 1
    assert Thread.objects.filter(author=veteran).count() == 3
    assert not Thread.objects.filter(title__in=["Newbie 1", "Veteran 3"]).exists()
    assert not Post.objects.filter(source__in=["newbie text 1", "veteran text 3"]).exists()


def test_posts_older_than_the_window_do_not_count(small_limits, thread, make_member):
    newbie = make_member("newbie", days_ago=2)
    posting.reply(thread, newbie, "first")
    posting.reply(thread, newbie, "second")
    Post.objects.filter(author=newbie).update(created_at=timezone.now() - datetime.timedelta(seconds=601))
    posting.reply(thread, newbie, "third, a quarter of an hour later")
    assert Post.objects.filter(author=newbie).count() == 3


def test_staff_are_not_limited(small_limits, thread, make_user):
    staff = make_user("staffer", groups=[roles.STAFF])  # joined just now: would be "new"
    for i in range(5):
        posting.reply(thread, staff, f"staff reply {i}")
    assert Post.objects.filter(author=staff).count() == 5


def test_board_moderators_are_not_limited(small_limits, board, thread, make_member):
    moderator = make_member("boardmod", days_ago=2)
    board.moderators.add(moderator)
    for i in range(5):
        posting.reply(thread, moderator, f"moderator reply {i}")
    for i in range(3):
        posting.start_thread(board, moderator, f"Moderator thread {i}", f"moderator thread text {i}")
    assert Post.objects.filter(author=moderator).count() == 8


def test_the_same_text_within_30_minutes_is_refused(small_limits, thread, make_member):
    veteran = make_member("veteran")
    posting.reply(thread, veteran, "Same text,\n\nsame   words.")
    with pytest.raises(limits.RateLimited) as error:
        posting.reply(thread, veteran, "  Same text, same words.  ")
    assert "30" in str(error.value)
    assert Post.objects.filter(author=veteran).count() == 1
    Post.objects.filter(author=veteran).update(created_at=timezone.now() - datetime.timedelta(minutes=29))
    with pytest.raises(limits.RateLimited):
        posting.reply(thread, veteran, "Same text, same words.")
    Post.objects.filter(author=veteran).update(created_at=timezone.now() - datetime.timedelta(minutes=31))
    posting.reply(thread, veteran, "Same text, same words.")
    assert Post.objects.filter(author=veteran).count() == 2


def test_a_different_text_is_not_a_duplicate(small_limits, thread, make_member):
    veteran = make_member("veteran")
    posting.reply(thread, veteran, "Same text, same words.")
    posting.reply(thread, veteran, "Same text, other words.")
    assert Post.objects.filter(author=veteran).count() == 2


def test_the_same_text_as_a_new_thread_is_refused(small_limits, board, thread, make_member):
    veteran = make_member("veteran")
    posting.reply(thread, veteran, "Our supplier audit checklist")
    with pytest.raises(limits.RateLimited):
        posting.start_thread(board, veteran, "Checklist", "Our supplier audit checklist")
    assert not Thread.objects.filter(title="Checklist").exists()


# 3. edit_post -------------------------------------------------------------------------------------------------


def test_edit_keeps_a_revision_and_rerenders(thread, author):
    post = first_post(thread)
    before = timezone.now()
    posting.edit_post(post, author, "How often do you calibrate **micrometers**?")
    post.refresh_from_db()
    assert post.source == "How often do you calibrate **micrometers**?"
    assert post.html == "<p>How often do you calibrate <strong>micrometers</strong>?</p>"
    assert post.edited_by == author and post.edited_at >= before
    (revision,) = post.revisions.all()
    assert revision.source == "How often do you calibrate gauges?"
    assert revision.edited_by == author
    assert before <= revision.edited_at <= timezone.now()


def test_each_edit_keeps_the_text_it_replaced_and_who_edited(thread, author, make_user):
    moderator = make_user("mod", groups=[roles.STAFF])
    post = first_post(thread)
    posting.edit_post(post, author, "Second version")
    posting.edit_post(post, moderator, "Third version")
    revisions = list(PostRevision.objects.filter(post=post).order_by("pk").values_list("source", "edited_by"))
    assert revisions == [("How often do you calibrate gauges?", author.pk), ("Second version", moderator.pk)]
    post.refresh_from_db()
    assert post.edited_by == moderator


@pytest.mark.parametrize("source", ["How often do you calibrate gauges?", "  How often do you calibrate gauges?\n"])
def test_unchanged_edit_adds_no_revision(thread, author, source):
    post = first_post(thread)
    posting.edit_post(post, author, source)
    post.refresh_from_db()
    assert not post.revisions.exists()
    assert post.edited_at is None and post.edited_by is None


@pytest.mark.parametrize("source", ["", "   \n "])
def test_empty_edit_is_refused(thread, author, source):
    post = first_post(thread)
    with pytest.raises(ForumError):
        posting.edit_post(post, author, source)
    post.refresh_from_db()
    assert post.source == "How often do you calibrate gauges?"
    assert not post.revisions.exists()


# 4. mark_helpful ----------------------------------------------------------------------------------------------


def test_helpful_once_per_member(thread, make_member):
    post = first_post(thread)
    reader, other = make_member("reader"), make_member("other")
    assert posting.mark_helpful(post, reader) is True
    assert posting.mark_helpful(post, reader) is False
    post.refresh_from_db()
    assert post.helpful_count == 1
    assert posting.mark_helpful(post, other) is True
    post.refresh_from_db()
    assert post.helpful_count == 2
    assert Reaction.objects.filter(post=post).count() == 2


def test_own_post_cannot_be_marked_helpful(thread, author):
    post = first_post(thread)
    with pytest.raises(ForumError):
        posting.mark_helpful(post, author)
    post.refresh_from_db()
    assert post.helpful_count == 0
    assert not Reaction.objects.exists()


# 5. Reports and moderation ------------------------------------------------------------------------------------


@pytest.fixture
def reply_post(thread, make_member):
    return posting.reply(thread, make_member("poster"), "Buy cheap watches at example.com")


@pytest.fixture
def reporters(make_member):
    return [make_member(f"reporter{i}") for i in range(3)]


@pytest.mark.parametrize("reason", ["", "rude", "SPAM", None])
def test_report_reason_is_validated(reply_post, reporters, reason):
    with pytest.raises(ForumError):
        posting.report(reply_post, reporters[0], reason)
    assert not Report.objects.exists()


@pytest.mark.parametrize("reason", Report.Reason.values)
def test_each_listed_reason_is_accepted(reply_post, reporters, reason):
    assert posting.report(reply_post, reporters[0], reason, note="  see the link  ") == 1
    report = Report.objects.get()
    assert (report.reason, report.note, report.reporter, report.outcome) == (
        reason,
        "see the link",
        reporters[0],
        Report.Outcome.OPEN,
    )


def test_same_member_cannot_report_twice(reply_post, reporters):
    posting.report(reply_post, reporters[0], "spam")
    with pytest.raises(ForumError):
        posting.report(reply_post, reporters[0], "other")
    assert Report.objects.count() == 1
    assert Report.objects.get().reason == "spam"


def test_own_post_cannot_be_reported(reply_post):
    with pytest.raises(ForumError):
        posting.report(reply_post, reply_post.author, "spam")
    assert not Report.objects.exists()


def test_two_reports_do_not_hold_the_post(reply_post, reporters):
    for reporter in reporters[:2]:
        posting.report(reply_post, reporter, "spam")
    reply_post.refresh_from_db()
    assert not reply_post.held_for_review
    assert Post.objects.visible().filter(pk=reply_post.pk).exists()
    assert "forums.post.held" not in log_actions(reply_post)


def test_three_reporters_hold_the_post_for_review(reply_post, reporters):
    counts = [posting.report(Post.objects.get(pk=reply_post.pk), r, "spam") for r in reporters]
    assert counts == [1, 2, 3]
    reply_post.refresh_from_db()
    assert reply_post.held_for_review
    assert not reply_post.hidden
    assert not reply_post.is_visible
    assert not Post.objects.visible().filter(pk=reply_post.pk).exists()
    assert Post.objects.visible().filter(pk=first_post(reply_post.thread).pk).exists()
    assert log_actions(reply_post) == ["forums.post.held"]


def test_hide_post_requires_a_reason(reply_post, staff):
    with pytest.raises(ForumError):
        posting.hide_post(reply_post, staff, "   ")
    reply_post.refresh_from_db()
    assert not reply_post.hidden
    assert log_actions(reply_post) == []


def test_hide_post_closes_open_reports_as_hidden_and_logs(reply_post, reporters, staff):
    for reporter in reporters:
        posting.report(Post.objects.get(pk=reply_post.pk), reporter, "spam")
    reply_post.refresh_from_db()
    posting.hide_post(reply_post, staff, "  Advertising  ")
    reply_post.refresh_from_db()
    assert reply_post.hidden and not reply_post.held_for_review
    assert reply_post.hidden_reason == "Advertising"
    assert not Post.objects.visible().filter(pk=reply_post.pk).exists()
    assert set(Report.objects.values_list("outcome", "reviewed_by")) == {(Report.Outcome.HIDDEN, staff.pk)}
    assert not Report.objects.filter(reviewed_at__isnull=True).exists()
    entry = ModelLogEntry.objects.for_instance(reply_post).get(action="forums.post.hide")
    assert entry.user == staff
    assert "Advertising" in entry.data["reason"]


def test_restore_post_closes_open_reports_as_kept_and_logs(reply_post, reporters, staff):
    for reporter in reporters:
        posting.report(Post.objects.get(pk=reply_post.pk), reporter, "off_topic")
    reply_post.refresh_from_db()
    posting.restore_post(reply_post, staff)
    reply_post.refresh_from_db()
    assert not reply_post.held_for_review and not reply_post.hidden
    assert Post.objects.visible().filter(pk=reply_post.pk).exists()
    assert set(Report.objects.values_list("outcome", "reviewed_by")) == {(Report.Outcome.KEPT, staff.pk)}
    assert log_actions(reply_post) == ["forums.post.held", "forums.post.restore"]
    assert ModelLogEntry.objects.for_instance(reply_post).get(action="forums.post.restore").user == staff


def test_reviewed_reports_are_not_reopened_by_hiding(reply_post, reporters, staff):
    posting.report(reply_post, reporters[0], "spam")
    posting.restore_post(reply_post, staff)
    posting.report(reply_post, reporters[1], "spam")
    posting.hide_post(reply_post, staff, "Spam after all")
    outcomes = dict(Report.objects.values_list("reporter", "outcome"))
    assert outcomes == {reporters[0].pk: Report.Outcome.KEPT, reporters[1].pk: Report.Outcome.HIDDEN}


@pytest.mark.parametrize(
    "action, expected",
    [
        (lambda t, u, b: posting.set_pin(t, u, True), "forums.thread.pin"),
        (lambda t, u, b: posting.set_pin(t, u, False), "forums.thread.unpin"),
        (lambda t, u, b: posting.set_lock(t, u, True), "forums.thread.lock"),
        (lambda t, u, b: posting.set_lock(t, u, False), "forums.thread.unlock"),
        (lambda t, u, b: posting.set_thread_hidden(t, u, True, "Off-topic"), "forums.thread.hide"),
        (lambda t, u, b: posting.set_thread_hidden(t, u, False), "forums.thread.restore"),
        (lambda t, u, b: posting.move_thread(t, u, b), "forums.thread.move"),
        (lambda t, u, b: posting.set_problem_status(t, u, ProblemStatus.ACKNOWLEDGED), "forums.problem.status"),
    ],
    ids=["pin", "unpin", "lock", "unlock", "hide", "restore", "move", "status"],
)
def test_thread_moderation_is_logged(thread, staff, problems, action, expected):
    action(thread, staff, problems)
    entries = ModelLogEntry.objects.for_instance(thread)
    assert list(entries.values_list("action", flat=True)) == [expected]
    assert entries.get().user == staff


def test_hiding_a_thread_requires_a_reason(thread, staff):
    with pytest.raises(ForumError):
        posting.set_thread_hidden(thread, staff, True, " ")
    thread.refresh_from_db()
    assert not thread.hidden
    assert log_actions(thread) == []


def test_moving_a_thread_records_both_boards(thread, staff, problems, board):
    posting.move_thread(thread, staff, problems)
    thread.refresh_from_db()
    assert thread.board == problems
    entry = ModelLogEntry.objects.for_instance(thread).get()
    assert entry.data == {"from": str(board), "to": str(problems)}


# 6. Notifications ---------------------------------------------------------------------------------------------


@pytest.fixture
def watchers(board, thread, make_member):
    """One member watching the board, one watching the thread (besides the thread's author)."""
    board_watcher, thread_watcher = make_member("boardwatcher"), make_member("threadwatcher")
    Subscription.objects.create(user=board_watcher, board=board)
    Subscription.objects.create(user=thread_watcher, thread=thread)
    return board_watcher, thread_watcher


def notified(post):
    return sorted(Notification.objects.filter(post=post).values_list("user__username", "kind"))


def test_a_new_thread_notifies_board_watchers_not_its_author(board, make_member):
    watcher, author = make_member("boardwatcher"), make_member("starter")
    Subscription.objects.create(user=watcher, board=board)
    Subscription.objects.create(user=author, board=board)
    thread = posting.start_thread(board, author, "New", "A new thread")
    assert notified(first_post(thread)) == [("boardwatcher", "thread")]


def test_reply_notifies_thread_and_board_watchers_but_not_its_author(thread, watchers, make_member):
    replier = make_member("replier")
    Subscription.objects.create(user=replier, thread=thread)  # watching, but it is the replier's own post
    post = posting.reply(thread, replier, "My answer")
    assert notified(post) == [("author", "reply"), ("boardwatcher", "reply"), ("threadwatcher", "reply")]


def test_watching_thread_and_board_gives_one_notification(board, thread, watchers):
    board_watcher, _thread_watcher = watchers
    Subscription.objects.create(user=board_watcher, thread=thread)
    post = posting.reply(thread, board_watcher, "Own reply")  # board watcher replies: not notified
    replier_post = posting.reply(thread, watchers[1], "Another reply")
    assert ("boardwatcher", "reply") not in notified(post)
    assert notified(replier_post) == [("author", "reply"), ("boardwatcher", "reply")]


def test_mention_of_a_watcher_gives_one_mention_notification(thread, watchers, make_member):
    replier = make_member("replier")
    post = posting.reply(thread, replier, "What do you think, @threadwatcher and @author?")
    assert notified(post) == [("author", "mention"), ("boardwatcher", "reply"), ("threadwatcher", "mention")]


def test_mentioning_oneself_notifies_nobody_twice(thread, make_member):
    replier = make_member("replier")
    post = posting.reply(thread, replier, "Note to self @replier, ask @author")
    assert notified(post) == [("author", "mention")]


def test_mentioned_member_who_does_not_watch_is_notified(thread, make_member):
    make_member("bystander")
    post = posting.reply(thread, make_member("replier"), "cc @bystander")
    assert ("bystander", "mention") in notified(post)


def test_members_only_board_does_not_notify_former_members(private_board, make_member, make_user, make_profile):
    author = make_member("starter")
    thread = posting.start_thread(private_board, author, "Internal", "Members only")
    current, former = make_member("current"), make_member("former")
    applicant = make_profile(make_user("applicant"), status=ProfileStatus.APPLICANT).user
    staffer = make_user("staffer", groups=[roles.STAFF])
    for user in (current, former, applicant, staffer):
        Subscription.objects.create(user=user, thread=thread)
    former.cqo_profile.status = ProfileStatus.EXITED
    former.cqo_profile.save(update_fields=["status"])
    post = posting.reply(thread, make_member("replier"), "Reply for members, @former @applicant")
    assert notified(post) == [("current", "reply"), ("staffer", "reply"), ("starter", "reply")]


def test_public_board_notifies_non_member_watchers(thread, author, make_user, make_profile):
    applicant = make_profile(make_user("applicant"), status=ProfileStatus.APPLICANT).user
    Subscription.objects.create(user=applicant, thread=thread)
    post = posting.reply(thread, author, "Public reply")
    assert notified(post) == [("applicant", "reply")]


def test_inactive_watchers_are_not_notified(thread, watchers, make_member):
    board_watcher, _ = watchers
    board_watcher.is_active = False
    board_watcher.save(update_fields=["is_active"])
    post = posting.reply(thread, make_member("replier"), "A reply")
    assert "boardwatcher" not in [name for name, _kind in notified(post)]


def test_emails_are_sent_after_commit_one_per_recipient(
    thread, watchers, make_member, django_capture_on_commit_callbacks
):
    replier = make_member("replier")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        posting.reply(thread, replier, "Answer without mentions")
    assert callbacks  # deferred until the transaction commits
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        posting.reply(thread, replier, "Second answer, @threadwatcher")
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["author@example.cn", "boardwatcher@example.cn", "threadwatcher@example.cn"]
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert all("Calibration intervals" in message.subject for message in mail.outbox)
    assert all("Second answer" in message.body for message in mail.outbox)


def test_no_email_without_notification(thread, make_member, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        posting.reply(thread, make_member("replier"), "Nobody else watches")
    assert [m.to for m in mail.outbox] == [["author@example.cn"]]


# 7. Problem status --------------------------------------------------------------------------------------------


@pytest.fixture
def problem(problems, author):
    return posting.start_thread(problems, author, "Burrs on stamped parts", "Burrs after die change; cause?")


def test_owner_assigned_needs_an_owner(problem, staff):
    with pytest.raises(ForumError):
        posting.set_problem_status(problem, staff, ProblemStatus.OWNER_ASSIGNED)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.NEW
    assert log_actions(problem) == []


def test_owner_assigned_with_owner(problem, staff, make_member):
    owner = make_member("owner")
    posting.set_problem_status(problem, staff, ProblemStatus.OWNER_ASSIGNED, owner=owner)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OWNER_ASSIGNED
    assert problem.owner == owner
    entry = ModelLogEntry.objects.for_instance(problem).get()
    assert entry.action == "forums.problem.status"
    assert entry.user == staff
    assert entry.data == {"from": "new", "to": "assigned", "owner": str(owner)}


def test_verified_needs_an_accepted_answer(problem, staff, make_member):
    answer = posting.reply(problem, make_member("helper"), "Regrind the punch.")
    with pytest.raises(ForumError):
        posting.set_problem_status(problem, staff, ProblemStatus.VERIFIED)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.NEW
    posting.accept_answer(answer, staff)
    posting.set_problem_status(problem, staff, ProblemStatus.VERIFIED)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.VERIFIED
    assert log_actions(problem) == ["forums.problem.status"]
    assert log_actions(answer) == ["forums.post.accept"]


def test_accept_answer_refuses_the_first_post(problem, staff):
    question = first_post(problem)
    with pytest.raises(ForumError):
        posting.accept_answer(question, staff)
    question.refresh_from_db()
    assert not question.accepted
    assert log_actions(question) == []


def test_unaccepting_an_answer_is_logged(problem, staff, make_member):
    answer = posting.reply(problem, make_member("helper"), "Regrind the punch.")
    posting.accept_answer(answer, staff)
    posting.accept_answer(answer, staff, accepted=False)
    answer.refresh_from_db()
    assert not answer.accepted
    assert log_actions(answer) == ["forums.post.accept", "forums.post.unaccept"]


def test_unknown_status_is_refused(problem, staff):
    with pytest.raises(ForumError):
        posting.set_problem_status(problem, staff, "closed")
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.NEW


def test_status_changes_are_logged_in_order(problem, staff, make_member):
    before = problem.status_changed_at
    posting.set_problem_status(problem, staff, ProblemStatus.ACKNOWLEDGED)
    posting.set_problem_status(problem, staff, ProblemStatus.OWNER_ASSIGNED, owner=make_member("owner"))
    posting.set_problem_status(problem, staff, ProblemStatus.SOLVED)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.SOLVED
    assert problem.status_changed_at > before
    moves = [(e.data["from"], e.data["to"]) for e in ModelLogEntry.objects.for_instance(problem).order_by("pk")]
    assert moves == [("new", "acknowledged"), ("acknowledged", "assigned"), ("assigned", "solved")]
