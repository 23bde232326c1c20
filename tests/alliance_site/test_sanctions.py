"""Warnings and exit (policy 五(三)): who may, what changes, the CQO's response on record, bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alliance_site.accounts import roles
from alliance_site.models import CQOProfile, CQOWarning, ProfileStatus, RegionalRegulator

from .helpers import ENGLISH, text


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def cqo(make_profile):
    """An active CQO of an enterprise in 泽州县 (晋城市), listed in the talent pool."""
    return make_profile(status=ProfileStatus.ACTIVE, real_name="赵质量", talent_pool_opt_in=True)


@pytest.fixture
def county_regulator(make_user, regions):
    def make(county):
        user = make_user(groups=[roles.REGULATOR])
        RegionalRegulator.objects.create(user=user, region=regions[county], agency="县市场监管局")
        return user

    return make


def warn(client, profile, reason="未按规定履职", **extra):
    return client.post(reverse("members:warn", args=[profile.pk]), {"reason": reason, **extra}, headers=ENGLISH)


def status_of(profile):
    return CQOProfile.objects.get(pk=profile.pk).status


def test_staff_warn_an_active_cqo_who_is_told_by_email(
    client_for, staff, cqo, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = warn(client_for(staff), cqo)
    assert response.status_code == 302
    assert status_of(cqo) == ProfileStatus.WARNED
    warning = CQOWarning.objects.get(profile=cqo)
    assert warning.reason == "未按规定履职" and warning.issued_by == staff
    assert [m.to for m in mailoutbox] == [[cqo.user.email]] and "未按规定履职" in mailoutbox[0].body


def test_a_regulator_of_the_region_may_warn_and_one_of_another_county_may_not(
    client_for, cqo, county_regulator, regulator
):
    assert warn(client_for(regulator), cqo).status_code == 302  # the city regulator of 晋城
    other = county_regulator("xiaodian")  # 太原 小店区
    response = warn(client_for(other), cqo, reason="越权")
    assert response.status_code == 404  # the profile is not theirs even to see
    assert CQOWarning.objects.filter(profile=cqo).count() == 1


@pytest.mark.parametrize("role", ["member", "applicant", "judge", "moderator"])
def test_other_roles_may_not_warn_or_exit(client_for, cqo, role, request):
    user = request.getfixturevalue(role)
    client = client_for(user)
    cqo.visibility = CQOProfile.Visibility.PUBLIC
    cqo.public_consent_at = timezone.now()
    cqo.save()
    assert warn(client, cqo).status_code == 403
    assert client.post(reverse("members:exit", args=[cqo.pk]), {"reason": "x"}).status_code == 403
    assert status_of(cqo) == ProfileStatus.ACTIVE and not CQOWarning.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client_for, cqo):
    response = client_for(None).post(reverse("members:warn", args=[cqo.pk]), {"reason": "x"})
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_warning_needs_a_reason(client_for, staff, cqo, reason):
    response = warn(client_for(staff), cqo, reason=reason)
    assert response.status_code == 400
    assert status_of(cqo) == ProfileStatus.ACTIVE and not CQOWarning.objects.exists()


def test_evidence_must_be_a_real_document(client_for, staff, cqo):
    fake = SimpleUploadedFile("证据.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = warn(client_for(staff), cqo, evidence=fake)
    assert response.status_code == 400
    assert not CQOWarning.objects.exists()
    real = SimpleUploadedFile("证据.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
    assert warn(client_for(staff), cqo, evidence=real).status_code == 302
    assert CQOWarning.objects.get().evidence.name.endswith(".pdf")


def test_an_applicant_cannot_be_warned(client_for, staff, applicant):
    response = warn(client_for(staff), applicant.cqo_profile)
    assert response.status_code == 409
    assert not CQOWarning.objects.exists()


def test_the_cqo_responds_once_on_record(client_for, staff, cqo):
    warn(client_for(staff), cqo)
    warning = CQOWarning.objects.get()
    client = client_for(cqo.user)
    url = reverse("members:respond_to_warning", args=[warning.pk])
    assert client.post(url, {"response": ""}).status_code == 400
    assert client.post(url, {"response": "已整改，附整改报告。"}).status_code == 302
    assert client.post(url, {"response": "再说一次"}).status_code == 409
    warning.refresh_from_db()
    assert warning.response == "已整改，附整改报告。" and warning.responded_at is not None
    page = text(client.get(reverse("members:detail", args=[cqo.pk])))
    assert "已整改，附整改报告。" in page and "未按规定履职" in page


def test_nobody_else_may_respond(client_for, staff, cqo, member):
    warn(client_for(staff), cqo)
    warning = CQOWarning.objects.get()
    for user in (member, staff):
        response = client_for(user).post(reverse("members:respond_to_warning", args=[warning.pk]), {"response": "x"})
        assert response.status_code == 404
    assert CQOWarning.objects.get().response == ""


def test_exit_ends_member_rights_and_the_talent_pool_listing(
    client_for, staff, cqo, mailoutbox, django_capture_on_commit_callbacks
):
    assert CQOProfile.objects.in_talent_pool().filter(pk=cqo.pk).exists()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(reverse("members:exit", args=[cqo.pk]), {"reason": "企业注销"})
    assert response.status_code == 302
    assert status_of(cqo) == ProfileStatus.EXITED
    assert not CQOProfile.objects.in_talent_pool().filter(pk=cqo.pk).exists()
    assert not cqo.user.groups.filter(role__code=roles.MEMBER).exists()
    assert [m.to for m in mailoutbox] == [[cqo.user.email]]
    # Exiting is final: the form is refused with the reason, nothing changes.
    again = client_for(staff).post(reverse("members:exit", args=[cqo.pk]), {"reason": "再次"})
    assert again.status_code == 409


def test_exit_needs_a_reason(client_for, staff, cqo):
    assert client_for(staff).post(reverse("members:exit", args=[cqo.pk]), {"reason": ""}).status_code == 400
    assert status_of(cqo) == ProfileStatus.ACTIVE


def test_every_step_is_in_the_profile_history(client_for, staff, cqo):
    warn(client_for(staff), cqo)
    client_for(cqo.user).post(
        reverse("members:respond_to_warning", args=[CQOWarning.objects.get().pk]), {"response": "已整改"}
    )
    actions = list(cqo.status_history().values_list("action", flat=True))
    assert {"alliance.profile.warning", "alliance.profile.warning_response", "alliance.profile.status"} <= set(actions)


def test_the_profile_page_offers_warn_and_exit_only_to_those_who_may(client_for, staff, cqo, member):
    url = reverse("members:detail", args=[cqo.pk])
    assert reverse("members:warn", args=[cqo.pk]) in text(client_for(staff).get(url))
    assert reverse("members:warn", args=[cqo.pk]) not in text(client_for(member).get(url))
