"""Fixtures for the competition tests: a competition page, rounds with criteria, judges and entries.

The case fixtures (case_index, make_case, section, metric) are shared with tests/cases.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from alliance_site.accounts import roles
from alliance_site.models import HomePage, ProfileStatus
from cases.competitions.models import AwardLevel, CompetitionIndexPage, CompetitionPage, Criterion, Entry, Round
from tests.cases.conftest import case_index, case_media_root, make_case, metric, section  # noqa: F401


@pytest.fixture
def competition_index(db):
    home = HomePage.objects.first()
    return home.add_child(instance=CompetitionIndexPage(title="案例评比", slug="competitions"))


@pytest.fixture
def make_competition(competition_index):
    """make_competition(open_for_entries=True, **fields): a live competition with awards 一等奖 1, 二等奖 2."""
    counter = iter(range(1, 10_000))

    def make(*, open_for_entries=True, awards=(("一等奖", 1), ("二等奖", 2)), **fields):
        serial = next(counter)
        now = timezone.now()
        defaults = {
            "title": f"测试评比{serial}",
            "slug": f"competition-{serial}",
            "summary": "质量改进经典案例评比。",
            "entry_opens_at": now - datetime.timedelta(days=10),
            "entry_closes_at": now + datetime.timedelta(days=10)
            if open_for_entries
            else now - datetime.timedelta(days=1),
        }
        defaults.update(fields)
        page = CompetitionPage(**defaults)
        page.award_levels = [AwardLevel(name=name, quota=quota) for name, quota in awards]
        competition_index.add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page

    return make


@pytest.fixture
def make_round():
    """make_round(competition, number=1, criteria=[("选题", 15), ...], judges=[...], **fields)."""

    def make(
        competition, *, number=1, criteria=(("选题", "15"), ("原因分析", "30"), ("效果", "20")), judges=(), **fields
    ):
        fields.setdefault("name", f"第{number}轮")
        fields.setdefault("judges_per_entry", 3)
        round_ = Round.objects.create(competition=competition, number=number, **fields)
        for order, (name, points, *weight) in enumerate(criteria):
            Criterion.objects.create(
                round=round_,
                name=name,
                max_points=Decimal(points),
                weight=Decimal(weight[0] if weight else 1),
                sort_order=order,
            )
        round_.judges.set(judges)
        return round_

    return make


@pytest.fixture
def make_judge(make_user, make_profile):
    """make_judge(enterprise=None): a user in the 评委 group; with an enterprise, also an active CQO there."""

    def make(enterprise=None, **profile_fields):
        user = make_user()
        user.groups.add(roles.group_of(roles.JUDGE))
        if enterprise is not None:
            make_profile(user, status=ProfileStatus.ACTIVE, enterprise=enterprise, **profile_fields)
        return user

    return make


@pytest.fixture
def make_entry(make_case, make_profile, make_enterprise):  # noqa: F811 (the fixture imported above)
    """make_entry(competition, status=ELIGIBLE, enterprise=None, case=None): a published case entered by its author.

    Each entry gets its own author (one entry per member) and, unless given, its own enterprise.
    """

    def make(competition, *, status=Entry.Status.ELIGIBLE, enterprise=None, case=None, **case_fields):
        if case is None:
            author = make_profile(status=ProfileStatus.ACTIVE, enterprise=enterprise or make_enterprise())
            case = make_case(author.user, **case_fields)
        return Entry.objects.create(competition=competition, case=case, entrant=case.owner, status=status)

    return make
