"""forums/rules.py: each named permission, for each role, on each kind of board and on locked and hidden threads."""

import pytest

from alliance_site.accounts import roles
from forums.models import Board, Post, Thread

ROLES = ["visitor", "member", "board_moderator", "other_moderator", "staff"]
BOARDS = ["public", "private", "announcements", "problems"]
EVERY_BOARD = set(BOARDS)
PUBLIC_BOARDS = {"public", "announcements", "problems"}
MEMBERS_WRITE = {"public", "private", "problems"}


@pytest.fixture
def users(visitor, member, staff, make_user):
    """The moderators are not members: what they may do comes from moderating alone."""
    return {
        "visitor": visitor,
        "member": member,
        "board_moderator": make_user("board_moderator", groups=[roles.MODERATOR]),
        "other_moderator": make_user("other_moderator", groups=[roles.MODERATOR]),
        "staff": staff,
    }


@pytest.fixture
def objects(users, make_user):
    """Every board of the table, moderated by the board moderator, with an open and a locked thread each; the
    other moderator moderates a board elsewhere. Posts by the member and by someone else on the public board."""
    kinds = {
        "public": {"kind": Board.Kind.DISCUSSION, "public": True},
        "private": {"kind": Board.Kind.DISCUSSION, "public": False},
        "announcements": {"kind": Board.Kind.ANNOUNCEMENTS},
        "problems": {"kind": Board.Kind.PROBLEMS},
    }
    found = {}
    for key, fields in kinds.items():
        board = found[key] = Board.objects.create(name=key, slug=key, **fields)
        board.moderators.add(users["board_moderator"])
        found[f"{key} thread"] = Thread.objects.create(board=board, title="open", author=users["staff"])
        found[f"{key} locked thread"] = Thread.objects.create(
            board=board, title="locked", author=users["staff"], locked=True
        )
    found["public hidden thread"] = Thread.objects.create(
        board=found["public"], title="hidden", author=users["member"], hidden=True
    )
    Board.objects.create(name="elsewhere", slug="elsewhere", kind=Board.Kind.DISCUSSION).moderators.add(
        users["other_moderator"]
    )
    someone = make_user("someone")
    for key, thread, author in [
        ("own post", found["public thread"], users["member"]),
        ("own post, locked thread", found["public locked thread"], users["member"]),
        ("someone's post", found["public thread"], someone),
    ]:
        found[key] = Post.objects.create(thread=thread, author=author, source=key, html=f"<p>{key}</p>")
    return found


def threads(boards, locked=False):
    return {f"{board} {'locked ' if locked else ''}thread" for board in boards}


THREADS = threads(BOARDS) | threads(BOARDS, locked=True) | {"public hidden thread"}
POSTS = {"own post", "own post, locked thread", "someone's post"}

# permission: (the objects asked about, {role: the ones allowed})
TABLE = {
    "forums.read_board": (
        EVERY_BOARD,
        {
            "visitor": PUBLIC_BOARDS,
            "member": EVERY_BOARD,
            # Not a member: a members-only board stays closed to its own moderator.
            "board_moderator": PUBLIC_BOARDS,
            "other_moderator": PUBLIC_BOARDS,
            "staff": EVERY_BOARD,
        },
    ),
    "forums.read_thread": (
        THREADS,
        {
            "visitor": threads(PUBLIC_BOARDS) | threads(PUBLIC_BOARDS, locked=True),
            "member": threads(BOARDS) | threads(BOARDS, locked=True),
            "board_moderator": threads(PUBLIC_BOARDS) | threads(PUBLIC_BOARDS, locked=True) | {"public hidden thread"},
            "other_moderator": threads(PUBLIC_BOARDS) | threads(PUBLIC_BOARDS, locked=True),
            "staff": THREADS,
        },
    ),
    "forums.start_thread": (
        EVERY_BOARD,
        {
            "visitor": set(),
            "member": MEMBERS_WRITE,
            "board_moderator": EVERY_BOARD,
            "other_moderator": set(),
            "staff": EVERY_BOARD,
        },
    ),
    "forums.reply_to_thread": (
        threads(BOARDS) | threads(BOARDS, locked=True),
        {
            "visitor": set(),
            "member": threads(MEMBERS_WRITE),
            "board_moderator": threads(BOARDS) | threads(BOARDS, locked=True),
            "other_moderator": set(),
            "staff": threads(BOARDS) | threads(BOARDS, locked=True),
        },
    ),
    "forums.edit_post": (
        POSTS,
        {
            "visitor": set(),
            "member": {"own post"},
            "board_moderator": POSTS,
            "other_moderator": set(),
            "staff": POSTS,
        },
    ),
    "forums.moderate_board": (
        EVERY_BOARD,
        {
            "visitor": set(),
            "member": set(),
            "board_moderator": EVERY_BOARD,
            "other_moderator": set(),
            "staff": EVERY_BOARD,
        },
    ),
}

# Permissions asked without an object: the roles that have them.
WITHOUT_OBJECT = {
    "forums.use_moderation_queue": {"board_moderator", "other_moderator", "staff"},
    "forums.mark_helpful": {"member", "staff"},
    "forums.report_post": {"member", "staff"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", TABLE)
def test_each_forum_permission_answers_each_role_as_the_table_says(users, objects, perm, role):
    asked, allowed = TABLE[perm]
    user = users[role]

    granted = {key for key in asked if user.has_perm(perm, objects[key])}

    assert granted == allowed[role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", WITHOUT_OBJECT)
def test_each_forum_permission_without_an_object_answers_each_role(users, objects, perm, role):
    assert users[role].has_perm(perm) is (role in WITHOUT_OBJECT[perm])


@pytest.mark.parametrize("role", ROLES)
def test_the_boards_listed_to_a_user_are_the_boards_they_may_read(users, objects, role):
    user = users[role]

    listed = set(Board.objects.visible_to(user))

    assert listed == {board for board in Board.objects.all() if user.has_perm("forums.read_board", board)}
