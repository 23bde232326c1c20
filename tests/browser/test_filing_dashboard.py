"""A city regulator approves a CQO's appointment filing, and the dashboards change: the public figures go up
and the enterprise leaves the regulator's list of enterprises still without a CQO.

The steps find things by address, name and data attribute rather than by wording (the pages are in Chinese).
"""

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from alliance_site.filings import services as filing
from alliance_site.models import Enterprise, ProfileStatus


def test_regulator_approves_a_filing_and_the_dashboard_changes(
    page, sign_in_as, regulator, regions, make_enterprise, make_profile
):
    enterprise = make_enterprise(
        county=regions["zezhou"],
        name="泽州鑫达精密机械有限公司",
        size=Enterprise.Size.ABOVE_SCALE,
        quality_award_level=Enterprise.AwardLevel.CITY,
    )
    profile = make_profile(enterprise=enterprise, real_name="郭备案", status=ProfileStatus.APPLICANT)
    profile.appointment_letter = SimpleUploadedFile("任命书.pdf", b"%PDF-1.4 letter\n", "application/pdf")
    profile.save()
    submitted = filing.submit(profile, by=profile.user)

    # Before: the public dashboard shows no filed CQO and 0% of award enterprises covered.
    page.goto("/dashboard/")
    expect(page.locator("[data-figure=active]")).to_contain_text("0")
    expect(page.locator("[data-figure=award]")).to_have_text("0.0%")
    expect(page.locator("svg.chart").first).to_be_visible()

    # The regulator finds the enterprise on the region's list of enterprises without a CQO, filing under review.
    sign_in_as(regulator)
    page.goto("/dashboard/region/")
    gap_row = page.locator("tbody tr", has_text="泽州鑫达精密机械有限公司")
    expect(gap_row).to_have_count(1)
    expect(gap_row.locator(".badge-warn")).to_be_visible()

    # … opens the filing from the review list and approves it.
    page.goto("/filings/")
    page.locator(f"a[href='/filings/{submitted.pk}/']").click()
    expect(page).to_have_url(re.compile(rf"/filings/{submitted.pk}/$"))
    page.locator("form[action$='/decide/'] button[value=approve]").click()
    expect(page.locator(".badge-ok").first).to_be_visible()
    submitted.refresh_from_db()
    assert submitted.status == "approved"

    # After: the enterprise has left the gap list, and the region's figures count the new CQO.
    page.goto("/dashboard/region/")
    expect(page.locator("tbody tr", has_text="泽州鑫达精密机械有限公司")).to_have_count(0)
    expect(page.locator("[data-figure=active]")).to_have_text("1")
    jincheng_row = page.locator("table tr", has=page.locator("a[href='?region=140525']"))
    expect(jincheng_row.locator("td").first).to_have_text("1")

    # The public dashboard, as a visitor sees it, has moved too.
    page.context.clear_cookies()
    page.goto("/dashboard/")
    expect(page.locator("[data-figure=active]")).to_contain_text("1")
    expect(page.locator("[data-figure=award]")).to_have_text("100.0%")
