"""The public competition pages (list, rules, timeline, entering a case, published results), their query budget,
and the demo competitions `manage.py seed_demo` adds.
"""

import datetime
import io
from datetime import UTC

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from alliance_site.models import ProfileStatus
from cases.competitions import demo
from cases.competitions.models import (
    Assignment,
    AwardLevel,
    CompetitionIndexPage,
    CompetitionPage,
    Entry,
    Round,
    RoundEntry,
    Score,
)
from tests import markup
from tests.alliance_site.helpers import ENGLISH, text

User = get_user_model()

RULES = "<p>参评案例须为本人作为作者、已在案例库发布的质量改进案例，每位首席质量官限报一项。</p>"
TIMELINE = [
    {"type": "milestone", "value": {"date": datetime.date(2026, 3, 1), "label": "开始报名"}},
    {"type": "milestone", "value": {"date": datetime.date(2026, 5, 31), "label": "报名截止"}},
]


def options_offered(page):
    """The cases offered in the "Enter a case" form, by title (None when there is no form)."""
    choice = markup.maybe_one(page, "form select#enter-case[name=case]")
    return None if choice is None else markup.texts(choice, "option[value]")


def enter_box(response):
    """The "Enter a case" card."""
    return markup.one(response, 'section[aria-labelledby="enter-title"]')


def publish_results(competition, when=None):
    CompetitionPage.objects.filter(pk=competition.pk).update(results_published_at=when or timezone.now())
    competition.refresh_from_db()


def award(entry, level_name, rank):
    entry.award = AwardLevel.objects.get(competition=entry.competition, name=level_name)
    entry.final_rank = rank
    entry.save(update_fields=["award", "final_rank"])


# The list and the competition page --------------------------------------------------------------------------


def test_the_list_shows_every_live_competition_to_visitors(make_competition, competition_index, client):
    published = make_competition(title="已公布结果的评比")
    make_competition(title="正在报名的评比")
    publish_results(published)
    response = client.get(competition_index.url, headers=ENGLISH)
    assert response.status_code == 200
    cards = {markup.text_of(card.h2): card for card in markup.select(response, "a.card-link")}
    assert {title: card["href"] for title, card in cards.items()} == {
        "已公布结果的评比": published.url,
        "正在报名的评比": CompetitionPage.objects.get(title="正在报名的评比").url,
    }
    assert "Results published" in markup.text_of(cards["已公布结果的评比"])
    assert "Results published" not in markup.text_of(cards["正在报名的评比"])


def test_a_competition_page_shows_its_rules_and_timeline_to_visitors(make_competition, client):
    competition = make_competition(title="规则与日程的评比", rules=RULES, timeline=TIMELINE)
    response = client.get(competition.url, headers=ENGLISH)
    assert response.status_code == 200
    html = text(response)
    assert "每位首席质量官限报一项" in html
    timeline = markup.select(response, 'section[aria-labelledby="timeline-title"] li')
    assert [(markup.text_of(item.strong), markup.text_of(item)) for item in timeline] == [
        ("2026-03-01", "2026-03-01 开始报名"),
        ("2026-05-31", "2026-05-31 报名截止"),
    ]
    assert 'id="results-title"' not in html


def test_the_results_appear_only_once_published(make_competition, make_entry, client):
    competition = make_competition(title="待公布的评比")
    winner = make_entry(competition, title="荣获一等奖的案例")
    award(winner, "一等奖", 1)
    html = text(client.get(competition.url, headers=ENGLISH))
    assert 'id="results-title"' not in html
    assert "荣获一等奖的案例" not in html

    publish_results(competition)
    results = markup.one(client.get(competition.url, headers=ENGLISH), 'section[aria-labelledby="results-title"]')
    [row] = results.select("tbody tr")
    assert markup.texts(row, "td")[:3] == ["一等奖", "1", "荣获一等奖的案例"]
    assert row.a["href"] == winner.case.url


def test_published_results_without_awards_say_so(make_competition, client):
    competition = make_competition()
    publish_results(competition)
    assert "No awards were given." in text(client.get(competition.url, headers=ENGLISH))


# Entering a case -------------------------------------------------------------------------------------------


@pytest.fixture
def other_member(make_profile):
    return make_profile(status=ProfileStatus.ACTIVE).user


def test_a_member_is_offered_only_their_published_cases_not_yet_entered(
    make_competition, make_case, member, other_member, client_for
):
    competition = make_competition()
    elsewhere = make_competition()
    make_case(member, title="我的已发布案例")
    make_case(member, live=False, title="我的草稿案例")
    make_case(other_member, title="别人的案例")
    co_written_entered = make_case(other_member, title="合写并已参评的案例", authors=[member.cqo_profile])
    Entry.objects.create(competition=competition, case=co_written_entered, entrant=other_member)
    entered_elsewhere = make_case(member, title="参加过其他评比的案例")
    Entry.objects.create(competition=elsewhere, case=entered_elsewhere, entrant=member)
    make_case(other_member, title="合写未参评的案例", authors=[member.cqo_profile])

    response = client_for(member).get(competition.url, headers=ENGLISH)
    assert response.status_code == 200
    assert sorted(options_offered(response)) == sorted(["我的已发布案例", "参加过其他评比的案例", "合写未参评的案例"])


def test_a_member_enters_a_case_from_the_page(make_competition, make_case, member, client_for):
    competition = make_competition()
    case = make_case(member, title="我的已发布案例")
    client = client_for(member)
    response = client.post(reverse("competitions:enter", args=[competition.pk]), {"case": case.pk})
    assert response.status_code == 302
    entry = Entry.objects.get(competition=competition)
    assert (entry.case, entry.entrant, entry.status) == (case, member, Entry.Status.SUBMITTED)
    box = enter_box(client.get(competition.url, headers=ENGLISH))
    assert "You entered “我的已发布案例”." in markup.text_of(box)
    assert options_offered(box) is None


@pytest.mark.parametrize(
    "who, open_for_entries, expected",
    [
        ("visitor", True, "Sign in as a member to enter a case."),
        ("applicant", True, "Only members (CQOs with a filed appointment) may enter cases."),
        ("judge", True, "Only members (CQOs with a filed appointment) may enter cases."),
        ("member", False, "Entries are not open: the entry window is "),
    ],
)
def test_the_page_says_why_someone_may_not_enter(
    make_competition, make_case, client_for, request, who, open_for_entries, expected
):
    competition = make_competition(open_for_entries=open_for_entries)
    user = request.getfixturevalue(who)
    if who == "member":
        make_case(user, title="我的已发布案例")
    response = client_for(user).get(competition.url, headers=ENGLISH)
    assert response.status_code == 200
    box = enter_box(response)
    assert expected in markup.text_of(box)
    assert options_offered(box) is None
    if not open_for_entries:
        closes = timezone.localtime(competition.entry_closes_at).strftime("%Y-%m-%d %H:%M")
        assert closes in markup.text_of(box)


def test_a_member_who_has_entered_sees_their_entry_and_no_form(
    make_competition, make_case, make_entry, member, client_for
):
    competition = make_competition()
    mine = make_case(member, title="我已参评的案例")
    make_case(member, title="我的另一个案例")
    entry = make_entry(competition, case=mine, status=Entry.Status.INELIGIBLE)
    Entry.objects.filter(pk=entry.pk).update(status_reason="案例实施期不符合要求。")
    box = enter_box(client_for(member).get(competition.url, headers=ENGLISH))
    assert "You entered “我已参评的案例”." in markup.text_of(box)
    assert "Not eligible" in markup.text_of(box) and "案例实施期不符合要求。" in markup.text_of(box)
    assert options_offered(box) is None
    assert "我的另一个案例" not in markup.text_of(box)


# Query budget ----------------------------------------------------------------------------------------------

# Queries for the published competition page, the same whether 3 or 30 entries are awarded. Visitor: site, 5 for
# routing, aliases, view restrictions, rounds, awarded entries. A member adds the session user, "already
# entered?", their entry and the cases they may enter.
PAGE_BUDGET = {"visitor": 10, "member": 14}


@pytest.mark.parametrize("viewer", ["visitor", "member"])
def test_the_published_competition_page_stays_within_its_budget(
    make_competition, make_case, make_user, member, client_for, django_assert_max_num_queries, viewer
):
    competition = make_competition(
        awards=(("一等奖", 10), ("二等奖", 10), ("三等奖", 10)), rules=RULES, timeline=TIMELINE
    )
    publish_results(competition)
    levels = ["一等奖", "二等奖", "三等奖"]
    added = []

    def add_awarded(count):
        for _ in range(count):
            rank = len(added) + 1
            case = make_case(member, title=f"获奖案例{rank:02d}")
            entry = Entry.objects.create(competition=competition, case=case, entrant=make_user())
            award(entry, levels[(rank - 1) // 10], rank)
            added.append(case.title)

    client = client_for(member if viewer == "member" else None)

    def measure():
        client.get(competition.url)  # warm the caches a running site keeps (menu, roles, site root paths)
        with django_assert_max_num_queries(PAGE_BUDGET[viewer]) as captured:
            response = client.get(competition.url)
        assert response.status_code == 200
        html = text(response)
        assert all(title in html for title in added)
        return len(captured)

    add_awarded(3)
    few = measure()
    add_awarded(27)
    assert measure() == few


# The demo competitions -------------------------------------------------------------------------------------


def counts():
    return {
        "competitions": CompetitionPage.objects.count(),
        "rounds": Round.objects.count(),
        "entries": Entry.objects.count(),
        "round entries": RoundEntry.objects.count(),
        "assignments": Assignment.objects.count(),
        "scores": Score.objects.count(),
    }


def seed_demo():
    output = io.StringIO()
    call_command("seed_demo", stdout=output)
    return output.getvalue()


@pytest.fixture(scope="class")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory):
    """`manage.py seed_demo` once for the class (the core and case library first); rolled back after its tests.

    Class-scoped, not module-scoped, so that the other tests of this module never run inside the demo data.
    """
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        output = seed_demo()
        yield output
        transaction.set_rollback(True)


class TestDemo:
    """The demo competitions: one played through to published awards, one open for judging."""

    def test_the_seed_adds_the_two_competitions(self, demo_site, db):
        assert "Competitions: 2 added" in demo_site
        index = CompetitionIndexPage.objects.get()
        slugs = set(CompetitionPage.objects.child_of(index).live().values_list("slug", flat=True))
        assert {demo.FINISHED_SLUG, demo.OPEN_SLUG} <= slugs

    def test_the_finished_competition_went_through_three_rounds_to_published_awards(self, demo_site, db, client):
        competition = CompetitionPage.objects.get(slug=demo.FINISHED_SLUG)
        rounds = list(competition.rounds.order_by("number"))
        assert [r.name for r in rounds] == ["初评", "复评", "终评（现场发表）"]
        assert all(r.status == Round.Status.FINAL for r in rounds)
        assert competition.results_published_at == datetime.datetime(2025, 10, 15, 2, tzinfo=UTC)
        sizes = [r.round_entries.count() for r in rounds]
        assert sizes[0] > sizes[1] > sizes[2] > 0
        for earlier, later in zip(rounds, rounds[1:], strict=False):
            advanced = set(earlier.round_entries.filter(advanced=True).values_list("entry_id", flat=True))
            assert advanced == set(later.round_entries.values_list("entry_id", flat=True))
        assert not Assignment.objects.filter(round_entry__round__in=rounds, submitted_at__isnull=True).exists()

        awarded = list(competition.entries.filter(award__isnull=False).select_related("award", "case"))
        quotas = {level.name: level.quota for level in competition.award_levels.all()}
        assert quotas == {"一等奖": 1, "二等奖": 2, "三等奖": 3}
        assert len(awarded) == sum(quotas.values())
        assert all(entry.final_rank is not None for entry in awarded)
        assert [e.award.name for e in awarded if e.final_rank == 1] == ["一等奖"]

        html = text(client.get(competition.url, headers=ENGLISH))
        assert 'id="results-title"' in html
        for entry in awarded:
            assert entry.case.title in html and entry.award.name in html

    def test_the_open_competition_has_round_one_open_with_work_left_for_the_demo_judge(self, demo_site, db, client):
        competition = CompetitionPage.objects.get(slug=demo.OPEN_SLUG)
        first, second = competition.rounds.order_by("number")
        assert (first.status, second.status) == (Round.Status.OPEN, Round.Status.DRAFT)
        assert first.accepts_scores()
        judge = User.objects.get(username="judge")
        mine = list(
            Assignment.objects.active().filter(round_entry__round=first, judge=judge).prefetch_related("scores")
        )
        assert mine
        assert any(a.statement_signed_at is None and not a.scores.all() for a in mine)  # still to do
        assert any(a.scores.all() for a in mine)  # some already scored
        every = Assignment.objects.active().filter(round_entry__round=first)
        assert every.filter(submitted_at__isnull=True).exists() and every.filter(submitted_at__isnull=False).exists()
        assert competition.results_published_at is None
        assert 'id="results-title"' not in text(client.get(competition.url, headers=ENGLISH))

    def test_no_demo_judge_scores_a_case_of_their_own_enterprise_or_authorship(self, demo_site, db):
        assignments = Assignment.objects.active().select_related(
            "judge__cqo_profile__enterprise", "round_entry__entry__case__enterprise"
        )
        checked = 0
        for assignment in assignments.filter(judge__cqo_profile__isnull=False):
            profile, case = assignment.judge.cqo_profile, assignment.round_entry.entry.case
            assert profile.enterprise_id != case.enterprise_id
            if case.enterprise.group_id is not None:
                assert profile.enterprise.group_id != case.enterprise.group_id
            assert not case.authors.filter(profile=profile).exists()
            checked += 1
        assert checked  # the demo judge is a CQO, so there is something to check

    def test_the_demo_judge_sees_the_open_round_in_my_judging(self, demo_site, db, client):
        client.force_login(User.objects.get(username="judge"))
        response = client.get(reverse("competitions:judging"), headers=ENGLISH)
        assert response.status_code == 200
        assert CompetitionPage.objects.get(slug=demo.OPEN_SLUG).title in text(response)

    def test_a_second_seed_adds_nothing(self, demo_site, db):
        before = counts()
        assert before["entries"] and before["assignments"] and before["scores"]
        output = seed_demo()
        assert counts() == before
        assert "Competitions: 0 added" in output


def test_staff_can_add_the_apps_top_pages_under_the_home_page_in_the_admin(client_for, staff):
    """The home page does not list its child types: each app's top page names the home page as its parent."""
    from django.urls import reverse

    from alliance_site.models import HomePage

    home = HomePage.objects.first()
    page = client_for(staff).get(reverse("wagtailadmin_pages:add_subpage", args=[home.pk])).content.decode()
    for app_label, model in [
        ("cases", "caseindexpage"),
        ("competitions", "competitionindexpage"),
        ("alliance_site", "bodypage"),
    ]:
        assert reverse("wagtailadmin_pages:add", args=[app_label, model, home.pk]) in page
    assert reverse("wagtailadmin_pages:add", args=["cases", "casepage", home.pk]) not in page
