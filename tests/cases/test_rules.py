"""The case library's named permissions (cases/rules.py) for every role, asked as the views ask them
(alliance_site.accounts.access.allowed). The pages that use them are tested beside each feature (test_submission,
test_pages, test_private_attachments); this table is the rule itself, one place to read it."""

import pytest
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from alliance_site.accounts.access import allowed
from alliance_site.models import ProfileStatus
from cases.forms import upload_collection
from cases.models import CaseAuthor, CasePage

from .conftest import section

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "applicant", "member", "owner", "co_author", "judge", "staff", "regulator", "admin_user"]
AUTHORS = {"owner", "co_author"}


@pytest.fixture
def published(make_case, owner, co_author):
    """A published case without unpublished changes: editable, with nothing to submit."""
    return make_case(owner, authors=[co_author.cqo_profile])


@pytest.fixture
def draft(make_case, owner, co_author):
    """A case never submitted: editable and ready to submit."""
    return make_case(owner, live=False, authors=[co_author.cqo_profile])


def attached(make_case, owner, co_author, visibility):
    """A document the owner uploaded, in a section of this visibility of a published case."""
    document = get_document_model().objects.create(
        title=f"附件{visibility}",
        file=ContentFile(b"%PDF-1.7\n", name=f"{visibility}.pdf"),
        collection=upload_collection(),
        uploaded_by_user=owner,
    )
    body = [section("背景"), section("附件", visibility, ("document", document.pk))]
    make_case(owner, authors=[co_author.cqo_profile], body=body)
    return document


EXPECTED = {
    # (permission, the object asked about): the roles that have it
    ("cases.write_cases", None): {"member", *AUTHORS},
    ("cases.preview_case", "published"): AUTHORS,
    ("cases.edit_case", "published"): AUTHORS,
    ("cases.edit_case", "draft"): AUTHORS,
    ("cases.submit_case", "draft"): AUTHORS,
    # Published with no changes since: nothing to submit, for anyone.
    ("cases.submit_case", "published"): set(),
    # Without a case: what the role reads in every case; with one, its authors read every section too.
    ("cases.read_members_sections", None): {"member", *AUTHORS, "staff", "admin_user"},
    ("cases.read_members_sections", "published"): {"member", *AUTHORS, "staff", "admin_user"},
    # Judges read judges-only sections through their assignments (competitions), not on the case page.
    ("cases.read_judges_sections", None): {"staff", "admin_user"},
    ("cases.read_judges_sections", "published"): {*AUTHORS, "staff", "admin_user"},
    ("cases.read_attachment", "public"): set(ROLES),
    ("cases.read_attachment", "members"): {"member", *AUTHORS, "staff", "admin_user"},
    ("cases.read_attachment", "judges"): {*AUTHORS, "staff", "admin_user"},
}


@pytest.mark.parametrize(
    ("perm", "on"), sorted(EXPECTED, key=str), ids=[f"{p} {o}" for p, o in sorted(EXPECTED, key=str)]
)
def test_each_role_has_what_the_rule_says(request, make_case, owner, co_author, perm, on):
    if on in ("public", "members", "judges"):
        obj = attached(make_case, owner, co_author, on)
    else:
        obj = on and request.getfixturevalue(on)
    having = {role for role in ROLES if allowed(request.getfixturevalue(role), perm, obj)}
    assert having == EXPECTED[perm, on]


def test_a_case_in_review_is_not_edited_until_it_comes_back(draft, owner):
    draft.get_workflow().start(draft, owner)
    in_review = CasePage.objects.get(pk=draft.pk)
    assert allowed(owner, "cases.preview_case", in_review)
    assert not allowed(owner, "cases.edit_case", in_review)
    assert not allowed(owner, "cases.submit_case", in_review)


def test_a_case_locked_by_a_reviewer_is_not_edited(draft, owner):
    CasePage.objects.filter(pk=draft.pk).update(locked=True)
    locked = CasePage.objects.get(pk=draft.pk)
    assert allowed(owner, "cases.preview_case", locked)
    assert not allowed(owner, "cases.edit_case", locked)
    assert not allowed(owner, "cases.submit_case", locked)


def test_a_published_case_with_a_new_draft_may_be_submitted(published, owner):
    published.title = "修订后的标题"
    published.save_revision(user=owner)
    changed = CasePage.objects.get(pk=published.pk)
    assert allowed(owner, "cases.edit_case", changed)
    assert allowed(owner, "cases.submit_case", changed)


def test_an_author_who_lost_member_rights_writes_no_more(published, owner):
    profile = owner.cqo_profile
    profile.status = ProfileStatus.EXITED
    profile.save(update_fields=["status"])
    owner.groups.clear()
    owner = type(owner).objects.get(pk=owner.pk)
    assert not allowed(owner, "cases.write_cases")
    assert not allowed(owner, "cases.edit_case", published)
    # … but still reads every section of the case they wrote.
    assert allowed(owner, "cases.read_judges_sections", published)


def test_a_co_author_added_in_a_draft_may_open_the_case_before_it_is_approved(published, owner, member):
    published.authors.add(CaseAuthor(profile=member.cqo_profile, sort_order=2))
    published.save_revision(user=owner)  # a draft of the published case; the published authors are unchanged
    case = CasePage.objects.get(pk=published.pk)
    assert not case.is_author(member)
    assert allowed(member, "cases.preview_case", case)
    assert allowed(member, "cases.edit_case", case)
    # The published page is not theirs yet: it shows them what it shows any member.
    assert not allowed(member, "cases.read_judges_sections", case)


def test_superusers_are_asked_the_rule_too(admin_user, published):
    """`allowed` asks the rule alone: a superuser with no CQO profile writes no case and edits no one's."""
    assert admin_user.is_superuser
    assert not allowed(admin_user, "cases.write_cases")
    assert not allowed(admin_user, "cases.edit_case", published)
