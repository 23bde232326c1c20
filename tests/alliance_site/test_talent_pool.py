"""The talent pool (人才库): per-part audiences, the separate consent to public disclosure, contact reveals.

Exercised through the HTTP views (`members:detail`, `members:talent_pool`, `members:privacy`,
`members:request_contact`), with what each role sees checked on the page and what was recorded in the database.
"""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from alliance_site.members.models import DISCLOSED_PARTS
from alliance_site.models import (
    Audience,
    BodyMembership,
    ContactReveal,
    CQOProfile,
    DisclosureConsent,
    ProfileStatus,
    QualityMethod,
)
from alliance_site.talent.models import PUBLIC_CONSENT_TEXT

from .helpers import ENGLISH, png_bytes, text

PUBLIC, MEMBERS, STAFF = Audience.PUBLIC, Audience.MEMBERS, Audience.STAFF
CARD_PARTS = [part for part in DISCLOSED_PARTS if part != "contact"]
BOOLEANS = ["talent_pool_opt_in", "offers_mentoring", "offers_speaking", "offers_site_visits"]

# Values found nowhere else on the pages, so that their presence says the part is shown.
ENTERPRISE_NAME = "云顶独特轴承有限公司"
POSITION = "独特质量总监"
BIO = "独特简介文字"
TAG = "独特专长标签"
PHONE = "0356-7654321"
EMAIL = "zhao.unique@example.cn"


# Fixtures and helpers ----------------------------------------------------------------------------------------


def make_method(name):
    """A quality method staff keep; filled in with whatever the model asks for besides the name."""
    fields = {f.name for f in QualityMethod._meta.get_fields()}
    extra = {"slug": f"m-{name.encode().hex()}"[:50]} if "slug" in fields else {}
    return QualityMethod.objects.create(name=name, **extra)


@pytest.fixture
def outside_regulator(make_regulator, regions):
    """A regulator of 太原市: the cards of 晋城 enterprises are outside their region."""
    return make_regulator(regions["taiyuan"])


@pytest.fixture
def card(make_profile, make_enterprise, regions):
    """An active CQO of an enterprise in 泽州县 (晋城市) with something distinctive in every part of the card."""
    enterprise = make_enterprise(name=ENTERPRISE_NAME, county=regions["zezhou"], industry="C")
    profile = make_profile(
        status=ProfileStatus.ACTIVE,
        real_name="赵人才",
        enterprise=enterprise,
        visibility=CQOProfile.Visibility.PUBLIC,
        position=POSITION,
        title="associate_senior",
        education="doctorate",
        years_in_quality=27,
        bio=BIO,
        talent_pool_opt_in=True,
        contact_phone=PHONE,
        contact_email=EMAIL,
        contact_audience=MEMBERS,
    )
    profile.expertise.add(TAG)
    profile.methods.add(make_method("独特方法甲"))
    profile.photo.save("photo.png", ContentFile(png_bytes()), save=True)
    return profile


def set_audiences(profile, default=STAFF, **audiences):
    """Every card part to `default`, except those named; saved."""
    for part in CARD_PARTS:
        setattr(profile, f"{part}_audience", audiences.get(part, default))
    profile.save()
    return profile


def detail_url(profile):
    return reverse("members:detail", args=[profile.pk])


def contact_url(profile):
    return reverse("members:request_contact", args=[profile.pk])


def markers(part, profile):
    """What shows a part of the card on its page (in English): every marker or none must be there."""
    return {
        "enterprise": [ENTERPRISE_NAME, POSITION, "Manufacturing"],
        "region": ["泽州县"],
        "qualifications": ["Associate senior", "27 years", "Doctorate"],
        "expertise": [TAG, "独特方法甲"],
        "bio": [BIO],
        "photo": [f'<img src="{profile.photo.url}"'],
    }[part]


def shows(page, part, profile):
    found = [marker in page for marker in markers(part, profile)]
    assert all(found) or not any(found), (part, found)
    return all(found)


def sees_part(viewer, audience):
    """The rule: owner, staff and a regulator of the region see everything, members the public and members parts,
    everyone else (with the member's consent) the public parts."""
    if viewer in ("owner", "staff", "regulator in region"):
        return True
    if viewer == "member":
        return audience in (PUBLIC, MEMBERS)
    return audience == PUBLIC


@pytest.fixture
def viewers(make_profile, staff, regulator, outside_regulator):
    def for_card(profile):
        return {
            "visitor": None,
            "member": make_profile(status=ProfileStatus.ACTIVE).user,
            "other applicant": make_profile(status=ProfileStatus.APPLICANT).user,
            "staff": staff,
            "owner": profile.user,
            "regulator in region": regulator,
            "regulator outside": outside_regulator,
        }

    return for_card


def privacy_data(profile, **overrides):
    """What the privacy form posts for `profile` as it stands, with `overrides`; `None` leaves a field out."""
    data = {
        "visibility": profile.visibility,
        "contact_phone": profile.contact_phone,
        "contact_email": profile.contact_email,
        "methods": [method.pk for method in profile.methods.all()],
        **{f"{part}_audience": getattr(profile, f"{part}_audience") for part in DISCLOSED_PARTS},
        **{name: "on" for name in BOOLEANS if getattr(profile, name)},
    }
    if profile.public_consent_at:
        data["public_consent"] = "on"
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def privacy_snapshot(profile):
    """Everything the privacy form may change, read afresh from the database."""
    fresh = CQOProfile.objects.get(pk=profile.pk)
    fields = ["visibility", "contact_phone", "contact_email", "public_consent_at", *BOOLEANS]
    fields += [f"{part}_audience" for part in DISCLOSED_PARTS]
    return (
        {name: getattr(fresh, name) for name in fields},
        sorted(fresh.methods.values_list("pk", flat=True)),
        DisclosureConsent.objects.filter(profile=profile).count(),
    )


def post_privacy(client, data):
    return client.post(reverse("members:privacy"), data, headers=ENGLISH)


def ask(client, profile, purpose="mentoring", note="", **extra):
    return client.post(contact_url(profile), {"purpose": purpose, "note": note, **extra}, headers=ENGLISH)


def pool(client, **params):
    return client.get(reverse("members:talent_pool"), params, headers=ENGLISH)


def listed(response):
    return {profile.real_name for profile in response.context["page_obj"].object_list}


# 1. Who sees which part of a card ------------------------------------------------------------------------------


@pytest.mark.parametrize("audience", [PUBLIC, MEMBERS, STAFF])
@pytest.mark.parametrize("part", CARD_PARTS)
def test_each_part_of_a_public_card_is_shown_to_its_audience_only(client_for, card, viewers, part, audience):
    set_audiences(card, **{part: audience})
    seen = {}
    for viewer, user in viewers(card).items():
        response = client_for(user).get(detail_url(card), headers=ENGLISH)
        assert response.status_code == 200, viewer
        assert response.context["shown"][part] == sees_part(viewer, audience), viewer
        seen[viewer] = shows(text(response), part, card)
    assert seen == {viewer: sees_part(viewer, audience) for viewer in seen}


@pytest.fixture
def public_without_consent(card):
    """A member's card set to public (and every part to everyone) without the separate consent."""
    card.public_consent_at = None
    return set_audiences(card, default=PUBLIC)


@pytest.mark.parametrize("viewer", ["visitor", "other applicant", "regulator outside"])
def test_a_public_card_without_consent_is_closed_to_non_members(client_for, public_without_consent, viewers, viewer):
    user = viewers(public_without_consent)[viewer]

    assert client_for(user).get(detail_url(public_without_consent)).status_code == 404


def test_parts_set_public_without_consent_are_shown_to_members_only(public_without_consent, member, visitor):
    assert public_without_consent.disclosed_to(member) == dict.fromkeys(DISCLOSED_PARTS, True)
    assert not any(public_without_consent.disclosed_to(visitor).values())


def test_a_member_opens_a_public_card_without_consent_and_sees_its_parts(client_for, public_without_consent, member):
    response = client_for(member).get(detail_url(public_without_consent), headers=ENGLISH)

    assert response.status_code == 200
    assert all(shows(text(response), part, public_without_consent) for part in CARD_PARTS)


def test_with_consent_a_visitor_sees_exactly_the_public_parts(client_for, card):
    set_audiences(card, default=MEMBERS, bio=PUBLIC, expertise=PUBLIC, region=STAFF)

    response = client_for(None).get(detail_url(card), headers=ENGLISH)

    assert response.status_code == 200
    page = text(response)
    assert {part: shows(page, part, card) for part in CARD_PARTS} == {
        "enterprise": False,
        "region": False,
        "qualifications": False,
        "expertise": True,
        "bio": True,
        "photo": False,
    }
    assert PHONE not in page and EMAIL not in page


def test_a_regulator_outside_the_region_sees_a_public_card_as_the_public_does(
    client_for, card, staff, regulator, outside_regulator
):
    card.change_status(ProfileStatus.WARNED, by=staff, reason="独特警告理由")
    card.refresh_from_db()
    assert "独特警告理由" in text(client_for(regulator).get(detail_url(card)))

    response = client_for(outside_regulator).get(detail_url(card))

    assert response.status_code == 200
    assert "独特警告理由" not in text(response)
    assert response.context["can_see_record"] is False


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"visibility": CQOProfile.Visibility.MEMBERS}, id="members-only card"),
        pytest.param({"visibility": CQOProfile.Visibility.HIDDEN}, id="hidden card"),
        pytest.param({"status": ProfileStatus.APPLICANT}, id="applicant"),
        pytest.param({"status": ProfileStatus.EXITED}, id="exited"),
    ],
)
def test_a_visitor_cannot_open_a_card_that_is_not_a_public_members_card(client_for, card, change):
    set_audiences(card, default=PUBLIC)
    CQOProfile.objects.filter(pk=card.pk).update(**change)

    assert client_for(None).get(detail_url(card)).status_code == 404


def test_the_chapter_page_hides_an_enterprise_kept_to_staff(
    client_for, card, chapter_page, body_page, make_profile, staff
):
    BodyMembership.objects.create(
        profile=card, body=body_page, chapter=chapter_page, motivation="加入", status=BodyMembership.Status.APPROVED
    )
    set_audiences(card, default=MEMBERS, enterprise=STAFF)
    member = make_profile(status=ProfileStatus.ACTIVE).user

    for user, expected in [(None, False), (member, False), (staff, True)]:
        page = text(client_for(user).get(chapter_page.url))
        assert "赵人才" in page
        assert (ENTERPRISE_NAME in page) is expected, user

    set_audiences(card, default=MEMBERS, enterprise=PUBLIC)
    assert ENTERPRISE_NAME in text(client_for(None).get(chapter_page.url))


# 2. The talent pool ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("member", 200),
        ("warned member", 200),
        ("staff", 200),
        ("admin_user", 200),
        ("applicant", 403),
        ("judge", 403),
        ("moderator", 403),
        ("regulator", 403),
        ("exited", 403),
        ("visitor", 302),
    ],
)
def test_only_members_and_staff_enter_the_talent_pool(request, client_for, make_profile, role, expected):
    if role == "warned member":
        user = make_profile(status=ProfileStatus.WARNED).user
    elif role == "exited":
        user = make_profile(status=ProfileStatus.EXITED).user
    else:
        user = request.getfixturevalue(role)

    response = client_for(user).get(reverse("members:talent_pool"))

    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login"))
        assert "next=" in response["Location"]


def test_the_pool_lists_members_who_opted_in_with_a_card_to_show(client_for, member, make_profile):
    for name, status, opted_in, visibility in [
        ("在库活跃", ProfileStatus.ACTIVE, True, "members"),
        ("在库警告", ProfileStatus.WARNED, True, "public"),
        ("未入库", ProfileStatus.ACTIVE, False, "members"),
        ("隐藏卡片", ProfileStatus.ACTIVE, True, "hidden"),
        ("已退出", ProfileStatus.EXITED, True, "members"),
        ("申请中", ProfileStatus.APPLICANT, True, "members"),
        ("备案中", ProfileStatus.FILING_SUBMITTED, True, "members"),
    ]:
        make_profile(status=status, talent_pool_opt_in=opted_in, visibility=visibility, real_name=name)

    response = pool(client_for(member))

    assert listed(response) == {"在库活跃", "在库警告"}
    page = text(response)
    assert "在库活跃" in page and "未入库" not in page and "隐藏卡片" not in page


def test_every_card_listed_opens_for_the_member(client_for, member, make_profile):
    """The pool lists public cards without consent too: they are members' cards until the consent is given."""
    make_profile(status=ProfileStatus.ACTIVE, talent_pool_opt_in=True, real_name="成员卡")
    make_profile(status=ProfileStatus.ACTIVE, talent_pool_opt_in=True, real_name="公开卡", visibility="public")
    make_profile(
        status=ProfileStatus.ACTIVE,
        talent_pool_opt_in=True,
        real_name="公开未同意",
        visibility="public",
        public_consent_at=None,
    )
    client = client_for(member)

    response = pool(client)

    assert len(listed(response)) == 3
    opened = {p.real_name: client.get(detail_url(p)).status_code for p in response.context["page_obj"].object_list}
    assert opened == {"成员卡": 200, "公开卡": 200, "公开未同意": 200}


def test_a_listed_card_shows_the_member_only_the_parts_they_may_see(client_for, card, member, staff):
    set_audiences(card, default=MEMBERS, enterprise=STAFF, expertise=STAFF)

    as_member = pool(client_for(member))
    as_staff = pool(client_for(staff))

    assert listed(as_member) == listed(as_staff) == {"赵人才"}
    member_page, staff_page = text(as_member), text(as_staff)
    for marker in [ENTERPRISE_NAME, POSITION, TAG]:
        assert marker not in member_page and marker in staff_page, marker
    assert as_member.context["page_obj"].object_list[0].shown["qualifications"]  # the members' part


@pytest.fixture
def pool_profiles(make_profile, make_enterprise, regions):
    """Three listed CQOs who differ in every filtered respect."""
    six_sigma, lean = make_method("独特六西格玛"), make_method("独特精益")
    jincheng = make_profile(
        status=ProfileStatus.ACTIVE,
        talent_pool_opt_in=True,
        real_name="晋城甲",
        enterprise=make_enterprise(name="甲钢铁有限公司", county=regions["zezhou"], industry="C"),
        title="senior",
        offers_mentoring=True,
        offers_speaking=True,
    )
    jincheng.methods.add(six_sigma)
    jincheng.expertise.add("冶金质量")
    gaoping = make_profile(
        status=ProfileStatus.ACTIVE,
        talent_pool_opt_in=True,
        real_name="高平乙",
        enterprise=make_enterprise(name="乙煤业有限公司", county=regions["gaoping"], industry="B"),
        title="intermediate",
        offers_mentoring=True,
    )
    gaoping.methods.add(lean)
    taiyuan = make_profile(
        status=ProfileStatus.ACTIVE,
        talent_pool_opt_in=True,
        real_name="太原丙",
        enterprise=make_enterprise(name="丙电力有限公司", county=regions["xiaodian"], industry="D"),
        title="senior",
        offers_site_visits=True,
    )
    taiyuan.expertise.add("可靠性工程")
    return {"甲": jincheng, "乙": gaoping, "丙": taiyuan, "six_sigma": six_sigma, "lean": lean}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        pytest.param({}, {"晋城甲", "高平乙", "太原丙"}, id="no filter"),
        pytest.param({"city": "140500"}, {"晋城甲", "高平乙"}, id="city 晋城"),
        pytest.param({"city": "140100"}, {"太原丙"}, id="city 太原"),
        pytest.param({"industry": "B"}, {"高平乙"}, id="industry"),
        pytest.param({"title": "senior"}, {"晋城甲", "太原丙"}, id="title"),
        pytest.param({"offers": "mentoring"}, {"晋城甲", "高平乙"}, id="mentoring"),
        pytest.param({"offers": ["mentoring", "speaking"]}, {"晋城甲"}, id="mentoring and speaking"),
        pytest.param({"offers": "site_visits"}, {"太原丙"}, id="site visits"),
        pytest.param({"q": "高平"}, {"高平乙"}, id="q name"),
        pytest.param({"q": "电力"}, {"太原丙"}, id="q enterprise"),
        pytest.param({"q": "冶金"}, {"晋城甲"}, id="q expertise tag"),
        pytest.param({"q": "独特精益"}, {"高平乙"}, id="q method name"),
        pytest.param({"q": "有限公司"}, {"晋城甲", "高平乙", "太原丙"}, id="q matches each once"),
        pytest.param({"city": "140500", "title": "senior"}, {"晋城甲"}, id="city and title"),
    ],
)
def test_each_filter_of_the_pool(client_for, member, pool_profiles, params, expected):
    response = pool(client_for(member), **params)

    assert response.status_code == 200
    assert listed(response) == expected
    assert response.context["page_obj"].paginator.count == len(expected)


@pytest.mark.parametrize("method", ["six_sigma", "lean"])
def test_the_method_filter(client_for, member, pool_profiles, method):
    response = pool(client_for(member), method=pool_profiles[method].pk)

    assert listed(response) == {"six_sigma": {"晋城甲"}, "lean": {"高平乙"}}[method]


@pytest.mark.parametrize(
    ("part", "params"),
    [
        pytest.param("region", {"city": "140500"}, id="city"),
        pytest.param("enterprise", {"industry": "C"}, id="industry"),
        pytest.param("enterprise", {"q": "甲钢铁"}, id="q on the enterprise name"),
        pytest.param("qualifications", {"title": "senior"}, id="title"),
        pytest.param("expertise", {"method": "six_sigma"}, id="method"),
        pytest.param("expertise", {"q": "冶金"}, id="q on an expertise tag"),
        pytest.param("expertise", {"q": "独特六西格玛"}, id="q on a method name"),
    ],
)
def test_a_filter_never_finds_a_member_by_a_part_kept_to_staff(client_for, member, staff, pool_profiles, part, params):
    target = pool_profiles["甲"]
    if params.get("method"):
        params = {"method": pool_profiles[params["method"]].pk}
    assert "晋城甲" in listed(pool(client_for(member), **params))

    set_audiences(target, default=MEMBERS, **{part: STAFF})

    assert "晋城甲" not in listed(pool(client_for(member), **params))
    assert "晋城甲" in listed(pool(client_for(staff), **params))


def test_a_filter_finds_a_part_made_public_without_consent_for_members(client_for, member, pool_profiles):
    target = pool_profiles["甲"]
    target.public_consent_at = None
    set_audiences(target, default=MEMBERS, region=PUBLIC)

    assert "晋城甲" in listed(pool(client_for(member), city="140500"))


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({"city": "zzz"}, id="city=zzz"),
        pytest.param({"city": "999900"}, id="unknown city"),
        pytest.param({"industry": "ZZ"}, id="unknown industry"),
        pytest.param({"title": "emperor"}, id="unknown title"),
        pytest.param({"method": "abc"}, id="method=abc"),
        pytest.param({"method": "99999"}, id="method=99999"),
        pytest.param({"method": "-1"}, id="method=-1"),
        pytest.param({"offers": "flying"}, id="offers=flying"),
        pytest.param({"page": "abc"}, id="page=abc"),
        pytest.param({"page": "9999"}, id="page=9999"),
        pytest.param({"q": "质" * 5000}, id="very long q"),
        pytest.param({"q": "%_'\"<script>"}, id="q with wildcards and markup"),
    ],
)
def test_bad_filter_values_never_break_the_pool(client_for, member, pool_profiles, params):
    response = pool(client_for(member), **params)

    assert response.status_code == 200
    assert "'\"<script>" not in text(response)


@pytest.mark.parametrize("method", [pytest.param("²", id="superscript two"), pytest.param("9" * 30, id="huge")])
def test_a_method_id_that_is_digits_but_no_id_never_breaks_the_pool(client_for, member, pool_profiles, method):
    response = pool(client_for(member), method=method)

    assert response.status_code == 200
    assert listed(response) in (set(), {"晋城甲", "高平乙", "太原丙"})


def test_the_pool_pages_keep_the_filters(client_for, member, make_profile):
    for serial in range(30):
        make_profile(
            status=ProfileStatus.ACTIVE, talent_pool_opt_in=True, real_name=f"导师{serial:02d}", offers_mentoring=True
        )
    make_profile(status=ProfileStatus.ACTIVE, talent_pool_opt_in=True, real_name="不带教")

    first = pool(client_for(member), offers="mentoring")
    second = pool(client_for(member), offers="mentoring", page=2)

    assert first.context["page_obj"].paginator.count == 30
    assert "offers=mentoring" in first.context["query_string"]
    assert len(listed(first) | listed(second)) == 30 and "不带教" not in listed(second)


# 3. The privacy settings ----------------------------------------------------------------------------------------


@pytest.fixture
def owner_client(client_for, card):
    return client_for(card.user)


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("talent_pool_opt_in", None, False),
        ("offers_mentoring", None, False),
        ("offers_speaking", "on", True),
        ("offers_site_visits", "on", True),
        ("contact_phone", "+86 138 0000 0000", "+86 138 0000 0000"),
        ("contact_phone", "", ""),
        ("contact_email", "new@example.cn", "new@example.cn"),
        ("visibility", "hidden", "hidden"),
        ("enterprise_audience", "staff", "staff"),
        ("region_audience", "public", "public"),
        ("qualifications_audience", "staff", "staff"),
        ("expertise_audience", "public", "public"),
        ("bio_audience", "staff", "staff"),
        ("photo_audience", "public", "public"),
        ("contact_audience", "staff", "staff"),
    ],
)
def test_each_privacy_setting_is_saved(owner_client, card, field, value, expected):
    card.offers_mentoring = True
    card.save()

    response = post_privacy(owner_client, privacy_data(card, **{field: value}))

    assert response.status_code == 302 and response["Location"] == reverse("members:privacy")
    assert getattr(CQOProfile.objects.get(pk=card.pk), field) == expected


def test_the_methods_are_saved_as_ticked(owner_client, card):
    chosen = [make_method("独特方法乙"), make_method("独特方法丙")]

    post_privacy(owner_client, privacy_data(card, methods=[m.pk for m in chosen]))

    assert set(card.methods.all()) == set(chosen)
    page = text(owner_client.get(reverse("members:privacy")))
    assert "独特方法乙" in page and "独特方法丙" in page


@pytest.fixture
def unconsented(card):
    """The card of a member who has not consented to public disclosure: everything for members."""
    card.visibility = CQOProfile.Visibility.MEMBERS
    card.public_consent_at = None
    set_audiences(card, default=MEMBERS)
    return card


def test_consent_given_then_withdrawn_is_recorded_each_time(client_for, unconsented):
    client = client_for(unconsented.user)
    shown_wording = text(client.get(reverse("members:privacy")))  # in Chinese, as the member reads it

    response = client.post(
        reverse("members:privacy"),
        privacy_data(
            unconsented, visibility="public", bio_audience="public", photo_audience="public", public_consent="on"
        ),
    )

    assert response.status_code == 302
    unconsented.refresh_from_db()
    given = DisclosureConsent.objects.get(profile=unconsented)
    assert given.given is True and unconsented.public_consent_at == given.at
    assert sorted(given.parts) == ["bio", "photo"]
    assert given.wording and escape(given.wording) in shown_wording
    assert client_for(None).get(detail_url(unconsented)).status_code == 200

    client = client_for(unconsented.user)
    response = post_privacy(client, privacy_data(unconsented, public_consent=None))

    assert response.status_code == 302
    assert "Your consent is withdrawn" in text(client.get(response["Location"], headers=ENGLISH))
    unconsented.refresh_from_db()
    withdrawn = DisclosureConsent.objects.filter(profile=unconsented).first()
    assert withdrawn.given is False and sorted(withdrawn.parts) == ["bio", "photo"]
    assert withdrawn.wording == given.wording
    assert unconsented.public_consent_at is None
    assert unconsented.visibility == CQOProfile.Visibility.MEMBERS
    assert unconsented.bio_audience == MEMBERS and unconsented.photo_audience == MEMBERS
    assert client_for(None).get(detail_url(unconsented)).status_code == 404

    client = client_for(unconsented.user)
    post_privacy(client, privacy_data(unconsented, bio_audience="public", public_consent="on"))
    assert list(DisclosureConsent.objects.filter(profile=unconsented).values_list("given", flat=True)) == [
        True,
        False,
        True,
    ]
    page = text(client.get(reverse("members:privacy"), headers=ENGLISH))
    assert page.count("Given") >= 2 and "Withdrawn" in page


def test_saving_without_a_change_of_consent_adds_no_row(owner_client, card):
    post_privacy(owner_client, privacy_data(card, offers_speaking="on"))
    recorded = DisclosureConsent.objects.filter(profile=card).count()  # the fixture's consent had no row yet
    consented_at = CQOProfile.objects.get(pk=card.pk).public_consent_at
    post_privacy(owner_client, privacy_data(card, offers_site_visits="on"))

    assert DisclosureConsent.objects.filter(profile=card).count() == recorded <= 1
    assert CQOProfile.objects.get(pk=card.pk).public_consent_at == consented_at


def test_making_another_part_public_records_the_consent_anew_with_its_parts(owner_client, card):
    post_privacy(owner_client, privacy_data(card, public_consent="on"))
    first = DisclosureConsent.objects.filter(profile=card).count()

    post_privacy(owner_client, privacy_data(card, bio_audience="public", public_consent="on"))

    latest = DisclosureConsent.objects.filter(profile=card).first()
    assert DisclosureConsent.objects.filter(profile=card).count() == first + 1
    assert latest.given and "bio" in latest.parts


def test_withdrawing_while_choosing_public_leaves_nothing_public(owner_client, card):
    set_audiences(card, default=MEMBERS, bio=PUBLIC)

    response = post_privacy(owner_client, privacy_data(card, region_audience="public", public_consent=None))

    assert response.status_code == 302
    card.refresh_from_db()
    assert card.public_parts() == [] and card.visibility == CQOProfile.Visibility.MEMBERS
    assert DisclosureConsent.objects.get(profile=card).given is False


@pytest.mark.parametrize(
    "choice",
    [
        pytest.param({"visibility": "public"}, id="public card"),
        *(pytest.param({f"{part}_audience": "public"}, id=f"public {part}") for part in CARD_PARTS),
    ],
)
def test_public_without_consent_is_refused_and_nothing_is_saved(client_for, unconsented, choice):
    client = client_for(unconsented.user)
    before = privacy_snapshot(unconsented)

    response = post_privacy(client, privacy_data(unconsented, talent_pool_opt_in=None, **choice))

    assert response.status_code == 400
    assert "public_consent" in response.context["form"].errors
    assert "needs your separate consent" in text(response)
    assert privacy_snapshot(unconsented) == before


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param({"contact_phone": "call me"}, id="phone of letters"),
        pytest.param({"contact_phone": "123"}, id="phone too short"),
        pytest.param({"contact_phone": "138-0000-0000; DROP"}, id="phone with junk"),
        pytest.param({"contact_email": "not-an-email"}, id="bad email"),
        pytest.param({"bio_audience": "everyone"}, id="unknown audience"),
        pytest.param({"region_audience": None}, id="missing audience"),
        pytest.param({"contact_audience": "public"}, id="public contact"),
        pytest.param({"contact_audience": "public", "public_consent": "on"}, id="public contact with consent"),
        pytest.param({"visibility": "world"}, id="unknown visibility"),
        pytest.param({"methods": ["99999"]}, id="unknown method"),
    ],
)
def test_bad_privacy_input_is_refused_and_nothing_is_saved(client_for, unconsented, bad):
    client = client_for(unconsented.user)
    before = privacy_snapshot(unconsented)

    response = post_privacy(client, privacy_data(unconsented, offers_speaking="on", **bad))

    assert response.status_code == 400
    assert response.context["form"].errors
    assert privacy_snapshot(unconsented) == before


@pytest.mark.parametrize("method", [str(2**63), str(10**30), "²", "9" * 5000])
def test_a_method_id_no_database_holds_is_refused_at_the_field(client_for, unconsented, method):
    """SQLite holds no integer of 2^63 or more: such an id was an OverflowError (500) rather than a choice error."""
    client = client_for(unconsented.user)
    before = privacy_snapshot(unconsented)

    response = post_privacy(client, privacy_data(unconsented, methods=[method]))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["methods"]
    assert privacy_snapshot(unconsented) == before


def test_an_exited_cqo_cannot_change_privacy_settings(client_for, card):
    card.status = ProfileStatus.EXITED
    card.save()
    client = client_for(card.user)
    before = privacy_snapshot(card)

    assert client.get(reverse("members:privacy")).status_code == 403
    assert post_privacy(client, privacy_data(card, talent_pool_opt_in=None)).status_code == 403
    assert privacy_snapshot(card) == before


def test_privacy_settings_need_a_profile_and_a_sign_in(client_for, make_user):
    response = client_for(make_user()).get(reverse("members:privacy"))
    assert response.status_code == 302 and response["Location"] == reverse("members:edit")

    response = client_for(None).get(reverse("members:privacy"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_an_applicant_keeps_their_own_privacy_settings(client_for, applicant):
    profile = applicant.cqo_profile
    response = post_privacy(client_for(applicant), privacy_data(profile, bio_audience="staff"))

    assert response.status_code == 302
    assert CQOProfile.objects.get(pk=profile.pk).bio_audience == STAFF


# 4. Contact details on a logged request --------------------------------------------------------------------------


def test_a_reveal_is_logged_shown_to_the_requester_and_listed_for_the_member(client_for, card, member):
    client = client_for(member)
    before = text(client.get(detail_url(card), headers=ENGLISH))
    assert PHONE not in before and EMAIL not in before
    assert contact_url(card) in before and 'name="purpose"' in before

    response = ask(client, card, purpose="speaking", note="请来年会分享QC小组经验")

    assert response.status_code == 302
    assert response["Location"] == detail_url(card) + "#contact"
    reveal = ContactReveal.objects.get()
    assert (reveal.profile, reveal.revealed_to, reveal.purpose) == (card, member, "speaking")
    assert reveal.note == "请来年会分享QC小组经验"
    after = text(client.get(detail_url(card), headers=ENGLISH))
    assert PHONE in after and EMAIL in after and "Your request is logged" in after
    assert 'name="purpose"' not in after

    owners_page = text(client_for(card.user).get(reverse("members:privacy"), headers=ENGLISH))
    requester = member.cqo_profile
    for shown in [requester.real_name, requester.enterprise.name, "Invitation to speak", "请来年会分享QC小组经验"]:
        assert shown in owners_page, shown


def test_a_reveal_is_shown_for_a_day_only(client_for, card, member):
    client = client_for(member)
    ask(client, card)
    ContactReveal.objects.update(at=timezone.now() - timedelta(hours=25))

    page = text(client.get(detail_url(card)))

    assert PHONE not in page and EMAIL not in page and 'name="purpose"' in page


def test_another_members_reveal_shows_nothing_to_me(client_for, card, member, make_profile):
    ask(client_for(member), card)
    other = make_profile(status=ProfileStatus.ACTIVE).user

    page = text(client_for(other).get(detail_url(card)))

    assert PHONE not in page and EMAIL not in page


def test_the_owner_sees_their_own_contact_and_no_request_form(client_for, card):
    page = text(client_for(card.user).get(detail_url(card)))

    assert PHONE in page and EMAIL in page and 'name="purpose"' not in page
    assert ask(client_for(card.user), card).status_code == 403
    assert not ContactReveal.objects.exists()


@pytest.mark.parametrize(
    ("viewer", "contact_audience", "expected"),
    [
        ("member", MEMBERS, 302),
        ("member", STAFF, 403),
        ("staff", MEMBERS, 302),
        ("staff", STAFF, 302),
        ("regulator in region", MEMBERS, 302),
        ("regulator in region", STAFF, 302),
        ("regulator outside", MEMBERS, 404),
        ("other applicant", MEMBERS, 404),
        ("visitor", MEMBERS, 302),
    ],
)
def test_who_may_ask_for_a_members_card_contact(client_for, card, viewers, viewer, contact_audience, expected):
    card.visibility = CQOProfile.Visibility.MEMBERS
    card.contact_audience = contact_audience
    card.save()
    user = viewers(card)[viewer]
    client = client_for(user)

    response = ask(client, card)

    assert response.status_code == expected
    if viewer == "visitor":
        assert response["Location"].startswith(reverse("account_login"))
        assert not ContactReveal.objects.exists()
        return
    assert ContactReveal.objects.filter(revealed_to=user).exists() is (expected == 302)
    if expected != 404:
        page = text(client.get(detail_url(card)))
        assert (PHONE in page) is (expected == 302)
        if expected == 403:
            assert contact_url(card) not in page  # no form to ask with either


@pytest.mark.parametrize("viewer", ["other applicant", "regulator outside", "visitor"])
def test_a_public_card_never_offers_its_contact_to_non_members(client_for, card, viewers, viewer):
    set_audiences(card, default=PUBLIC)
    user = viewers(card)[viewer]
    client = client_for(user)

    page = text(client.get(detail_url(card)))

    assert PHONE not in page and contact_url(card) not in page
    assert ask(client, card).status_code == (302 if viewer == "visitor" else 403)
    assert not ContactReveal.objects.exists()


def test_no_contact_details_no_form_and_no_reveal(client_for, card, member):
    card.contact_phone = card.contact_email = ""
    card.save()
    client = client_for(member)

    assert contact_url(card) not in text(client.get(detail_url(card)))
    assert ask(client, card).status_code == 403
    assert not ContactReveal.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"purpose": "gossip"}, id="unknown purpose"),
        pytest.param({"purpose": ""}, id="no purpose"),
        pytest.param({"purpose": "mentoring", "note": "长" * 201}, id="note too long"),
    ],
)
def test_a_bad_request_for_contact_is_refused_and_not_logged(client_for, card, member, data):
    client = client_for(member)

    response = client.post(contact_url(card), data, headers=ENGLISH)

    assert response.status_code == 400
    assert response.context["contact_form"].errors
    assert not ContactReveal.objects.exists()
    assert PHONE not in text(response) and EMAIL not in text(response)


def test_a_note_of_200_characters_is_kept(client_for, card, member):
    assert ask(client_for(member), card, note="长" * 200).status_code == 302
    assert ContactReveal.objects.get().note == "长" * 200


def test_asking_for_contact_needs_a_post(client_for, card, member):
    assert client_for(member).get(contact_url(card)).status_code == 405
    assert not ContactReveal.objects.exists()


def test_each_request_is_logged_again(client_for, card, member):
    client = client_for(member)
    ask(client, card, purpose="mentoring")
    ask(client, card, purpose="problem", note="再问一次")

    assert list(ContactReveal.objects.values_list("purpose", flat=True)) == ["problem", "mentoring"]


@pytest.fixture
def listed_cards(make_profile):
    def make(count):
        return [
            make_profile(
                status=ProfileStatus.ACTIVE,
                real_name=f"可联系{serial:02d}",
                contact_phone=f"0351-12345{serial:02d}",
                contact_audience=MEMBERS,
                talent_pool_opt_in=True,
            )
            for serial in range(count)
        ]

    return make


@override_settings(CQO_CONTACT_REVEALS_PER_DAY=2)
def test_the_daily_limit_of_distinct_contacts(client_for, member, listed_cards):
    first, second, third = listed_cards(3)
    client = client_for(member)
    assert ask(client, first).status_code == 302
    assert ask(client, second).status_code == 302

    response = ask(client, third)

    assert response.status_code == 429
    assert "Please try again tomorrow" in text(response)
    assert "0351-1234502" not in text(response)
    assert ContactReveal.objects.filter(profile=third).count() == 0
    # Asking again for a contact already asked for today does not count against the limit.
    assert ask(client, first, purpose="other").status_code == 302
    assert ContactReveal.objects.filter(profile=first).count() == 2
    # Requests older than a day no longer count.
    ContactReveal.objects.update(at=timezone.now() - timedelta(hours=25))
    assert ask(client, third).status_code == 302


def test_by_default_a_member_reaches_20_distinct_contacts_a_day_and_not_21(client_for, member, listed_cards):
    *earlier, twentieth, last = listed_cards(21)
    ContactReveal.objects.bulk_create(
        ContactReveal(profile=profile, revealed_to=member, purpose="mentoring") for profile in earlier
    )
    client = client_for(member)

    assert ask(client, twentieth).status_code == 302
    assert ask(client, last).status_code == 429
    assert ContactReveal.objects.filter(revealed_to=member).count() == 20


@override_settings(CQO_CONTACT_REVEALS_PER_DAY=1)
def test_staff_are_not_limited(client_for, staff, listed_cards):
    client = client_for(staff)

    assert [ask(client, profile).status_code for profile in listed_cards(3)] == [302, 302, 302]


@override_settings(CQO_CONTACT_REVEALS_PER_DAY=1)
def test_a_regulator_is_limited_like_a_member(client_for, regulator, listed_cards):
    client = client_for(regulator)

    assert [ask(client, profile).status_code for profile in listed_cards(2)] == [302, 429]


# 5. Query budgets ---------------------------------------------------------------------------------------------


BUDGET = 20


def measure(client, url, django_assert_max_num_queries):
    assert client.get(url).status_code == 200  # warms the per-user caches a running server would have
    with django_assert_max_num_queries(BUDGET) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_pool_asks_the_database_as_often_for_many_cards_as_for_few(
    client_for, member, make_profile, make_enterprise, regions, django_assert_max_num_queries
):
    methods = list(QualityMethod.objects.all()[:3]) or [make_method("独特方法丁")]
    counties = [regions["zezhou"], regions["gaoping"], regions["xiaodian"]]

    def grow(start, stop):
        for serial in range(start, stop):
            profile = make_profile(
                status=ProfileStatus.ACTIVE,
                talent_pool_opt_in=True,
                real_name=f"人才{serial:03d}",
                enterprise=make_enterprise(county=counties[serial % 3]),
                visibility="public" if serial % 2 else "members",
                enterprise_audience=[PUBLIC, MEMBERS, STAFF][serial % 3],
                expertise_audience=[MEMBERS, STAFF][serial % 2],
                offers_mentoring=bool(serial % 2),
            )
            profile.expertise.add(f"专长{serial}", "六西格玛")
            profile.methods.add(methods[serial % len(methods)])

    url = reverse("members:talent_pool")
    client = client_for(member)
    grow(0, 3)
    few = measure(client, url, django_assert_max_num_queries)
    grow(3, 24)
    many = measure(client, url, django_assert_max_num_queries)

    assert many == few
    assert client.get(url).context["page_obj"].paginator.count == 24
    filtered = f"{url}?q=专长&city=140500&offers=mentoring&method={methods[0].pk}"
    assert measure(client, filtered, django_assert_max_num_queries) <= few + 1


def test_the_privacy_page_asks_as_often_for_many_requests_as_for_few(
    client_for, card, make_profile, staff, django_assert_max_num_queries
):
    client = client_for(card.user)
    url = reverse("members:privacy")

    def grow(count):
        for _ in range(count):
            asker = make_profile(status=ProfileStatus.ACTIVE).user
            ContactReveal.objects.create(profile=card, revealed_to=asker, purpose="mentoring", note="请教")
        ContactReveal.objects.create(profile=card, revealed_to=staff, purpose="other")
        DisclosureConsent.objects.create(profile=card, given=True, wording="同意", parts=["bio"])

    grow(2)
    few = measure(client, url, django_assert_max_num_queries)
    grow(30)
    many = measure(client, url, django_assert_max_num_queries)

    assert many == few
    assert len(client.get(url).context["reveals"]) == 34


# The model's own rule, for the cases the pages above build on ------------------------------------------------


def test_disclosed_to_follows_consent_for_visitors(card, visitor, member):
    set_audiences(card, default=MEMBERS, bio=PUBLIC)
    assert card.disclosed_to(visitor) == {part: part == "bio" for part in DISCLOSED_PARTS}

    card.public_consent_at = None
    assert not any(card.disclosed_to(visitor).values())
    assert card.disclosed_to(member) == dict.fromkeys(DISCLOSED_PARTS, True)


def test_the_consent_wording_is_kept_as_shown(client_for, unconsented):
    with translation.override("en"):
        english = str(PUBLIC_CONSENT_TEXT)

    post_privacy(client_for(unconsented.user), privacy_data(unconsented, bio_audience="public", public_consent="on"))

    assert DisclosureConsent.objects.get().wording == english
