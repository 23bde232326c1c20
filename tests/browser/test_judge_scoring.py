"""A judge scores an entry on a phone (390 px wide), as at a live final: statement, points, submit.

The steps find things by address, name and attribute rather than by wording (the pages are in Chinese).
"""

import datetime
import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from alliance_site.accounts import roles
from alliance_site.models import HomePage, ProfileStatus
from cases.competitions import judging
from cases.competitions.models import Assignment, CompetitionIndexPage, CompetitionPage, Criterion, Entry, Round
from cases.models import CaseAuthor, CaseIndexPage, CasePage

PHONE = {"width": 390, "height": 844}


def published_case(index, author):
    case = CasePage(
        title="提高铸件一次合格率",
        slug="casting",
        summary="铸件一次合格率由91%提高到98%。",
        enterprise=author.cqo_profile.enterprise,
        industry="C",
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 12, 31),
        owner=author,
        body=[
            {
                "type": "section",
                "value": {
                    "heading": "核心工艺参数",
                    "visibility": "judges",
                    "content": [{"type": "text", "value": "<p>浇注温度1420℃。</p>"}],
                },
            }
        ],
    )
    case.authors = [CaseAuthor(profile=author.cqo_profile, sort_order=0)]
    index.add_child(instance=case)
    case.save_revision(user=author).publish(user=author, skip_permission_checks=True)
    return case


def test_judge_scores_an_entry_on_a_phone(page, sign_in_as, make_profile, make_enterprise, staff, screenshot_dir):
    home = HomePage.objects.first()
    case_index = home.add_child(instance=CaseIndexPage(title="案例库", slug="cases"))
    author = make_profile(status=ProfileStatus.ACTIVE, real_name="王质量", enterprise=make_enterprise()).user
    case = published_case(case_index, author)
    now = timezone.now()
    competition = CompetitionPage(
        title="2026年度评比",
        slug="c2026",
        summary="评比。",
        entry_opens_at=now - datetime.timedelta(days=20),
        entry_closes_at=now - datetime.timedelta(days=1),
    )
    home.add_child(instance=CompetitionIndexPage(title="案例评比", slug="competitions")).add_child(instance=competition)
    judge = get_user_model().objects.create_user("judge-phone", "judge-phone@example.cn", "x")
    judge.groups.add(roles.group_of(roles.JUDGE))
    round_ = Round.objects.create(competition=competition, name="终评", judges_per_entry=1, blind=True)
    for order, (name, points) in enumerate([("逻辑性", "6"), ("专业性", "6"), ("表达", "4")]):
        Criterion.objects.create(round=round_, name=name, max_points=Decimal(points), sort_order=order)
    round_.judges.set([judge])
    Entry.objects.create(competition=competition, case=case, entrant=author, status=Entry.Status.ELIGIBLE)
    judging.populate_round(round_)
    judging.assign_judges(round_, staff)
    round_.status = Round.Status.OPEN
    round_.save()
    assignment = Assignment.objects.get()

    page.set_viewport_size(PHONE)
    sign_in_as(judge)
    page.goto("/my/competitions/judging/")
    page.locator(f"#assignment-{assignment.pk} a").click()
    expect(page).to_have_url(re.compile(rf"/my/competitions/judging/{assignment.pk}/$"))

    # The no-conflict statement comes first.
    page.locator("input[name=no_conflict]").check()
    page.locator(f"form[action$='/{assignment.pk}/statement/'] button[type=submit]").click()

    # Blind: the judges-only section is there, the author's name is not.
    expect(page.locator("main")).to_contain_text("浇注温度1420℃")
    expect(page.locator("main")).not_to_contain_text("王质量")
    sheet = page.locator("form.score-sheet")
    assert sheet.bounding_box()["width"] <= PHONE["width"]  # the sheet fits the phone's width

    criteria = list(round_.criteria.order_by("sort_order"))
    sheet.locator(f"#c{criteria[0].pk}").fill("7")  # above the maximum of 6
    sheet.locator(f"#c{criteria[1].pk}").fill("5.5")
    sheet.locator(f"#c{criteria[2].pk}").fill("3")
    sheet.locator("button[name=action][value=save]").click()
    expect(page.locator(".form-errors")).to_be_visible()
    assert not assignment.scores.exists()

    sheet.locator(f"#c{criteria[0].pk}").fill("5")
    sheet.locator("#comment").fill("逻辑清楚，数据翔实。")
    page.screenshot(path=str(screenshot_dir / "judge-scoring-390.png"), full_page=True)
    sheet.locator("button[name=action][value=submit]").click()
    expect(page.locator(".messages .message-success")).to_be_visible()
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None
    assert {s.criterion.name: s.points for s in assignment.scores.select_related("criterion")} == {
        "逻辑性": Decimal("5"),
        "专业性": Decimal("5.5"),
        "表达": Decimal("3"),
    }
    expect(page.locator(".total strong")).to_have_text("13.5")
