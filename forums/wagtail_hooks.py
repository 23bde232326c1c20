from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from alliance_site.common.admin_views import AdminModelViewSet, yes_no
from alliance_site.hooks import ACCOUNT_LINKS, HOME_SECTIONS, MAIN_MENU, SEARCH_TYPES, SEED_DEMO, HomeSection, MenuEntry

from .models import Board, Thread


class BoardViewSet(AdminModelViewSet):
    model = Board
    icon = "folder-open-1"
    menu_label = _("Forum boards")
    add_to_admin_menu = True
    menu_order = 170
    list_display = ["name", "kind", "body", yes_no(Board, "public"), "sort_order"]
    list_filter = ["kind", "public"]
    search_fields = ["name"]
    form_fields = ["name", "slug", "kind", "description", "body", "public", "moderators", "sort_order"]


@hooks.register("register_admin_viewset")
def register_board_viewset():
    return BoardViewSet("forum_boards")


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label in [
        ("forums.post.held", _("Post held after reports")),
        ("forums.post.hide", _("Hide a post")),
        ("forums.post.restore", _("Show a post again")),
        ("forums.post.accept", _("Accept an answer")),
        ("forums.post.unaccept", _("Withdraw an accepted answer")),
        ("forums.thread.pin", _("Pin a thread")),
        ("forums.thread.unpin", _("Unpin a thread")),
        ("forums.thread.lock", _("Lock a thread")),
        ("forums.thread.unlock", _("Unlock a thread")),
        ("forums.thread.hide", _("Hide a thread")),
        ("forums.thread.restore", _("Show a thread again")),
        ("forums.thread.move", _("Move a thread")),
        ("forums.problem.status", _("Change a problem's status")),
    ]:
        actions.register_action(action, label, label)


@hooks.register(MAIN_MENU)
def menu_entry(request):
    return [MenuEntry("forums", _("Forums"), reverse("forums:index"), order=40)]


@hooks.register(ACCOUNT_LINKS)
def notifications_link(request):
    from .notifications import unread_count

    count = unread_count(request.user)
    label = _("Notifications (%(count)d)") % {"count": count} if count else _("Notifications")
    return [MenuEntry("forum_notifications", label, reverse("forums:notifications"), order=30)]


@hooks.register(HOME_SECTIONS)
def home_section(request):
    latest = (
        Thread.objects.visible()
        .filter(board__kind=Board.Kind.ANNOUNCEMENTS)
        .select_related("board")
        .order_by("-created_at")
        .only("id", "title", "created_at", "board__name")[:5]
    )
    return HomeSection(
        key="forums",
        title=_("Latest announcements"),
        more_url=reverse("forums:index"),
        empty_message=_("No announcements yet."),
        items=[(t.title, t.get_absolute_url(), f"{t.board.name} · {t.created_at:%Y-%m-%d}") for t in latest],
        order=40,
    )


@hooks.register(SEARCH_TYPES)
def forum_search_types():
    from alliance_site.search.services import SearchType

    return [
        SearchType("forums", _("Forum threads"), search_threads, order=20),
        SearchType("forum_posts", _("Forum replies"), search_posts, order=25),
    ]


def search_posts(request, query):
    """Visible replies in visible threads on the boards this user may read."""
    from alliance_site.search.services import Hits, search_queryset

    from .models import Post

    posts = (
        Post.objects.visible()
        .filter(thread__hidden=False, thread__board__in=Board.objects.visible_to(request.user))
        .select_related("thread__board")
    )
    return Hits(
        search_queryset(posts, query),
        lambda post: forum_search_result(
            post.thread, post.html, post.created_at, reverse("forums:post", args=[post.pk]), query
        ),
    )


def search_threads(request, query):
    """Visible threads on the boards this user may read; the index holds each title and first post."""
    from alliance_site.search.services import Hits, search_queryset

    boards = Board.objects.visible_to(request.user)
    threads = Thread.objects.visible().filter(board__in=boards).select_related("board")
    return Hits(search_queryset(threads, query), lambda thread: thread_search_result(thread, query))


def thread_search_result(thread, query):
    first = thread.posts.visible().order_by("pk").values_list("html", flat=True).first() or ""
    return forum_search_result(thread, first, thread.created_at, thread.get_absolute_url(), query)


def forum_search_result(thread, html, created_at, url, query):
    """A thread or a reply found: the thread's title, a snippet of the post's text, the board and the date."""
    from alliance_site.search.services import SearchResult, highlight, text_of_html

    return SearchResult(
        title=thread.title,
        url=url,
        snippet=highlight(text_of_html(html), query.terms),
        meta=f"{thread.board.name} · {created_at:%Y-%m-%d}",
    )


@hooks.register(SEED_DEMO)
def seed_demo_forums(scale, stdout):
    from .demo import seed

    seed(scale=scale, stdout=stdout)
