"""Who may read, write and moderate each board: checked in views and querysets, never only in templates.

| board kind    | read                                   | start a thread | reply            |
|---------------|----------------------------------------|----------------|------------------|
| announcements | everyone                               | moderators     | moderators       |
| discussion    | everyone if public, else members/staff | members        | members          |
| problems      | everyone if public, else members/staff | members        | members          |

Moderators are named per board; staff moderate every board, so they write everywhere. A locked thread
takes replies from its moderators only; hidden threads and posts are shown to moderators only.
"""

from django.db.models import Q

from alliance_site.accounts import roles

from .models import Board


def is_member_or_staff(user):
    return roles.is_member(user) or roles.is_staff(user)


def readable_boards(user):
    boards = Board.objects.all()
    if is_member_or_staff(user):
        return boards
    return boards.filter(Q(kind=Board.Kind.ANNOUNCEMENTS) | Q(public=True))


def can_read(user, board):
    return board.is_public or is_member_or_staff(user)


def moderated_board_ids(user):
    """The boards this user moderates (cached on the user object for the request)."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_moderated_board_ids", None)  # request.user is lazy: getattr reaches the real user
    if cached is None:
        if roles.is_staff(user):
            cached = frozenset(Board.objects.values_list("pk", flat=True))
        else:
            cached = frozenset(user.moderated_boards.values_list("pk", flat=True))
        user._moderated_board_ids = cached
    return cached


def can_moderate(user, board):
    return board.pk in moderated_board_ids(user)


def can_start_thread(user, board):
    if can_moderate(user, board):  # staff, and the moderators staff named for this board
        return True
    if board.kind == Board.Kind.ANNOUNCEMENTS:
        return False
    return roles.is_member(user)


def can_reply(user, thread):
    board = thread.board
    if can_moderate(user, board):
        return True
    return can_start_thread(user, board) and not thread.locked


def can_edit(user, post):
    return (post.author_id == user.pk and not post.thread.locked) or can_moderate(user, post.thread.board)
