"""The CQO status lifecycle: allowed and refused transitions, their record, the member group, and filing."""

import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from alliance_site.accounts import roles
from alliance_site.members.models import InvalidTransition
from alliance_site.models import CQOProfile, ProfileStatus

from .helpers import ENGLISH, log_entries, login_url, text, upload

STATUS_ACTION = "alliance.profile.status"
# The lifecycle of the design: applicant → filing submitted → active → warned → exited, a returned filing and a
# lifted warning. Every transition here must go through, every other be refused (the tests below).
ALLOWED = [
    ("applicant", "filing_submitted"),
    ("applicant", "exited"),
    ("filing_submitted", "active"),
    ("filing_submitted", "applicant"),
    ("filing_submitted", "exited"),
    ("active", "warned"),
    ("active", "filing_submitted"),  # a change to what the regulator approved is filed again
    ("active", "exited"),
    ("warned", "active"),
    ("warned", "filing_submitted"),
    ("warned", "exited"),
]
REFUSED = sorted(
    (old, new) for old, new in itertools.product(ProfileStatus.values, repeat=2) if (old, new) not in ALLOWED
)
MEMBER_STATUSES = {ProfileStatus.ACTIVE, ProfileStatus.WARNED}


def in_member_group(user):
    """Read from the database, not from the user object's per-request cache."""
    return get_user_model().objects.get(pk=user.pk).groups.filter(role__code=roles.MEMBER).exists()


def stored_status(profile):
    return CQOProfile.objects.get(pk=profile.pk).status


@pytest.mark.parametrize(("old", "new"), ALLOWED, ids=[f"{o}->{n}" for o, n in ALLOWED])
def test_allowed_transition_is_saved_and_logged(make_profile, staff, old, new):
    profile = make_profile(status=old)
    before = timezone.now()

    profile.change_status(new, by=staff, reason="年度考核结果")

    profile.refresh_from_db()
    assert profile.status == new
    assert profile.status_changed_at >= before
    entry = log_entries(profile, STATUS_ACTION).get()
    assert entry.user == staff
    assert entry.data == {"from": old, "to": new, "reason": "年度考核结果"}
    assert list(profile.status_history()) == [entry]


@pytest.mark.parametrize(("old", "new"), ALLOWED, ids=[f"{o}->{n}" for o, n in ALLOWED])
def test_member_group_follows_the_status(make_profile, staff, old, new):
    profile = make_profile(status=old)
    assert in_member_group(profile.user) is (old in MEMBER_STATUSES)

    profile.change_status(new, by=staff, reason="状态变更")

    assert in_member_group(profile.user) is (new in MEMBER_STATUSES)


@pytest.mark.parametrize(("old", "new"), REFUSED, ids=[f"{o}->{n}" for o, n in REFUSED])
def test_refused_transition_changes_nothing(make_profile, staff, old, new):
    profile = make_profile(status=old)

    with pytest.raises(InvalidTransition):
        profile.change_status(new, by=staff, reason="试图越级")

    assert stored_status(profile) == old
    assert in_member_group(profile.user) is (old in MEMBER_STATUSES)
    assert not log_entries(profile, STATUS_ACTION).exists()


def test_unknown_status_is_refused(make_profile, staff):
    profile = make_profile(status=ProfileStatus.ACTIVE)

    with pytest.raises(ValueError):
        profile.change_status("suspended", by=staff, reason="无此状态")

    assert stored_status(profile) == ProfileStatus.ACTIVE


@pytest.mark.parametrize("reason", ["", "   \n", None])
def test_a_change_needs_a_reason(make_profile, staff, reason):
    profile = make_profile(status=ProfileStatus.ACTIVE)

    with pytest.raises(ValidationError) as caught:
        profile.change_status(ProfileStatus.WARNED, by=staff, reason=reason)

    assert not isinstance(caught.value, InvalidTransition)
    assert stored_status(profile) == ProfileStatus.ACTIVE
    assert in_member_group(profile.user)
    assert not log_entries(profile, STATUS_ACTION).exists()


def test_history_keeps_every_change_newest_first(make_profile, staff):
    profile = make_profile(status=ProfileStatus.APPLICANT)
    steps = [
        (ProfileStatus.FILING_SUBMITTED, "提交备案"),
        (ProfileStatus.APPLICANT, "任命文件不清晰，退回"),
        (ProfileStatus.FILING_SUBMITTED, "重新提交"),
        (ProfileStatus.ACTIVE, "备案通过"),
        (ProfileStatus.WARNED, "未履行职责"),
        (ProfileStatus.EXITED, "警示后仍未整改"),
    ]
    for status, reason in steps:
        profile.change_status(status, by=staff, reason=reason)

    history = list(profile.status_history())
    assert [(e.data["to"], e.data["reason"]) for e in reversed(history)] == [(s.value, r) for s, r in steps]
    assert history[0].data["from"] == ProfileStatus.WARNED


# Eligibility gates filing and activation ----------------------------------------------------------------------


@pytest.fixture
def ineligible(make_profile):
    def make(status):
        return make_profile(status=status, years_in_quality=2, title="none", education="high_school")

    return make


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (ProfileStatus.APPLICANT, ProfileStatus.FILING_SUBMITTED),
        (ProfileStatus.FILING_SUBMITTED, ProfileStatus.ACTIVE),
        (ProfileStatus.WARNED, ProfileStatus.ACTIVE),
    ],
)
def test_filing_and_activation_are_refused_for_an_ineligible_profile(ineligible, staff, old, new):
    profile = ineligible(old)

    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            profile.change_status(new, by=staff, reason="申请")
        message = caught.value.messages[0]

    assert "does not meet the basic conditions" in message
    assert "fewer than 5 years in quality management" in message
    assert stored_status(profile) == old
    assert not log_entries(profile, STATUS_ACTION).exists()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (ProfileStatus.APPLICANT, ProfileStatus.FILING_SUBMITTED),
        (ProfileStatus.FILING_SUBMITTED, ProfileStatus.ACTIVE),
    ],
)
def test_relaxed_admission_lets_an_ineligible_profile_through(ineligible, staff, old, new):
    profile = ineligible(old)
    profile.admit_with_relaxation(by=staff, reason="实践经验丰富的技术骨干")

    profile.change_status(new, by=staff, reason="备案")

    assert stored_status(profile) == new


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (ProfileStatus.APPLICANT, ProfileStatus.EXITED),
        (ProfileStatus.FILING_SUBMITTED, ProfileStatus.APPLICANT),
        (ProfileStatus.ACTIVE, ProfileStatus.WARNED),
    ],
)
def test_ineligible_profiles_may_still_be_returned_warned_or_exited(ineligible, staff, old, new):
    profile = ineligible(old)

    profile.change_status(new, by=staff, reason="处理")

    assert stored_status(profile) == new


# Exit ------------------------------------------------------------------------------------------------------


def test_an_exited_cqo_loses_member_rights_but_keeps_the_record(client_for, make_profile, staff):
    profile = make_profile(
        status=ProfileStatus.ACTIVE, visibility=CQOProfile.Visibility.PUBLIC, talent_pool_opt_in=True
    )
    assert CQOProfile.objects.in_talent_pool().filter(pk=profile.pk).exists()

    profile.change_status(ProfileStatus.EXITED, by=staff, reason="连续两年未参加继续教育")

    assert not CQOProfile.objects.in_talent_pool().filter(pk=profile.pk).exists()
    user = get_user_model().objects.get(pk=profile.user.pk)
    assert not roles.is_member(user)
    assert client_for(user).get(reverse("members:talent_pool")).status_code == 403
    assert client_for(None).get(reverse("members:detail", args=[profile.pk])).status_code == 404
    assert CQOProfile.objects.filter(pk=profile.pk).exists()
    assert log_entries(profile, STATUS_ACTION).count() == 1


def test_an_exited_cqo_can_no_longer_edit_the_profile(client_for, make_profile, staff):
    profile = make_profile(status=ProfileStatus.ACTIVE)
    profile.change_status(ProfileStatus.EXITED, by=staff, reason="本人申请退出")
    client = client_for(profile.user)

    assert client.get(reverse("members:edit")).status_code == 403
    response = client.post(reverse("members:edit"), {"real_name": "改名"})
    assert response.status_code == 403
    assert CQOProfile.objects.get(pk=profile.pk).real_name == profile.real_name


# The member's submit-filing endpoint -----------------------------------------------------------------------


def with_letter(profile):
    profile.appointment_letter = upload("任命书.pdf")
    profile.save()
    return profile


def submit_filing(client):
    return client.post(reverse("members:submit_filing"), headers=ENGLISH, follow=True)


def test_submit_filing_is_post_only(client_for, applicant):
    assert client_for(applicant).get(reverse("members:submit_filing")).status_code == 405


def test_submit_filing_needs_a_signed_in_user(db, client_for):
    response = client_for(None).post(reverse("members:submit_filing"))

    assert response.status_code == 302
    assert response["Location"] == login_url(reverse("members:submit_filing"))


def test_submit_filing_without_a_profile_leads_to_the_form(client_for, make_user):
    response = client_for(make_user()).post(reverse("members:submit_filing"))

    assert response.status_code == 302
    assert response["Location"] == reverse("members:edit")


def test_submit_filing_sends_an_eligible_applicant_with_a_letter(client_for, make_profile):
    profile = with_letter(make_profile(status=ProfileStatus.APPLICANT))

    response = submit_filing(client_for(profile.user))

    assert response.redirect_chain[0] == (reverse("members:detail", args=[profile.pk]), 302)
    assert "Your filing has been submitted for review." in text(response)
    assert stored_status(profile) == ProfileStatus.FILING_SUBMITTED
    entry = log_entries(profile, STATUS_ACTION).get()
    assert entry.user == profile.user
    assert (entry.data["from"], entry.data["to"]) == ("applicant", "filing_submitted")
    assert entry.data["reason"]


def test_submit_filing_requires_the_appointment_letter(client_for, applicant):
    response = submit_filing(client_for(applicant))

    assert "Upload your appointment letter before you submit the filing." in text(response)
    assert stored_status(applicant.cqo_profile) == ProfileStatus.APPLICANT
    assert not log_entries(applicant.cqo_profile, STATUS_ACTION).exists()


def test_submit_filing_is_refused_below_the_basic_conditions(client_for, make_profile):
    profile = with_letter(make_profile(years_in_quality=4))

    response = client_for(profile.user).post(reverse("members:submit_filing"), headers=ENGLISH)

    assert 400 <= response.status_code < 500
    assert "does not meet the basic conditions" in text(response)
    assert "fewer than 5 years in quality management" in text(response)
    assert stored_status(profile) == ProfileStatus.APPLICANT
    assert not log_entries(profile, STATUS_ACTION).exists()


@pytest.mark.parametrize("status", [ProfileStatus.FILING_SUBMITTED, ProfileStatus.ACTIVE, ProfileStatus.WARNED])
def test_submit_filing_twice_or_when_already_filed_is_refused(client_for, make_profile, status):
    profile = with_letter(make_profile(status=status))

    response = client_for(profile.user).post(reverse("members:submit_filing"), headers=ENGLISH)

    assert 400 <= response.status_code < 500
    assert "cannot go from" in text(response)
    assert stored_status(profile) == status


def test_the_refused_filing_page_still_shows_the_owners_actions(client_for, make_profile):
    """The 409 page is the profile page: it should look like it, with the standing panel and the record."""
    profile = with_letter(make_profile(years_in_quality=4))

    response = client_for(profile.user).post(reverse("members:submit_filing"), headers=ENGLISH)

    page = text(response)
    assert "My standing" in page
    assert 'id="record-title"' in page  # the owner's record (letter, visibility, history) as on the normal page
