"""Demo events: past and upcoming events of every kind, with registrations, attendance and evaluations.

Dates are set relative to the day the seed runs, so upcoming events stay upcoming. Past events are played
through the same check-in function staff use (which writes training records and certificates); upcoming
ones through `registration.register`, so one of them is full with a waitlist. The demo member `member` has
attended three events (two evaluated, one still to evaluate), holds a seat in an upcoming training and
waits on the waitlist of the full one. At scale "large" 300 events are added, one of them with 250
registrations. Idempotent: events are looked up by slug.
"""

import io
import random
import time
from datetime import datetime, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from alliance_site.demo import core
from alliance_site.demo import data as core_data
from alliance_site.models import BodyPage, CQOProfile, HomePage, Region

from . import attendance, notifications, registration
from .models import Evaluation, EventIndexPage, EventPage, EventSpeaker, Registration, TrainingLevel

User = get_user_model()
Kind = EventPage.Kind
Mode = EventPage.Mode

BENCH_EVENTS = 300
BENCH_SLUG = "bench-event"
BENCH_REGISTRATIONS = 250

AGENDA = [
    ("09:00", "09:30", "签到、开班", ""),
    ("09:30", "11:30", "专题讲授", "讲师"),
    ("13:30", "15:30", "案例研讨与分组练习", ""),
    ("15:45", "16:30", "交流答疑与小结", ""),
]

# slug, title, kind, mode, day offset, hours long, city code, venue, body kind, audience, capacity, hours, level,
# summary, speakers
EVENTS = [
    (
        "2026-basic-training-1",
        "2026年第一期首席质量官任职基础培训（太原）",
        Kind.BASIC_TRAINING,
        Mode.OFFLINE,
        -62,
        8,
        "140100",
        "山西省质量技术交流中心 3 楼报告厅",
        "alliance",
        "members",
        60,
        "12",
        TrainingLevel.BASIC,
        "面向新任首席质量官的任职基础培训：质量法律法规、质量管理体系、首席质量官职责与备案要求。",
        [("李国庆", "省质量协会 副秘书长", "首席质量官的职责与履职"), ("陈素梅", "高级工程师", "质量管理体系要点")],
    ),
    (
        "2026-quality-forum-spring",
        "第三届山西质量论坛：数字化转型与质量管理",
        Kind.FORUM,
        Mode.HYBRID,
        -41,
        4,
        "140100",
        "太原国际会展中心 B 馆会议室",
        "alliance",
        "public",
        300,
        "3",
        TrainingLevel.CONTINUING,
        "政府部门、企业首席质量官和专家共同探讨数字化时代的质量管理创新。",
        [
            ("王振宇", "质量管理专家", "数字化质量管理的路径"),
            ("王晓峰", "晋城华瑞精密铸造 副总经理", "铸造企业的SPC实践"),
        ],
    ),
    (
        "2026-excellence-capability",
        "卓越绩效模式能力提升研修班",
        Kind.CAPABILITY_TRAINING,
        Mode.OFFLINE,
        -30,
        8,
        "140400",
        "长治市质量服务中心培训室",
        "alliance",
        "members",
        40,
        "16",
        TrainingLevel.CAPABILITY,
        "两天研修：卓越绩效评价准则解读、自评报告撰写和标杆企业经验交流。",
        [("赵文静", "全国质量奖评审员", "卓越绩效评价准则")],
    ),
    (
        "2026-site-visit-lean",
        "现场观摩：精益生产示范线",
        Kind.SITE_VISIT,
        Mode.OFFLINE,
        -19,
        4,
        "140100",
        "太原经济技术开发区某装备制造企业",
        "home",
        "members",
        30,
        "4",
        TrainingLevel.CONTINUING,
        "走进精益生产示范线，看标准作业、快速换模和目视化管理如何落地。",
        [],
    ),
    (
        "2026-qc-case-study",
        "QC小组成果案例剖析会（线上）",
        Kind.CASE_STUDY,
        Mode.ONLINE,
        -9,
        2,
        "",
        "",
        "home",
        "members",
        None,
        "2",
        TrainingLevel.CONTINUING,
        "剖析三项省级优秀QC小组成果：选题、现状调查、要因确认和效果检查中常见的问题。",
        [("孙立强", "QC小组活动诊断师", "成果报告常见问题")],
    ),
    (
        "2026-basic-training-2",
        "2026年第二期首席质量官任职基础培训（大同）",
        Kind.BASIC_TRAINING,
        Mode.OFFLINE,
        10,
        8,
        "140200",
        "大同市市场监管局培训中心",
        "alliance",
        "members",
        50,
        "12",
        TrainingLevel.BASIC,
        "第二期任职基础培训，面向大同、朔州、忻州新任首席质量官。",
        [("李国庆", "省质量协会 副秘书长", "首席质量官的职责与履职")],
    ),
    (
        "2026-group-supply-chain",
        "分组交流：供应链质量管理",
        Kind.GROUP,
        Mode.OFFLINE,
        14,
        3,
        "140500",
        "晋城市首席质量官之家活动室",
        "home",
        "members",
        6,
        "0",
        "",
        "小范围分组交流：供应商准入、来料检验和供应商质量改进的做法与难题。",
        [],
    ),
    (
        "2026-continuing-cost-of-quality",
        "继续教育：质量成本管理（线上课程）",
        Kind.CONTINUING,
        Mode.ONLINE,
        21,
        3,
        "",
        "",
        "alliance",
        "public",
        None,
        "3",
        TrainingLevel.CONTINUING,
        "质量成本的构成、核算与分析，如何用质量成本报告推动改进。",
        [("陈素梅", "高级工程师", "质量成本管理")],
    ),
    (
        "2026-site-visit-ev-parts",
        "现场观摩：新能源汽车零部件智能工厂",
        Kind.SITE_VISIT,
        Mode.OFFLINE,
        28,
        4,
        "140500",
        "晋城经济技术开发区",
        "home",
        "members",
        25,
        "4",
        TrainingLevel.CONTINUING,
        "观摩在线检测、质量追溯系统和防错装置在智能工厂中的应用。",
        [],
    ),
    (
        "2026-quality-forum-winter",
        "2026山西质量论坛（冬季）：质量强省与首席质量官",
        Kind.FORUM,
        Mode.HYBRID,
        35,
        4,
        "140100",
        "山西省科技馆报告厅",
        "alliance",
        "public",
        300,
        "3",
        TrainingLevel.CONTINUING,
        "回顾一年来首席质量官制度的推进，发布质量改进经典案例，交流质量强省建设经验。",
        [("王振宇", "质量管理专家", "质量强省与企业质量治理")],
    ),
    (
        "2027-six-sigma-capability",
        "能力提升培训：六西格玛黑带",
        Kind.CAPABILITY_TRAINING,
        Mode.OFFLINE,
        48,
        8,
        "140100",
        "山西省质量技术交流中心",
        "alliance",
        "members",
        40,
        "32",
        TrainingLevel.CAPABILITY,
        "四天黑带课程：DMAIC、试验设计、过程能力和项目辅导；报名将于近期开放。",
        [("刘建华", "总工程师", "DMAIC与试验设计")],
    ),
]

COMMENTS = ["案例很实用，希望多安排现场交流。", "时间有点紧，讨论不够充分。", "讲师讲得清楚，资料很好。", ""]
APPLY = ["回去在车间推行标准作业和点检表。", "用控制图监控关键工序。", "按准则重新梳理自评报告。", ""]


def seed(scale="demo", stdout=None):
    stdout = stdout or io.StringIO()
    started = time.monotonic()
    staff = User.objects.get(username=core_data.STAFF_USER[0])
    index = ensure_index(staff)
    bodies = {body.kind: body for body in BodyPage.objects.all()}
    cities = {region.code: region for region in Region.objects.filter(level=Region.Level.CITY)}
    made = 0
    with notifications.without_email():
        for spec in EVENTS:
            if not EventPage.objects.filter(slug=spec[0]).exists():
                create_event(index, spec, bodies, cities, staff)
                made += 1
        if made:
            seed_registrations(staff)
    stdout.write(f"Events: {made} added ({time.monotonic() - started:.1f} s).")
    if scale == "large" and not EventPage.objects.filter(slug=f"{BENCH_SLUG}-0001").exists():
        started = time.monotonic()
        seed_bench(index, bodies, cities)
        stdout.write(f"Bench events: {BENCH_EVENTS} ({time.monotonic() - started:.1f} s).")


def ensure_index(staff):
    index = EventIndexPage.objects.first()
    if index is None:
        index = core.add_published_child(
            HomePage.objects.first(),
            EventIndexPage(
                title="活动与培训",
                slug="events",
                intro="质量论坛、任职基础培训、能力提升培训、继续教育、案例剖析、分组交流和现场观摩：报名、签到与学时。",
            ),
            staff,
        )
    return index


def at(day_offset, clock="09:00"):
    hour, minute = (int(part) for part in clock.split(":"))
    day = timezone.localdate() + timedelta(days=day_offset)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


def create_event(index, spec, bodies, cities, staff):
    (
        slug,
        title,
        kind,
        mode,
        offset,
        length,
        city,
        venue,
        body,
        audience,
        capacity,
        hours,
        level,
        summary,
        speakers,
    ) = spec
    starts = at(offset)
    opens = starts - timedelta(days=45)
    if slug.startswith("2027"):
        opens = timezone.now() + timedelta(days=5)  # not open yet: shows "registration opens on …"
    page = EventPage(
        title=title,
        slug=slug,
        kind=kind,
        mode=mode,
        summary=summary,
        description=f"<p>{summary}</p><p>请提前10分钟到场签到，出示报名后生成的电子票二维码。</p>",
        starts_at=starts,
        ends_at=starts + timedelta(hours=length),
        city=cities.get(city),
        venue=venue,
        online_url="https://meeting.example.cn/j/2026" + slug[-4:] if mode != Mode.OFFLINE else "",
        organizer=bodies.get(body),
        audience=audience,
        capacity=capacity,
        registration_opens_at=opens,
        registration_closes_at=starts - timedelta(days=1),
        hours=Decimal(hours),
        level=level,
        agenda=[
            {
                "type": "day",
                "value": {
                    "date": starts.date(),
                    "items": [
                        {"starts": s, "ends": e, "title": t, "speaker": sp, "note": ""} for s, e, t, sp in AGENDA
                    ],
                },
            }
        ]
        if length >= 8
        else [],
    )
    for name, affiliation, topic in speakers:
        page.speakers.add(EventSpeaker(name=name, affiliation=affiliation, topic=topic))
    return core.add_published_child(index, page, staff)


def seed_registrations(staff):
    """Past events: registrations, attendance (about four in five) and evaluations. Upcoming: sign-ups."""
    rng = random.Random(2026)
    members = list(CQOProfile.objects.members().select_related("user").order_by("pk"))
    member = User.objects.get(username="member")
    others = [p.user for p in members if p.user_id != member.pk]
    now = timezone.now()
    for event in EventPage.objects.filter(slug__in=[spec[0] for spec in EVENTS]).order_by("starts_at"):
        if Registration.objects.filter(event=event).exists():
            continue
        if event.has_ended(now):
            seed_past_event(event, member, others, staff, rng)
        elif event.registration_open(now):
            people = others[:] if event.capacity is None or event.capacity > 10 else others[: event.capacity + 3]
            rng.shuffle(people)
            for user in people[: min(len(people), 12)]:
                registration.register(event, user)
    # The demo member: a seat at the next basic training, and a waitlist place for the full group exchange.
    for slug in ("2026-basic-training-2", "2026-group-supply-chain"):
        event = EventPage.objects.get(slug=slug)
        if event.registration_open(now):
            registration.register(event, member)


def seed_past_event(event, member, others, staff, rng):
    people = others[:]
    rng.shuffle(people)
    attendees = people[: min(len(people), 14)]
    if event.slug in ("2026-basic-training-1", "2026-quality-forum-spring", "2026-excellence-capability"):
        attendees.append(member)
    registrations = Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                user=user,
                status=Registration.Status.CONFIRMED,
                queued_at=event.starts_at - timedelta(days=10, minutes=i),
                confirmed_at=event.starts_at - timedelta(days=10, minutes=i),
            )
            for i, user in enumerate(attendees)
        ]
    )
    for item in registrations:
        item.event = event
        no_show = item.user_id != member.pk and rng.random() < 0.2
        if no_show:
            continue
        attendance.check_in(item, by=staff, now=event.starts_at - timedelta(minutes=rng.randint(1, 30)))
        evaluates = item.user_id != member.pk and rng.random() < 0.75
        if item.user_id == member.pk:
            evaluates = event.slug != "2026-excellence-capability"  # left for the demo member to do
        if evaluates:
            before = rng.randint(1, 3)
            Evaluation.objects.create(
                registration=item,
                content=rng.choice([3, 4, 4, 5, 5]),
                speakers=rng.choice([3, 4, 5, 5]),
                organisation=rng.choice([2, 3, 4, 4, 5]),
                usefulness=rng.choice([3, 4, 4, 5]),
                knowledge_before=before,
                knowledge_after=min(5, before + rng.choice([0, 1, 1, 2])),
                will_apply=rng.choice(APPLY),
                comments=rng.choice(COMMENTS),
                submitted_at=event.ends_at + timedelta(hours=rng.randint(1, 72)),
            )


def seed_bench(index, bodies, cities):
    """300 events spread over two years around today, straight under the index (no revisions), and one with
    250 registrations (200 confirmed, 50 waitlisted) for the event page benchmark."""
    rng = random.Random(300)
    city_list = list(cities.values())
    body_list = list(bodies.values())
    kinds = list(Kind)
    for n in range(1, BENCH_EVENTS + 1):
        kind = kinds[n % len(kinds)]
        starts = at(rng.randint(-365, 365), rng.choice(["09:00", "14:00"]))
        mode = rng.choice([Mode.OFFLINE, Mode.OFFLINE, Mode.ONLINE, Mode.HYBRID])
        index.add_child(
            instance=EventPage(
                title=f"基准活动第{n}期：{kind.label}",
                slug=f"{BENCH_SLUG}-{n:04d}",
                kind=kind,
                mode=mode,
                summary="基准测试用活动：质量管理专题培训与交流。",
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                city=rng.choice(city_list),
                venue="培训中心" if mode != Mode.ONLINE else "",
                online_url="https://meeting.example.cn/j/bench" if mode != Mode.OFFLINE else "",
                organizer=rng.choice(body_list),
                audience=rng.choice(["members", "public"]),
                capacity=200,
                hours=Decimal("3"),
                level=TrainingLevel.CONTINUING,
                live=True,
            )
        )
    event = EventPage.objects.get(slug=f"{BENCH_SLUG}-0001")
    EventPage.objects.filter(pk=event.pk).update(starts_at=at(30), ends_at=at(30) + timedelta(hours=3))
    users = list(User.objects.filter(username__startswith=core_data.BENCH_PREFIX).order_by("pk")[:BENCH_REGISTRATIONS])
    now = timezone.now()
    Registration.objects.bulk_create(
        [
            Registration(
                event=event,
                user=user,
                status=Registration.Status.CONFIRMED if i < 200 else Registration.Status.WAITLISTED,
                queued_at=now - timedelta(minutes=BENCH_REGISTRATIONS - i),
                confirmed_at=now if i < 200 else None,
            )
            for i, user in enumerate(users)
        ],
        batch_size=500,
    )
