"""A visitor becomes a CQO on the site: sign up, confirm the e-mail, fill in the profile, see it."""

import re

from django.core import mail
from playwright.sync_api import expect

from alliance_site.enterprises.credit_code import make_credit_code
from alliance_site.models import CQOProfile

EMAIL = "wang.li@jc-precision.example.cn"
PASSWORD = "Zhiliang-2026!"
ENTERPRISE = "晋城精工质量示范有限公司"
NAME = "王丽"


def wrong_check_character(code):
    """The same code with a different (still well-formed) 18th character."""
    return code[:17] + ("0" if code[17] != "0" else "1")


def confirmation_link(message):
    return re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)


def test_visitor_signs_up_confirms_and_fills_in_profile(page, live_server, regions):
    county = regions["zezhou"]
    credit_code = make_credit_code(county.code, 1)

    # A visitor finds 注册 (sign up) in the header of the Chinese home page. The steps find things by
    # address, name and id rather than by wording, so rewording a label does not break the journey.
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.locator(".account-nav a[href='/accounts/signup/']").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))

    signup = page.locator("main form").filter(has=page.locator("input[name=password1]"))
    signup.locator("input[name=email]").fill(EMAIL)
    signup.locator("input[name=password1]").fill(PASSWORD)
    signup.locator("input[name=password2]").fill(PASSWORD)
    signup.locator("button[type=submit]").click()

    # The e-mail must be confirmed first: the site says so and sends the link.
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    link = confirmation_link(message)
    assert link.startswith(live_server.url), link

    page.goto(link)
    page.locator("main form button[type=submit]").click()

    # Confirming signs the CQO in and sends them to create their profile.
    expect(page).to_have_url(re.compile(r"/members/me/edit/$"))
    expect(page.locator(".account-nav form[action='/accounts/logout/'] button")).to_be_visible()

    form = page.locator("main form.form")
    form.locator("#id_credit_code").fill(wrong_check_character(credit_code))
    form.locator("#id_enterprise_name").fill(ENTERPRISE)
    form.locator("#id_county").select_option(label="晋城市 · 泽州县")
    form.locator("#id_industry").select_option("C")
    form.locator("#id_enterprise_size").select_option("above_scale")
    form.locator("#id_real_name").fill(NAME)
    form.locator("#id_position").fill("副总经理")
    form.locator("#id_is_senior_executive").check()
    form.locator("#id_appointment_date").fill("2023-03-01")
    form.locator("#id_years_in_quality").fill("9")
    form.locator("#id_title").select_option("senior")
    form.locator("#id_education").select_option("master")
    form.locator("#id_expertise").fill("六西格玛, 质量成本")
    form.locator("#id_bio").fill("长期负责精密铸件的质量体系建设。")
    form.locator("button[type=submit]").click()

    # A wrong check character is refused with a message that says so, and nothing typed is lost.
    expect(page.get_by_role("alert")).to_be_visible()
    credit_field = page.locator(".field", has=page.locator("#id_credit_code"))
    expect(credit_field.locator(".errorlist")).to_contain_text("GB 32100-2015")
    expect(page.locator("#id_credit_code")).to_have_value(wrong_check_character(credit_code))
    expect(page.locator("#id_real_name")).to_have_value(NAME)
    expect(page.locator("#id_enterprise_name")).to_have_value(ENTERPRISE)
    expect(page.locator("#id_county option:checked")).to_have_text("晋城市 · 泽州县")
    expect(page.locator("#id_is_senior_executive")).to_be_checked()
    assert not CQOProfile.objects.exists()

    page.locator("#id_credit_code").fill(credit_code)
    page.locator("main form.form button[type=submit]").click()

    # The CQO sees their own profile page, with their name and enterprise.
    expect(page).to_have_url(re.compile(r"/members/\d+/$"))
    expect(page.locator(".messages .message-success")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.locator(".page-head .lead")).to_contain_text(ENTERPRISE)
    expect(page.locator("#about-title ~ .facts")).to_contain_text("晋城市 · 泽州县")

    profile = CQOProfile.objects.select_related("enterprise", "user").get()
    assert page.url.endswith(f"/members/{profile.pk}/")
    assert profile.user.email == EMAIL
    assert profile.real_name == NAME
    assert profile.enterprise.credit_code == credit_code
    assert profile.enterprise.name == ENTERPRISE
    assert profile.enterprise.county == county
    assert sorted(profile.expertise.names()) == ["六西格玛", "质量成本"]

    # On the privacy page the CQO makes the card and the biography public: refused until they tick the separate
    # consent, then saved with a record of it.
    page.locator("aside a.button[href='/members/me/privacy/']").click()
    privacy = page.locator("main form.form")
    privacy.locator("#id_visibility").select_option("public")
    privacy.locator("input[name=bio_audience][value=public]").check()
    privacy.locator("button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator("#consent .errorlist")).to_be_visible()
    assert CQOProfile.objects.get().public_consent_at is None

    page.locator("#id_public_consent").check()
    page.locator("main form.form button[type=submit]").click()
    expect(page.locator(".messages .message-success")).to_be_visible()
    expect(page.locator("#consents-title ~ .item-list .badge-ok")).to_have_count(1)
    profile.refresh_from_db()
    assert profile.public_consent_at is not None and profile.bio_audience == "public"
