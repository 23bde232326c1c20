"""Staff run a competition in the Wagtail admin: rounds, eligibility, assignment, results, awards and the export.

Everything goes through the HTTP client (the admin screens under /cms/competition_*/) and is checked in the
database and on the page. Scores are written with judging.save_scores, as the judges' own screen does.
"""

import io
import statistics
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook
from wagtail.models import ModelLogEntry, PageLogEntry
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from alliance_site.models import EnterpriseGroup
from cases.competitions import judging
from cases.competitions.models import Assignment, Conflict, Criterion, Entry, Round, RoundEntry
from tests import markup
from tests.alliance_site.helpers import ENGLISH, text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PROBLEM_SOLVING = [("选题", 15), ("原因分析", 30), ("对策与实施", 20), ("效果", 20), ("成果报告", 5), ("特点", 10)]


# Helpers ---------------------------------------------------------------------------------------------------


def url(name, *args):
    return reverse(name, args=args)


def pairs_of(round_):
    """The active (entry id, judge id) pairs of a round."""
    return set(
        Assignment.objects.active().filter(round_entry__round=round_).values_list("round_entry__entry_id", "judge_id")
    )


def loads_of(round_):
    pairs = pairs_of(round_)
    return {judge.pk: sum(1 for _, j in pairs if j == judge.pk) for judge in round_.judges.all()}


def short_of_judges(response):
    """The titles the shortfall report on the assignment screen names, or None when the screen has no report."""
    report = markup.maybe_one(response, "#shortfall-report")
    if report is None:
        return None
    return {markup.text_of(item).split(" — ")[0] for item in report.select("li")}


class TableReader(HTMLParser):
    """The text of every cell of the table with the given id, row by row."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.rows, self._depth, self._cell = table_id, [], 0, None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self._depth = 1
        elif self._depth and tag == "tr":
            self.rows.append([])
        elif self._depth and tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "table" and self._depth:
            self._depth = 0
        elif self._depth and tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join(self._cell.split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def table_rows(response, table_id):
    reader = TableReader(table_id)
    reader.feed(text(response))
    return reader.rows


def split_total(total, criteria):
    """Points per criterion adding up to `total`: the biggest criteria filled first."""
    points, rest = {}, Decimal(total)
    for criterion in sorted(criteria, key=lambda c: -c.max_points):
        points[criterion] = min(rest, criterion.max_points)
        rest -= points[criterion]
    assert rest == 0, total
    return points


def score_round(round_, table):
    """{entry: {judge: total}}: assign, sign and submit every score sheet while the round is open."""
    status = round_.status
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.OPEN)
    round_.status = Round.Status.OPEN
    judging.populate_round(round_)
    for entry, by_judge in table.items():
        round_entry = RoundEntry.objects.get(round=round_, entry=entry)
        for judge, total in by_judge.items():
            assignment, _ = Assignment.objects.get_or_create(round_entry=round_entry, judge=judge)
            judging.sign_statement(assignment)
            points = split_total(total, round_.criterion_list)
            values = {criterion: (str(value), "", "") for criterion, value in points.items()}
            judging.save_scores(assignment, judge, values, submit=True)
    Round.objects.filter(pk=round_.pk).update(status=status)
    round_.status = status


def close(round_):
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED)
    round_.refresh_from_db()


# Fixtures --------------------------------------------------------------------------------------------------


@pytest.fixture
def setting(make_competition, make_round, make_entry, make_judge):
    """One competition with a round, a judge and an eligible entry: enough for every screen to have content."""
    competition = make_competition(title="访问测试评比")
    round_ = make_round(competition, name="访问测试轮", judges=[make_judge()])
    entry = make_entry(competition, title="访问测试案例")
    judging.populate_round(round_)
    return SimpleNamespace(competition=competition, round=round_, entry=entry)


@pytest.fixture
def admin_only(make_user):
    """Someone let into the admin (access_admin) who is not secretariat staff."""
    user = make_user("adminonly")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


# 1. Access -------------------------------------------------------------------------------------------------

SCREENS = [
    # (name, needs a round or entry pk, what only the page itself shows)
    ("competition_rounds:index", None, "访问测试轮"),
    ("competition_rounds:edit", "round", "访问测试轮"),
    ("competition_rounds:add", None, 'name="rubric_template"'),
    ("competition_rounds:assignment", "round", "访问测试案例"),
    ("competition_rounds:results", "round", 'id="results"'),
    ("competition_rounds:export", "round", None),
    ("competition_entries:index", None, "访问测试案例"),
    ("competition_entries:decide", "entry", "访问测试案例"),
]


def screen_url(setting, name, needs):
    return url(name, getattr(setting, needs).pk) if needs else url(name)


@pytest.mark.parametrize("name, needs, marker", SCREENS, ids=[screen[0] for screen in SCREENS])
def test_staff_and_admins_reach_every_competition_screen(setting, client_for, staff, admin_user, name, needs, marker):
    for user in (staff, admin_user):
        response = client_for(user).get(screen_url(setting, name, needs))
        assert response.status_code == 200, user
        if marker is None:
            assert response["Content-Type"] == XLSX
        else:
            assert marker in text(response), user


@pytest.mark.parametrize("name, needs, marker", SCREENS, ids=[screen[0] for screen in SCREENS])
def test_everyone_else_is_turned_away(setting, client_for, request, name, needs, marker):
    for who in ("member", "judge", "regulator", "visitor", "admin_only"):
        response = client_for(request.getfixturevalue(who)).get(screen_url(setting, name, needs))
        assert response.status_code in (302, 403), who
        if response.status_code == 302:
            target = response["Location"].split("?")[0]
            assert target in (url("admin_sign_in"), url("account_login"), url("wagtailadmin_home")), who
        assert response.get("Content-Type") != XLSX, who
        if marker is not None:
            assert marker not in text(response), who


@pytest.mark.parametrize("who", ["member", "judge", "admin_only"])
def test_others_cannot_act_on_the_staff_screens(setting, client_for, request, who):
    client = client_for(request.getfixturevalue(who))
    round_, entry = setting.round, setting.entry
    client.post(url("competition_rounds:assignment", round_.pk), {"action": "assign"})
    client.post(url("competition_entries:decide", entry.pk), {"status": "ineligible", "reason": "不符合"})
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED)
    client.post(url("competition_rounds:results", round_.pk), {"action": "awards"})
    assert not Assignment.objects.exists()
    entry.refresh_from_db()
    assert entry.status == Entry.Status.ELIGIBLE
    assert Round.objects.get(pk=round_.pk).status == Round.Status.CLOSED
    assert not ModelLogEntry.objects.filter(action__startswith="competitions.").exists()


# 2. The round form -----------------------------------------------------------------------------------------


def round_form(competition, criteria=(), **fields):
    values = {
        "competition": competition.pk,
        "name": "初评",
        "number": "1",
        "opens_at": "",
        "closes_at": "",
        "judges_per_entry": "3",
        "aggregation": "mean",
        "advancement": "none",
        "advancement_value": "",
        "status": "draft",
        "assignment_seed": "1",
        "rubric_template": "",
        "criteria": inline_formset(
            [{"name": name, "max_points": str(points), "weight": "1", "description": ""} for name, points in criteria]
        ),
    }
    values.update(fields)
    return nested_form_data(values)


def test_a_round_started_from_the_problem_solving_template_gets_its_six_criteria(make_competition, client_for, staff):
    competition = make_competition()
    response = client_for(staff).post(
        url("competition_rounds:add"), round_form(competition, rubric_template="problem_solving")
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    round_ = Round.objects.get(competition=competition)
    assert [(c.name, c.max_points, c.weight) for c in round_.criteria.order_by("sort_order")] == [
        (name, Decimal(points), Decimal(1)) for name, points in PROBLEM_SOLVING
    ]
    assert round_.max_total == 100


def test_criteria_typed_in_are_kept_and_no_template_is_added(make_competition, client_for, staff):
    competition = make_competition()
    data = round_form(competition, criteria=[("逻辑性", 6), ("表达", 4)], rubric_template="problem_solving")
    response = client_for(staff).post(url("competition_rounds:add"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    round_ = Round.objects.get(competition=competition)
    assert sorted(round_.criteria.values_list("name", "max_points")) == [("表达", 4), ("逻辑性", 6)]


def test_a_round_is_opened_without_touching_its_criteria(make_competition, make_round, client_for, staff):
    """Found by tests/test_double_click.py: the criteria shown unchanged counted as none, so no edit was saved."""
    round_ = make_round(make_competition())
    criteria = [  # as the edit page shows them (ORDER counts from 1)
        {"id": c.pk, "name": c.name, "max_points": str(c.max_points), "weight": str(c.weight), "ORDER": str(n)}
        for n, c in enumerate(round_.criterion_list, start=1)
    ]
    data = round_form(round_.competition, status="open")
    data.update(nested_form_data({"criteria": inline_formset(criteria, initial=len(criteria))}))
    response = client_for(staff).post(url("competition_rounds:edit", round_.pk), data, headers=ENGLISH)
    assert response.status_code == 302, response.context and response.context["form"].errors
    assert Round.objects.get(pk=round_.pk).status == Round.Status.OPEN
    assert [c.name for c in round_.criteria.order_by("sort_order")] == ["选题", "原因分析", "效果"]


def form_error_page(response, message):
    assert response.status_code in (200, 400)
    assert escape(message) in text(response), message


@pytest.mark.parametrize(
    "fields, criteria, message",
    [
        ({}, [], "Give the round at least one criterion, or start from a template."),
        (
            {"advancement": "top_percent", "advancement_value": "150"},
            [("选题", 15)],
            "A percentage is more than 0 and at most 100.",
        ),
        (
            {"opens_at": "2026-05-01 09:00", "closes_at": "2026-04-30 09:00"},
            [("选题", 15)],
            "Judging must close after it opens.",
        ),
    ],
    ids=["no criteria and no template", "top 150 per cent", "closes before it opens"],
)
def test_a_round_form_with_a_mistake_is_shown_again_and_nothing_saved(
    make_competition, client_for, staff, fields, criteria, message
):
    competition = make_competition()
    response = client_for(staff).post(
        url("competition_rounds:add"), round_form(competition, criteria, **fields), headers=ENGLISH
    )
    form_error_page(response, message)
    assert not Round.objects.exists()
    assert not Criterion.objects.exists()


# 3. Eligibility decisions ----------------------------------------------------------------------------------


def test_ineligible_without_a_reason_is_refused(make_competition, make_entry, client_for, staff):
    entry = make_entry(make_competition(), status=Entry.Status.SUBMITTED)
    response = client_for(staff).post(
        url("competition_entries:decide", entry.pk), {"status": "ineligible", "reason": "  "}, headers=ENGLISH
    )
    assert response.status_code == 400
    assert escape("Say why the entry is not eligible: the entrant will read it.") in text(response)
    entry.refresh_from_db()
    assert (entry.status, entry.status_reason) == (Entry.Status.SUBMITTED, "")
    assert not ModelLogEntry.objects.filter(action="competitions.entry.mark").exists()


def test_ineligible_with_a_reason_is_saved_and_logged(make_competition, make_entry, client_for, staff):
    entry = make_entry(make_competition(), status=Entry.Status.SUBMITTED)
    response = client_for(staff).post(
        url("competition_entries:decide", entry.pk),
        {"status": "ineligible", "reason": "案例实施期早于评比规定的期间。"},
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.status, entry.status_reason) == (Entry.Status.INELIGIBLE, "案例实施期早于评比规定的期间。")
    (log,) = ModelLogEntry.objects.for_instance(entry).filter(action="competitions.entry.mark")
    assert log.user_id == staff.pk
    assert log.data["from"] == "submitted" and log.data["to"] == "ineligible"


# 4. The assignment screen ----------------------------------------------------------------------------------


@pytest.fixture
def constrained(make_competition, make_round, make_entry, make_judge, make_enterprise, make_profile):
    """Six eligible entries, one ineligible, four judges (k = 2), each judge barred from one entry:

    j_same works at e1's enterprise; j_group at an enterprise of e2's parent group; j_coauthor co-wrote e3;
    j_declared declared a conflict with e4. Every judge can still take a balanced share (3 entries each).
    """
    competition = make_competition()
    group = EnterpriseGroup.objects.create(name="晋城测试集团")
    firm_a = make_enterprise(name="甲企业")
    firm_b = make_enterprise(name="乙企业", group=group)
    firm_b2 = make_enterprise(name="乙企业兄弟公司", group=group)
    j_same = make_judge(enterprise=firm_a)
    j_group = make_judge(enterprise=firm_b2)
    j_coauthor = make_judge(enterprise=make_enterprise(name="丙咨询公司"))
    j_declared = make_judge()  # an outside expert: no CQO profile
    judges = [j_same, j_group, j_coauthor, j_declared]
    entries = {
        "e1": make_entry(competition, enterprise=firm_a, title="同企业的案例"),
        "e2": make_entry(competition, enterprise=firm_b, title="同集团的案例"),
        "e3": make_entry(competition, title="评委合写的案例", authors=[j_coauthor.cqo_profile]),
        "e4": make_entry(competition, title="声明回避的案例"),
        "e5": make_entry(competition, title="普通案例五"),
        "e6": make_entry(competition, title="普通案例六"),
    }
    ineligible = make_entry(competition, status=Entry.Status.INELIGIBLE, title="不符合条件的案例")
    Conflict.objects.create(entry=entries["e4"], judge=j_declared, reason="曾为该企业提供咨询")
    round_ = make_round(competition, judges=judges, judges_per_entry=2, assignment_seed=7)
    barred = {
        (entries["e1"].pk, j_same.pk),
        (entries["e2"].pk, j_group.pk),
        (entries["e3"].pk, j_coauthor.pk),
        (entries["e4"].pk, j_declared.pk),
    }
    return SimpleNamespace(
        competition=competition,
        round=round_,
        entries=entries,
        ineligible=ineligible,
        judges=judges,
        barred=barred,
        j_same=j_same,
    )


def post_action(client, round_, action, follow=False, **data):
    address = url("competition_rounds:assignment", round_.pk)
    return client.post(address, {"action": action, **data}, headers=ENGLISH, follow=follow)


def assign(client, round_):
    """Run the automatic assignment: the screen answers with a redirect back to itself (Post/Redirect/Get)."""
    response = post_action(client, round_, "assign", follow=True)
    assert response.redirect_chain == [(url("competition_rounds:assignment", round_.pk), 302)]
    return response


def last_assignment_log():
    return ModelLogEntry.objects.filter(action="competitions.round.assign").latest("pk").data


def test_populate_puts_in_the_eligible_entries_only(constrained, client_for, staff):
    response = post_action(client_for(staff), constrained.round, "populate")
    assert response.status_code == 302
    entered = set(RoundEntry.objects.filter(round=constrained.round).values_list("entry_id", flat=True))
    assert entered == {entry.pk for entry in constrained.entries.values()}
    assert constrained.ineligible.pk not in entered
    # Again: nothing doubled.
    post_action(client_for(staff), constrained.round, "populate")
    assert RoundEntry.objects.filter(round=constrained.round).count() == 6


def test_assign_gives_k_balanced_judges_without_a_conflict(constrained, client_for, staff):
    client = client_for(staff)
    post_action(client, constrained.round, "populate")
    response = assign(client, constrained.round)
    assert "12 assignments made; every entry has its judges." in text(response)
    pairs = pairs_of(constrained.round)
    for entry in constrained.entries.values():
        assert len([j for e, j in pairs if e == entry.pk]) == 2, entry.case.title
    assert not pairs & constrained.barred
    loads = loads_of(constrained.round)
    assert max(loads.values()) - min(loads.values()) <= 1
    assert sum(loads.values()) == 12
    assert short_of_judges(response) is None
    assert Assignment.objects.filter(assigned_by=staff).count() == 12
    assert ModelLogEntry.objects.filter(action="competitions.round.assign").count() == 1


def test_entries_that_cannot_get_k_judges_are_named_and_kept(constrained, client_for, staff):
    round_ = constrained.round
    Round.objects.filter(pk=round_.pk).update(judges_per_entry=4)  # every barred entry is one judge short
    client = client_for(staff)
    post_action(client, round_, "populate")
    response = assign(client, round_)
    short = {"同企业的案例", "同集团的案例", "评委合写的案例", "声明回避的案例"}
    assert short_of_judges(response) == short  # and neither 普通案例五 nor 六
    logged_short = {RoundEntry.objects.get(pk=pk).entry.case.title for pk, missing in last_assignment_log()["short"]}
    assert logged_short == short
    pairs = pairs_of(round_)
    for entry in constrained.entries.values():
        expected = 3 if entry.case.title in short else 4
        assert len([j for e, j in pairs if e == entry.pk]) == expected, entry.case.title
    assert not pairs & constrained.barred
    # The report stays on the page afterwards, not only right after the run.
    assert short_of_judges(client.get(url("competition_rounds:assignment", round_.pk))) == short


def test_assign_without_entries_or_judges_says_so(make_competition, make_round, client_for, staff):
    round_ = make_round(make_competition())
    response = post_action(client_for(staff), round_, "assign")
    assert response.status_code == 400
    assert "The round has no entries yet" in text(response)


def test_by_hand_needs_a_reason(constrained, client_for, staff):
    client = client_for(staff)
    post_action(client, constrained.round, "populate")
    e1 = RoundEntry.objects.get(round=constrained.round, entry=constrained.entries["e1"])
    response = post_action(client, constrained.round, "by_hand", round_entry=e1.pk, judge=constrained.j_same.pk)
    assert response.status_code == 400
    assert not Assignment.objects.exists()

    response = post_action(
        client, constrained.round, "by_hand", round_entry=e1.pk, judge=constrained.j_same.pk, reason="本领域唯一专家"
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.round_entry, assignment.judge, assignment.override_reason) == (
        e1,
        constrained.j_same,
        "本领域唯一专家",
    )
    assert assignment.assigned_by == staff
    assert ModelLogEntry.objects.for_instance(assignment).filter(action="competitions.assignment.override").exists()
    assert "本领域唯一专家" in text(client.get(url("competition_rounds:assignment", constrained.round.pk)))


def test_by_hand_refuses_a_judge_who_is_not_in_the_round(constrained, make_judge, client_for, staff):
    client = client_for(staff)
    post_action(client, constrained.round, "populate")
    e1 = RoundEntry.objects.get(round=constrained.round, entry=constrained.entries["e1"])
    outsider = make_judge()
    response = post_action(client, constrained.round, "by_hand", round_entry=e1.pk, judge=outsider.pk, reason="临时")
    assert response.status_code == 400
    assert not Assignment.objects.exists()


def test_running_assign_again_keeps_what_is_there(constrained, client_for, staff):
    client = client_for(staff)
    round_ = constrained.round
    post_action(client, round_, "populate")
    e1 = RoundEntry.objects.get(round=round_, entry=constrained.entries["e1"])
    post_action(client, round_, "by_hand", round_entry=e1.pk, judge=constrained.j_same.pk, reason="本领域唯一专家")
    post_action(client, round_, "assign")
    first = {(a.pk, a.round_entry_id, a.judge_id) for a in Assignment.objects.all()}
    assert (e1.pk, constrained.j_same.pk) in {(re, j) for _, re, j in first}  # the hand-made one counts towards k

    assign(client, round_)
    assert last_assignment_log()["created"] == 0
    assert {(a.pk, a.round_entry_id, a.judge_id) for a in Assignment.objects.all()} == first


def test_the_same_seed_gives_the_same_assignment(constrained, client_for, staff):
    client = client_for(staff)
    round_ = constrained.round
    post_action(client, round_, "populate")

    def assignment_with(seed):
        with transaction.atomic():  # a fresh copy of the round each time: rolled back afterwards
            Round.objects.filter(pk=round_.pk).update(assignment_seed=seed)
            post_action(client, round_, "assign")
            pairs = pairs_of(round_)
            transaction.set_rollback(True)
        assert not Assignment.objects.exists()
        return pairs

    first = assignment_with(7)
    assert len(first) == 12
    assert assignment_with(7) == first
    assert any(assignment_with(seed) != first for seed in (1, 2, 3, 4, 5))  # the seed does matter


# 5. Results, advancement, awards, publication ---------------------------------------------------------------

# Judges' totals in round 1 (criteria 选题 15, 原因分析 30, 效果 20; weight 1). e4 scores exactly as e1: a tie.
ROUND_ONE = {
    "e1": [50, 51, 50, 52, 20],  # judge 5's 20 is far from the others: 偏差过大
    "e2": [56, 60, 54, 62, 58],
    "e3": [39, 45, 36, 48, 42],
    "e4": [50, 51, 50, 52, 20],
}
ROUND_TWO = {"e1": [60, 60, 60], "e2": [50, 50, 50], "e4": [40, 40, 40]}


@pytest.fixture
def scored(make_competition, make_round, make_entry, make_judge):
    """A competition with two rounds; round 1 (top 2 advance) scored by five judges and still open."""
    competition = make_competition(title="两轮评比", awards=(("一等奖", 1), ("二等奖", 2)))
    judges = [make_judge() for _ in range(5)]
    first = make_round(
        competition,
        number=1,
        name="初评",
        judges=judges,
        judges_per_entry=5,
        advancement=Round.Advancement.TOP_N,
        advancement_value=Decimal(2),
    )
    second = make_round(competition, number=2, name="终评", judges=judges[:3], judges_per_entry=3)
    entries = {label: make_entry(competition, title=f"参评案例{label}") for label in ROUND_ONE}
    score_round(first, {entries[label]: dict(zip(judges, totals, strict=True)) for label, totals in ROUND_ONE.items()})
    Round.objects.filter(pk=first.pk).update(status=Round.Status.OPEN)
    first.refresh_from_db()
    return SimpleNamespace(competition=competition, first=first, second=second, judges=judges, entries=entries)


def by_hand_z(table, entry_label):
    """The judge-normalised score of one entry, computed from the definition."""
    judges = range(len(next(iter(table.values()))))
    every_total = [t for totals in table.values() for t in totals]
    panel_mean, panel_sd = statistics.fmean(every_total), statistics.pstdev(every_total)
    z = []
    for j in judges:
        own = [totals[j] for totals in table.values()]
        mu, sd = statistics.fmean(own), statistics.pstdev(own)
        z.append((table[entry_label][j] - mu) / sd if sd else 0.0)
    return panel_mean + statistics.fmean(z) * panel_sd


def results_row(response, title):
    (row,) = [row for row in table_rows(response, "results") if row and title in row[1]]
    return row


def test_results_show_mean_trimmed_and_z_scores(scored, client_for, staff):
    response = client_for(staff).get(url("competition_rounds:results", scored.first.pk))
    assert response.status_code == 200
    header, *rows = table_rows(response, "results")
    assert len(rows) == 4
    row = results_row(response, "参评案例e1")
    # e1: mean (50 + 51 + 50 + 52 + 20) / 5 = 44.6; trimmed drops 52 and 20: (50 + 51 + 50) / 3 = 50.33
    assert row[2] == "5"
    assert row[3] == "44.60"
    assert row[4] == "50.33"
    assert row[5] == f"{by_hand_z(ROUND_ONE, 'e1'):.2f}"
    row = results_row(response, "参评案例e3")
    assert (row[3], row[4], row[5]) == ("42.00", "42.00", f"{by_hand_z(ROUND_ONE, 'e3'):.2f}")
    # Ranked by the mean: e2 58, then e1 and e4 tied at 44.6, then e3.
    assert [(r[0], r[1][: len("参评案例e1")]) for r in rows] == [
        ("1", "参评案例e2"),
        ("2", "参评案例e1"),
        ("2", "参评案例e4"),
        ("4", "参评案例e3"),
    ]


def test_an_outlying_total_is_flagged(scored, client_for, staff):
    response = client_for(staff).get(url("competition_rounds:results", scored.first.pk))
    for label, flagged in (("e1", True), ("e4", True), ("e2", False), ("e3", False)):
        totals = results_row(response, f"参评案例{label}")[7]
        assert ("20.0 ⚠ 偏差过大" in totals) is flagged, (label, totals)
        assert totals.count("偏差过大") == int(flagged)


def test_deciding_while_the_round_is_open_is_refused(scored, client_for, staff):
    client = client_for(staff)
    for action in ("advance", "awards"):
        response = client.post(url("competition_rounds:results", scored.first.pk), {"action": action})
        assert response.status_code == 409, action
    assert Round.objects.get(pk=scored.first.pk).status == Round.Status.OPEN
    assert not RoundEntry.objects.filter(round=scored.first, advanced=True).exists()
    assert not RoundEntry.objects.filter(round=scored.second).exists()
    assert not Entry.objects.filter(final_rank__isnull=False).exists()


def test_advance_takes_the_top_n_with_the_ties_at_the_cut_into_the_next_round(scored, client_for, staff):
    close(scored.first)
    response = client_for(staff).post(url("competition_rounds:results", scored.first.pk), {"action": "advance"})
    assert response.status_code == 302
    e = scored.entries
    advanced = set(RoundEntry.objects.filter(round=scored.first, advanced=True).values_list("entry_id", flat=True))
    assert advanced == {e["e2"].pk, e["e1"].pk, e["e4"].pk}  # top 2 with the tie at rank 2: three entries
    assert set(RoundEntry.objects.filter(round=scored.second).values_list("entry_id", flat=True)) == advanced
    ranks = dict(RoundEntry.objects.filter(round=scored.first).values_list("entry_id", "rank"))
    assert ranks == {e["e2"].pk: 1, e["e1"].pk: 2, e["e4"].pk: 2, e["e3"].pk: 4}
    assert Round.objects.get(pk=scored.first.pk).status == Round.Status.FINAL


def play_to_the_last_round(scored, client):
    close(scored.first)
    assert client.post(url("competition_rounds:results", scored.first.pk), {"action": "advance"}).status_code == 302
    e, judges = scored.entries, scored.judges
    score_round(
        scored.second, {e[label]: dict(zip(judges[:3], totals, strict=True)) for label, totals in ROUND_TWO.items()}
    )
    close(scored.second)


def test_awards_and_publication(scored, client_for, staff):
    admin = client_for(staff)
    play_to_the_last_round(scored, admin)
    results_url = url("competition_rounds:results", scored.second.pk)

    response = admin.post(results_url, {"action": "publish"})  # before the awards are decided
    assert response.status_code == 409
    response = admin.post(url("competition_rounds:results", scored.first.pk), {"action": "publish"})
    assert response.status_code == 409  # round 1 is final (it advanced) but it is not the last round
    scored.competition.refresh_from_db()
    assert scored.competition.results_published_at is None

    assert admin.post(results_url, {"action": "awards"}).status_code == 302
    e = scored.entries
    decided = {
        label: (entry.final_rank, entry.award.name if entry.award else None)
        for label, entry in ((label, Entry.objects.get(pk=e[label].pk)) for label in e)
    }
    assert decided == {"e1": (1, "一等奖"), "e2": (2, "二等奖"), "e4": (3, "二等奖"), "e3": (None, None)}
    assert Round.objects.get(pk=scored.second.pk).status == Round.Status.FINAL

    assert 'id="results-title"' not in text(admin.get(scored.competition.url, headers=ENGLISH))  # not published yet

    assert admin.post(results_url, {"action": "publish"}).status_code == 302
    scored.competition.refresh_from_db()
    assert scored.competition.results_published_at is not None
    assert PageLogEntry.objects.filter(page=scored.competition, action="competitions.results.publish").count() == 1

    response = client_for(None).get(scored.competition.url, headers=ENGLISH)  # a visitor
    header, *awarded = markup.table(response, "section.results table")
    assert header[:3] == ["Award", "Rank", "Case"]
    assert [row[:3] for row in awarded] == [
        ["一等奖", "1", "参评案例e1"],
        ["二等奖", "2", "参评案例e2"],
        ["二等奖", "3", "参评案例e4"],
    ]
    assert "参评案例e3" not in text(response)


def test_awards_cannot_be_decided_on_a_round_that_is_not_the_last(scored, client_for, staff):
    """The first round has a next round: its ranking is no final ranking, so no awards come from it."""
    close(scored.first)
    response = client_for(staff).post(url("competition_rounds:results", scored.first.pk), {"action": "awards"})
    assert response.status_code == 409
    assert not Entry.objects.filter(award__isnull=False).exists()
    assert not Entry.objects.filter(final_rank__isnull=False).exists()
    assert Round.objects.get(pk=scored.first.pk).status == Round.Status.CLOSED


# 6. Excel export -------------------------------------------------------------------------------------------


def test_the_export_speaks_the_readers_language(scored, client_for, staff):
    """Sheet names and headers are translated like the rest of the admin (they were written in Chinese only)."""
    response = client_for(staff).get(
        url("competition_rounds:export", scored.first.pk), headers={"accept-language": "en"}
    )
    workbook = load_workbook(io.BytesIO(response.content))

    assert workbook.sheetnames == ["Scores", "Results"]
    header = next(workbook["Results"].iter_rows(values_only=True))
    assert header[:3] == ("Rank", "Entry number", "Case") and header[-1] == "Advanced"
    assert "选题 (mean)" in header
    assert {row[7] for row in list(workbook["Scores"].iter_rows(values_only=True))[1:]} == {"Yes"}


def test_the_export_is_a_workbook_with_every_score_and_every_result(scored, client_for, staff):
    response = client_for(staff).get(url("competition_rounds:export", scored.first.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["评分明细", "评审结果"]

    detail = list(workbook["评分明细"].iter_rows(values_only=True))
    assert detail[0][:9] == ("参评编号", "案例", "评委", "评分项", "满分", "权重", "得分", "已提交", "评语")
    assert len(detail) - 1 == 4 * 5 * 3  # one row per score: 4 entries × 5 judges × 3 criteria
    e1_rows = [row for row in detail[1:] if row[1] == "参评案例e1"]
    assert len(e1_rows) == 15
    assert sum(row[6] for row in e1_rows) == sum(ROUND_ONE["e1"])
    assert {row[3] for row in e1_rows} == {"选题", "原因分析", "效果"}
    assert {row[7] for row in detail[1:]} == {"是"}

    results = list(workbook["评审结果"].iter_rows(values_only=True))
    header = results[0]
    for column in ("名次", "参评编号", "案例", "平均分", "去极值平均分", "标准化平均分"):
        assert column in header
    assert len(results) - 1 == 4  # one row per entry
    row = dict(zip(header, next(r for r in results[1:] if r[header.index("案例")] == "参评案例e1"), strict=True))
    assert row["名次"] == 2
    assert row["平均分"] == pytest.approx(44.6)
    assert row["去极值平均分"] == pytest.approx(50.33)
    assert row["标准化平均分"] == pytest.approx(round(by_hand_z(ROUND_ONE, "e1"), 2))
    assert row["评委人数"] == 5
    assert ModelLogEntry.objects.filter(action="competitions.round.export").count() == 1
