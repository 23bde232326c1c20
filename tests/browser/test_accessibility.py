"""axe-core finds no violations on the key pages, on a desktop screen and on a 360 px phone.

The run also saves full-page screenshots of the home, body and profile pages into screenshots/ (gitignored)
so the team can look at the layout at both widths.
"""

import datetime

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from alliance_site.models import (
    BodyMembership,
    BodyOfficer,
    BodyPage,
    ChapterOfficer,
    ChapterPage,
    CQOProfile,
    HomePage,
    ProfileStatus,
)

VIEWPORTS = {"1280px": {"width": 1280, "height": 900}, "360px": {"width": 360, "height": 780}}


@pytest.fixture
def site_content(regions, make_enterprise, make_profile, make_user):
    """Both bodies, a city chapter with officers and members, a public CQO card and a signed-in member."""
    home = HomePage.objects.get()
    alliance = home.add_child(
        instance=BodyPage(
            title="山西省企业首席质量官联盟",
            slug="alliance",
            kind=BodyPage.Kind.ALLIANCE,
            lead="全省首席质量官的交流合作平台",
            intro="<p>联盟由全省企业首席质量官自愿组成，开展学习交流、质量攻关和标准宣贯。</p>",
            charter="<h2>第一章 总则</h2><p>本联盟接受省市场监督管理局的业务指导。</p>",
            founded=datetime.date(2022, 5, 20),
            contact="0351-0000000",
        )
    )
    home.add_child(
        instance=BodyPage(
            title="首席质量官之家",
            slug="home-of-cqos",
            kind=BodyPage.Kind.HOME,
            lead="首席质量官自学提升、交流分享的家园",
            intro="<p>定期组织沙龙、企业互访和专题培训。</p>",
        )
    )
    chapter = alliance.add_child(
        instance=ChapterPage(
            title="晋城市分会",
            slug="jincheng",
            city=regions["jincheng"],
            intro="<p>晋城市分会联系全市装备制造、煤化工企业的首席质量官。</p>",
            contact="晋城市市场监督管理局质量发展科",
        )
    )
    foundry = make_enterprise(name="晋城精工铸造有限公司", county=regions["gaoping"])
    public = make_profile(
        make_user("li.jianguo"),
        status=ProfileStatus.ACTIVE,
        real_name="李建国",
        enterprise=foundry,
        position="副总经理兼质量总监",
        title="senior",
        education="master",
        years_in_quality=15,
        bio="从事铸造质量管理十五年，主持企业六西格玛项目二十余项。",
        visibility=CQOProfile.Visibility.PUBLIC,
        talent_pool_opt_in=True,
    )
    public.expertise.add("六西格玛", "可靠性工程")
    member = make_profile(
        make_user("zhao.min"),
        status=ProfileStatus.ACTIVE,
        real_name="赵敏",
        position="质量副总",
        talent_pool_opt_in=True,
    )
    BodyOfficer.objects.create(page=alliance, role="理事长", name="李建国", profile=public, affiliation=foundry.name)
    BodyOfficer.objects.create(page=alliance, role="秘书长", name="张华", affiliation="山西省质量协会")
    ChapterOfficer.objects.create(page=chapter, role="会长", name="李建国", profile=public)
    for profile in (public, member):
        BodyMembership.objects.create(
            profile=profile,
            body=alliance,
            chapter=chapter,
            motivation="交流质量管理经验",
            status=BodyMembership.Status.APPROVED,
        )
    return {"alliance": alliance, "chapter": chapter, "public": public, "member": member}


def describe(violations, label):
    lines = []
    for violation in violations:
        lines.append(f"{label}: {violation['id']} ({violation['impact']}) {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {' '.join(node['target'])}: {summary}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return lines


@pytest.mark.parametrize("viewport", VIEWPORTS.values(), ids=VIEWPORTS.keys())
def test_key_pages_have_no_axe_violations(page, live_server, sign_in_as, site_content, viewport, screenshot_dir):
    page.set_viewport_size(viewport)
    width = viewport["width"]
    axe = Axe()
    problems = []

    def check(name, path, screenshot=False):
        if path is not None:
            response = page.goto(path)
            assert response is not None and response.ok, f"{name} ({path}) answered {response and response.status}"
        page.wait_for_load_state()
        if screenshot:
            page.screenshot(path=screenshot_dir / f"{name}-{width}.png", full_page=True)
        label = f"{name} ({page.url.removeprefix(live_server.url)}) @{width}px"
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            problems.append(f"{label}: the page is {overflow}px wider than the screen")
        results = axe.run(page)
        problems.extend(describe(results.response["violations"], label))

    public = site_content["public"]
    check("home", "/", screenshot=True)
    check("body", site_content["alliance"].url, screenshot=True)
    check("chapter", site_content["chapter"].url)
    check("profile", reverse("members:detail", args=[public.pk]), screenshot=True)
    check("dashboard", reverse("dashboard"))
    check("sign-in", reverse("account_login"))
    check("sign-up", reverse("account_signup"))

    sign_in_as(site_content["member"].user)
    check("talent-pool", reverse("members:talent_pool"))
    check("own-profile", reverse("members:detail", args=[site_content["member"].pk]))
    check("profile-form", reverse("members:edit"))
    # The same form sent back with errors: the messages must be as accessible as the form.
    page.locator("#id_credit_code").fill("91140525MA00000010")
    page.locator("#id_years_in_quality").fill("")
    page.locator("main form.form button[type=submit]").click()
    page.locator(".form-errors").wait_for()
    check("profile-form-errors", None)

    assert not problems, "Accessibility problems:\n" + "\n".join(problems)
