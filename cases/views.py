"""A member's own cases: write, preview and submit for review (mounted at /my/cases/).

Wagtail's page, revision and workflow calls check no permissions, so these views do, by the permissions of
cases/rules.py: only members reach them, only a case's authors (its owner and co-authors) may edit, preview or
submit it, a case in review cannot be edited until it comes back, and nothing here publishes; staff approve in
the Wagtail admin. A published case may be edited: that saves a new revision while the approved one stays live,
and the changes go live only when staff approve them in the workflow again.
"""

from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from alliance_site.accounts import roles
from alliance_site.accounts.access import allowed, permission_required

from .forms import CaseEditor, grow
from .models import CaseAuthor, CaseIndexPage, CasePage
from .workflow import CannotSubmit, CaseStatus, review_overview, submit_for_review

FORM_TEMPLATE = "cases/case_form.html"
GROW_ACTIONS = ("add-section", "find-coauthors")  # and "add-metric-<n>"


# Signed-in CQO members only (a case's first author is a CQO): visitors sign in first, others get 403. Staff review
# cases in the Wagtail admin; a staff user who is also a filed CQO may write cases here.
cqo_members_only = permission_required(
    "cases.write_cases", gettext_lazy("Only filed CQO members may write and submit cases.")
)


def case_library():
    index = CaseIndexPage.objects.first()
    if index is None:
        raise Http404(_("The case library has not been set up yet."))
    return index


def my_case_pages(user):
    """The cases this user owns or co-wrote."""
    profile = roles.profile_of(user)
    authored = Q(owner=user)
    if profile is not None:
        authored |= Q(pk__in=CaseAuthor.objects.filter(profile=profile).values("page_id"))
    return CasePage.objects.filter(authored)


def authored_case(user, pk, *, for_saving=False):
    """(the case, its latest revision) if `user` is one of its authors, else 404: others learn nothing of it."""
    page = get_object_or_404(CasePage.objects.select_related("owner", "latest_revision"), pk=pk)
    if not allowed(user, "cases.preview_case", page):
        raise Http404(_("No such case among yours."))
    return page, page.latest_version(for_saving=for_saving)


def locked_message(draft):
    return _("“%(title)s” is locked by a reviewer.") % {"title": draft.title}


def refuse(request, message, status=409):
    """The member's list of cases again, with why the action was refused."""
    messages.error(request, message)
    return my_cases_response(request, status=status)


# 我的案例 --------------------------------------------------------------------------------------------------


@cqo_members_only
def my_cases(request):
    return my_cases_response(request)


def my_cases_response(request, status=200):
    pages = my_case_pages(request.user).defer_streamfields().order_by("-latest_revision_created_at", "-pk")
    page_obj = Paginator(pages, 20).get_page(request.GET.get("page"))
    cases = list(page_obj.object_list)
    overview = review_overview(cases)
    # What the rules ask of each case (its status, its authors), read for the whole page of cases at once.
    authors = defaultdict(list)
    for author in CaseAuthor.objects.filter(page__in=cases).select_related("profile"):
        authors[author.page_id].append(author)
    rows = []
    for case in cases:
        state, comments = overview[case.pk]
        case.review_status, case.author_list = state, authors[case.pk]
        rows.append(
            {
                "case": case,
                "status": state,
                "status_label": CaseStatus.LABELS[state],
                "comments": comments,
                "can_edit": allowed(request.user, "cases.edit_case", case),
                "can_submit": allowed(request.user, "cases.submit_case", case),
            }
        )
    context = {"page_obj": page_obj, "rows": rows, "statuses": CaseStatus}
    return render(request, "cases/my_cases.html", context, status=status)


# Writing ---------------------------------------------------------------------------------------------------


@cqo_members_only
def create_case(request):
    index = case_library()
    return case_form(request, index=index)


@cqo_members_only
def edit_case(request, pk):
    page, draft = authored_case(request.user, pk, for_saving=request.method == "POST")
    if not allowed(request.user, "cases.edit_case", page):
        if page.locked:
            return refuse(request, locked_message(draft))
        message = _("“%(title)s” is in review and cannot be edited until the reviewers return it.")
        return refuse(request, message % {"title": draft.title})
    return case_form(request, page=draft, status=page.review_status)


def case_form(request, *, index=None, page=None, status=None):
    """The form for a new case (`index`) or the latest revision of one (`page`)."""
    action = request.POST.get("action", "save") if request.method == "POST" else None
    saving = action is not None and action not in GROW_ACTIONS and not action.startswith("add-metric-")
    data = None
    if request.method == "POST":
        data = request.POST if saving else grow(request.POST, action)
    editor = CaseEditor(data, request.FILES if saving else None, user=request.user, page=page)
    context = {"editor": editor, "case": page, "status": status, "status_label": CaseStatus.LABELS.get(status)}
    if request.method != "POST":
        return render(request, FORM_TEMPLATE, context)
    if not saving:
        # "Add a section", "add a metric", "find co-authors": the same form again, one form longer; nothing saved.
        editor.quiet()
        context["files_dropped"] = bool(request.FILES)
        return render(request, FORM_TEMPLATE, context)
    if not editor.is_valid():
        context["files_dropped"] = bool(request.FILES)
        return render(request, FORM_TEMPLATE, context, status=400)
    saved = editor.save(index=index)
    if action == "submit":
        try:
            submit_for_review(saved, request.user)
        except CannotSubmit as error:
            messages.error(request, str(error))
            return redirect("cases:edit", pk=saved.pk)
        messages.success(request, _("Your case has been saved and submitted for review."))
        return redirect("cases:my_cases")
    messages.success(request, _("Your draft has been saved. Preview it, or submit it for review when it is ready."))
    return redirect("cases:edit", pk=saved.pk)


# Preview and submission ------------------------------------------------------------------------------------


@cqo_members_only
def preview_case(request, pk):
    """The latest revision as the case page will show it, for its authors only."""
    page, draft = authored_case(request.user, pk)
    request.is_preview = True
    request.preview_mode = ""
    state = page.review_status
    context = draft.get_context(request)
    can_edit = allowed(request.user, "cases.edit_case", page)
    context.update(status=state, status_label=CaseStatus.LABELS[state], can_edit=can_edit)
    response = render(request, "cases/my_case_preview.html", context)
    patch_cache_control(response, private=True, no_store=True)
    response["X-Robots-Tag"] = "noindex"
    return response


@cqo_members_only
@require_POST
def submit_case(request, pk):
    page, draft = authored_case(request.user, pk)
    if page.locked:
        return refuse(request, locked_message(draft))
    try:  # in review already, or published with nothing new: the workflow says which (as cases.submit_case does)
        submit_for_review(page, request.user)
    except CannotSubmit as error:
        return refuse(request, str(error))
    messages.success(request, _("“%(title)s” has been submitted for review.") % {"title": draft.title})
    return redirect("cases:my_cases")


# Attachments -----------------------------------------------------------------------------------------------


def guard_case_document(document, user):
    """Refuse (404) a case attachment to whoever may not read it (`cases.read_attachment`).

    Wagtail serves any document to anyone who knows its address; an attachment of a members-only or
    judges-only section, or of a case not yet published, is served only to staff, its uploader, the case's
    authors and those who may see that section of the published case.
    """
    from .forms import UPLOAD_COLLECTION

    if document.collection.name != UPLOAD_COLLECTION:
        return
    if not allowed(user, "cases.read_attachment", document):
        raise Http404(_("No such document."))
