"""Two members create a case at the same moment, over real HTTP, on SQLite and PostgreSQL: both answer with their
redirect (never a 500), both cases are there, each with its own place in the page tree and its own address,
also when both chose the same title.

The server runs the two requests at once, each on a database connection of its own (`concurrent_db`). One pair
meets the other's transaction only some of the time, so the pair is sent three times over.
"""

from cases.models import CasePage
from tests.perf import burst

from .test_submission import NEW_CASE, methods, new_case_data  # noqa: F401 (methods is a fixture)


def test_two_cases_created_at_once_are_both_kept(concurrent_db, make_profile, case_index, methods):  # noqa: F811
    authors = [make_profile(status="active").user for _ in range(2)]
    sessions = burst.session_cookies(authors)
    made = []
    for round_ in range(3):
        titles = [f"第{round_ + 1}批：{author.cqo_profile.real_name}的改进案例" for author in authors]
        if round_ == 2:
            titles = ["QC小组活动成果报告"] * 2  # the same address is free for one of them only
        made += zip(titles, authors, strict=True)

        statuses = burst.post_at_once(NEW_CASE, sessions, [new_case_data(methods, title=title) for title in titles])

        assert statuses == [302, 302]
    cases = CasePage.objects.child_of(case_index)
    assert sorted(cases.values_list("title", "owner")) == sorted((title, author.pk) for title, author in made)
    assert len({case.latest_revision_id for case in cases}) == 6
    case_index.refresh_from_db()
    assert case_index.numchild == 6
    assert len(set(cases.values_list("path", flat=True))) == 6
    assert len(set(cases.values_list("slug", flat=True))) == 6
