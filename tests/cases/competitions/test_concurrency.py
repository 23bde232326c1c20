"""Two windows of one judge save different criteria at the same moment, over real HTTP, on SQLite and PostgreSQL:
both saves answer with their redirect (never a 500) and both scores are kept, each change recorded.

The server runs the two requests at once, each on a database connection of its own (`concurrent_db`). One pair
meets the other's transaction only some of the time (without SQLite's settings about half of the pairs got a
"database is locked" 500), so the pair is sent three times over.
"""

from decimal import Decimal

from cases.competitions.models import ScoreChange
from tests.perf import burst

from .test_judging import panel, points_of, score_form, score_url, sign  # noqa: F401 (panel is a fixture)


def test_two_windows_saving_at_the_same_moment_keep_both_scores(concurrent_db, client_for, panel):  # noqa: F811
    assignment = panel.assignments[0]
    client = client_for(panel.judges[0])
    c1, c2, c3 = panel.criteria
    sign(client, assignment)
    [session] = burst.session_cookies([panel.judges[0]])
    for points in (5, 6, 7):
        tab_a = score_form(client.get(score_url(assignment)))
        tab_b = score_form(client.get(score_url(assignment)))
        tab_a |= {f"c{c1.pk}": str(points), "action": "save"}
        tab_b |= {f"c{c2.pk}": str(points + 10), "action": "save"}

        statuses = burst.post_at_once(score_url(assignment), [session, session], [tab_a, tab_b])

        assert statuses == [302, 302]
        assert points_of(assignment) == {"选题": Decimal(points), "原因分析": Decimal(points + 10)}
    history = sorted(ScoreChange.objects.values_list("score__criterion", "new_points"))
    assert history == [(c1.pk, Decimal(p)) for p in (5, 6, 7)] + [(c2.pk, Decimal(p)) for p in (15, 16, 17)]
