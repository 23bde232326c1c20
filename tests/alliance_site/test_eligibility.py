"""Policy 四(二) (who may be a CQO), the relaxed admission by staff, and the senior-post check of 四(一)."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from alliance_site.members.eligibility import check_eligibility
from alliance_site.models import CQOProfile, Education, Enterprise, ProfessionalTitle, ProfileStatus

from .helpers import ENGLISH, log_entries, text

# The rule written out independently of the code: "5年以上" includes five; 中级 or higher title, or 本科 or higher.
TITLES = ["none", "junior", "intermediate", "associate_senior", "senior"]
EDUCATIONS = ["high_school", "junior_college", "bachelor", "master", "doctorate"]
QUALIFYING_TITLES = {"intermediate", "associate_senior", "senior"}
QUALIFYING_EDUCATIONS = {"bachelor", "master", "doctorate"}

FEWER_YEARS = "fewer than 5 years in quality management"
NO_QUALIFICATION = "neither an intermediate or higher professional title nor a bachelor's degree or higher"


def expected_eligible(years, title, education):
    return years >= 5 and (title in QUALIFYING_TITLES or education in QUALIFYING_EDUCATIONS)


RULE_TABLE = [
    pytest.param(
        years, title, education, expected_eligible(years, title, education), id=f"{years}y-{title}-{education}"
    )
    for years, title, education in itertools.product([4, 5, 6], TITLES, EDUCATIONS)
]


def shortfall_texts(eligibility):
    with translation.override("en"):
        return [str(s) for s in eligibility.shortfalls]


def test_the_table_covers_every_title_and_education_the_model_offers():
    assert sorted(TITLES) == sorted(ProfessionalTitle.values)
    assert sorted(EDUCATIONS) == sorted(Education.values)


@pytest.mark.parametrize(("years", "title", "education", "eligible"), RULE_TABLE)
def test_basic_conditions(years, title, education, eligible):
    result = check_eligibility(years, title, education)

    assert result.meets_conditions is eligible
    assert bool(result) is eligible
    assert (result.shortfalls == ()) is eligible


@pytest.mark.parametrize(("years", "title", "education", "eligible"), RULE_TABLE)
def test_profile_reports_the_same_rule(years, title, education, eligible):
    profile = CQOProfile(years_in_quality=years, title=title, education=education)

    assert profile.eligibility.meets_conditions is eligible
    assert profile.is_eligible is eligible


@pytest.mark.parametrize(
    ("years", "title", "education", "expected"),
    [
        pytest.param(4, "senior", "doctorate", [FEWER_YEARS], id="too-few-years"),
        pytest.param(0, "intermediate", "high_school", [FEWER_YEARS], id="no-years"),
        pytest.param(None, "intermediate", "bachelor", [FEWER_YEARS], id="years-unknown"),
        pytest.param(10, "junior", "junior_college", [NO_QUALIFICATION], id="no-title-or-degree"),
        pytest.param(3, "none", "high_school", [FEWER_YEARS, NO_QUALIFICATION], id="both"),
        pytest.param(5, "intermediate", "high_school", [], id="title-suffices"),
        pytest.param(5, "none", "bachelor", [], id="degree-suffices"),
        pytest.param(5, "unknown-title", "unknown-education", [NO_QUALIFICATION], id="unknown-values"),
    ],
)
def test_shortfall_messages(years, title, education, expected):
    assert shortfall_texts(check_eligibility(years, title, education)) == expected


# Relaxed admission ("实践经验丰富的技术骨干，条件可适当放宽") ------------------------------------------------


@pytest.fixture
def below_conditions(make_profile):
    """An experienced technical expert who does not meet the basic conditions."""
    return make_profile(years_in_quality=3, title="junior", education="junior_college")


def test_a_profile_below_the_conditions_is_not_eligible(below_conditions):
    assert not below_conditions.is_eligible
    assert not below_conditions.admitted_by_relaxation


def test_staff_admit_with_a_justification_and_it_is_recorded(below_conditions, staff):
    below_conditions.admit_with_relaxation(by=staff, reason="  二十年一线工艺经验，主持省级质量攻关  ")

    below_conditions.refresh_from_db()
    assert below_conditions.is_eligible
    assert below_conditions.admitted_by_relaxation
    assert below_conditions.relaxed_admission_reason == "二十年一线工艺经验，主持省级质量攻关"
    assert below_conditions.relaxed_admission_by == staff
    assert below_conditions.relaxed_admission_at is not None
    # The rule itself is unchanged: the profile is admitted, not reclassified.
    assert not below_conditions.eligibility.meets_conditions
    entry = log_entries(below_conditions, "alliance.profile.relaxed_admission").get()
    assert entry.user == staff
    assert entry.data == {"reason": "二十年一线工艺经验，主持省级质量攻关"}


def test_an_administrator_may_admit_too(below_conditions, admin_user):
    below_conditions.admit_with_relaxation(by=admin_user, reason="技术骨干")

    below_conditions.refresh_from_db()
    assert below_conditions.is_eligible


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_relaxed_admission_needs_a_justification(below_conditions, staff, reason):
    with pytest.raises(ValidationError):
        below_conditions.admit_with_relaxation(by=staff, reason=reason)

    below_conditions.refresh_from_db()
    assert not below_conditions.is_eligible
    assert below_conditions.relaxed_admission_by is None
    assert not log_entries(below_conditions, "alliance.profile.relaxed_admission").exists()


@pytest.mark.parametrize("role", ["member", "regulator", "judge", "moderator"])
def test_only_staff_may_admit_with_relaxation(request, below_conditions, role):
    user = request.getfixturevalue(role)

    with pytest.raises(PermissionDenied):
        below_conditions.admit_with_relaxation(by=user, reason="我觉得可以")

    below_conditions.refresh_from_db()
    assert not below_conditions.is_eligible
    assert not log_entries(below_conditions, "alliance.profile.relaxed_admission").exists()


def test_relaxed_admission_opens_the_filing(below_conditions, staff):
    with pytest.raises(ValidationError):
        below_conditions.change_status(ProfileStatus.FILING_SUBMITTED, by=staff, reason="提交备案")

    below_conditions.admit_with_relaxation(by=staff, reason="技术骨干")
    below_conditions.change_status(ProfileStatus.FILING_SUBMITTED, by=staff, reason="提交备案")

    below_conditions.refresh_from_db()
    assert below_conditions.status == ProfileStatus.FILING_SUBMITTED


def test_owner_sees_the_shortfalls_on_their_profile(client_for, below_conditions):
    response = client_for(below_conditions.user).get(
        reverse("members:detail", args=[below_conditions.pk]), headers=ENGLISH
    )

    assert response.status_code == 200
    page = text(response)
    assert "Below the basic conditions" in page
    assert FEWER_YEARS in page


# Senior post (四(一)) --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "is_senior_executive", "flagged"),
    [
        (Enterprise.Size.ABOVE_SCALE, False, True),
        (Enterprise.Size.ABOVE_SCALE, True, False),
        (Enterprise.Size.MEDIUM, False, False),
        (Enterprise.Size.MEDIUM, True, False),
        (Enterprise.Size.SMALL_MICRO, False, False),
        (Enterprise.Size.SMALL_MICRO, True, False),
    ],
)
def test_senior_post_is_required_only_above_designated_size(
    make_enterprise, make_profile, size, is_senior_executive, flagged
):
    profile = make_profile(enterprise=make_enterprise(size=size), is_senior_executive=is_senior_executive)

    assert profile.is_below_required_seniority is flagged


def test_owner_sees_the_senior_post_flag(client_for, make_profile):
    profile = make_profile(position="质量部部长", is_senior_executive=False)

    response = client_for(profile.user).get(reverse("members:detail", args=[profile.pk]), headers=ENGLISH)

    assert "Post below deputy general manager" in text(response)


def test_dashboard_counts_active_cqos_below_the_senior_post(client, make_enterprise, make_profile):
    small = make_enterprise(size=Enterprise.Size.SMALL_MICRO)
    make_profile(status=ProfileStatus.ACTIVE, is_senior_executive=False)  # flagged
    make_profile(status=ProfileStatus.WARNED, is_senior_executive=False)  # flagged
    make_profile(status=ProfileStatus.ACTIVE, is_senior_executive=True)
    make_profile(status=ProfileStatus.ACTIVE, is_senior_executive=False, enterprise=small)
    make_profile(status=ProfileStatus.APPLICANT, is_senior_executive=False)  # not yet a CQO on record

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert response.context["board"].below_seniority == 2
