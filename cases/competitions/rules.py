"""Who may do what in case competitions: named permissions, asked through alliance_site.accounts.access.

Staff run competitions in the Wagtail admin, whose screens ask the models' permission policies (the model
permissions cases/competitions/migrations/0002 gives the secretariat); these rules are the site's side.
"""

import rules

from alliance_site.rules import is_judge, is_member

from .models import Round


@rules.predicate
def is_its_judge(user, assignment):
    """The judge the assignment is for, while it stands (it is withdrawn when they declare a conflict)."""
    return (
        assignment is not None
        and user.is_authenticated
        and assignment.judge_id == user.pk
        and assignment.withdrawn_at is None
    )


@rules.predicate
def round_under_way(user, assignment):
    """Open, closed or final: judges never see a round being prepared."""
    return assignment.round.status in Round.UNDER_WAY


@rules.predicate
def round_takes_scores(user, assignment):
    return assignment.round.accepts_scores()


# Entering a case (the competition's window, audience and one-entry rule are CompetitionPage.why_user_may_not_enter).
rules.add_perm("competitions.enter_cases", is_member)
# 我的评审 in the account menu.
rules.add_perm("competitions.judge_cases", is_judge)
# An assignment, its case and its score sheet: to anyone else it does not exist (Assignment.objects.visible_to).
rules.add_perm("competitions.see_assignment", is_its_judge & round_under_way)
# Saving points and comments on it: only while the round is open and before it closes.
rules.add_perm("competitions.score_assignment", is_its_judge & round_takes_scores)
