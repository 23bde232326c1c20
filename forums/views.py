"""Forum pages: boards, threads with 20 posts a page, posting, reactions, reports and moderation.

Every view asks the named permissions of forums/rules.py: a board or thread the user may not read is a 404, an
action they may not take is a 403, a rate limit is a 429; bad input re-renders the form with a 400 and saves nothing.
"""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance_site.accounts import roles
from alliance_site.accounts.access import allowed, permission_required, require
from alliance_site.common.numbers import parse_id

from . import posting
from .forms import MoveForm, PostForm, ReportForm, ThreadForm
from .limits import RateLimited
from .models import Board, Notification, Post, ProblemStatus, Reaction, Report, Subscription, Thread, ThreadRead
from .notifications import forget_unread
from .rendering import quote_markdown
from .rules import moderated_board_ids

POSTS_PER_PAGE = 20
THREADS_PER_PAGE = 30


def readable_board(user, slug):
    board = get_object_or_404(Board, slug=slug)
    if not allowed(user, "forums.read_board", board):
        raise Http404
    return board


def readable_thread(user, pk):
    thread = get_object_or_404(Thread.objects.select_related("board", "author__cqo_profile", "owner"), pk=pk)
    if not allowed(user, "forums.read_thread", thread):
        raise Http404
    return thread


def posted(form, action, *args, **kwargs):
    """Run a forums.posting action for a valid form: (its result, None), or (None, the status to render the form
    with) and the refusal on the form: 429 over a rate limit (forums.limits), 400 for any other refusal."""
    try:
        return action(*args, **kwargs), None
    except RateLimited as error:
        form.add_error(None, str(error))
        return None, 429
    except posting.ForumError as error:
        form.add_error(None, str(error))
        return None, 400


def index(request):
    boards = Board.objects.visible_to(request.user).annotate(
        thread_count=Count("threads", filter=Q(threads__hidden=False))
    )
    return render(request, "forums/index.html", {"boards": boards})


def board(request, slug):
    board = readable_board(request.user, slug)
    threads = board.threads.select_related("author__cqo_profile")
    if not allowed(request.user, "forums.moderate_board", board):
        threads = threads.visible()
    now = timezone.now()
    threads = threads.annotate(
        pin_now=Q(pinned=True) & (Q(pinned_until__isnull=True) | Q(pinned_until__gt=now))
    ).order_by("-pin_now", "-last_post_at", "-pk")
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    if request.user.is_authenticated:
        reads = dict(
            ThreadRead.objects.filter(user=request.user, thread__in=[t.pk for t in page]).values_list(
                "thread_id", "last_read_post_id"
            )
        )
        for item in page:
            item.unread = reads.get(item.pk, 0) < item.last_post_id
    context = {
        "board": board,
        "page_obj": page,
        "can_start": allowed(request.user, "forums.start_thread", board),
        "form": ThreadForm(),
        "watching": request.user.is_authenticated
        and Subscription.objects.filter(user=request.user, board=board).exists(),
    }
    return render(request, "forums/board.html", context)


@login_required
@require_POST
def new_thread(request, slug):
    board = readable_board(request.user, slug)
    require(request, "forums.start_thread", board, _("You may not start a thread on this board."))
    form = ThreadForm(request.POST)
    status = 400
    if form.is_valid():
        title, text = form.cleaned_data["title"], form.cleaned_data["text"]
        thread, status = posted(form, posting.start_thread, board, request.user, title, text)
        if thread is not None:
            return redirect(thread)
    return render(request, "forums/new_thread.html", {"board": board, "form": form}, status=status)


def thread(request, pk):
    thread = readable_thread(request.user, pk)
    board = thread.board
    moderator = allowed(request.user, "forums.moderate_board", board)
    posts = thread.posts.select_related("author__cqo_profile", "edited_by")
    if not moderator:
        posts = posts.filter(Q(hidden=False, held_for_review=False) | Q(author_id=request.user.pk or 0))
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    last_read = 0
    helpful = set()
    if request.user.is_authenticated:
        last_read = ThreadRead.last_read(request.user, thread)
        page_ids = [post.pk for post in page]
        helpful = set(
            Reaction.objects.filter(user=request.user, post_id__in=page_ids).values_list("post_id", flat=True)
        )
        if page_ids and max(page_ids) > last_read:
            ThreadRead.mark(request.user, thread, max(page_ids), known=last_read)
    quote = None
    if (quoted_id := parse_id(request.GET.get("quote"))) is not None:
        quote = Post.objects.visible().filter(thread=thread, pk=quoted_id).select_related("author__cqo_profile").first()
    context = {
        "board": board,
        "thread": thread,
        "page_obj": page,
        "last_read": last_read,
        "helpful": helpful,
        "moderator": moderator,
        "can_reply": allowed(request.user, "forums.reply_to_thread", thread),
        "can_mark_helpful": allowed(request.user, "forums.mark_helpful"),
        "can_report": allowed(request.user, "forums.report_post"),
        "form": PostForm(
            initial={"text": quote_markdown(quote.source, roles.display_name(quote.author)) if quote else ""}
        ),
        "quote": quote,
        # Written out in the template: a form's widgets rendered for each of 20 posts cost more than the queries.
        "report_reasons": Report.Reason.choices,
        "move_form": MoveForm(user=request.user, initial={"board": board.pk}) if moderator else None,
        "statuses": ProblemStatus.choices,
        "watching": request.user.is_authenticated
        and Subscription.objects.filter(user=request.user, thread=thread).exists(),
        # Only moderators of a problems board see "accept as answer", which the question itself never gets.
        "first_post_id": thread.posts.order_by("pk").values_list("pk", flat=True).first()
        if moderator and board.kind == Board.Kind.PROBLEMS
        else None,
    }
    return render(request, "forums/thread.html", context)


def post_permalink(request, pk):
    """/forums/posts/<id>/: the thread page that holds the post, at the post."""
    post = get_object_or_404(Post.objects.select_related("thread__board"), pk=pk)
    thread = readable_thread(request.user, post.thread_id)
    visible = thread.posts.all()
    if not allowed(request.user, "forums.moderate_board", thread.board):
        if not post.is_visible and post.author_id != request.user.pk:
            raise Http404
        visible = visible.filter(Q(hidden=False, held_for_review=False) | Q(author_id=request.user.pk or 0))
    position = visible.filter(pk__lt=post.pk).count()
    page = position // POSTS_PER_PAGE + 1
    return redirect(f"{reverse('forums:thread', args=[thread.pk])}?page={page}#post-{post.pk}")


@login_required
@require_POST
def reply(request, pk):
    thread = readable_thread(request.user, pk)
    require(request, "forums.reply_to_thread", thread, _("You may not reply in this thread."))
    form = PostForm(request.POST)
    status = 400
    if form.is_valid():
        quote_of = None
        if (quoted_id := parse_id(request.POST.get("quote_of"))) is not None:
            quote_of = Post.objects.filter(pk=quoted_id, thread=thread).first()
        post, status = posted(form, posting.reply, thread, request.user, form.cleaned_data["text"], quote_of=quote_of)
        if post is not None:
            return redirect("forums:post", pk=post.pk)
    return render(request, "forums/reply.html", {"thread": thread, "form": form}, status=status)


@login_required
def edit_post(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread__board"), pk=pk)
    readable_thread(request.user, post.thread_id)
    require(request, "forums.edit_post", post, _("You may not edit this post."))
    form = PostForm(request.POST or None, initial={"text": post.source})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                posting.edit_post(post, request.user, form.cleaned_data["text"])
            except posting.ForumError as error:
                form.add_error("text", str(error))
            else:
                return redirect("forums:post", pk=post.pk)
    return render(
        request,
        "forums/edit_post.html",
        {"post": post, "form": form, "revisions": post.revisions.select_related("edited_by")},
        status=status,
    )


@login_required
@require_POST
def helpful(request, pk):
    post = get_object_or_404(Post.objects.visible().select_related("thread__board"), pk=pk)
    readable_thread(request.user, post.thread_id)
    require(request, "forums.mark_helpful")
    try:
        posting.mark_helpful(post, request.user)
    except posting.ForumError as error:
        messages.error(request, str(error))
    return redirect("forums:post", pk=post.pk)


@login_required
@require_POST
def report(request, pk):
    post = get_object_or_404(Post.objects.visible().select_related("thread__board"), pk=pk)
    readable_thread(request.user, post.thread_id)
    require(request, "forums.report_post")
    form = ReportForm(request.POST)
    if not form.is_valid():
        return render(request, "forums/report.html", {"post": post, "form": form}, status=400)
    try:
        posting.report(post, request.user, form.cleaned_data["reason"], form.cleaned_data["note"])
    except posting.ForumError as error:
        form.add_error(None, str(error))
        return render(request, "forums/report.html", {"post": post, "form": form}, status=400)
    messages.success(request, _("Thank you: the moderators will look at this post."))
    return redirect("forums:thread", pk=post.thread_id)


@login_required
@require_POST
def watch(request, kind, pk):
    if kind not in ("thread", "board"):
        raise Http404
    if kind == "thread":
        target = {"thread": readable_thread(request.user, pk)}
    else:
        board = get_object_or_404(Board, pk=pk)
        if not allowed(request.user, "forums.read_board", board):
            raise Http404
        target = {"board": board}
    existing = Subscription.objects.filter(user=request.user, **target)
    if existing.exists():
        existing.delete()
        messages.success(request, _("You no longer watch this."))
    else:
        Subscription.objects.create(user=request.user, **target)
        messages.success(request, _("You will be notified of new posts."))
    return redirect(target.get("thread") or target["board"])


# Moderation ---------------------------------------------------------------------------------------------------


def moderated_thread(request, pk):
    thread = get_object_or_404(Thread.objects.select_related("board"), pk=pk)
    require(request, "forums.moderate_board", thread.board, _("Only this board's moderators may do this."))
    return thread


@login_required
@require_POST
def moderate_thread(request, pk):
    thread = moderated_thread(request, pk)
    action = request.POST.get("action", "")
    try:
        if action == "pin":
            until = parse_date(request.POST.get("until", ""))
            posting.set_pin(thread, request.user, True, until)
        elif action == "unpin":
            posting.set_pin(thread, request.user, False)
        elif action in ("lock", "unlock"):
            posting.set_lock(thread, request.user, action == "lock")
        elif action in ("hide", "restore"):
            posting.set_thread_hidden(thread, request.user, action == "hide", request.POST.get("reason", ""))
        elif action == "move":
            form = MoveForm(request.POST, user=request.user)
            if not form.is_valid():
                raise posting.ForumError(_("Choose a board you moderate."))
            posting.move_thread(thread, request.user, form.cleaned_data["board"])
        elif action == "status" and thread.board.kind == Board.Kind.PROBLEMS:
            owner = None
            if request.POST.get("owner"):
                from django.contrib.auth import get_user_model

                owner = get_user_model().objects.filter(username=request.POST["owner"].strip()).first()
                if owner is None:
                    raise posting.ForumError(_("No user with that username."))
            posting.set_problem_status(thread, request.user, request.POST.get("status", ""), owner)
        else:
            raise posting.ForumError(_("Unknown action."))
    except (posting.ForumError, ValueError) as error:
        messages.error(request, str(error))
        return redirect(thread)
    messages.success(request, _("Done."))
    return redirect(thread)


def parse_date(raw):
    if not raw.strip():
        return None
    try:
        day = datetime.date.fromisoformat(raw.strip())
    except ValueError:
        raise posting.ForumError(_("Give the date as YYYY-MM-DD.")) from None
    end = timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))
    if end <= timezone.now():
        raise posting.ForumError(_("Pin until a date in the future."))
    return end


@login_required
@require_POST
def moderate_post(request, pk):
    post = get_object_or_404(Post.objects.select_related("thread__board"), pk=pk)
    require(request, "forums.moderate_board", post.thread.board, _("Only this board's moderators may do this."))
    action = request.POST.get("action", "")
    try:
        if action == "hide":
            posting.hide_post(post, request.user, request.POST.get("reason", ""))
        elif action == "restore":
            posting.restore_post(post, request.user)
        elif action in ("accept", "unaccept") and post.thread.board.kind == Board.Kind.PROBLEMS:
            posting.accept_answer(post, request.user, action == "accept")
        else:
            raise posting.ForumError(_("Unknown action."))
    except posting.ForumError as error:
        messages.error(request, str(error))
        response = redirect("forums:post", pk=post.pk)
        return response
    messages.success(request, _("Done."))
    return redirect("forums:post", pk=post.pk)


@permission_required("forums.use_moderation_queue", gettext_lazy("Only moderators have a moderation queue."))
def moderation_queue(request):
    posts = (
        Post.objects.filter(thread__board_id__in=moderated_board_ids(request.user))
        .filter(Q(held_for_review=True) | Q(reports__outcome=Report.Outcome.OPEN))
        .distinct()
        .select_related("thread__board", "author__cqo_profile")
        .prefetch_related(Prefetch("reports", queryset=Report.objects.filter(outcome=Report.Outcome.OPEN)))
        .order_by("-held_for_review", "pk")
    )
    page = Paginator(posts, 30).get_page(request.GET.get("page"))
    return render(request, "forums/moderation_queue.html", {"page_obj": page})


# Notifications and common problems ----------------------------------------------------------------------------


@login_required
def notifications(request):
    items = Notification.objects.filter(user=request.user).select_related("post__thread", "post__author__cqo_profile")
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    response = render(request, "forums/notifications.html", {"page_obj": page})
    if Notification.objects.filter(pk__in=[n.pk for n in page if n.read_at is None]).update(read_at=timezone.now()):
        forget_unread([request.user.pk])
    return response


def problems(request):
    """The public progress of common problems: by status, oldest first within each."""
    boards = Board.objects.visible_to(request.user).filter(kind=Board.Kind.PROBLEMS)
    threads = (
        Thread.objects.visible()
        .filter(board__in=boards)
        .select_related("board", "owner__cqo_profile")
        .order_by("created_at")
    )
    groups = {status: [] for status in ProblemStatus.values}
    for item in threads:
        groups[item.status].append(item)
    columns = [(value, label, groups[value]) for value, label in ProblemStatus.choices]
    return render(request, "forums/problems.html", {"columns": columns, "now": timezone.now()})
