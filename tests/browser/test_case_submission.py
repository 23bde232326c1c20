"""A member writes a case with a metric on the site and submits it; staff approve it in the Wagtail admin.

The steps find things by address, name and attribute rather than by wording (the pages are in Chinese).
"""

import re

from playwright.sync_api import expect
from wagtail.models import WorkflowState

from alliance_site.models import HomePage, ProfileStatus
from cases.models import CaseIndexPage, CasePage
from cases.workflow import ensure_review_workflow

TITLE = "运用六西格玛降低焊缝不良率"


def test_member_submits_a_case_and_staff_approve_it(
    page, browser_context, sign_in_as, make_profile, staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    index = HomePage.objects.first().add_child(instance=CaseIndexPage(title="案例库", slug="cases"))
    ensure_review_workflow(index)
    member = make_profile(status=ProfileStatus.ACTIVE, real_name="王质量").user

    # The member opens 我的案例 and starts a new case.
    sign_in_as(member)
    page.goto("/my/cases/")
    page.locator("main a[href='/my/cases/new/']").click()
    expect(page).to_have_url(re.compile(r"/my/cases/new/$"))

    form = page.locator("main form.case-form")
    form.locator("#id_case-title").fill(TITLE)
    form.locator("#id_case-summary").fill("焊缝不良率从2.4%降至0.6%，年节约返修成本约120万元。")
    form.locator("input[name='case-methods']").first.check()
    form.locator("#id_case-tags").fill("焊接，降本增效")
    form.locator("#id_case-period_start").fill("2024-01-01")
    form.locator("#id_case-period_end").fill("2024-12-31")
    form.locator("#id_case-economic_benefit").fill("120")
    form.locator("#id_sections-0-heading").fill("效果确认")
    form.locator("#id_sections-0-text").fill("改进后连续六个月焊缝不良率稳定在0.6%以下。")
    form.locator("#id_sections-0-metrics-0-indicator").fill("焊缝不良率")
    form.locator("#id_sections-0-metrics-0-unit").fill("%")
    form.locator("#id_sections-0-metrics-0-baseline").fill("2.4")
    form.locator("#id_sections-0-metrics-0-result").fill("0.6")
    form.locator("#id_sections-0-metrics-0-direction").select_option("lower")

    # "Add another section" posts the form back with one more section, keeping what was typed.
    form.locator("button[name=action][value=add-section]").click()
    expect(page.locator("#id_sections-1-heading")).to_be_visible()
    expect(page.locator("#id_sections-0-metrics-0-indicator")).to_have_value("焊缝不良率")
    page.locator("#id_sections-1-heading").fill("核心工艺参数")
    page.locator("#id_sections-1-visibility_2").check()  # judges only
    page.locator("#id_sections-1-text").fill("保密：焊接电流与保护气体配比。")

    page.locator("main form.case-form button[name=action][value=submit]").click()
    expect(page).to_have_url(re.compile(r"/my/cases/$"))
    expect(page.locator(".messages .message-success")).to_be_visible()
    case = CasePage.objects.get()
    row = page.locator(f"#case-{case.pk}")
    expect(row).to_have_attribute("data-status", "in_review")
    assert not case.live
    assert WorkflowState.objects.get().requested_by == member

    # Staff approve it in the Wagtail admin, from "awaiting your review" on the dashboard.
    browser_context.clear_cookies()
    sign_in_as(staff)
    page.goto("/cms/")
    approve = page.locator(f"button[data-workflow-action-url*='/{case.pk}/approve/']:not([data-launch-modal])")
    page.locator("tr", has=approve).locator(".actions-container [aria-label]").first.click()
    approve.click()
    expect(page).to_have_url(re.compile(r"/cms/$"))
    expect(approve).to_have_count(0)
    case.refresh_from_db()
    assert case.live

    # The public case page shows the metric and its computed improvement, but not the judges' section.
    browser_context.clear_cookies()
    page.goto(case.url)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    metric = page.locator(".case-body .metric")
    expect(metric.locator(".metric-name")).to_have_text("焊缝不良率")
    expect(metric.locator(".metric-change")).to_contain_text("75.0%")
    expect(page.locator("main")).not_to_contain_text("保护气体配比")
    expect(page.locator(".notice")).to_be_visible()
