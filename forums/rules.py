"""Who may read, write and moderate each board: checked in views and querysets, never only in templates.

| board kind    | read                                   | start a thread | reply            |
|---------------|----------------------------------------|----------------|------------------|
| announcements | everyone                               | moderators     | moderators       |
| discussion    | everyone if public, else members/staff | members        | members          |
| problems      | everyone if public, else members/staff | members        | members          |

Moderators are named per board; staff moderate every board, so they write everywhere. A locked thread
takes replies from its moderators only; hidden threads and posts are shown to moderators only.

Each rule is a named permission, asked through alliance_site.accounts.access (`allowed`, `require`); lists of boards
are filtered by the same rule with `Board.objects.visible_to(user)`.
"""

import rules

from alliance_site.rules import is_member, is_staff

from .models import Board


def moderated_board_ids(user):
    """The boards this user moderates (cached on the user object for the request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_moderated_board_ids", None)  # request.user is lazy: getattr reaches the real user
    if cached is None:
        if is_staff(user):
            cached = frozenset(Board.objects.values_list("pk", flat=True))
        else:
            cached = frozenset(user.moderated_boards.values_list("pk", flat=True))
        user._moderated_board_ids = cached
    return cached


@rules.predicate
def moderates_board(user, board):
    """Staff, and the moderators staff named for this board."""
    return board is not None and board.pk in moderated_board_ids(user)


@rules.predicate
def moderates_a_board(user):
    return bool(moderated_board_ids(user))


@rules.predicate
def is_public_board(user, board):
    """Announcements always; any other board unless staff made it members-only."""
    return board is not None and board.is_public


@rules.predicate
def takes_members_threads(user, board):
    """Discussion and common-problems boards; announcements are written by their moderators only."""
    return board is not None and board.kind != Board.Kind.ANNOUNCEMENTS


# Members-only boards, marking posts helpful and reporting them: members, and staff.
member_or_staff = is_member | is_staff

may_read_board = is_public_board | member_or_staff
may_start_thread = moderates_board | (takes_members_threads & is_member)


@rules.predicate
def may_read_thread(user, thread):
    """Who may read its board; a hidden thread, its board's moderators only."""
    return (
        thread is not None
        and may_read_board(user, thread.board)
        and (not thread.hidden or moderates_board(user, thread.board))
    )


@rules.predicate
def may_reply(user, thread):
    """The board's moderators always; who may start a thread there, while the thread is not locked."""
    return thread is not None and (
        moderates_board(user, thread.board) or (not thread.locked and may_start_thread(user, thread.board))
    )


@rules.predicate
def may_edit(user, post):
    """The post's author while the thread is not locked; the board's moderators always."""
    return post is not None and (
        (post.author_id == user.pk and not post.thread.locked) or moderates_board(user, post.thread.board)
    )


rules.add_perm("forums.read_board", may_read_board)
# A board's thread: readable with its board, unless hidden (then by the board's moderators only).
rules.add_perm("forums.read_thread", may_read_thread)
rules.add_perm("forums.start_thread", may_start_thread)
rules.add_perm("forums.reply_to_thread", may_reply)
rules.add_perm("forums.edit_post", may_edit)
# Pin, lock, hide, move and answer on the board, and see its hidden threads and posts.
rules.add_perm("forums.moderate_board", moderates_board)
# The queue of reported and held posts: whoever moderates at least one board.
rules.add_perm("forums.use_moderation_queue", moderates_a_board)
rules.add_perm("forums.mark_helpful", member_or_staff)
rules.add_perm("forums.report_post", member_or_staff)
