"""Demo boards and threads written for this project; at scale "large", 500 threads × 40 posts for the benchmark.

Written threads go through forums.posting (rendering, counts, notifications) as members would post them;
the benchmark threads are written straight into the tables. Idempotent: boards by slug, threads by title.
"""

import io
import random
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import Max
from django.test.utils import override_settings
from django.utils import timezone

from alliance_site.models import BodyPage

from . import notifications, posting
from .models import Board, Post, ProblemStatus, Thread
from .rendering import render

User = get_user_model()

BOARDS = [
    ("announcements", "联盟公告", Board.Kind.ANNOUNCEMENTS, True, "首席质量官联盟和首席质量官之家的通知与公告。"),
    ("exchange", "质量管理交流", Board.Kind.DISCUSSION, True, "首席质量官之间交流质量管理方法、工具和经验。"),
    ("members-salon", "会员沙龙", Board.Kind.DISCUSSION, False, "仅会员可见：企业内部经验、供应商和人才的交流。"),
    (
        "common-problems",
        "共性问题",
        Board.Kind.PROBLEMS,
        True,
        "推行首席质量官制度中遇到的共性问题，由联盟跟踪到解决。",
    ),
]

# (board slug, author username, title, first post, [(replier, text)], problem status or None)
THREADS = [
    (
        "announcements",
        "staff",
        "关于开展2026年度质量改进经典案例评比的通知",
        "各位首席质量官：\n\n2026年度质量改进经典案例评比现已开始报名。\n\n"
        "1. 参评案例须为本人作为作者、已在**案例库**发布的案例；\n2. 每位首席质量官限报一项；\n"
        "3. 初评为盲评，请勿在正文中出现企业名称。\n\n报名截止后秘书处将进行资格审查。",
        [],
        None,
    ),
    (
        "announcements",
        "staff",
        "首席质量官任职基础培训（第三期）报名通知",
        "第三期任职基础培训将于下月在太原举办，内容包括质量法律法规、质量管理体系和质量改进工具，"
        "共**16学时**。请在“活动”栏目报名，名额有限。",
        [],
        None,
    ),
    (
        "exchange",
        "member",
        "中小企业推行SPC，从哪几个工序开始比较好？",
        "我们是一家做精密铸件的中型企业，计划在机加工车间推行SPC。想请教各位：\n\n"
        "- 先选关键尺寸多的工序，还是不良率高的工序？\n- 控制图由班组长填还是质检员填？\n\n"
        "去年试过一次，最后变成了“为填图而填图”。",
        [
            (
                "judge",
                "建议先从**顾客投诉最多**的一两个特性入手，让大家看到控制图真的能提前发现问题。"
                "我们当时先做了缸孔直径，三个月后异常停机减少了一半。",
            ),
            ("moderator", "补充一点：控制图要和反应计划一起上墙，出现失控点谁来处理、多长时间处理，要写清楚。"),
            ("member", "谢谢两位！@刘建华 缸孔直径的子组是怎么取的？每班5件吗？"),
        ],
        None,
    ),
    (
        "exchange",
        "judge",
        "分享：用FMEA梳理新产品导入风险的几点体会",
        "新版FMEA（AIAG-VDA）七步法落地时，我们踩过几个坑：\n\n"
        "1. 结构分析不要一开始就铺得太细；\n2. 严重度评分要有统一的评分表，最好由质量部牵头校准；\n"
        "3. 措施优先级（AP）取代RPN后，高AP项必须有责任人和完成日期。\n\n欢迎大家交流。",
        [("member", "第3点很关键，我们以前RPN算完就放着了，没有跟踪。")],
        None,
    ),
    (
        "members-salon",
        "member",
        "求推荐：有经验的计量校准服务供应商（晋中、太原）",
        "公司新上了一批三坐标和粗糙度仪，想找本地有CNAS资质的校准机构，有合作过的同行推荐一下吗？",
        [("moderator", "可以看看省计量院太原分院，周期短一些。")],
        None,
    ),
    (
        "common-problems",
        "member",
        "小微企业首席质量官由副总兼任，时间精力不够怎么办？",
        "按文件要求，首席质量官应由企业副总经理或同等级别高管担任。我们企业规模小，副总同时管生产和质量，"
        "**质量例会经常被生产会挤掉**。其他企业是怎么安排的？",
        [
            ("judge", "我们的做法是把质量例会固定在每周一早上，和生产调度会合并开，前20分钟只谈质量。"),
            ("moderator", "这个问题比较普遍，联盟已记录，下次座谈会专门讨论，并请市场监管部门一起研究。"),
        ],
        ProblemStatus.OWNER_ASSIGNED,
    ),
    (
        "common-problems",
        "member",
        "首席质量官备案材料中的任命文件格式是否有统一要求？",
        "各县局要求不太一样，有的要红头文件，有的要董事会决议，想请联盟统一一下口径。",
        [("staff", "已与省局沟通：任命文件由企业法定代表人签发即可，格式不限，平台已提供参考模板。")],
        ProblemStatus.SOLVED,
    ),
    (
        "common-problems",
        "judge",
        "质量奖获奖企业首席质量官覆盖率统计口径不一致",
        "看板上的覆盖率和县局报表对不上，是否应以“已备案”为准？",
        [],
        ProblemStatus.ACKNOWLEDGED,
    ),
]

BENCH_THREADS, BENCH_POSTS = 500, 40
BENCH_BOARD = "bench-board"


def seed(scale="demo", stdout=None):
    stdout = stdout or io.StringIO()
    started = time.monotonic()
    users = {u.username: u for u in User.objects.filter(username__in={"staff", "member", "judge", "moderator"})}
    boards = ensure_boards(users)
    # The demo writes many posts at once from accounts created a moment ago: the rate limits would refuse them.
    no_limit = {"posts": (10**6, 1), "threads": (10**6, 1)}
    unlimited = {"new": no_limit, "regular": no_limit, "duplicate_window": 0}
    # … and its notifications are not worth an e-mail each.
    with override_settings(FORUM_RATE_LIMITS=unlimited), notifications.without_email():
        made = seed_written_threads(boards, users)
    stdout.write(f"Forums: {made} threads added ({time.monotonic() - started:.1f} s).")
    if scale == "large" and not Board.objects.filter(slug=BENCH_BOARD).exists():
        started = time.monotonic()
        seed_bench()
        stdout.write(
            f"Bench forum: {BENCH_THREADS} threads × {BENCH_POSTS} posts ({time.monotonic() - started:.1f} s)."
        )


def seed_written_threads(boards, users):
    made = 0
    for slug, author, title, text, replies, status in THREADS:
        if Thread.objects.filter(board=boards[slug], title=title).exists() or author not in users:
            continue
        thread = posting.start_thread(boards[slug], users[author], title, text)
        for replier, reply in replies:
            posting.reply(thread, users[replier], reply)
        if status is not None:
            thread.status = status
            thread.owner = users["moderator"] if status != ProblemStatus.NEW else None
            thread.save(update_fields=["status", "owner"])
        made += 1
    return made


def ensure_boards(users):
    alliance = BodyPage.objects.filter(kind=BodyPage.Kind.ALLIANCE).first()
    boards = {}
    for order, (slug, name, kind, public, description) in enumerate(BOARDS):
        board, created = Board.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "public": public,
                "description": description,
                "sort_order": order,
                "body": alliance,
            },
        )
        if created and "moderator" in users:
            board.moderators.add(users["moderator"])
        boards[slug] = board
    return boards


def seed_bench():
    """500 threads of 40 posts on one public board, by the bench members (straight into the tables)."""
    rng = random.Random(500)
    authors = list(User.objects.filter(username__startswith="bench").order_by("pk")[:400])
    board = Board.objects.create(
        name="基准测试版块", slug=BENCH_BOARD, kind=Board.Kind.DISCUSSION, public=True, sort_order=99
    )
    now = timezone.now()
    sentences = [
        "这个问题我们也遇到过，关键是把标准作业写清楚。",
        "建议先做现状调查，用**柏拉图**找出主要问题。",
        "控制图要和反应计划一起使用，否则只是记录。",
        "我们用8D方法处理客户投诉，D4的根因分析最花时间。",
        "精益改善要先稳定质量，再谈效率。",
    ]
    threads = Thread.objects.bulk_create(
        [
            Thread(
                board=board,
                title=f"质量管理交流第{n + 1}期：{rng.choice(['SPC', 'FMEA', '精益', '8D', 'QC小组'])}实践",
                author=rng.choice(authors),
                created_at=now - timedelta(days=n),
                last_post_at=now - timedelta(hours=n),
                post_count=BENCH_POSTS,
            )
            for n in range(BENCH_THREADS)
        ]
    )
    html_of = {s: render(s) for s in sentences}
    posts = []
    for thread in threads:
        for i in range(BENCH_POSTS):
            text = rng.choice(sentences)
            posts.append(
                Post(
                    thread=thread,
                    author=rng.choice(authors),
                    source=text,
                    html=html_of[text],
                    created_at=thread.created_at + timedelta(minutes=i),
                )
            )
    Post.objects.bulk_create(posts, batch_size=2000)
    last = dict(
        Post.objects.filter(thread__board=board)
        .values("thread_id")
        .annotate(last=Max("pk"))
        .values_list("thread_id", "last")
    )
    for thread in threads:
        thread.last_post_id = last[thread.pk]
    Thread.objects.bulk_update(threads, ["last_post_id"], batch_size=500)
