"""Who may do what in the case library: named permissions, asked through alliance_site.accounts.access.

A case's authors are its owner and co-authors. On the member's own pages (/my/cases/) they are those of the case
as stored or of its latest draft; on the published page, those of the published case.
"""

import rules
from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex

from alliance_site.rules import is_member, is_staff

from .models import CasePage
from .workflow import CaseStatus


@rules.predicate
def is_author(user, case):
    """An author of the case as given (the published page: its authors read every section of it)."""
    return case is not None and case.is_author(user)


@rules.predicate
def writes_case(user, case):
    """An author of the case as stored or of its latest draft: who may open it on their own pages."""
    return case is not None and case.is_author_of_some_version(user)


@rules.predicate
def open_to_editing(user, case):
    """Not locked by a reviewer, and not in review."""
    return not case.locked and case.review_status in CaseStatus.EDITABLE


@rules.predicate
def open_to_submitting(user, case):
    """Not locked by a reviewer, and with something to send to review (not in review, not published unchanged)."""
    return not case.locked and case.review_status in CaseStatus.SUBMITTABLE


@rules.predicate
def uploaded_it(user, document):
    return user.is_authenticated and document.uploaded_by_user_id == user.pk


@rules.predicate
def reads_it_in_a_case(user, document):
    """An author of a case the attachment belongs to, or a reader of the section that holds it in the published case.

    Found through Wagtail's reference index, which follows the page rows: the live version of a published case,
    the latest draft of a new one.
    """
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = ReferenceIndex.get_references_to(document).filter(base_content_type=page_type).values("object_id")
    for case in CasePage.objects.filter(pk__in=[int(pk) for pk in page_ids.values_list("object_id", flat=True)]):
        if case.is_author(user):
            return True
        if case.live and not case.get_view_restrictions().exists():
            sections, _hidden = case.sections_for(user)
            if any(
                item.block_type == "document" and item.value.pk == document.pk
                for section in sections
                for item in section.value["content"]
            ):
                return True
    return False


# Writing and submitting cases on the site (a case's first author is a CQO; staff review in the Wagtail admin).
rules.add_perm("cases.write_cases", is_member)
# The latest version of a case (preview, the edit form, submission): its authors; to anyone else it does not exist.
rules.add_perm("cases.preview_case", is_member & writes_case)
rules.add_perm("cases.edit_case", is_member & writes_case & open_to_editing)
rules.add_perm("cases.submit_case", is_member & writes_case & open_to_submitting)
# Sections of a case (obj: a case; without one, in every case whoever wrote it): its authors read every section.
rules.add_perm("cases.read_members_sections", is_member | is_staff | is_author)
rules.add_perm("cases.read_judges_sections", is_staff | is_author)
# An attachment uploaded with a case (obj: the document); Wagtail serves documents to anyone with the address.
rules.add_perm("cases.read_attachment", is_staff | uploaded_it | reads_it_in_a_case)
