"""Filing integrity: a filed CQO who changes what the regulator approved files it again.

Found by an audit: changing the credit code on /members/me/edit/ kept the status 已备案, so a policy-target
enterprise counted as covered with no review and the first region's regulator lost sight of the CQO.
"""

from datetime import date

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.urls import reverse

from alliance_site.accounts import roles
from alliance_site.filings import services as filing_service
from alliance_site.models import CQOProfile, Filing, ProfileStatus

from .helpers import ENGLISH, form_errors_shown, log_entries, profile_form_data, text, upload

pytestmark = pytest.mark.django_db

LETTER = b"%PDF-1.4 appointment letter\n"
NEW_LETTER = b"%PDF-1.4 appointment letter of the new enterprise\n"
SUBMITTED, APPROVED = Filing.Status.SUBMITTED, Filing.Status.APPROVED


@pytest.fixture
def jincheng_regulator(make_regulator, regions):
    return make_regulator(regions["jincheng"])


@pytest.fixture
def taiyuan_regulator(make_regulator, regions):
    return make_regulator(regions["taiyuan"])


@pytest.fixture
def award_enterprise(make_enterprise, regions):
    """A government quality-award enterprise in 太原: a policy target the dashboard counts."""
    return make_enterprise(name="太原质量奖获奖企业", county=regions["xiaodian"], quality_award_level="province")


@pytest.fixture
def filed(make_profile, jincheng_regulator):
    """A CQO of a 晋城 enterprise whose filing a 晋城 regulator approved."""
    profile = make_profile(position="副总经理", appointment_date=date(2024, 5, 1))
    profile.appointment_letter = upload("任命书.pdf", LETTER)
    profile.save()
    filing = filing_service.submit(profile, by=profile.user)
    filing_service.approve(filing, by=jincheng_regulator)
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.ACTIVE
    return profile


def edit(client, profile, **overrides):
    data = profile_form_data(
        profile.enterprise.county,
        credit_code=profile.enterprise.credit_code,
        real_name=profile.real_name,
        position=profile.position,
        appointment_date=profile.appointment_date.isoformat() if profile.appointment_date else "",
    )
    data.update(overrides)
    return client.post(reverse("members:edit"), {k: v for k, v in data.items() if v is not None}, headers=ENGLISH)


def award_coverage(client_for):
    board = client_for(None).get(reverse("dashboard")).context["board"]
    return board.award.part


def is_member(user):
    return get_user_model().objects.get(pk=user.pk).groups.filter(role__code=roles.MEMBER).exists()


def test_moving_to_another_enterprise_files_again_and_counts_only_on_approval(
    client_for, filed, award_enterprise, jincheng_regulator, taiyuan_regulator, sent, mailoutbox
):
    old_filing = Filing.objects.get()
    assert award_coverage(client_for) == 0

    with sent():
        response = edit(
            client_for(filed.user),
            filed,
            credit_code=award_enterprise.credit_code,
            appointment_letter=upload("新任命书.pdf", NEW_LETTER),
        )

    assert response.status_code == 302
    profile = CQOProfile.objects.get(pk=filed.pk)
    assert profile.enterprise == award_enterprise
    assert profile.status == ProfileStatus.FILING_SUBMITTED
    assert not is_member(profile.user)
    # The approved filing stays as it was, in the history; a new one waits for the new region's regulator.
    old_filing.refresh_from_db()
    assert old_filing.status == APPROVED and old_filing.enterprise == filed.enterprise
    new_filing = Filing.objects.get(status=SUBMITTED)
    assert (new_filing.enterprise, new_filing.previous_status) == (award_enterprise, ProfileStatus.ACTIVE)
    assert new_filing.letter.name == profile.appointment_letter.name
    assert award_coverage(client_for) == 0  # not covered on a member's word

    # Both regions' regulators hear of it: the new one to review, the old one that the CQO has left.
    told = {address for message in mailoutbox for address in message.to}
    assert {jincheng_regulator.email, taiyuan_regulator.email} <= told
    assert profile.user.email not in told

    # The new region's regulator sees where the CQO comes from and what changed.
    page = text(client_for(taiyuan_regulator).get(reverse("filings:detail", args=[new_filing.pk]), headers=ENGLISH))
    assert f"Approved before: 副总经理 at {filed.enterprise.name}" in page
    assert page.count(">Changed<") == 2  # the enterprise and the letter

    # Only the new region decides; then the enterprise counts.
    decide = reverse("filings:decide", args=[new_filing.pk])
    assert client_for(jincheng_regulator).post(decide, {"action": "approve"}).status_code == 404
    response = client_for(taiyuan_regulator).post(decide, {"action": "approve"})
    assert response.status_code == 302
    assert CQOProfile.objects.get(pk=filed.pk).status == ProfileStatus.ACTIVE
    assert award_coverage(client_for) == 1


def test_moving_enterprise_needs_the_new_enterprises_letter(client_for, filed, award_enterprise):
    response = edit(client_for(filed.user), filed, credit_code=award_enterprise.credit_code)

    assert response.status_code == 400
    errors = form_errors_shown(response)
    assert "appointment_letter" in errors
    profile = CQOProfile.objects.get(pk=filed.pk)
    assert (profile.enterprise, profile.status) == (filed.enterprise, ProfileStatus.ACTIVE)
    assert Filing.objects.count() == 1


@pytest.mark.parametrize(
    "change",
    [
        {"position": "质量总监"},
        {"appointment_date": "2025-01-01"},
        {"appointment_letter": "new"},
    ],
    ids=["position", "date", "letter"],
)
def test_changing_what_was_approved_files_again(client_for, filed, change, sent, jincheng_regulator, mailoutbox):
    if "appointment_letter" in change:
        change = {"appointment_letter": upload("更正任命书.pdf", NEW_LETTER)}
    with sent():
        response = edit(client_for(filed.user), filed, **change)
    assert response.status_code == 302
    assert CQOProfile.objects.get(pk=filed.pk).status == ProfileStatus.FILING_SUBMITTED
    assert Filing.objects.filter(status=SUBMITTED).count() == 1
    assert jincheng_regulator.email in {address for message in mailoutbox for address in message.to}
    follow = client_for(filed.user).get(reverse("members:detail", args=[filed.pk]), headers=ENGLISH)
    assert "Filing submitted" in text(follow)


def test_changing_the_card_only_keeps_the_filing(client_for, filed):
    response = edit(client_for(filed.user), filed, bio="二十年质量管理经验。", expertise="六西格玛")
    assert response.status_code == 302
    assert CQOProfile.objects.get(pk=filed.pk).status == ProfileStatus.ACTIVE
    assert Filing.objects.count() == 1


def test_a_filed_member_is_told_before_changing(client_for, filed, applicant):
    note = "Your appointment is filed."
    assert note in text(client_for(filed.user).get(reverse("members:edit"), headers=ENGLISH))
    assert note not in text(client_for(applicant).get(reverse("members:edit"), headers=ENGLISH))


def test_a_change_under_review_supersedes_the_open_filing(
    client_for, make_profile, award_enterprise, jincheng_regulator, taiyuan_regulator
):
    profile = make_profile()
    profile.appointment_letter = upload("任命书.pdf", LETTER)
    profile.save()
    first = filing_service.submit(profile, by=profile.user)

    response = edit(
        client_for(profile.user),
        profile,
        credit_code=award_enterprise.credit_code,
        appointment_letter=upload("新任命书.pdf", NEW_LETTER),
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == Filing.Status.SUPERSEDED and first.reason
    second = Filing.objects.get(status=SUBMITTED)
    assert second.enterprise == award_enterprise and second.previous_status == ProfileStatus.APPLICANT
    assert CQOProfile.objects.get(pk=profile.pk).status == ProfileStatus.FILING_SUBMITTED
    # The superseded filing can no longer be decided.
    response = client_for(jincheng_regulator).post(reverse("filings:decide", args=[first.pk]), {"action": "approve"})
    assert response.status_code == 409
    assert log_entries(profile, "alliance.profile.refiled").count() == 1


def test_a_warning_in_force_stays_in_force_after_the_refiling(client_for, filed, staff, jincheng_regulator):
    from alliance_site.sanctions import services as sanctions

    sanctions.issue_warning(filed, by=staff, reason="未按规定履职")
    filed.refresh_from_db()
    response = edit(client_for(filed.user), filed, position="质量总监")
    assert response.status_code == 302
    refiling = Filing.objects.get(status=SUBMITTED)
    assert refiling.previous_status == ProfileStatus.WARNED

    client_for(jincheng_regulator).post(reverse("filings:decide", args=[refiling.pk]), {"action": "approve"})

    assert CQOProfile.objects.get(pk=filed.pk).status == ProfileStatus.WARNED
    assert is_member(filed.user)


def test_staff_changing_a_filed_appointment_in_the_admin_files_it_again(client_for, filed, staff):
    client = client_for(staff)
    url = reverse("cqo_profiles:edit", args=[filed.pk])
    form = client.get(url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None or value is False or isinstance(field, forms.FileField):
            continue  # unticked boxes and file inputs are not posted
        data[name] = value
    data.update(position="总经理助理", expertise="六西格玛")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert CQOProfile.objects.get(pk=filed.pk).status == ProfileStatus.FILING_SUBMITTED
    assert Filing.objects.get(status=SUBMITTED).position == "总经理助理"
