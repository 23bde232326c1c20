"""Case competitions' named permissions (cases/competitions/rules.py) for every role, asked as the views ask them
(alliance_site.accounts.access.allowed); `Assignment.objects.visible_to` must agree with the rule it filters by.
The pages are tested in test_judging (the judge's) and test_admin (staff's, by the models' permission policy)."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone
from wagtail.permissions import policy_registry

from alliance_site.accounts.access import allowed
from cases.competitions import judging
from cases.competitions.models import Assignment, Round

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "applicant", "member", "judge", "other_judge", "recused_judge", "staff", "regulator", "admin_user"]


@pytest.fixture
def panel(make_competition, make_round, make_entry, make_judge):
    """An open round with one entry, scored by `judge`; `recused_judge` was assigned and declared a conflict;
    `other_judge` judges the round but not this entry."""
    competition = make_competition()
    make_entry(competition)
    judge, recused, other = make_judge(), make_judge(), make_judge()
    round_ = make_round(competition, judges=[judge, recused, other], status=Round.Status.OPEN)
    judging.populate_round(round_)
    round_entry = round_.round_entries.get()
    assignment = Assignment.objects.create(round_entry=round_entry, judge=judge)
    withdrawn = Assignment.objects.create(round_entry=round_entry, judge=recused, withdrawn_at=timezone.now())
    return SimpleNamespace(
        round=round_, judge=judge, recused=recused, other=other, assignment=assignment, withdrawn=withdrawn
    )


@pytest.fixture
def user_of(request, panel):
    def user(role):
        named = {"judge": panel.judge, "recused_judge": panel.recused, "other_judge": panel.other}
        return named[role] if role in named else request.getfixturevalue(role)

    return user


def having(user_of, perm, obj=None):
    return {role for role in ROLES if allowed(user_of(role), perm, obj)}


def set_status(round_, status, **fields):
    Round.objects.filter(pk=round_.pk).update(status=status, **fields)


def fresh(assignment):
    """The assignment read again with its round, as a request would."""
    return Assignment.objects.select_related("round_entry__round").get(pk=assignment.pk)


def test_who_enters_cases_and_who_judges(user_of):
    assert having(user_of, "competitions.enter_cases") == {"member"}
    assert having(user_of, "competitions.judge_cases") == {"judge", "other_judge", "recused_judge"}


# The round's status: (its judge sees the assignment, its judge scores it); anyone else neither.
BY_STATUS = {
    Round.Status.DRAFT: (False, False),
    Round.Status.OPEN: (True, True),
    Round.Status.CLOSED: (True, False),
    Round.Status.FINAL: (True, False),
}


@pytest.mark.parametrize(("status", "expected"), BY_STATUS.items(), ids=list(BY_STATUS))
def test_only_its_judge_sees_and_scores_an_assignment(user_of, panel, status, expected):
    set_status(panel.round, status)
    assignment = fresh(panel.assignment)
    sees, scores = expected
    assert having(user_of, "competitions.see_assignment", assignment) == ({"judge"} if sees else set())
    assert having(user_of, "competitions.score_assignment", assignment) == ({"judge"} if scores else set())


@pytest.mark.parametrize("status", list(BY_STATUS))
def test_the_list_filter_follows_the_rule(user_of, panel, status):
    set_status(panel.round, status)
    for role in ROLES:
        user = user_of(role)
        listed = set(Assignment.objects.visible_to(user))
        by_rule = {a for a in Assignment.objects.all() if allowed(user, "competitions.see_assignment", a)}
        assert listed == by_rule, role


@pytest.mark.parametrize("status", [Round.Status.OPEN, Round.Status.CLOSED])
def test_a_recused_judge_neither_sees_nor_scores_the_withdrawn_assignment(user_of, panel, status):
    set_status(panel.round, status)
    withdrawn = fresh(panel.withdrawn)
    assert having(user_of, "competitions.see_assignment", withdrawn) == set()
    assert having(user_of, "competitions.score_assignment", withdrawn) == set()


def test_scores_stop_at_the_closing_time_of_an_open_round(user_of, panel):
    past = timezone.now() - datetime.timedelta(minutes=1)
    set_status(panel.round, Round.Status.OPEN, closes_at=past)
    assignment = fresh(panel.assignment)
    assert having(user_of, "competitions.see_assignment", assignment) == {"judge"}
    assert having(user_of, "competitions.score_assignment", assignment) == set()


def test_a_superuser_scores_no_one_elses_assignment(admin_user, panel):
    """`allowed` asks the rule alone: only the judge scores their own assignment, not even a superuser."""
    assert admin_user.is_superuser
    assert not allowed(admin_user, "competitions.score_assignment", panel.assignment)


def test_the_staff_screens_follow_the_rounds_permission_policy(user_of):
    """The admin's round screens (assignment, results, export) ask the Round model's policy for "change": the
    secretariat's model permissions (migration 0002) and administrators', no role of the site's own."""
    policy = policy_registry.get_by_type(Round)
    assert {role for role in ROLES if policy.user_has_permission(user_of(role), "change")} == {"staff", "admin_user"}
