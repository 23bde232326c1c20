"""Bad input to every form: a clear message, a 4xx (or the form again), and nothing saved. And good input."""

import re

import pytest
from django.test import override_settings
from django.urls import reverse

from alliance_site.models import BodyMembership, CQOProfile, Enterprise, ProfileStatus

from .helpers import (
    ENGLISH,
    VALID_CODE,
    form_errors_shown,
    log_entries,
    login_url,
    png_bytes,
    profile_form_data,
    text,
    upload,
)

# The member's profile form (members:edit) -----------------------------------------------------------------


@pytest.fixture
def newcomer(make_user):
    """A signed-up user who has not written a CQO profile yet."""
    return make_user()


def post_profile(client, data):
    return client.post(reverse("members:edit"), data, headers=ENGLISH)


def assert_refused_and_nothing_saved(response, field, message):
    assert response.status_code == 400
    errors = form_errors_shown(response)
    assert any(message in m for m in errors[field]), errors
    assert not CQOProfile.objects.exists()
    assert not Enterprise.objects.exists()


REQUIRED_FIELDS = [
    "credit_code",
    "real_name",
    "position",
    "appointed_by",
    "years_in_quality",
    "title",
    "education",
]


@pytest.mark.parametrize("field", REQUIRED_FIELDS)
def test_profile_form_requires_each_required_field(client_for, newcomer, regions, field):
    response = post_profile(client_for(newcomer), profile_form_data(regions["zezhou"], **{field: None}))

    assert_refused_and_nothing_saved(response, field, "This field is required.")


def test_profile_form_marks_required_fields_for_the_reader(client_for, newcomer):
    response = client_for(newcomer).get(reverse("members:edit"))

    form = response.context["form"]
    assert [name for name in REQUIRED_FIELDS if not form.fields[name].required] == []
    assert text(response).count('<span aria-hidden="true">*</span>') >= len(REQUIRED_FIELDS)


@pytest.mark.parametrize(
    ("years", "message"),
    [
        ("99", "less than or equal to 60"),
        ("61", "less than or equal to 60"),
        ("-1", "greater than or equal to 0"),
        ("五年", "Enter a whole number."),
        ("5.5", "Enter a whole number."),
    ],
)
def test_profile_form_refuses_years_out_of_range(client_for, newcomer, regions, years, message):
    response = post_profile(client_for(newcomer), profile_form_data(regions["zezhou"], years_in_quality=years))

    assert_refused_and_nothing_saved(response, "years_in_quality", message)


@pytest.mark.parametrize(("field", "value"), [("title", "professor"), ("education", "phd")])
def test_profile_form_refuses_unknown_choices(client_for, newcomer, regions, field, value):
    response = post_profile(client_for(newcomer), profile_form_data(regions["zezhou"], **{field: value}))

    assert_refused_and_nothing_saved(response, field, "Select a valid choice.")


@pytest.mark.parametrize(
    ("filename", "content_type"),
    [("任命书.exe", "application/x-msdownload"), ("任命书.txt", "text/plain"), ("任命书.docx", "application/msword")],
)
def test_profile_form_refuses_an_appointment_letter_of_the_wrong_type(
    client_for, newcomer, regions, filename, content_type
):
    letter = upload(filename, b"MZ\x90\x00 not a letter", content_type)

    response = post_profile(client_for(newcomer), profile_form_data(regions["zezhou"], appointment_letter=letter))

    extension = filename.rsplit(".", 1)[1]
    message = f"files of type “.{extension}” are not allowed. Attach a PDF file or a JPG or PNG image."
    assert_refused_and_nothing_saved(response, "appointment_letter", message)


@pytest.mark.parametrize("filename", ["任命书.pdf", "任命书.png", "任命书.jpg"])
def test_profile_form_refuses_an_appointment_letter_whose_content_is_not_what_its_name_says(
    client_for, newcomer, regions, filename
):
    renamed_program = upload(filename, b"MZ\x90\x00 a program renamed to look like a letter", "application/pdf")

    response = post_profile(
        client_for(newcomer), profile_form_data(regions["zezhou"], appointment_letter=renamed_program)
    )

    assert_refused_and_nothing_saved(response, "appointment_letter", "is not a real")


def test_profile_form_refuses_a_photo_that_is_not_an_image(client_for, newcomer, regions):
    photo = upload("photo.png", b"this is not a picture", "image/png")

    response = post_profile(client_for(newcomer), profile_form_data(regions["zezhou"], photo=photo))

    assert_refused_and_nothing_saved(response, "photo", "Upload a valid image.")


def test_profile_form_refuses_a_photo_of_the_wrong_type(client_for, newcomer, regions):
    photo = upload("photo.gif", png_bytes(), "image/gif")

    response = post_profile(client_for(newcomer), profile_form_data(regions["zezhou"], photo=photo))

    assert_refused_and_nothing_saved(response, "photo", "files of type “.gif” are not allowed.")


@override_settings(CQO_UPLOAD_MAX_BYTES=2000)
def test_profile_form_refuses_a_photo_that_is_too_large(client_for, newcomer, regions):
    content = png_bytes(64, 64, noisy=True)
    assert len(content) > 2000

    response = post_profile(
        client_for(newcomer), profile_form_data(regions["zezhou"], photo=upload("photo.png", content, "image/png"))
    )

    assert_refused_and_nothing_saved(response, "photo", "each file may be at most 2.0\xa0KB")


@override_settings(CQO_UPLOAD_MAX_BYTES=100)
def test_profile_form_refuses_an_appointment_letter_that_is_too_large(client_for, newcomer, regions):
    letter = upload("任命书.pdf", b"%PDF-1.4 " + b"0" * 200)

    response = post_profile(client_for(newcomer), profile_form_data(regions["zezhou"], appointment_letter=letter))

    assert_refused_and_nothing_saved(response, "appointment_letter", "each file may be at most 100\xa0bytes")


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("enterprise_name", "Enter the enterprise's registered name."),
        ("county", "Choose the county or district where the enterprise is registered."),
        ("industry", "Choose the enterprise's industry."),
        ("enterprise_size", "Choose the enterprise's size."),
    ],
)
def test_a_new_enterprise_needs_its_details(client_for, newcomer, regions, field, message):
    response = post_profile(client_for(newcomer), profile_form_data(regions["zezhou"], **{field: None}))

    assert_refused_and_nothing_saved(response, field, message)


def test_a_new_enterprise_must_be_in_a_county(client_for, newcomer, regions):
    response = post_profile(client_for(newcomer), profile_form_data(regions["jincheng"]))  # a city, not a county

    assert_refused_and_nothing_saved(response, "county", "Select a valid choice.")


def test_profile_form_creates_the_profile_and_a_new_enterprise(client_for, newcomer, regions):
    data = profile_form_data(
        regions["zezhou"],
        credit_code="9135 0100 m000 100y43",
        appointment_letter=upload("任命书.pdf"),
        photo=upload("photo.png", png_bytes(), "image/png"),
    )

    response = post_profile(client_for(newcomer), data)

    profile = CQOProfile.objects.get(user=newcomer)
    assert response.status_code == 302
    assert response["Location"] == reverse("members:detail", args=[profile.pk])
    assert profile.status == ProfileStatus.APPLICANT
    assert (profile.real_name, profile.years_in_quality, profile.title) == ("王质量", 8, "intermediate")
    assert sorted(profile.expertise.names()) == ["QC小组", "六西格玛"]
    # Private files under a random folder: the uploader's file name is kept for the download only.
    assert re.fullmatch(rf"appointment_letters/{newcomer.pk}/[\w-]{{22}}/任命书\.pdf", profile.appointment_letter.name)
    assert re.fullmatch(r"cqo_photos/[\w-]{22}/photo\.png", profile.photo.name), profile.photo.name
    enterprise = profile.enterprise
    assert (enterprise.name, enterprise.credit_code, enterprise.county, enterprise.industry, enterprise.size) == (
        "泽州新材料有限公司",
        VALID_CODE,
        regions["zezhou"],
        "C",
        "medium",
    )


def test_profile_form_links_an_existing_enterprise_by_its_code(client_for, newcomer, regions, enterprise):
    data = profile_form_data(
        regions["xiaodian"],
        credit_code=enterprise.credit_code.lower(),
        enterprise_name="随便写的名称",
        industry=None,
        enterprise_size=None,
    )

    response = post_profile(client_for(newcomer), data)

    assert response.status_code == 302
    assert CQOProfile.objects.get(user=newcomer).enterprise == enterprise
    assert Enterprise.objects.count() == 1
    enterprise.refresh_from_db()
    assert enterprise.name == "晋城测试精密制造有限公司"  # the registered details are kept


def test_editing_keeps_the_status_whatever_is_posted(client_for, member, regions):
    profile = member.cqo_profile
    data = profile_form_data(
        regions["zezhou"],
        credit_code=profile.enterprise.credit_code,
        real_name="新名字",
        status=ProfileStatus.APPLICANT,
        relaxed_admission_reason="自己批准自己",
        user=999,
    )

    response = post_profile(client_for(member), data)

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.real_name == "新名字"
    assert profile.status == ProfileStatus.ACTIVE
    assert profile.relaxed_admission_reason == ""
    assert profile.user == member
    assert CQOProfile.objects.count() == 1


def test_a_failed_edit_changes_nothing(client_for, member, regions):
    profile = member.cqo_profile
    data = profile_form_data(
        regions["zezhou"], credit_code=profile.enterprise.credit_code, years_in_quality="99", real_name="不该保存"
    )

    response = post_profile(client_for(member), data)

    assert response.status_code == 400
    profile.refresh_from_db()
    assert profile.real_name != "不该保存"


# Membership applications (apply_membership) --------------------------------------------------------------


def apply(client, body, **data):
    return client.post(reverse("apply_membership", args=[body.pk]), data, headers=ENGLISH)


def test_a_visitor_is_sent_to_sign_in(db, client_for, body_page):
    response = apply(client_for(None), body_page, motivation="想加入")

    assert response.status_code == 302
    assert response["Location"] == login_url(body_page.url)
    assert not BodyMembership.objects.exists()


@pytest.mark.parametrize("role", ["applicant", "judge", "moderator", "regulator"])
def test_only_members_may_apply(request, client_for, body_page, role):
    response = apply(client_for(request.getfixturevalue(role)), body_page, motivation="想加入")

    assert response.status_code == 403
    assert not BodyMembership.objects.exists()


def test_applying_is_post_only(client_for, member, body_page):
    assert client_for(member).get(reverse("apply_membership", args=[body_page.pk])).status_code == 405


def test_applying_to_a_missing_body_is_not_found(client_for, member):
    response = client_for(member).post(reverse("apply_membership", args=[999_999]), {"motivation": "想加入"})

    assert response.status_code == 404


@pytest.mark.parametrize(("motivation", "message"), [("", "This field is required."), ("字" * 1001, "at most 1000")])
def test_an_application_needs_a_motivation(client_for, member, body_page, motivation, message):
    response = apply(client_for(member), body_page, motivation=motivation)

    assert response.status_code == 400
    errors = form_errors_shown(response, "membership_form")
    assert any(message in m for m in errors["motivation"])
    assert not BodyMembership.objects.exists()


def test_an_application_cannot_name_a_chapter_of_another_body(
    client_for, member, body_page, make_body_page, make_chapter_page
):
    other_chapter = make_chapter_page(make_body_page(kind="home"))

    response = apply(client_for(member), body_page, motivation="想加入", chapter=other_chapter.pk)

    assert response.status_code == 400
    errors = form_errors_shown(response, "membership_form")
    assert any("Select a valid choice." in m for m in errors["chapter"])
    assert not BodyMembership.objects.exists()


def test_a_member_applies_and_the_application_waits_for_staff(client_for, member, body_page, chapter_page):
    response = apply(
        client_for(member), body_page, motivation="希望参与晋城分会的质量攻关活动", chapter=chapter_page.pk
    )

    assert response.status_code == 302
    assert response["Location"] == body_page.url
    membership = BodyMembership.objects.get()
    assert (membership.profile, membership.body, membership.chapter) == (member.cqo_profile, body_page, chapter_page)
    assert membership.status == BodyMembership.Status.PENDING
    assert membership.decided_by is None


def test_a_second_application_is_refused_without_a_duplicate(client_for, member, body_page):
    client = client_for(member)
    apply(client, body_page, motivation="第一次申请")

    response = client.post(
        reverse("apply_membership", args=[body_page.pk]), {"motivation": "第二次申请"}, headers=ENGLISH, follow=True
    )

    assert "You have already applied to join." in text(response)
    assert BodyMembership.objects.get().motivation == "第一次申请"


def test_the_body_page_shows_the_pending_application_instead_of_the_form(client_for, member, body_page):
    client = client_for(member)
    apply(client, body_page, motivation="想加入")

    response = client.get(body_page.url)

    assert response.context["my_membership"] is not None
    assert not response.context["can_apply"]
    assert reverse("apply_membership", args=[body_page.pk]) not in text(response)


# Staff forms in the Wagtail admin ------------------------------------------------------------------------


def status_url(profile):
    return reverse("cqo_profiles:status", args=[profile.pk])


def relaxed_url(profile):
    return reverse("cqo_profiles:relaxed_admission", args=[profile.pk])


def decide_url(membership):
    return reverse("body_memberships:decide", args=[membership.pk])


@pytest.fixture
def pending_membership(make_profile, body_page):
    profile = make_profile(status=ProfileStatus.ACTIVE)
    return BodyMembership.objects.create(profile=profile, body=body_page, motivation="希望加入联盟")


def test_the_status_form_offers_only_the_allowed_transitions(client_for, staff, applicant):
    response = client_for(staff).get(status_url(applicant.cqo_profile))

    assert response.status_code == 200
    offered = {value for value, _label in response.context["form"].fields["status"].choices}
    assert offered == {ProfileStatus.FILING_SUBMITTED, ProfileStatus.EXITED}


@pytest.mark.parametrize(
    ("status", "reason", "field"),
    [
        (ProfileStatus.ACTIVE, "跳过备案", "status"),  # applicant → active is not a transition
        ("suspended", "无此状态", "status"),
        (ProfileStatus.EXITED, "", "reason"),
        (ProfileStatus.EXITED, "x" * 2001, "reason"),
    ],
)
def test_the_status_form_refuses_bad_input(client_for, staff, applicant, status, reason, field):
    profile = applicant.cqo_profile

    response = client_for(staff).post(status_url(profile), {"status": status, "reason": reason})

    assert response.status_code == 400
    assert field in form_errors_shown(response)
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.APPLICANT
    assert not log_entries(profile, "alliance.profile.status").exists()


def test_the_status_form_refuses_filing_for_an_ineligible_profile(client_for, staff, make_profile):
    profile = make_profile(years_in_quality=1)

    response = client_for(staff).post(
        status_url(profile), {"status": ProfileStatus.FILING_SUBMITTED, "reason": "代提交"}
    )

    assert response.status_code == 400
    assert form_errors_shown(response)["__all__"]
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.APPLICANT


def test_the_status_form_changes_and_records_the_status(client_for, staff, member):
    profile = member.cqo_profile

    response = client_for(staff).post(status_url(profile), {"status": ProfileStatus.WARNED, "reason": "未参加年度培训"})

    assert response.status_code == 302
    assert response["Location"] == reverse("cqo_profiles:edit", args=[profile.pk])
    profile.refresh_from_db()
    assert profile.status == ProfileStatus.WARNED
    entry = log_entries(profile, "alliance.profile.status").get()
    assert (entry.user, entry.data["reason"]) == (staff, "未参加年度培训")


def test_the_relaxed_admission_form_needs_a_justification(client_for, staff, make_profile):
    profile = make_profile(years_in_quality=3, title="none", education="high_school")

    response = client_for(staff).post(relaxed_url(profile), {"reason": "   "})

    assert response.status_code == 400
    assert "reason" in form_errors_shown(response)
    profile.refresh_from_db()
    assert not profile.is_eligible
    assert not log_entries(profile, "alliance.profile.relaxed_admission").exists()


def test_the_relaxed_admission_form_admits_and_records(client_for, staff, make_profile):
    profile = make_profile(years_in_quality=3, title="none", education="high_school")

    response = client_for(staff).post(relaxed_url(profile), {"reason": "主持完成省级QC成果三项"})

    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.is_eligible
    assert profile.relaxed_admission_by == staff
    assert log_entries(profile, "alliance.profile.relaxed_admission").get().user == staff


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"decision": BodyMembership.Status.DECLINED, "note": ""}, "note"),
        ({"decision": BodyMembership.Status.DECLINED, "note": "   "}, "note"),
        ({"decision": BodyMembership.Status.PENDING, "note": "再等等"}, "decision"),
        ({"note": "没选"}, "decision"),
    ],
)
def test_the_membership_decision_refuses_bad_input(client_for, staff, pending_membership, data, field):
    response = client_for(staff).post(decide_url(pending_membership), data)

    assert response.status_code == 400
    assert field in form_errors_shown(response)
    pending_membership.refresh_from_db()
    assert pending_membership.status == BodyMembership.Status.PENDING
    assert pending_membership.decided_by is None
    assert not log_entries(pending_membership, "alliance.membership.decide").exists()


def test_staff_approve_a_membership_and_it_is_recorded(client_for, staff, pending_membership):
    response = client_for(staff).post(decide_url(pending_membership), {"decision": BodyMembership.Status.APPROVED})

    assert response.status_code == 302
    pending_membership.refresh_from_db()
    assert pending_membership.status == BodyMembership.Status.APPROVED
    assert pending_membership.decided_by == staff
    assert pending_membership.decided_at is not None
    entry = log_entries(pending_membership, "alliance.membership.decide").get()
    assert entry.user == staff
    assert (entry.data["from"], entry.data["to"]) == ("pending", "approved")


def test_staff_decline_a_membership_with_a_note(client_for, staff, pending_membership):
    client_for(staff).post(decide_url(pending_membership), {"decision": "declined", "note": "请先完成备案年度复核"})

    pending_membership.refresh_from_db()
    assert pending_membership.status == BodyMembership.Status.DECLINED
    assert pending_membership.decision_note == "请先完成备案年度复核"


STAFF_FORMS = [
    pytest.param(status_url, "profile", {"status": "exited", "reason": "越权"}, id="status"),
    pytest.param(relaxed_url, "profile", {"reason": "越权"}, id="relaxed-admission"),
    pytest.param(decide_url, "membership", {"decision": "approved"}, id="membership-decision"),
]


@pytest.mark.parametrize("role", ["visitor", "applicant", "member", "judge", "moderator", "regulator"])
@pytest.mark.parametrize(("url_of", "target", "data"), STAFF_FORMS)
def test_staff_forms_refuse_everyone_else(request, client_for, pending_membership, role, url_of, target, data):
    objects = {"profile": pending_membership.profile, "membership": pending_membership}
    client = client_for(request.getfixturevalue(role))
    url = url_of(objects[target])

    for response in (client.get(url), client.post(url, data)):
        assert response.status_code in (302, 403), role
        if response.status_code == 302:
            assert "login" in response["Location"]

    pending_membership.refresh_from_db()
    profile = pending_membership.profile
    assert (profile.status, profile.relaxed_admission_reason) == (ProfileStatus.ACTIVE, "")
    assert pending_membership.status == BodyMembership.Status.PENDING


def test_staff_cannot_create_an_enterprise_with_an_invalid_code_in_the_admin(client_for, staff, regions):
    data = {
        "name": "后台录入企业",
        "credit_code": "91350100M000100Y44",
        "county": regions["zezhou"].pk,
        "industry": "C",
        "size": "medium",
    }

    response = client_for(staff).post(reverse("enterprises:add"), data)

    assert response.status_code in (200, 400)
    assert "credit_code" in form_errors_shown(response)
    assert not Enterprise.objects.exists()


def test_staff_create_an_enterprise_with_a_valid_code_in_the_admin(client_for, staff, regions):
    data = {
        "name": "后台录入企业",
        "credit_code": VALID_CODE.lower(),
        "county": regions["zezhou"].pk,
        "industry": "C",
        "size": "medium",
    }

    response = client_for(staff).post(reverse("enterprises:add"), data)

    assert response.status_code == 302
    assert Enterprise.objects.get().credit_code == VALID_CODE


def test_staff_cannot_register_an_enterprise_twice_by_typing_its_code_in_lower_case(
    client_for, staff, regions, enterprise
):
    data = {
        "name": "重复录入企业",
        "credit_code": enterprise.credit_code.lower(),
        "county": regions["zezhou"].pk,
        "industry": "C",
        "size": "medium",
    }

    response = client_for(staff).post(reverse("enterprises:add"), data)

    assert response.status_code in (200, 400)
    assert "credit_code" in form_errors_shown(response)
    assert Enterprise.objects.count() == 1


def test_editing_shows_the_registered_enterprise_details(client_for, member):
    enterprise = member.cqo_profile.enterprise

    form = client_for(member).get(reverse("members:edit")).context["form"]

    assert form["credit_code"].value() == enterprise.credit_code
    assert str(form["county"].value()) == str(enterprise.county_id)
    assert form["industry"].value() == enterprise.industry
    assert form["enterprise_size"].value() == enterprise.size
