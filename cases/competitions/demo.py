"""Demo competitions: one finished (three rounds, published awards) and one open for judging.

`seed(scale, stdout)` runs from the `alliance_seed_demo` hook after the case library's seed. The finished one
is played through the same functions staff and judges use (entries, assignment, scoring, advancement, awards),
so the demo shows what the code really produces. At scale "large" a benchmark round of 300 entries × 5 judges ×
8 criteria is written straight into the tables. Idempotent: competitions are looked up by slug.
"""

import io
import random
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from alliance_site.accounts import roles
from alliance_site.demo import core
from alliance_site.demo import data as core_data
from alliance_site.models import BodyPage, HomePage
from cases.models import CasePage

from . import judging, rubrics
from .models import (
    Assignment,
    AwardLevel,
    CompetitionIndexPage,
    CompetitionPage,
    Criterion,
    Entry,
    Round,
    RoundEntry,
    Score,
)

User = get_user_model()

# Outside experts named as judges (no CQO profile): with the demo user `judge`, six judges.
EXPERTS = [
    ("expert1", "王振宇"),
    ("expert2", "陈素梅"),
    ("expert3", "李国庆"),
    ("expert4", "赵文静"),
    ("expert5", "孙立强"),
]
FINISHED_SLUG = "2025-classic-cases"
OPEN_SLUG = "2026-classic-cases"
BENCH_SLUG = "bench-competition"
BENCH_ENTRIES, BENCH_JUDGES, BENCH_K, BENCH_CRITERIA = 300, 25, 5, 8


def seed(scale="demo", stdout=None):
    stdout = stdout or io.StringIO()
    started = time.monotonic()
    staff = User.objects.get(username=core_data.STAFF_USER[0])
    judges = ensure_judges()
    index = ensure_index(staff)
    alliance = BodyPage.objects.filter(kind=BodyPage.Kind.ALLIANCE).first()
    made = 0
    if not CompetitionPage.objects.filter(slug=FINISHED_SLUG).exists():
        seed_finished(index, alliance, staff, judges)
        made += 1
    if not CompetitionPage.objects.filter(slug=OPEN_SLUG).exists():
        seed_open(index, alliance, staff, judges)
        made += 1
    stdout.write(f"Competitions: {made} added ({time.monotonic() - started:.1f} s).")
    if scale == "large" and not CompetitionPage.objects.filter(slug=BENCH_SLUG).exists():
        started = time.monotonic()
        seed_bench(index, staff)
        stdout.write(
            f"Bench competition: {BENCH_ENTRIES} entries × {BENCH_K} judges ({time.monotonic() - started:.1f} s)."
        )


def ensure_judges():
    judges = [User.objects.get(username="judge")]
    for username, name in EXPERTS:
        user = core.get_or_create_user(username, name)
        core.add_to_group(user, roles.JUDGE)
        judges.append(user)
    return judges


def ensure_index(staff):
    index = CompetitionIndexPage.objects.first()
    if index is None:
        index = core.add_published_child(
            HomePage.objects.first(),
            CompetitionIndexPage(
                title="案例评比",
                slug="competitions",
                intro="首席质量官联盟和首席质量官之家组织的质量改进经典案例评比：规则、评审进度和获奖名单。",
            ),
            staff,
        )
    return index


def aware(*args):
    return datetime(*args, tzinfo=UTC)


def new_competition(index, alliance, staff, slug, title, opens, closes, announce):
    page = CompetitionPage(
        title=title,
        slug=slug,
        organizer=alliance,
        summary="面向全省首席质量官征集质量改进经典案例，经初评、复评和终评（现场发表）评出一、二、三等奖。",
        rules=(
            "<p>参评案例须为本人作为作者、已在案例库发布的质量改进案例，每位首席质量官限报一项。</p>"
            "<p>初评为盲评；复评、终评按问题解决型评分标准打分。评委与参评企业、同一集团或案例作者存在利害关系的，应当回避。</p>"
        ),
        timeline=[
            {"type": "milestone", "value": {"date": opens.date(), "label": "开始报名"}},
            {"type": "milestone", "value": {"date": closes.date(), "label": "报名截止"}},
            {"type": "milestone", "value": {"date": announce, "label": "公布结果"}},
        ],
        entry_opens_at=opens,
        entry_closes_at=closes,
        results_announcement=announce,
    )
    core.add_published_child(index, page, staff)
    page.award_levels.set(
        [AwardLevel(name="一等奖", quota=1), AwardLevel(name="二等奖", quota=2), AwardLevel(name="三等奖", quota=3)]
    )
    page.save()
    return page


def add_round(competition, number, name, template, k, aggregation, judges, **fields):
    round_ = Round.objects.create(
        competition=competition, number=number, name=name, judges_per_entry=k, aggregation=aggregation, **fields
    )
    round_.judges.set(judges)
    for order, (criterion, points) in enumerate(rubrics.criteria_of(template)):
        Criterion.objects.create(round=round_, name=criterion, max_points=points, sort_order=order)
    return round_


def enter_demo_cases(competition, staff, limit):
    """Enter one published written case per first author (entrants), and mark them eligible."""
    seen, entries = set(), []
    cases = CasePage.objects.live().exclude(slug__startswith="bench-").select_related("owner").order_by("pk")
    for case in cases:
        if case.owner_id in seen or len(entries) >= limit:
            continue
        seen.add(case.owner_id)
        entry = Entry.objects.create(competition=competition, case=case, entrant=case.owner)
        judging.mark_entry(entry, Entry.Status.ELIGIBLE, "", staff)
        entries.append(entry)
    return entries


def judge_round(round_, staff, rng, quality):
    """Open the round, let every assigned judge sign and score (by the entry's quality plus noise), close it."""
    judging.populate_round(round_)
    judging.assign_judges(round_, staff)
    round_.status = Round.Status.OPEN
    round_.save(update_fields=["status"])
    for assignment in (
        Assignment.objects.active().filter(round_entry__round=round_).select_related("judge", "round_entry")
    ):
        score_assignment(assignment, round_, rng, quality[assignment.round_entry.entry_id])
    round_.status = Round.Status.CLOSED
    round_.save(update_fields=["status"])


def score_assignment(assignment, round_, rng, quality, submit=True):
    judging.sign_statement(assignment)
    values = {}
    for criterion in round_.criterion_list:
        share = min(1.0, max(0.3, quality + rng.uniform(-0.08, 0.08)))
        points = Decimal(round(float(criterion.max_points) * share * 2) / 2)
        values[criterion] = (str(points), "", "")
    judging.save_scores(assignment, assignment.judge, values, comment=(rng.choice(COMMENTS), ""), submit=submit)


COMMENTS = [
    "选题紧扣顾客痛点，数据链条完整，建议补充改进后的过程能力分析。",
    "要因确认方法得当，对策实施有现场证据；效果巩固措施可再具体。",
    "成果显著，经济效益计算依据清楚；报告结构可进一步精炼。",
    "现状调查充分，但目标设定依据略显不足，建议结合行业标杆。",
]


def seed_finished(index, alliance, staff, judges):
    """2025: three rounds played through, awards decided and published."""
    competition = new_competition(
        index,
        alliance,
        staff,
        FINISHED_SLUG,
        "2025年度质量改进经典案例评比",
        aware(2025, 3, 1),
        aware(2025, 5, 31),
        aware(2025, 10, 15).date(),
    )
    entries = enter_demo_cases(competition, staff, limit=12)
    rng = random.Random(2025)
    quality = {entry.pk: rng.uniform(0.62, 0.95) for entry in entries}
    first = add_round(
        competition,
        1,
        "初评",
        "problem_solving",
        3,
        Round.Aggregation.MEAN,
        judges,
        blind=True,
        advancement=Round.Advancement.TOP_N,
        advancement_value=Decimal(8),
    )
    second = add_round(
        competition,
        2,
        "复评",
        "problem_solving",
        5,
        Round.Aggregation.TRIMMED,
        judges,
        advancement=Round.Advancement.TOP_N,
        advancement_value=Decimal(6),
    )
    final = add_round(competition, 3, "终评（现场发表）", "presentation", 5, Round.Aggregation.ZSCORE, judges)
    for round_ in (first, second):
        judge_round(round_, staff, rng, quality)
        judging.advance(round_, staff)
    judge_round(final, staff, rng, quality)
    judging.decide_awards(final, staff)
    judging.publish_results(final, staff, when=aware(2025, 10, 15, 2))


def seed_open(index, alliance, staff, judges):
    """2026: entries closed, the first round open; the demo judge has scored some entries, not all."""
    now = timezone.now()
    competition = new_competition(
        index,
        alliance,
        staff,
        OPEN_SLUG,
        "2026年度质量改进经典案例评比",
        now - timedelta(days=60),
        now - timedelta(days=5),
        (now + timedelta(days=60)).date(),
    )
    entries = enter_demo_cases(competition, staff, limit=10)
    first = add_round(
        competition,
        1,
        "初评",
        "problem_solving",
        3,
        Round.Aggregation.MEAN,
        judges,
        blind=True,
        advancement=Round.Advancement.TOP_PERCENT,
        advancement_value=Decimal(50),
        opens_at=now - timedelta(days=3),
        closes_at=now + timedelta(days=25),
    )
    add_round(competition, 2, "终评", "presentation", 5, Round.Aggregation.TRIMMED, judges)
    judging.populate_round(first)
    judging.assign_judges(first, staff)
    first.status = Round.Status.OPEN
    first.save(update_fields=["status"])
    rng = random.Random(2026)
    quality = {entry.pk: rng.uniform(0.6, 0.95) for entry in entries}
    demo_judge_seen = 0
    for n, assignment in enumerate(
        Assignment.objects.active()
        .filter(round_entry__round=first)
        .select_related("judge", "round_entry")
        .order_by("pk")
    ):
        if assignment.judge.username == "judge":
            demo_judge_seen += 1
            if demo_judge_seen % 3 == 0:
                continue  # the demo judge still has entries to open and score
        score_assignment(assignment, first, rng, quality[assignment.round_entry.entry_id], submit=n % 4 != 1)


def seed_bench(index, staff):
    """300 entries × 5 judges × 8 criteria of submitted scores, straight into the tables (benchmark)."""
    rng = random.Random(300)
    judges = []
    for n in range(BENCH_JUDGES):
        user = core.get_or_create_user(f"bench-judge-{n:02d}", f"评委{n:02d}")
        core.add_to_group(user, roles.JUDGE)
        judges.append(user)
    competition = new_competition(
        index, None, staff, BENCH_SLUG, "基准测试评比", aware(2024, 1, 1), aware(2024, 2, 1), aware(2024, 6, 1).date()
    )
    round_ = Round.objects.create(
        competition=competition, number=1, name="初评", judges_per_entry=BENCH_K, status=Round.Status.CLOSED
    )
    round_.judges.set(judges)
    criteria = Criterion.objects.bulk_create(
        [
            Criterion(round=round_, name=f"评分项{n + 1}", max_points=Decimal(10 + n), sort_order=n)
            for n in range(BENCH_CRITERIA)
        ]
    )
    cases = list(CasePage.objects.filter(slug__startswith="bench-case-").select_related("owner").order_by("pk"))
    chosen, owners = [], set()
    for case in cases:
        if case.owner_id not in owners:
            owners.add(case.owner_id)
            chosen.append(case)
        if len(chosen) == BENCH_ENTRIES:
            break
    entries = Entry.objects.bulk_create(
        [Entry(competition=competition, case=case, entrant=case.owner, status=Entry.Status.ELIGIBLE) for case in chosen]
    )
    round_entries = RoundEntry.objects.bulk_create([RoundEntry(round=round_, entry=entry) for entry in entries])
    signed = timezone.now()
    assignments = Assignment.objects.bulk_create(
        [
            Assignment(
                round_entry=re,
                judge=judges[(i * BENCH_K + j) % BENCH_JUDGES],
                statement_signed_at=signed,
                submitted_at=signed,
            )
            for i, re in enumerate(round_entries)
            for j in range(BENCH_K)
        ]
    )
    Score.objects.bulk_create(
        [
            Score(assignment=a, criterion=c, points=Decimal(round(float(c.max_points) * rng.uniform(0.5, 1.0) * 2) / 2))
            for a in assignments
            for c in criteria
        ],
        batch_size=2000,
    )
