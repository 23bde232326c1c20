"""Appointment filing (备案): the CQO submits, a regulator of the enterprise's region approves or returns.

Exercised through the HTTP views (`members:submit_filing`, `filings:*`) where people meet the rules, with the
records checked in the database. Mail goes out by a django-tasks task after commit, so the tests that read
`mailoutbox` run what they do inside `sent()` (after-commit callbacks executed). Uploaded letters land in the
temporary MEDIA_ROOT of `tests/alliance_site/conftest.py`.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance_site.accounts import roles
from alliance_site.accounts.access import allowed
from alliance_site.demo.core import walk_status_path
from alliance_site.filings import services as filing_service
from alliance_site.models import CQOProfile, Filing, ProfileStatus, RegionalRegulator
from tests import markup

from .helpers import ENGLISH, login_url, text, upload

LETTER = b"%PDF-1.4 appointment letter of the CQO\n%%EOF\n"
SUBMITTED, APPROVED, RETURNED = Filing.Status.SUBMITTED, Filing.Status.APPROVED, Filing.Status.RETURNED


# Fixtures and helpers ----------------------------------------------------------------------------------------


def with_letter(profile, content=LETTER):
    profile.appointment_letter = upload("任命书.pdf", content)
    profile.save()
    return profile


@pytest.fixture
def make_filing(make_enterprise, make_profile, regions):
    """An open filing of a new CQO of a new enterprise in `county`, submitted through the service."""

    def make(county="zezhou", **profile_fields):
        enterprise = make_enterprise(county=regions[county])
        profile = with_letter(make_profile(enterprise=enterprise, **profile_fields))
        return filing_service.submit(profile, by=profile.user)

    return make


def submit_url():
    return reverse("members:submit_filing")


def list_url(status="all"):
    return f"{reverse('filings:list')}?status={status}"


def detail_url(filing):
    return reverse("filings:detail", args=[filing.pk])


def decide_url(filing):
    return reverse("filings:decide", args=[filing.pk])


def letter_url(filing):
    return reverse("filings:letter", args=[filing.pk])


def listed(response):
    return {filing.pk for filing in response.context["page_obj"].object_list}


def stored(filing):
    return Filing.objects.get(pk=filing.pk)


def stored_status(profile):
    return CQOProfile.objects.get(pk=profile.pk).status


def in_member_group(user):
    return get_user_model().objects.get(pk=user.pk).groups.filter(role__code=roles.MEMBER).exists()


def recipients(messages):
    return sorted(address for message in messages for address in message.to)


def city_active(dashboard, city):
    """The dashboard's count of active CQOs in the city's enterprises."""
    return next(row.active for row in dashboard.context["board"].breakdown if row.key == city.code)


def streamed(response):
    """The file's bytes. Reading to the end closes the response (and the file) the way the test client wants;
    closing it again by hand would fire `request_finished` and close the test's PostgreSQL connection."""
    return b"".join(response.streaming_content)


# 1. Submitting -------------------------------------------------------------------------------------------------


def test_submitting_records_the_filing_and_tells_the_regulators_of_the_region(
    client_for, make_profile, make_regulator, regions, enterprise, sent, mailoutbox
):
    profile = with_letter(make_profile(position="质量副总经理", appointment_date=date(2025, 3, 1)))
    county = make_regulator(regions["zezhou"])
    city = make_regulator(regions["jincheng"])
    province = make_regulator(regions["province"])
    other_city = make_regulator(regions["taiyuan"])
    other_county = make_regulator(regions["gaoping"])  # same city, but not the enterprise's county
    before = timezone.now()

    with sent():
        response = client_for(profile.user).post(submit_url(), headers=ENGLISH)

    assert response.status_code == 302
    assert response["Location"] == reverse("members:detail", args=[profile.pk])
    filing = Filing.objects.get()
    assert filing.status == SUBMITTED and filing.is_open
    assert filing.profile == profile
    assert filing.enterprise == enterprise
    assert filing.position == "质量副总经理"
    assert filing.appointment_date == date(2025, 3, 1)
    assert filing.letter.name == CQOProfile.objects.get(pk=profile.pk).appointment_letter.name
    assert filing.submitted_by == profile.user
    assert filing.submitted_at >= before
    assert (filing.decided_by, filing.decided_at, filing.reason) == (None, None, "")
    assert stored_status(profile) == ProfileStatus.FILING_SUBMITTED

    assert recipients(mailoutbox) == sorted([county.email, city.email, province.email])
    assert other_city.email not in recipients(mailoutbox)
    assert other_county.email not in recipients(mailoutbox)
    message = mailoutbox[0]
    assert profile.real_name in message.subject and enterprise.name in message.subject
    assert reverse("filings:detail", args=[filing.pk]) in message.body


def test_the_filing_keeps_what_was_filed_when_the_profile_changes(make_filing):
    filing = make_filing(position="副总经理", appointment_date=date(2024, 6, 1))
    profile = filing.profile

    profile.position = "总经理助理"
    profile.appointment_date = date(2025, 1, 1)
    profile.appointment_letter = upload("新任命书.pdf")
    profile.save()

    filing = stored(filing)
    assert (filing.position, filing.appointment_date) == ("副总经理", date(2024, 6, 1))
    assert filing.letter.name != CQOProfile.objects.get(pk=profile.pk).appointment_letter.name
    assert filing.letter.open("rb").read() == LETTER
    filing.letter.close()


def test_submitting_without_a_letter_is_refused_and_creates_nothing(
    client_for, applicant, make_regulator, regions, sent, mailoutbox
):
    make_regulator(regions["jincheng"])

    with sent():
        response = client_for(applicant).post(submit_url(), headers=ENGLISH)

    assert response.status_code == 409
    assert "Upload your appointment letter before you submit the filing." in text(response)
    assert not Filing.objects.exists()
    assert stored_status(applicant.cqo_profile) == ProfileStatus.APPLICANT
    assert mailoutbox == []


def test_a_second_submission_while_one_is_open_is_refused(client_for, make_profile, sent, mailoutbox):
    profile = with_letter(make_profile())
    client = client_for(profile.user)
    assert client.post(submit_url()).status_code == 302

    with sent():
        response = client.post(submit_url(), headers=ENGLISH)

    assert response.status_code == 409
    assert "Your filing is already awaiting review." in text(response)
    assert Filing.objects.filter(profile=profile).count() == 1
    assert Filing.objects.filter(profile=profile, status=SUBMITTED).count() == 1
    assert stored_status(profile) == ProfileStatus.FILING_SUBMITTED
    assert mailoutbox == []


# 2. The region-scoping matrix ----------------------------------------------------------------------------------

COUNTIES = ("zezhou", "gaoping", "xiaodian")
SEES = {
    "province": {"zezhou", "gaoping", "xiaodian"},
    "jincheng": {"zezhou", "gaoping"},
    "zezhou": {"zezhou"},
    "xiaodian": {"xiaodian"},
}


@pytest.fixture
def spread(make_filing):
    """One open filing in each of zezhou and gaoping (晋城) and xiaodian (太原), by county."""
    names = {"zezhou": "泽州张", "gaoping": "高平李", "xiaodian": "小店王"}
    return {county: make_filing(county, real_name=names[county]) for county in COUNTIES}


@pytest.mark.parametrize("region", list(SEES))
def test_a_regulator_sees_exactly_the_filings_of_their_region(client_for, make_regulator, regions, spread, region):
    client = client_for(make_regulator(regions[region]))
    inside = SEES[region]

    response = client.get(list_url())

    assert response.status_code == 200
    assert listed(response) == {spread[county].pk for county in inside}
    page = text(response)
    for county, filing in spread.items():
        assert (filing.profile.real_name in page) is (county in inside), county

    # By the default view (awaiting review) too.
    assert listed(client.get(reverse("filings:list"))) == {spread[county].pk for county in inside}

    for county, filing in spread.items():
        expected = 200 if county in inside else 404
        assert client.get(detail_url(filing)).status_code == expected, county
        response = client.get(letter_url(filing))
        assert response.status_code == expected, county
        if expected == 200:
            assert streamed(response) == LETTER


@pytest.mark.parametrize("region", list(SEES))
@pytest.mark.parametrize("action", ["approve", "return"])
def test_a_regulator_decides_only_within_their_region(client_for, make_regulator, regions, spread, region, action):
    regulator = make_regulator(regions[region])
    client = client_for(regulator)

    for county, filing in spread.items():
        response = client.post(decide_url(filing), {"action": action, "reason": "任命文件缺少公章"})
        filing = stored(filing)
        if county in SEES[region]:
            assert response.status_code == 302, county
            assert filing.status == (APPROVED if action == "approve" else RETURNED)
            assert filing.decided_by == regulator
        else:
            assert response.status_code == 404, county
            assert filing.status == SUBMITTED
            assert (filing.decided_by, filing.decided_at) == (None, None)
            assert stored_status(filing.profile) == ProfileStatus.FILING_SUBMITTED


@pytest.mark.parametrize("region", list(SEES))
def test_the_service_lets_a_regulator_decide_only_within_their_region(make_regulator, regions, spread, region):
    """The views 404 first; the service keeps to the region on its own (`alliance_site.review_filing`)."""
    regulator = make_regulator(regions[region])

    reviewable = {filing.pk for filing in spread.values() if allowed(regulator, "alliance_site.review_filing", filing)}

    assert reviewable == {spread[county].pk for county in SEES[region]}
    for county, filing in spread.items():
        if county not in SEES[region]:
            with pytest.raises(PermissionDenied):
                filing_service.approve(filing, by=regulator)
            with pytest.raises(PermissionDenied):
                filing_service.return_for_correction(filing, by=regulator, reason="越权退回")
            assert stored(filing).status == SUBMITTED


@pytest.mark.parametrize("role", ["staff", "admin_user", "member"])
def test_the_service_lets_no_one_but_a_regulator_decide(request, spread, role):
    user = request.getfixturevalue(role)
    filing = spread["zezhou"]

    assert not any(allowed(user, "alliance_site.review_filing", each) for each in Filing.objects.all())
    with pytest.raises(PermissionDenied):
        filing_service.approve(filing, by=user)
    assert stored(filing).status == SUBMITTED


# 3. Roles ------------------------------------------------------------------------------------------------------


def test_a_visitor_is_sent_to_sign_in(client_for, make_filing):
    filing = make_filing()
    client = client_for(None)

    for url in (reverse("filings:list"), detail_url(filing), letter_url(filing)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == login_url(url)
    response = client.post(decide_url(filing), {"action": "approve"})
    assert response.status_code == 302
    assert response["Location"] == login_url(decide_url(filing))
    assert stored(filing).status == SUBMITTED


@pytest.mark.parametrize("role", ["member", "applicant", "judge", "moderator"])
def test_other_roles_are_refused_the_review_pages(request, client_for, make_filing, role):
    filing = make_filing()
    client = client_for(request.getfixturevalue(role))

    assert client.get(reverse("filings:list")).status_code == 403
    assert client.get(detail_url(filing)).status_code == 403
    assert client.post(decide_url(filing), {"action": "approve"}).status_code == 403
    assert client.get(letter_url(filing)).status_code == 404
    assert stored(filing).status == SUBMITTED


def test_a_regulator_without_a_region_is_refused(client_for, make_user, make_filing):
    filing = make_filing()
    client = client_for(make_user(groups=[roles.REGULATOR]))

    assert client.get(reverse("filings:list")).status_code == 403
    assert client.post(decide_url(filing), {"action": "approve"}).status_code == 403
    assert stored(filing).status == SUBMITTED


def test_a_regional_record_without_the_regulator_role_gives_no_access(client_for, make_user, regions, make_filing):
    filing = make_filing()
    user = make_user()
    RegionalRegulator.objects.create(user=user, region=regions["province"], agency="山西省市场监督管理局")
    client = client_for(user)

    assert client.get(reverse("filings:list")).status_code == 403
    assert client.get(letter_url(filing)).status_code == 404


@pytest.mark.parametrize("role", ["staff", "admin_user"])
@pytest.mark.parametrize("action", ["approve", "return"])
def test_staff_see_every_filing_but_cannot_decide(request, client_for, spread, role, action):
    client = client_for(request.getfixturevalue(role))

    response = client.get(list_url(), headers=ENGLISH)
    assert response.status_code == 200
    assert listed(response) == {filing.pk for filing in spread.values()}
    assert "Every filing (secretariat view; regulators decide)." in text(response)

    for filing in spread.values():
        response = client.get(detail_url(filing))
        assert response.status_code == 200
        assert response.context["can_decide"] is False
        assert decide_url(filing) not in text(response)

        response = client.post(decide_url(filing), {"action": action, "reason": "秘书处代为处理"})
        assert response.status_code == 403
        filing = stored(filing)
        assert (filing.status, filing.decided_by, filing.decided_at) == (SUBMITTED, None, None)
        assert stored_status(filing.profile) == ProfileStatus.FILING_SUBMITTED


def test_the_cqo_opens_their_own_letter_but_not_the_review_pages(client_for, make_filing, member):
    filing = make_filing()
    client = client_for(filing.profile.user)

    assert client.get(reverse("filings:list")).status_code == 403
    assert client.get(detail_url(filing)).status_code == 403
    assert client.post(decide_url(filing), {"action": "approve"}).status_code == 403
    assert streamed(client.get(letter_url(filing))) == LETTER

    assert client_for(member).get(letter_url(filing)).status_code == 404
    assert stored(filing).status == SUBMITTED


def test_the_decision_form_is_shown_only_to_a_regulator_who_may_decide(client_for, regulator, make_filing):
    filing = make_filing()
    client = client_for(regulator)

    response = client.get(detail_url(filing))
    assert response.context["can_decide"] is True
    assert decide_url(filing) in text(response)

    client.post(decide_url(filing), {"action": "approve"})
    response = client.get(detail_url(filing))
    assert response.context["can_decide"] is False
    assert decide_url(filing) not in text(response)


# 4. Approve ----------------------------------------------------------------------------------------------------


def test_approving_makes_the_cqo_a_member_and_the_enterprise_covered(
    client_for, regulator, regions, make_filing, sent, mailoutbox
):
    filing = make_filing(real_name="赵质量")
    profile = filing.profile
    dashboard = client_for(None).get(reverse("dashboard"))
    assert (dashboard.context["board"].active, city_active(dashboard, regions["jincheng"])) == (0, 0)
    before = timezone.now()

    with sent():
        response = client_for(regulator).post(
            decide_url(filing), {"action": "approve", "reason": ""}, headers=ENGLISH, follow=True
        )

    assert response.redirect_chain == [(detail_url(filing), 302)]
    assert "The filing of 赵质量 is approved." in text(response)
    filing = stored(filing)
    assert filing.status == APPROVED
    assert filing.decided_by == regulator
    assert filing.decided_at >= before
    assert filing.reason == ""
    assert stored_status(profile) == ProfileStatus.ACTIVE
    assert in_member_group(profile.user)
    assert roles.is_member(get_user_model().objects.get(pk=profile.user.pk))
    assert list(CQOProfile.objects.members()) == [profile]

    assert recipients(mailoutbox) == [profile.user.email]
    assert reverse("members:me") in mailoutbox[0].body

    dashboard = client_for(None).get(reverse("dashboard"))
    assert (dashboard.context["board"].active, city_active(dashboard, regions["jincheng"])) == (1, 1)


def test_an_approval_note_is_kept(client_for, regulator, make_filing):
    filing = make_filing()

    client_for(regulator).post(decide_url(filing), {"action": "approve", "reason": "  材料齐全  "})

    assert stored(filing).reason == "材料齐全"


def test_approving_a_cqo_below_the_basic_conditions_is_refused(client_for, regulator, make_filing, sent, mailoutbox):
    filing = make_filing()
    CQOProfile.objects.filter(pk=filing.profile.pk).update(years_in_quality=2)  # changed after filing

    with sent():
        response = client_for(regulator).post(decide_url(filing), {"action": "approve"}, headers=ENGLISH)

    assert response.status_code == 400
    assert "does not meet the basic conditions" in text(response)
    filing = stored(filing)
    assert (filing.status, filing.decided_by, filing.decided_at) == (SUBMITTED, None, None)
    assert stored_status(filing.profile) == ProfileStatus.FILING_SUBMITTED
    assert mailoutbox == []


# 5. Return -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", [None, "", "   \n  "])
def test_returning_needs_reasons(client_for, regulator, make_filing, sent, mailoutbox, reason):
    filing = make_filing()
    data = {"action": "return"} | ({} if reason is None else {"reason": reason})

    with sent():
        response = client_for(regulator).post(decide_url(filing), data, headers=ENGLISH)

    assert response.status_code == 400
    assert "Say what must be corrected; the CQO sees your reasons." in text(response)
    assert response.context["can_decide"] is True  # the form is still there to try again
    filing = stored(filing)
    assert (filing.status, filing.decided_by, filing.decided_at, filing.reason) == (SUBMITTED, None, None, "")
    assert stored_status(filing.profile) == ProfileStatus.FILING_SUBMITTED
    assert mailoutbox == []


def test_a_returned_filing_goes_back_to_the_cqo_who_files_again(client_for, regulator, make_filing, sent, mailoutbox):
    filing = make_filing()
    profile = filing.profile
    reason = "任命文件未加盖企业公章，请补充后重新提交。"

    with sent():
        response = client_for(regulator).post(decide_url(filing), {"action": "return", "reason": reason})

    assert response.status_code == 302
    returned = stored(filing)
    assert (returned.status, returned.reason, returned.decided_by) == (RETURNED, reason, regulator)
    assert returned.decided_at is not None
    assert stored_status(profile) == ProfileStatus.APPLICANT
    assert not in_member_group(profile.user)
    assert recipients(mailoutbox) == [profile.user.email]
    assert reason in mailoutbox[0].body

    # The CQO reads the reasons on their own profile page, then files again.
    client = client_for(profile.user)
    response = client.get(reverse("members:detail", args=[profile.pk]), headers=ENGLISH)
    assert response.status_code == 200
    assert [f.pk for f in response.context["filings"]] == [filing.pk]
    [heading] = [h3 for h3 in markup.select(response, "h3") if markup.text_of(h3) == "Appointment filings"]
    filings_shown = [
        (markup.text_of(item.select_one(".badge")), markup.text_of(item.select_one(".meta")))
        for item in heading.find_next_sibling("ul").select("li")
    ]
    assert filings_shown == [("Returned", reason)]

    with sent():
        assert client.post(submit_url()).status_code == 302

    assert stored_status(profile) == ProfileStatus.FILING_SUBMITTED
    history = list(Filing.objects.filter(profile=profile).order_by("pk"))
    assert [f.status for f in history] == [RETURNED, SUBMITTED]
    assert history[0].pk == filing.pk and history[0].reason == reason
    assert len(mailoutbox) == 2  # the CQO's decision, then the regulator's new-filing notice

    # The regulator sees the earlier, returned filing next to the new one.
    response = client_for(regulator).get(detail_url(history[1]))
    assert [f.pk for f in response.context["history"]] == [filing.pk]
    assert reason in text(response)


# 6. Deciding twice, unknown actions ----------------------------------------------------------------------------


@pytest.mark.parametrize(("first", "second"), [("approve", "return"), ("return", "approve"), ("approve", "approve")])
def test_deciding_twice_is_refused_and_the_first_decision_stands(
    client_for, make_regulator, regions, regulator, make_filing, sent, mailoutbox, first, second
):
    filing = make_filing()
    client = client_for(regulator)
    assert client.post(decide_url(filing), {"action": first, "reason": "第一次决定"}).status_code == 302
    decided = stored(filing)
    profile_status = stored_status(filing.profile)

    province = make_regulator(regions["province"])
    with sent():
        response = client_for(province).post(
            decide_url(filing), {"action": second, "reason": "第二次决定"}, headers=ENGLISH
        )

    assert response.status_code == 409
    assert "This filing has already been decided." in text(response)
    after = stored(filing)
    assert (after.status, after.reason, after.decided_by, after.decided_at) == (
        decided.status,
        decided.reason,
        regulator,
        decided.decided_at,
    )
    assert stored_status(filing.profile) == profile_status
    assert mailoutbox == []


@pytest.mark.parametrize("data", [{"action": "delete"}, {"action": ""}, {}, {"reason": "无操作"}])
def test_an_unknown_action_is_refused(client_for, regulator, make_filing, data):
    filing = make_filing()

    response = client_for(regulator).post(decide_url(filing), data, headers=ENGLISH)

    assert response.status_code == 400
    assert "Choose to approve or to return." in text(response)
    filing = stored(filing)
    assert (filing.status, filing.decided_by) == (SUBMITTED, None)
    assert stored_status(filing.profile) == ProfileStatus.FILING_SUBMITTED


def test_deciding_is_post_only(client_for, regulator, make_filing):
    filing = make_filing()

    assert client_for(regulator).get(decide_url(filing)).status_code == 405
    assert stored(filing).status == SUBMITTED


# 7. The letter -------------------------------------------------------------------------------------------------


def test_the_letter_is_served_to_a_regulator_of_the_region(client_for, regulator, make_filing):
    filing = make_filing()

    response = client_for(regulator).get(letter_url(filing))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename" in response["Content-Disposition"]
    assert streamed(response) == LETTER


def test_a_missing_letter_file_is_a_404(client_for, regulator, make_filing):
    filing = make_filing()
    filing.letter.storage.delete(filing.letter.name)

    assert client_for(regulator).get(letter_url(filing)).status_code == 404


def test_a_filing_recorded_without_a_letter_gives_a_404(client_for, regulator, make_profile, enterprise):
    profile = make_profile(status=ProfileStatus.FILING_SUBMITTED)
    filing = Filing.objects.create(
        profile=profile, enterprise=enterprise, position=profile.position, submitted_by=profile.user
    )

    assert client_for(regulator).get(letter_url(filing)).status_code == 404


# 8. Query budget -----------------------------------------------------------------------------------------------

LIST_BUDGET = 5  # measured: user, regulator, region, count, page (the session and role groups are cached)


def test_the_list_costs_the_same_for_3_or_30_filings(client_for, regulator, make_filing, django_assert_max_num_queries):
    counties = ["zezhou", "gaoping"]
    for serial in range(3):
        make_filing(counties[serial % 2])
    client = client_for(regulator)
    client.get(list_url())  # warm the caches (role groups, menus) as a regular visitor's would be

    with CaptureQueriesContext(connection) as small:
        response = client.get(list_url())
    assert len(listed(response)) == 3

    for serial in range(3, 30):
        make_filing(counties[serial % 2])
    with django_assert_max_num_queries(LIST_BUDGET):
        with CaptureQueriesContext(connection) as large:
            response = client.get(list_url())
    assert len(listed(response)) == 30

    assert len(small) == len(large) <= LIST_BUDGET


# 9. The account header -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "shown"),
    [("regulator", True), ("staff", True), ("admin_user", True), ("member", False), ("applicant", False)],
)
def test_the_account_header_links_to_the_filings_for_reviewers(request, client_for, role, shown):
    response = client_for(request.getfixturevalue(role)).get(reverse("dashboard"))

    assert response.status_code == 200
    assert (f'href="{reverse("filings:list")}"' in text(response)) is shown


# 10. The demo --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "filings"),
    [
        (ProfileStatus.APPLICANT, []),
        (ProfileStatus.FILING_SUBMITTED, [SUBMITTED]),
        (ProfileStatus.ACTIVE, [APPROVED]),
        (ProfileStatus.WARNED, [APPROVED]),
    ],
)
def test_the_demo_records_the_filings_of_its_status_paths(make_profile, staff, regulator, status, filings):
    profile = make_profile(appointment_date=date(2025, 3, 1))
    person = SimpleNamespace(status=status, warning="", note="未按期参加培训")

    walk_status_path(profile, person, staff)

    assert stored_status(profile) == status
    records = list(Filing.objects.filter(profile=profile))
    assert [f.status for f in records] == filings
    for record in records:
        assert (record.enterprise, record.position, record.appointment_date) == (
            profile.enterprise,
            profile.position,
            date(2025, 3, 1),
        )
        assert record.submitted_by == profile.user
        if record.status == APPROVED:
            assert record.decided_by == regulator and record.decided_at is not None


# Found while testing -------------------------------------------------------------------------------------------


def test_a_former_regulator_is_not_told_of_new_filings(
    client_for, make_regulator, regions, make_filing, sent, mailoutbox
):
    current = make_regulator(regions["jincheng"])
    former = make_regulator(regions["jincheng"])
    former.groups.remove(roles.group_of(roles.REGULATOR))
    roles.forget_roles(former)
    assert client_for(former).get(reverse("filings:list")).status_code == 403

    with sent():
        make_filing()

    assert recipients(mailoutbox) == [current.email]


def test_the_open_filing_of_a_cqo_exited_meanwhile_can_be_closed(client_for, regulator, staff, make_filing):
    filing = make_filing()
    filing.profile.change_status(ProfileStatus.EXITED, by=staff, reason="本人申请退出")

    client_for(regulator).post(decide_url(filing), {"action": "return", "reason": "该首席质量官已退出"})

    assert stored(filing).status != SUBMITTED
    assert stored_status(filing.profile) == ProfileStatus.EXITED


def test_a_second_submission_that_races_past_the_check_is_refused_not_a_500(make_profile, monkeypatch):
    """Two clicks at once both pass the "already open?" check; the database's constraint stops the second,
    which must come back as the same refusal, not as a server error (and on PostgreSQL, not as a broken
    transaction)."""
    profile = with_letter(make_profile())
    real = filing_service.create_filing

    def other_click_first(profile, by):
        real(profile, by)  # the other request's row, written between our check and our insert
        return real(profile, by)

    monkeypatch.setattr(filing_service, "create_filing", other_click_first)
    with pytest.raises(ValidationError):
        filing_service.submit(profile, by=profile.user)
    assert not Filing.objects.filter(profile=profile).exists()  # this request's work is rolled back whole
    assert stored_status(profile) == ProfileStatus.APPLICANT


def test_another_filing_of_the_same_cqo_is_listed_under_other_filings(client_for, regulator, make_filing, staff):
    returned = make_filing()
    filing_service.return_for_correction(returned, by=regulator, reason="聘书缺少盖章")
    profile = returned.profile
    profile.refresh_from_db()
    with_letter(profile)
    current = filing_service.submit(profile, by=profile.user)
    html = text(client_for(regulator).get(reverse("filings:detail", args=[returned.pk]), headers=ENGLISH))
    assert "Other filings of this CQO" in html and reverse("filings:detail", args=[current.pk]) in html
