"""The "案例审核" workflow: secretariat staff approve cases members submit from the site."""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_tasks import task
from wagtail.models import (
    GroupApprovalTask,
    Page,
    TaskState,
    Workflow,
    WorkflowPage,
    WorkflowState,
    WorkflowTask,
)
from wagtail.signals import workflow_approved, workflow_rejected
from wagtail.users.models import UserProfile

from alliance_site.accounts import roles
from alliance_site.common import mail
from alliance_site.common.links import absolute_url

WORKFLOW_NAME = "案例审核"
TASK_NAME = "秘书处审核"


@transaction.atomic
def ensure_review_workflow(index_page):
    """The case review workflow, created if missing and assigned to the case library (idempotent)."""
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
        task.groups.set([roles.group_of(roles.STAFF)])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index_page, defaults={"workflow": workflow})
    return workflow


# Status of a member's cases ----------------------------------------------------------------------------------


class CaseStatus:
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    PUBLISHED = "published"
    PUBLISHED_WITH_DRAFT = "published_with_draft"
    LABELS = {
        DRAFT: gettext_lazy("Draft"),
        IN_REVIEW: gettext_lazy("In review"),
        CHANGES_REQUESTED: gettext_lazy("Changes requested"),
        PUBLISHED: gettext_lazy("Published"),
        PUBLISHED_WITH_DRAFT: gettext_lazy("Published; changes not yet submitted"),
    }
    # What the author may do in each state.
    EDITABLE = {DRAFT, CHANGES_REQUESTED, PUBLISHED, PUBLISHED_WITH_DRAFT}
    SUBMITTABLE = {DRAFT, CHANGES_REQUESTED, PUBLISHED_WITH_DRAFT}


def status_of(page, workflow_state):
    """The state of a case for its authors, from the page and its current (in progress / needs changes) workflow."""
    if workflow_state is not None:
        if workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            return CaseStatus.CHANGES_REQUESTED
        return CaseStatus.IN_REVIEW
    if page.live:
        return CaseStatus.PUBLISHED_WITH_DRAFT if page.has_unpublished_changes else CaseStatus.PUBLISHED
    return CaseStatus.DRAFT


@dataclass
class ReviewComment:
    task: str
    comment: str
    at: object
    approved: bool


def review_overview(pages):
    """{page id: (status, [review comments, newest first])} for many cases in two queries."""
    ids = [str(page.pk) for page in pages]
    page_type = ContentType.objects.get_for_model(Page)
    current = {
        state.object_id: state
        for state in WorkflowState.objects.active().filter(base_content_type=page_type, object_id__in=ids)
    }
    comments = defaultdict(list)
    task_states = (
        TaskState.objects.filter(workflow_state__base_content_type=page_type, workflow_state__object_id__in=ids)
        .exclude(comment="")
        .select_related("task", "workflow_state")
        .order_by("-finished_at", "-pk")
    )
    for task_state in task_states:
        comments[task_state.workflow_state.object_id].append(
            ReviewComment(
                task=task_state.task.name,
                comment=task_state.comment,
                at=task_state.finished_at,
                approved=task_state.status == TaskState.STATUS_APPROVED,
            )
        )
    return {page.pk: (status_of(page, current.get(str(page.pk))), comments.get(str(page.pk), [])) for page in pages}


# Submitting ------------------------------------------------------------------------------------------------


class CannotSubmit(Exception):
    """The case is not in a state in which it can be sent for review."""


def submit_for_review(page, user):
    """Send the latest revision of `page` into "案例审核", or back into it after changes were requested.

    Wagtail checks no permissions here: the caller must have made sure `user` is an author of the case.
    """
    state = page.current_workflow_state
    if state is not None:
        if state.status != WorkflowState.STATUS_NEEDS_CHANGES:
            raise CannotSubmit(_("This case is already in review."))
        prefer_site_mail(user)
        state.resume(user=user)
        return state
    if page.live and not page.has_unpublished_changes:
        raise CannotSubmit(_("This case is published and has no changes to submit. Edit it first."))
    workflow = page.get_workflow() or ensure_review_workflow(page.get_parent().specific)
    prefer_site_mail(user)
    return workflow.start(page, user)


def prefer_site_mail(user):
    """Authors who cannot open the admin hear about the review from the site (review_mail), not from Wagtail.

    Wagtail e-mails the submitter when a workflow is approved or rejected, with links into the admin; for
    a member that would be a second, unusable message, so those two admin notifications are switched off
    for users without admin access. Reviewers' own notification settings are left as they are.
    """
    if user.has_perm("wagtailadmin.access_admin"):
        return
    profile = UserProfile.get_for_user(user)
    if profile.approved_notifications or profile.rejected_notifications:
        profile.approved_notifications = profile.rejected_notifications = False
        profile.save(update_fields=["approved_notifications", "rejected_notifications"])


# Telling the authors ---------------------------------------------------------------------------------------

APPROVED = "approved"
CHANGES = "changes"
PUBLISHED = "published"  # by staff in the admin, without the workflow


@receiver(workflow_approved, sender=WorkflowState)
def case_approved(sender, instance, **kwargs):
    mail_authors_after_commit(instance, APPROVED)


@receiver(workflow_rejected, sender=WorkflowState)
def case_returned(sender, instance, **kwargs):
    mail_authors_after_commit(instance, CHANGES)


def mail_authors_after_commit(workflow_state, outcome):
    from .models import CasePage

    if workflow_state.content_type.model_class() is not CasePage:
        return
    page_id, state_id = int(workflow_state.object_id), workflow_state.pk
    transaction.on_commit(lambda: review_mail.enqueue(page_id, state_id, outcome), robust=True)


def mail_authors_of_direct_publication(page, user):
    """Staff may publish a case straight from the admin, past the workflow: its authors still hear of it."""
    from .models import CasePage

    if not isinstance(page, CasePage) or page.is_author(user):
        return
    page_id = page.pk
    transaction.on_commit(lambda: review_mail.enqueue(page_id, None, PUBLISHED), robust=True)


@task()
def review_mail(page_id, workflow_state_id, outcome):
    """E-mail the authors of a case that staff approved (and so published) or returned for changes."""
    from .models import CasePage

    page = CasePage.objects.filter(pk=page_id).select_related("owner").first()
    state = None
    if workflow_state_id is not None:
        state = WorkflowState.objects.filter(pk=workflow_state_id).select_related("current_task_state").first()
    if page is None or (state is None and outcome != PUBLISHED):
        return 0
    users = [page.owner, *(author.profile.user for author in page.authors.select_related("profile__user"))]
    recipients = list(dict.fromkeys(u.email for u in users if u is not None and u.is_active and u.email))
    if not recipients:
        return 0
    comment = state.current_task_state.comment if state and state.current_task_state else ""
    with translation.override(settings.LANGUAGE_CODE):
        context = {"title": page.title, "comment": comment, "my_cases": absolute_url(reverse("cases:my_cases"))}
        if outcome == APPROVED:
            subject = _("Your case “%(title)s” has been approved and published") % context
            lines = [
                _("The secretariat approved your case “%(title)s”; it is now published:") % context,
                absolute_url(page.url or "/"),
            ]
        elif outcome == PUBLISHED:
            subject = _("Your case “%(title)s” has been published by the secretariat") % context
            lines = [
                _("The secretariat published your case “%(title)s”, with any changes it made, at:") % context,
                absolute_url(page.url or "/"),
            ]
        else:
            subject = _("Your case “%(title)s” needs changes") % context
            lines = [_("The secretariat returned your case “%(title)s” and asks for changes.") % context]
        if comment:
            lines += ["", _("Reviewer's comment:"), comment]
        if outcome == CHANGES:
            lines += ["", _("See your cases, revise and submit again: %(my_cases)s") % context]
        else:
            lines += ["", _("See all your cases: %(my_cases)s") % context]
        subject, body = mail.subject(subject), "\n".join(str(line) for line in lines)
    # One message per author, so that no one sees the others' addresses.
    messages = [EmailMessage(subject, body, to=[recipient]) for recipient in recipients]
    return mail.send(messages, what=f"case review of {page_id} ({outcome})")
