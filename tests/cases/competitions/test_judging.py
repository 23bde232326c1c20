"""Judging on the site: 我的评审, the no-conflict statement (回避声明), scoring, blind review, results, entering.

Everything goes through the HTTP client, as a judge or an entrant would use the site, and asserts what
happened in the database and on the page. `competitions.judging` is called only to set the stage (entries in a
round, judges assigned, a round closed, awards decided); opening or closing a round is setting its status.
"""

import datetime
import html as htmllib
import re
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from alliance_site.accounts import roles
from alliance_site.models import BodyMembership, BodyPage, HomePage, ProfileStatus
from cases.competitions import judging
from cases.competitions.models import (
    Assignment,
    CompetitionPage,
    Conflict,
    Criterion,
    Entry,
    Round,
    Score,
    ScoreChange,
)
from tests import markup
from tests.alliance_site.helpers import ENGLISH, login_url, png_bytes, text

from .conftest import metric, section

Document = get_document_model()
Image = get_image_model()


# URLs ---------------------------------------------------------------------------------------------------------


def list_url():
    return reverse("competitions:judging")


def score_url(assignment):
    return reverse("competitions:score", args=[assignment.pk])


def statement_url(assignment):
    return reverse("competitions:sign_statement", args=[assignment.pk])


def conflict_url(assignment):
    return reverse("competitions:declare_conflict", args=[assignment.pk])


def enter_url(competition):
    return reverse("competitions:enter", args=[competition.pk])


def results_url(competition):
    return reverse("competitions:my_results", args=[competition.pk])


# Setting the stage --------------------------------------------------------------------------------------------


def set_status(round_, status):
    round_.status = status
    round_.save(update_fields=["status"])


def staged_round(make_round, competition, judges, *, k=None, status=Round.Status.OPEN, **fields):
    """A round of the competition with its eligible entries in and its judges assigned, then given `status`."""
    round_ = make_round(competition, judges=judges, judges_per_entry=k or len(judges), **fields)
    judging.populate_round(round_)
    judging.assign_judges(round_, by=None)
    set_status(round_, status)
    return round_


def assignment_of(judge, entry, round_=None):
    assignments = Assignment.objects.active().filter(judge=judge, round_entry__entry=entry)
    if round_ is not None:
        assignments = assignments.filter(round_entry__round=round_)
    return assignments.get()


@pytest.fixture
def panel(make_competition, make_round, make_judge, make_entry):
    """An open round (选题 0–15, 原因分析 0–30, 效果 0–20) with one entry and two judges, both assigned to it."""
    competition = make_competition()
    entry = make_entry(competition, title="《降低焊缝不良率》")
    judges = [make_judge(), make_judge()]
    round_ = staged_round(make_round, competition, judges)
    return SimpleNamespace(
        competition=competition,
        round=round_,
        entry=entry,
        judges=judges,
        criteria=round_.criterion_list,
        assignments=[assignment_of(judge, entry) for judge in judges],
    )


# Reading pages and posting forms as a browser would ----------------------------------------------------------


def score_form(response):
    """What the score sheet would post: c<ID> (points typed), c<ID>-shown, c<ID>-v (hidden), the comment and the
    comment it showed (comment-shown, hidden)."""
    sheet = markup.one(response, "form.score-sheet")
    values = {
        field["name"]: field.get("value", "")
        for field in sheet.select("input[name]")
        if re.fullmatch(r"c\d+(-shown|-v)?|comment-shown", field["name"])
    }
    values["comment"] = markup.one(sheet, "textarea#comment[name=comment]").get_text()
    return values


def post_scores(client, assignment, points=None, *, form=None, comment=None, action="save", follow=False):
    """Post the score sheet: `form` as read from the page (read afresh when not given), `points` typed over it."""
    data = dict(form if form is not None else score_form(client.get(score_url(assignment))))
    for criterion, value in (points or {}).items():
        data[f"c{criterion.pk}"] = value
    if comment is not None:
        data["comment"] = comment
    data["action"] = action
    return client.post(score_url(assignment), data, headers=ENGLISH, follow=follow)


def sign(client, assignment):
    response = client.post(statement_url(assignment), {"no_conflict": "yes"})
    assert response.status_code == 302 and response.url == score_url(assignment)


def score_as(client, assignment, points, comment=None, action="save"):
    """Sign if needed and save points ({criterion: typed}); asserts the save went through."""
    assignment.refresh_from_db()
    if assignment.statement_signed_at is None:
        sign(client, assignment)
    response = post_scores(client, assignment, points, comment=comment, action=action)
    assert response.status_code == 302, errors_on(response)
    return response


def errors_on(response):
    """The text of the score sheet's error box ('' when there is none)."""
    return markup.text_of(markup.maybe_one(response, "form.score-sheet .form-errors[role=alert]"))


def messages_on(response):
    return markup.texts(response, ".messages p.message")


def list_item(response, assignment):
    """The text of an assignment's card on 我的评审."""
    return markup.text_of(markup.one(response, f"li.judging-item#assignment-{assignment.pk}"))


def round_group(response, round_):
    """A round's section on 我的评审."""
    return markup.one(response, f'section[aria-labelledby="round-{round_.pk}"]')


def points_of(assignment):
    return {score.criterion.name: score.points for score in assignment.scores.select_related("criterion")}


def saved_state():
    """What a refused post must leave as it was."""
    return {
        "scores": sorted(Score.objects.values_list("pk", "points", "version")),
        "changes": ScoreChange.objects.count(),
        "assignments": sorted(
            Assignment.objects.values_list("pk", "comment", "submitted_at", "statement_signed_at", "withdrawn_at")
        ),
        "conflicts": Conflict.objects.count(),
    }


# 我的评审 ---------------------------------------------------------------------------------------------------


def test_visitors_are_sent_to_sign_in(client, db):
    response = client.get(list_url())
    assert response.status_code == 302 and response.url == login_url(list_url())


def test_my_judging_lists_my_active_assignments_in_visible_rounds_with_progress(
    client_for, make_competition, make_round, make_judge, make_entry
):
    me, other = make_judge(), make_judge()
    # An open round of eight entries shared between two judges, one judge each: four are mine.
    shared = make_competition(title="开放轮评比")
    entries = [make_entry(shared, title=f"《开放轮案例{n}》") for n in range(8)]
    open_round = staged_round(make_round, shared, [me, other], k=1)
    mine = list(Assignment.objects.filter(judge=me).order_by("pk"))
    assert len(mine) == 4
    c1, c2, c3 = open_round.criterion_list
    client = client_for(me)
    submitted, started, unsigned, declined = mine
    score_as(client, submitted, {c1: "10", c2: "20", c3: "15"}, action="submit")
    score_as(client, started, {c1: "8", c2: "25.5"})
    response = client.post(conflict_url(declined), {"reason": "我曾为该企业做过咨询。"})
    assert response.status_code == 302
    # The other judge's scores do not count as mine.
    for assignment in Assignment.objects.active().filter(judge=other):
        score_as(client_for(other), assignment, {c1: "1"})
    # A draft round: not shown, even though I am assigned in it.
    draft = make_competition(title="草稿轮评比")
    make_entry(draft, title="《草稿轮案例》")
    staged_round(make_round, draft, [me], status=Round.Status.DRAFT)
    # A blind round with final results: shown as Entry No. N.
    blind = make_competition(title="盲评轮评比")
    blind_entry = make_entry(blind, title="《盲评轮案例》")
    blind_round = staged_round(make_round, blind, [me], blind=True, status=Round.Status.FINAL)
    # A closed round: shown, with the case title.
    closed = make_competition(title="截止轮评比")
    closed_entry = make_entry(closed, title="《截止轮案例》")
    closed_round = staged_round(make_round, closed, [me], status=Round.Status.CLOSED)

    response = client_for(me).get(list_url(), headers=ENGLISH)
    assert response.status_code == 200
    html = text(response)
    my_entries = {a.round_entry.entry_id for a in Assignment.objects.active().filter(judge=me)}
    for entry in entries:
        shown = entry.case.title in html
        assert shown == (entry.pk in my_entries), entry.case.title
    assert declined.round_entry.entry.case.title not in html  # withdrawn: gone from my list
    assert "草稿轮评比" not in html and "《草稿轮案例》" not in html
    assert "《盲评轮案例》" not in html
    blind_assignment = assignment_of(me, blind_entry)
    assert f"Entry No. {blind_assignment.round_entry_id}" in list_item(response, blind_assignment)
    assert "截止轮评比" in html and "《截止轮案例》" in list_item(response, assignment_of(me, closed_entry))
    assert "截止轮评比" in markup.text_of(round_group(response, closed_round).h2)
    assert "盲评轮评比" in markup.text_of(round_group(response, blind_round).h2)

    # Progress: submitted of total in the round, and criteria scored per entry.
    assert "1 of 3 submitted" in markup.text_of(round_group(response, open_round))
    progress = markup.one(round_group(response, open_round), "progress")
    assert (progress["max"], progress["value"]) == ("3", "1")
    assert "0 of 1 submitted" in markup.text_of(round_group(response, closed_round))
    assert "3 of 3 criteria scored" in list_item(response, submitted)
    assert "Submitted" in list_item(response, submitted)
    assert "2 of 3 criteria scored" in list_item(response, started)
    assert "In progress" in list_item(response, started)
    assert "0 of 3 criteria scored" in list_item(response, unsigned)
    assert "Statement to sign" in list_item(response, unsigned)
    assert len(markup.select(response, "li.judging-item")) == 3 + 1 + 1


def test_nothing_is_listed_for_a_judge_with_no_assignment(client_for, panel, make_judge):
    response = client_for(make_judge()).get(list_url(), headers=ENGLISH)
    assert response.status_code == 200
    assert "judging-item" not in text(response)
    assert panel.entry.case.title not in text(response)


# Who may reach an assignment ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["other_judge", "member", "staff", "visitor"])
def test_only_the_assigned_judge_reaches_an_assignment(client_for, panel, make_judge, member, staff, visitor, who):
    signed, unsigned = panel.assignments
    sign(client_for(panel.judges[0]), signed)
    other_judge = make_judge()
    panel.round.judges.add(other_judge)  # a judge of the same round, not of this entry
    user = {"other_judge": other_judge, "member": member, "staff": staff, "visitor": visitor}[who]
    client = client_for(user)
    before = saved_state()
    c1 = panel.criteria[0]
    attempts = [
        ("get", score_url(signed), {}),
        ("get", score_url(unsigned), {}),
        ("post", score_url(signed), {f"c{c1.pk}": "10", "comment": "越权评语", "action": "save"}),
        ("post", statement_url(unsigned), {"no_conflict": "yes"}),
        ("post", conflict_url(signed), {"reason": "越权回避"}),
        ("post", conflict_url(unsigned), {"reason": "越权回避"}),
    ]
    for method, url, data in attempts:
        response = getattr(client, method)(url, data)
        if who == "visitor":
            assert response.status_code == 302 and response.url == login_url(url), url
        else:
            assert response.status_code == 404, url
    assert saved_state() == before


def test_the_assigned_judge_reaches_their_assignment(client_for, panel):
    client = client_for(panel.judges[1])
    assignment = panel.assignments[1]
    assert client.get(score_url(assignment)).status_code == 200
    sign(client, assignment)
    response = client.get(score_url(assignment))
    assert response.status_code == 200
    assert f'name="c{panel.criteria[0].pk}"' in text(response)


def test_a_withdrawn_assignment_is_gone(client_for, panel):
    assignment = panel.assignments[0]
    client = client_for(panel.judges[0])
    sign(client, assignment)
    assert client.post(conflict_url(assignment), {"reason": "与申报企业有业务往来。"}).status_code == 302
    before = saved_state()
    assert client.get(score_url(assignment)).status_code == 404
    assert client.post(score_url(assignment), {f"c{panel.criteria[0].pk}": "10"}).status_code == 404
    assert client.post(statement_url(assignment), {"no_conflict": "yes"}).status_code == 404
    assert client.post(conflict_url(assignment), {"reason": "再次回避"}).status_code == 404
    assert saved_state() == before


def test_a_draft_round_is_not_reachable(client_for, panel):
    set_status(panel.round, Round.Status.DRAFT)
    client = client_for(panel.judges[0])
    assignment = panel.assignments[0]
    assert client.get(score_url(assignment)).status_code == 404
    assert client.post(statement_url(assignment), {"no_conflict": "yes"}).status_code == 404
    assignment.refresh_from_db()
    assert assignment.statement_signed_at is None


# The no-conflict statement (回避声明) and declaring a conflict ------------------------------------------------


def test_the_statement_comes_before_the_case(client_for, panel):
    assignment = panel.assignments[0]
    client = client_for(panel.judges[0])
    response = client.get(score_url(assignment))
    assert response.status_code == 200
    html = text(response)
    assert f'action="{statement_url(assignment)}"' in html
    assert f'action="{conflict_url(assignment)}"' in html
    assert 'name="no_conflict" value="yes"' in html
    # Neither the case nor the score sheet before signing.
    assert "背景的正文" not in html and panel.entry.case.summary not in html
    assert f'name="c{panel.criteria[0].pk}"' not in html
    # Posting points before signing saves nothing.
    before = saved_state()
    client.post(score_url(assignment), {f"c{panel.criteria[0].pk}": "10", "comment": "未签先评", "action": "save"})
    assert saved_state() == before


@pytest.mark.parametrize("data", [{}, {"no_conflict": ""}, {"no_conflict": "no"}, {"no_conflict": "on"}])
def test_the_statement_must_be_ticked(client_for, panel, data):
    assignment = panel.assignments[0]
    client = client_for(panel.judges[0])
    response = client.post(statement_url(assignment), data, headers=ENGLISH)
    assert response.status_code == 400
    assert "Tick the statement to confirm it" in text(response)
    assignment.refresh_from_db()
    assert assignment.statement_signed_at is None


def test_signing_the_statement_opens_the_score_sheet(client_for, panel):
    assignment = panel.assignments[0]
    client = client_for(panel.judges[0])
    response = client.post(statement_url(assignment), {"no_conflict": "yes"})
    assert response.status_code == 302 and response.url == score_url(assignment)
    assignment.refresh_from_db()
    assert assignment.statement_signed_at is not None
    html = text(client.get(score_url(assignment)))
    assert "背景的正文" in html
    assert all(f'name="c{criterion.pk}"' in html for criterion in panel.criteria)
    # The other judge has not signed by this.
    panel.assignments[1].refresh_from_db()
    assert panel.assignments[1].statement_signed_at is None


@pytest.mark.parametrize("reason", ["", "   \n "])
def test_a_conflict_needs_a_reason(client_for, panel, reason):
    assignment = panel.assignments[0]
    before = saved_state()
    count = Assignment.objects.count()
    response = client_for(panel.judges[0]).post(conflict_url(assignment), {"reason": reason}, headers=ENGLISH)
    assert response.status_code == 400
    assert "Describe the conflict of interest." in text(response)
    assert saved_state() == before
    assert Assignment.objects.count() == count
    assert not Conflict.objects.exists()


def test_a_declared_conflict_goes_to_the_least_loaded_judge_without_a_conflict(
    client_for, make_competition, make_round, make_judge, make_entry, make_enterprise, staff
):
    competition = make_competition()
    related = make_enterprise()
    first = make_entry(competition, enterprise=related)
    second, third = make_entry(competition), make_entry(competition)
    a, b, c = make_judge(), make_judge(), make_judge()
    d = make_judge(enterprise=related)  # works at the first entry's enterprise: a conflict
    round_ = make_round(competition, judges=[a, b, c, d], judges_per_entry=1)
    judging.populate_round(round_)
    on = {round_entry.entry_id: round_entry for round_entry in round_.round_entries.all()}
    for entry, judge in ((first, a), (second, b), (third, b), (second, c)):
        judging.assign_by_hand(on[entry.pk], judge, "按测试需要指定", by=staff)
    set_status(round_, Round.Status.OPEN)
    # Loads now: a 1, b 2, c 1, d 0 (but d may not judge the first entry).
    declared = assignment_of(a, first)

    reason = {"reason": "  我是该案例作者的前同事。 "}
    response = client_for(a).post(conflict_url(declared), reason, headers=ENGLISH, follow=True)
    assert response.redirect_chain == [(list_url(), 302)]
    assert "Your conflict of interest is recorded" in " ".join(messages_on(response))
    assert first.case.title not in text(response)
    declared.refresh_from_db()
    assert declared.withdrawn_at is not None
    assert declared.withdrawn_reason == "我是该案例作者的前同事。"
    conflict = Conflict.objects.get()
    assert (conflict.entry, conflict.judge, conflict.reason) == (first, a, "我是该案例作者的前同事。")
    [substitute] = Assignment.objects.active().filter(round_entry__entry=first)
    assert substitute.judge == c
    assert substitute.statement_signed_at is None and substitute.submitted_at is None
    assert Assignment.objects.count() == 5


def test_a_declared_conflict_with_no_judge_free_leaves_the_entry_short(client_for, panel):
    declared, kept = panel.assignments
    response = client_for(panel.judges[0]).post(conflict_url(declared), {"reason": "曾指导该项目。"})
    assert response.status_code == 302
    declared.refresh_from_db()
    assert declared.withdrawn_at is not None
    assert Conflict.objects.filter(entry=panel.entry, judge=panel.judges[0]).exists()
    assert list(Assignment.objects.active().filter(round_entry__entry=panel.entry)) == [kept]
    assert Assignment.objects.count() == 2


# Scoring -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["16", "15.5", "-1", "-0.5", "abc", "1.25", "NaN", "-NaN", "sNaN", "Infinity", "-inf", "1e5"]
)
def test_invalid_points_are_refused_and_nothing_is_saved(client_for, panel, typed):
    assignment = panel.assignments[0]
    client = client_for(panel.judges[0])
    c1, c2, c3 = panel.criteria  # 选题 0–15, 原因分析 0–30, 效果 0–20
    score_as(client, assignment, {c3: "5"}, comment="原来的评语")
    before = saved_state()
    response = post_scores(client, assignment, {c1: typed, c2: "10", c3: "6"}, comment="新的评语")
    assert response.status_code == 400
    error = errors_on(response)
    assert "选题" in error, f"the message does not name the criterion: {error!r}"
    assert "原因分析" not in error and "效果" not in error
    assert saved_state() == before
    assert points_of(assignment) == {"效果": Decimal("5")}
    assignment.refresh_from_db()
    assert assignment.comment == "原来的评语"
    # The page keeps what was typed so it can be corrected.
    assert score_form(response)["comment"] == "新的评语"


def test_every_wrong_criterion_is_named_at_once_and_nothing_is_saved(client_for, panel):
    """The score sheet is a form (ScoreSheetForm): each criterion's points are read and checked, and all that is
    wrong is said in one answer, before anything is written."""
    assignment = panel.assignments[0]
    client = client_for(panel.judges[0])
    c1, c2, c3 = panel.criteria  # 选题 0–15, 原因分析 0–30, 效果 0–20
    sign(client, assignment)
    before = saved_state()
    response = post_scores(client, assignment, {c1: "十", c2: "31", c3: "7.3"}, comment="评语", action="submit")
    assert response.status_code == 400
    assert [markup.text_of(p) for p in markup.select(response, "form.score-sheet .form-errors p")] == [
        "选题: “十” is not a number.",
        "原因分析: give between 0 and 30 points.",
        "效果: points go in steps of 0.5.",
    ]
    assert saved_state() == before
    assert [score_form(response)[f"c{c.pk}"] for c in (c1, c2, c3)] == ["十", "31", "7.3"]


def test_points_left_as_shown_are_not_read_again(client_for, panel):
    """Only what the judge changed is checked: a saved score the page shows back unchanged does not block saving
    the others, even when staff have since lowered that criterion's maximum."""
    assignment = panel.assignments[0]
    client = client_for(panel.judges[0])
    c1, c2, c3 = panel.criteria
    score_as(client, assignment, {c1: "15"})
    form = score_form(client.get(score_url(assignment)))
    Criterion.objects.filter(pk=c1.pk).update(max_points=10)
    response = post_scores(client, assignment, {c2: "20"}, form=form)
    assert response.status_code == 302, errors_on(response)
    assert points_of(assignment) == {"选题": Decimal("15"), "原因分析": Decimal("20")}


def test_saving_scores_records_every_change(client_for, panel):
    assignment = panel.assignments[0]
    judge = panel.judges[0]
    client = client_for(judge)
    c1, c2, c3 = panel.criteria
    sign(client, assignment)
    response = post_scores(client, assignment, {c1: "12", c2: " 20.5 "}, comment="选题贴近生产实际。", follow=True)
    assert response.redirect_chain == [(score_url(assignment), 302)]
    assert "Scores saved." in messages_on(response)
    assert points_of(assignment) == {"选题": Decimal("12"), "原因分析": Decimal("20.5")}
    assignment.refresh_from_db()
    assert assignment.comment == "选题贴近生产实际。" and assignment.submitted_at is None
    changes = list(ScoreChange.objects.order_by("pk"))
    assert [(ch.score.criterion, ch.old_points, ch.new_points, ch.changed_by) for ch in changes] == [
        (c1, None, Decimal("12"), judge),
        (c2, None, Decimal("20.5"), judge),
    ]
    # The sheet shows what was saved.
    form = score_form(response)
    assert (form[f"c{c1.pk}"], form[f"c{c1.pk}-shown"], form[f"c{c1.pk}-v"]) == ("12.0", "12.0", "1")
    assert form[f"c{c3.pk}"] == form[f"c{c3.pk}-shown"] == ""

    # Editing: only the changed criterion is written, with who, when, old → new.
    started = timezone.now()
    response = post_scores(client, assignment, {c1: "13.5"}, form=form)
    assert response.status_code == 302
    latest = ScoreChange.objects.latest("pk")
    assert (latest.score.criterion, latest.old_points, latest.new_points, latest.changed_by) == (
        c1,
        Decimal("12"),
        Decimal("13.5"),
        judge,
    )
    assert latest.changed_at >= started
    assert ScoreChange.objects.count() == 3
    score = Score.objects.get(assignment=assignment, criterion=c1)
    assert (score.points, score.version) == (Decimal("13.5"), 2)
    assert Score.objects.get(assignment=assignment, criterion=c2).version == 1


def test_submitting_needs_every_criterion(client_for, panel):
    assignment = panel.assignments[0]
    client = client_for(panel.judges[0])
    c1, c2, c3 = panel.criteria
    sign(client, assignment)
    before = saved_state()
    response = post_scores(client, assignment, {c1: "12", c2: "20"}, comment="评语", action="submit")
    assert response.status_code == 400
    assert "Score every criterion before submitting" in errors_on(response) and "效果" in errors_on(response)
    assert saved_state() == before
    assert not Score.objects.exists()

    response = post_scores(client, assignment, {c1: "12", c2: "20", c3: "0"}, comment="评语", action="submit")
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.submitted_at is not None and assignment.comment == "评语"
    assert points_of(assignment) == {"选题": Decimal("12"), "原因分析": Decimal("20"), "效果": Decimal("0")}
    submitted_at = assignment.submitted_at

    # After submitting, the judge may still change the scores while the round is open.
    response = post_scores(client, assignment, {c2: "22.5"}, follow=True)
    assert "Scores saved." in messages_on(response)
    assert points_of(assignment)["原因分析"] == Decimal("22.5")
    assignment.refresh_from_db()
    assert assignment.submitted_at == submitted_at
    assert "Submit again" in text(response)


@pytest.mark.parametrize("closing", ["status closed", "status final", "closing time passed"])
def test_after_the_round_closes_nothing_is_saved(client_for, panel, closing):
    assignment = panel.assignments[0]
    client = client_for(panel.judges[0])
    c1, c2, c3 = panel.criteria
    score_as(client, assignment, {c1: "10"}, comment="截止前的评语")
    stale = score_form(client.get(score_url(assignment)))  # the page was opened before the round closed
    if closing == "closing time passed":
        panel.round.closes_at = timezone.now() - datetime.timedelta(minutes=1)
        panel.round.save(update_fields=["closes_at"])
    else:
        set_status(panel.round, Round.Status.CLOSED if closing == "status closed" else Round.Status.FINAL)
    before = saved_state()
    for action in ("save", "submit"):
        data = {c1: "11", c2: "20", c3: "15"}
        response = post_scores(client, assignment, data, form=stale, comment="截止后的评语", action=action)
        assert response.status_code == 409
        assert "The round is closed" in errors_on(response)
    assert saved_state() == before
    assert points_of(assignment) == {"选题": Decimal("10")}
    # The page shows the frozen scores, with nothing to type into or press.
    response = client.get(score_url(assignment), headers=ENGLISH)
    assert response.status_code == 200
    html = text(response)
    assert "your scores are frozen" in html
    for criterion in panel.criteria:
        assert markup.one(response, f"input#c{criterion.pk}").has_attr("disabled")
    comment = markup.one(response, "textarea#comment[name=comment]")
    assert comment.has_attr("disabled") and comment.get_text() == "截止前的评语"
    assert not markup.select(response, "[name=action]")


def test_two_tabs_changing_different_criteria_keep_both(client_for, panel):
    assignment = panel.assignments[0]
    client = client_for(panel.judges[0])
    c1, c2, c3 = panel.criteria
    sign(client, assignment)
    tab_a = score_form(client.get(score_url(assignment)))
    tab_b = score_form(client.get(score_url(assignment)))
    assert post_scores(client, assignment, {c1: "10"}, form=tab_a).status_code == 302
    response = post_scores(client, assignment, {c2: "20"}, form=tab_b, follow=True)
    assert "Scores saved." in messages_on(response)
    assert points_of(assignment) == {"选题": Decimal("10"), "原因分析": Decimal("20")}
    assert ScoreChange.objects.count() == 2
    # Both windows' edits of one criterion, one after the other, from fresh forms: the later one wins.
    assert post_scores(client, assignment, {c1: "11"}).status_code == 302
    assert points_of(assignment)["选题"] == Decimal("11")


def test_two_tabs_changing_the_same_criterion_keep_the_first_and_warn(client_for, panel):
    assignment = panel.assignments[0]
    client = client_for(panel.judges[0])
    c1, c2, c3 = panel.criteria
    score_as(client, assignment, {c1: "8"})
    tab_a = score_form(client.get(score_url(assignment)))
    tab_b = score_form(client.get(score_url(assignment)))
    assert "Scores saved." in messages_on(post_scores(client, assignment, {c1: "10"}, form=tab_a, follow=True))
    response = post_scores(client, assignment, {c1: "12", c2: "20"}, form=tab_b, follow=True)
    assert response.redirect_chain == [(score_url(assignment), 302)]
    shown = " ".join(messages_on(response))
    assert "选题 was changed in another window to 10.0 meanwhile; it was kept." in shown
    assert "Scores saved." not in shown
    # Tab A's 选题 is kept, tab B's 原因分析 is saved: nothing is lost.
    assert points_of(assignment) == {"选题": Decimal("10"), "原因分析": Decimal("20")}
    history = [(ch.score.criterion_id, ch.old_points, ch.new_points) for ch in ScoreChange.objects.order_by("pk")]
    assert history == [(c1.pk, None, Decimal("8")), (c1.pk, Decimal("8"), Decimal("10")), (c2.pk, None, Decimal("20"))]
    # The page now offers what is saved, so the judge can decide.
    assert score_form(response)[f"c{c1.pk}"] == "10.0"


def test_a_stale_tab_does_not_wipe_the_comment_written_in_the_other(client_for, panel):
    assignment = panel.assignments[0]
    client = client_for(panel.judges[0])
    c1, c2, c3 = panel.criteria
    sign(client, assignment)
    tab_a = score_form(client.get(score_url(assignment)))
    tab_b = score_form(client.get(score_url(assignment)))
    assert post_scores(client, assignment, {c1: "10"}, form=tab_a, comment="甲窗口写下的评语").status_code == 302
    assert post_scores(client, assignment, {c2: "20"}, form=tab_b).status_code == 302  # tab B's comment box: empty
    assert points_of(assignment) == {"选题": Decimal("10"), "原因分析": Decimal("20")}
    assignment.refresh_from_db()
    assert assignment.comment == "甲窗口写下的评语"


def test_each_round_keeps_its_own_scores(client_for, make_competition, make_round, make_judge, make_entry):
    competition = make_competition()
    entry = make_entry(competition)
    judge = make_judge()
    first = staged_round(make_round, competition, [judge], advancement="top_n", advancement_value=5)
    second = make_round(competition, number=2, judges=[judge], judges_per_entry=1)
    client = client_for(judge)
    in_first = assignment_of(judge, entry, first)
    c1, c2, c3 = first.criterion_list
    score_as(client, in_first, {c1: "12", c2: "25", c3: "18"}, comment="初评意见", action="submit")
    set_status(first, Round.Status.CLOSED)
    assert judging.advance(first, by=None) == 1
    judging.assign_judges(second, by=None)
    set_status(second, Round.Status.OPEN)
    in_second = assignment_of(judge, entry, second)
    assert in_second.statement_signed_at is None  # signed per round
    d1, d2, d3 = second.criterion_list
    score_as(client, in_second, {d1: "5", d2: "6", d3: "7"}, comment="复评意见", action="submit")
    score_as(client, in_second, {d1: "6"})

    in_first.refresh_from_db()
    in_second.refresh_from_db()
    assert points_of(in_first) == {"选题": Decimal("12"), "原因分析": Decimal("25"), "效果": Decimal("18")}
    assert points_of(in_second) == {"选题": Decimal("6"), "原因分析": Decimal("6"), "效果": Decimal("7")}
    assert (in_first.comment, in_second.comment) == ("初评意见", "复评意见")
    assert ScoreChange.objects.filter(score__assignment=in_first).count() == 3
    assert ScoreChange.objects.filter(score__assignment=in_second).count() == 4
    # Each round's page shows its own scores; the first (final now) is read-only.
    first_form = score_form(client.get(score_url(in_first)))
    assert [first_form[f"c{c.pk}"] for c in (c1, c2, c3)] == ["12.0", "25.0", "18.0"]
    assert first_form["comment"] == "初评意见"
    second_form = score_form(client.get(score_url(in_second)))
    assert [second_form[f"c{c.pk}"] for c in (d1, d2, d3)] == ["6.0", "6.0", "7.0"]


def test_judges_never_see_each_others_scores(client_for, panel):
    mine, theirs = panel.assignments
    me, them = panel.judges
    c1, c2, c3 = panel.criteria
    score_as(
        client_for(them), theirs, {c1: "13.5", c2: "27.5", c3: "19.5"}, comment="乙评委独有的评语Q7X", action="submit"
    )
    score_as(client_for(me), mine, {c1: "2"})
    for response in (client_for(me).get(score_url(mine)), client_for(me).get(list_url(), headers=ENGLISH)):
        assert response.status_code == 200
        html = text(response)
        for leaked in ("13.5", "27.5", "19.5", "乙评委独有的评语Q7X", them.username):
            assert leaked not in html
    total = markup.one(client_for(me).get(score_url(mine)), "form.score-sheet p.total")
    assert markup.text_of(total.strong) == "2" and markup.text_of(total).endswith(" 2 / 65")  # my total only
    assert "1 of 3 criteria scored" in text(client_for(me).get(list_url(), headers=ENGLISH))


def test_the_sheet_and_the_ranking_add_up_the_same_weighted_total(
    client_for, make_competition, make_round, make_judge, make_entry
):
    """Σ points × weight is computed in one place (scoring.weighted_total): the judge's sheet (Assignment.total),
    the round's maximum and the ranking's judge totals agree."""
    competition = make_competition()
    make_entry(competition)
    judge = make_judge()
    criteria = (("选题", "15", "2"), ("原因分析", "30", "0.5"), ("效果", "20", "1.5"))
    round_ = staged_round(make_round, competition, [judge], criteria=criteria)
    assignment = Assignment.objects.get(judge=judge)
    c1, c2, c3 = round_.criterion_list
    client = client_for(judge)
    score_as(client, assignment, {c1: "12.5", c2: "21", c3: "16"}, action="submit")

    expected = Decimal("12.5") * 2 + Decimal("21") * Decimal("0.5") + Decimal("16") * Decimal("1.5")  # 59.5
    assert assignment.total() == expected
    assert round_.max_total == 15 * 2 + 30 * Decimal("0.5") + 20 * Decimal("1.5")  # 75
    total = markup.one(client.get(score_url(assignment)), "form.score-sheet p.total")
    assert markup.text_of(total).endswith(" 59.5 / 75")
    [result] = judging.round_results(round_).entries
    assert result.totals == {judge.pk: float(expected)}


# Blind review ------------------------------------------------------------------------------------------------


ENTERPRISE = "华晋铸造有限责任公司"
AUTHOR, COAUTHOR = "王某某", "李某某"


@pytest.fixture
def identifiable_case(make_enterprise, make_profile, make_case):
    """A case whose enterprise, authors, picture and attachment all say who wrote it."""
    enterprise = make_enterprise(name=ENTERPRISE)
    author = make_profile(status=ProfileStatus.ACTIVE, enterprise=enterprise, real_name=AUTHOR)
    coauthor = make_profile(status=ProfileStatus.ACTIVE, enterprise=enterprise, real_name=COAUTHOR)
    image = Image.objects.create(
        title="华晋铸造浇注车间", file=SimpleUploadedFile("huajin-workshop.png", png_bytes(), "image/png")
    )
    document = Document.objects.create(
        title="华晋铸造_王某某", file=SimpleUploadedFile("华晋铸造_王某某.pdf", b"%PDF-1.7\n% test\n")
    )
    body = [
        section(
            "项目背景",
            "public",
            ("text", f"<p>项目由{AUTHOR}牵头，{COAUTHOR}参与，{ENTERPRISE}铸造车间实施。</p>"),
            ("image", {"image": image.pk, "alt_text": "华晋铸造浇注车间", "decorative": False}),
            ("document", document.pk),
            ("quote", {"text": f"{AUTHOR}：质量是企业的生命。", "source": f"{ENTERPRISE} {AUTHOR}"}),
            metric(indicator="铸件气孔率"),
        ),
        section("核心工艺参数", "judges", ("text", "<p>浇注温度控制在1420℃。</p>")),
    ]
    case = make_case(
        author.user,
        authors=[coauthor],
        body=body,
        title=f"{ENTERPRISE}降低铸件气孔率",
        summary=f"{ENTERPRISE}运用六西格玛方法，将铸件气孔率从3.2%降至0.8%。",
    )
    return SimpleNamespace(case=case, image=image, document=document, author=author, coauthor=coauthor)


def leaks(identifiable_case):
    image, document = identifiable_case.image, identifiable_case.document
    return [
        ENTERPRISE,
        AUTHOR,
        COAUTHOR,
        identifiable_case.case.title,
        document.title,
        document.filename,
        quote(document.filename),
        document.url,
        document.file.url,
        image.title,
        image.file.url,
        "huajin-workshop",  # the image's file name, in its own URL and in every rendition's
    ]


@pytest.mark.parametrize("blind", [True, False])
def test_blind_review_withholds_who_wrote_the_case(
    client_for, make_competition, make_round, make_judge, make_entry, identifiable_case, blind
):
    competition = make_competition()
    make_entry(competition, case=identifiable_case.case)
    judge = make_judge()
    round_ = staged_round(make_round, competition, [judge], blind=blind)
    assignment = Assignment.objects.get(judge=judge)
    client = client_for(judge)
    pages = {"statement": client.get(score_url(assignment), headers=ENGLISH)}
    sign(client, assignment)
    pages["score sheet"] = client.get(score_url(assignment), headers=ENGLISH)
    pages["list"] = client.get(list_url(), headers=ENGLISH)
    for response in pages.values():
        assert response.status_code == 200
    html = text(pages["score sheet"])
    # Judges-only sections are shown to the judge either way.
    assert "核心工艺参数" in html and "浇注温度控制在1420℃。" in html
    assert "铸件气孔率" in html
    if blind:
        for name, response in pages.items():
            for leak in leaks(identifiable_case):
                assert leak not in text(response), (name, leak)
        assert f"Entry No. {assignment.round_entry_id}" in html
        assert "项目由＊＊＊牵头，＊＊＊参与，＊＊＊铸造车间实施。" in html
        assert "＊＊＊运用六西格玛方法，将铸件气孔率从3.2%降至0.8%。" in html
        assert "＊＊＊：质量是企业的生命。" in html
        assert "An image or attachment is withheld in this blind round." in html
    else:
        assert round_.blind is False
        meta = markup.text_of(markup.one(pages["score sheet"], ".page-head p.meta"))
        assert ENTERPRISE in meta and AUTHOR in meta and COAUTHOR in meta
        assert identifiable_case.case.title in html
        assert f"项目由{AUTHOR}牵头" in html
        assert identifiable_case.document.title in html and identifiable_case.document.url in html
        assert "huajin-workshop" in html
        assert "＊＊＊" not in html


# Results for entrants ----------------------------------------------------------------------------------------


@pytest.fixture
def judged(client_for, make_competition, make_round, make_entry, make_user, make_profile, make_enterprise, staff):
    """A competition of one round with one entry scored by three judges; two submitted, one did not."""
    competition = make_competition()
    entry = make_entry(competition, title="《受评案例》")
    judges = []
    for username, real_name in (("judge_zhang", "张评委"), ("judge_li", "李评委"), ("judge_zhao", "赵评委")):
        user = make_user(username, groups=[roles.JUDGE])
        make_profile(user, status=ProfileStatus.ACTIVE, enterprise=make_enterprise(), real_name=real_name)
        judges.append(user)
    round_ = staged_round(make_round, competition, judges)
    c1, c2, c3 = round_.criterion_list
    sheets = [
        ({c1: "12", c2: "25", c3: "18"}, "甲：选题清晰。", "submit"),
        ({c1: "13.5", c2: "20", c3: "15"}, "乙：数据充分。", "submit"),
        ({c1: "1", c2: "1"}, "丙：尚未提交的评语。", "save"),
    ]
    for judge, (points, comment, action) in zip(judges, sheets, strict=True):
        score_as(client_for(judge), assignment_of(judge, entry), points, comment=comment, action=action)
    set_status(round_, Round.Status.CLOSED)
    judging.decide_awards(round_, by=staff)
    return SimpleNamespace(competition=competition, entry=entry, round=round_, judges=judges)


def test_entrants_see_nothing_before_publication(client_for, judged, member):
    url = results_url(judged.competition)
    assert client_for(judged.entry.entrant).get(url).status_code == 404
    assert client_for(member).get(url).status_code == 404
    response = client_for(None).get(url)
    assert response.status_code == 302 and response.url == login_url(url)


def test_after_publication_the_entrant_sees_averages_and_comments_without_names(client_for, judged, member, staff):
    judging.publish_results(judged.round, by=staff)
    url = results_url(judged.competition)
    response = client_for(judged.entry.entrant).get(url, headers=ENGLISH)
    assert response.status_code == 200
    html = text(response)
    rows = {markup.text_of(row.th): markup.text_of(row.td) for row in markup.select(response, "table tbody tr")}
    # Submitted sheets only: (12 + 13.5) / 2, (25 + 20) / 2, (18 + 15) / 2.
    assert rows == {"选题": "12.75", "原因分析": "22.50", "效果": "16.50"}
    assert "甲：选题清晰。" in html and "乙：数据充分。" in html
    assert "丙：尚未提交的评语。" not in html
    for judge in judged.judges:
        profile = judge.cqo_profile
        for name in (judge.username, judge.email, profile.real_name):
            assert name not in html
    # Another member, even after publication, sees nothing.
    assert client_for(member).get(url).status_code == 404


def test_a_member_sees_the_results_of_every_entry_they_wrote(
    client_for, make_competition, make_round, make_case, make_profile, make_enterprise, make_judge, staff
):
    """One entry of their own and a co-author of another's: both results, not a 500."""
    competition = make_competition()
    writer = make_profile(status=ProfileStatus.ACTIVE, enterprise=make_enterprise(), real_name="甲作者")
    colleague = make_profile(status=ProfileStatus.ACTIVE, enterprise=make_enterprise(), real_name="乙作者")
    own = make_case(writer.user, title="《自己的案例》")
    shared = make_case(colleague.user, title="《合写的案例》", authors=[writer])
    entries = [
        Entry.objects.create(competition=competition, case=case, entrant=case.owner, status=Entry.Status.ELIGIBLE)
        for case in (own, shared)
    ]
    judge = make_judge()
    round_ = staged_round(make_round, competition, [judge])
    c1, c2, c3 = round_.criterion_list
    for entry, comment in zip(entries, ("评语：自己的。", "评语：合写的。"), strict=True):
        score_as(client_for(judge), assignment_of(judge, entry), {c1: "10", c2: "20", c3: "15"}, comment, "submit")
    set_status(round_, Round.Status.CLOSED)
    judging.decide_awards(round_, by=staff)
    judging.publish_results(round_, by=staff)
    url = results_url(competition)

    response = client_for(writer.user).get(url, headers=ENGLISH)
    assert response.status_code == 200
    html = htmllib.unescape(text(response))
    for shown in ("《自己的案例》", "《合写的案例》", "评语：自己的。", "评语：合写的。"):
        assert shown in html, shown

    html = htmllib.unescape(text(client_for(colleague.user).get(url, headers=ENGLISH)))
    assert "《合写的案例》" in html and "评语：合写的。" in html
    assert "《自己的案例》" not in html and "评语：自己的。" not in html


# Entering a case ---------------------------------------------------------------------------------------------


def enter(client, competition, case_id):
    return client.post(enter_url(competition), {"case": case_id}, headers=ENGLISH, follow=True)


def refused(response, message):
    """Refused: sent back to the competition page (303) with the reason in a message."""
    assert response.redirect_chain[-1][1] == 303
    shown = " ".join(messages_on(response))
    assert message in shown, shown


def test_a_member_enters_their_published_case(client_for, make_competition, make_case, member):
    competition = make_competition()
    case = make_case(member)
    response = enter(client_for(member), competition, str(case.pk))
    assert response.redirect_chain == [(competition.url, 302)]
    assert "Your case is entered." in " ".join(messages_on(response))
    entry = Entry.objects.get()
    assert (entry.competition, entry.case, entry.entrant, entry.status) == (
        competition,
        case,
        member,
        Entry.Status.SUBMITTED,
    )
    # One entry per member: a second case is refused.
    other_case = make_case(member)
    response = enter(client_for(member), competition, str(other_case.pk))
    refused(response, "You have already entered a case in this competition")
    assert list(Entry.objects.all()) == [entry]
    # And the same case again too.
    refused(enter(client_for(member), competition, str(case.pk)), "already entered")
    assert Entry.objects.count() == 1


def test_a_co_author_may_enter_the_case_once(client_for, make_competition, make_case, make_profile, member):
    competition = make_competition()
    coauthor = make_profile(status=ProfileStatus.ACTIVE).user
    case = make_case(member, authors=[coauthor.cqo_profile])
    assert enter(client_for(coauthor), competition, str(case.pk)).redirect_chain == [(competition.url, 302)]
    refused(enter(client_for(member), competition, str(case.pk)), "once")
    assert Entry.objects.get().entrant == coauthor


@pytest.mark.parametrize(
    "which",
    ["someone else's", "a draft", "abc", "", "999999", "-1", "1.5", "１", "99999999999999999999", "the competition"],
)
def test_entering_anything_but_ones_own_published_case_is_refused(
    client_for, make_competition, make_case, make_profile, member, which
):
    competition = make_competition()
    make_case(member)  # the member has a case they could enter
    someone = make_profile(status=ProfileStatus.ACTIVE).user
    case_ids = {
        "someone else's": lambda: str(make_case(someone).pk),
        "a draft": lambda: str(make_case(member, live=False).pk),
        "the competition": lambda: str(competition.pk),  # a page, but not a case
    }
    raw = case_ids[which]() if which in case_ids else which
    response = enter(client_for(member), competition, raw)
    refused(
        response,
        "You can enter only a published case of which you are an author"
        if which in ("someone else's", "a draft")
        else "Choose one of",
    )
    assert not Entry.objects.exists()


@pytest.mark.parametrize("window", ["closed", "not yet open"])
def test_entering_outside_the_window_is_refused(client_for, make_competition, make_case, member, window):
    now = timezone.now()
    if window == "closed":
        competition = make_competition(open_for_entries=False)
    else:
        competition = make_competition(
            entry_opens_at=now + datetime.timedelta(days=1), entry_closes_at=now + datetime.timedelta(days=9)
        )
    case = make_case(member)
    refused(enter(client_for(member), competition, str(case.pk)), "Entries are not open")
    assert not Entry.objects.exists()


def test_visitors_and_non_members_may_not_enter(client_for, make_competition, make_case, member, staff, judge):
    competition = make_competition()
    case = make_case(member)
    url = enter_url(competition)
    response = client_for(None).post(url, {"case": case.pk})
    assert response.status_code == 302 and response.url == login_url(url)
    for user in (staff, judge):
        refused(enter(client_for(user), competition, str(case.pk)), "Only members")
    assert not Entry.objects.exists()


def test_body_competitions_need_an_approved_membership(client_for, make_competition, make_case, member):
    home = HomePage.objects.first()
    body = home.add_child(instance=BodyPage(title="首席质量官联盟", slug="alliance", kind=BodyPage.Kind.ALLIANCE))
    competition = make_competition(organizer=body, audience=CompetitionPage.Audience.BODY_MEMBERS)
    case = make_case(member)
    refused(enter(client_for(member), competition, str(case.pk)), "open to members of 首席质量官联盟 only")
    membership = BodyMembership.objects.create(profile=member.cqo_profile, body=body, motivation="希望加入")
    refused(enter(client_for(member), competition, str(case.pk)), "open to members of 首席质量官联盟 only")
    membership.status = BodyMembership.Status.DECLINED
    membership.save()
    refused(enter(client_for(member), competition, str(case.pk)), "open to members of 首席质量官联盟 only")
    assert not Entry.objects.exists()
    membership.status = BodyMembership.Status.APPROVED
    membership.save()
    assert enter(client_for(member), competition, str(case.pk)).redirect_chain == [(competition.url, 302)]
    assert Entry.objects.get().case == case


# Query budgets -----------------------------------------------------------------------------------------------

LIST_BUDGET = 5  # measured: 3 (user, assignments with counts, criteria per round)
SCORE_BUDGET = 8  # measured: 6


@pytest.mark.parametrize("page", ["list", "score sheet"])
def test_query_budget(
    client_for, make_competition, make_round, make_judge, make_entry, django_assert_max_num_queries, page
):
    judge, colleague = make_judge(), make_judge()
    competition = make_competition()
    round_ = make_round(competition, judges=[judge, colleague], judges_per_entry=2)
    blind = make_competition()
    blind_round = make_round(blind, judges=[judge], judges_per_entry=1, blind=True)
    client = client_for(judge)

    def grow(total):
        """Entries until the judge has `total` assignments; some signed, scored and submitted."""
        while Assignment.objects.filter(judge=judge).count() < total:
            count = Assignment.objects.filter(judge=judge).count()
            make_entry(blind if count % 3 == 2 else competition)
            for each in (round_, blind_round):
                judging.populate_round(each)
                if each.round_entries.exists():
                    judging.assign_judges(each, by=None)
                set_status(each, Round.Status.OPEN)
        for number, assignment in enumerate(Assignment.objects.filter(judge=judge, statement_signed_at=None)):
            if number % 2 == 0:
                c1, c2, c3 = assignment.round.criterion_list
                action = "submit" if number % 4 == 0 else "save"
                score_as(client, assignment, {c1: "10", c2: "20", c3: "15"}, comment="评语", action=action)

    def measure():
        url = list_url()
        if page == "score sheet":
            url = score_url(Assignment.objects.filter(judge=judge).exclude(statement_signed_at=None).first())
        client.get(url)  # warm the caches a running site keeps (menu, roles, site root paths)
        budget = LIST_BUDGET if page == "list" else SCORE_BUDGET
        with django_assert_max_num_queries(budget) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    grow(3)
    few = measure()
    grow(30)
    assert Assignment.objects.filter(judge=judge).count() == 30
    assert measure() == few
