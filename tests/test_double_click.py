"""A double click on every form of the site that does something does it once (audit finding 6).

Each row of CLICKS is one URL pattern that accepts POST (one row per action where a pattern has several), with
the stage set for someone who may use it: the page that shows the form, the form (by where it posts and the
button pressed) and what they type. The test reads the form from that page as a browser would, one-time token
included, and sends it twice. The first click must do the thing (its `done` check, and a changed database); the
second must answer where the first led, or at least not fail, and change nothing: every table of the database
but the sessions, row for row (so row counts of every model, and every field an update would change: a status,
a decision, a toggle), and the mail sent.

`test_every_post_endpoint_is_clicked_twice` walks the URL resolver: a new view that accepts POST fails it until
it has its row here, or an exemption below that says why.
"""

import inspect
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.db import connection
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from wagtail.models import Page

from alliance_site.common import submit_once
from alliance_site.filings import services as filing
from alliance_site.models import (
    BodyMembership,
    ContactReveal,
    CQOProfile,
    CQOWarning,
    Filing,
    ProfileStatus,
    Submission,
)
from alliance_site.sanctions import services as sanctions
from cases.competitions import judging
from cases.competitions.models import Assignment, Entry, Round, RoundEntry
from cases.models import CasePage, QualityMethod
from cases.workflow import CaseStatus, status_of
from events import registration
from events.models import Evaluation, Registration, TrainingRecord
from forums import posting
from forums.models import Board, Post, Reaction, Report, Subscription, Thread

# The factories of the apps' own tests (imported fixtures are fixtures of this module too).
from tests.alliance_site.conftest import home_page, make_body_page  # noqa: F401
from tests.alliance_site.helpers import ENGLISH, profile_form_data, text, upload
from tests.cases.competitions.conftest import (  # noqa: F401
    competition_index,
    make_competition,
    make_entry,
    make_judge,
    make_round,
)
from tests.cases.conftest import case_index, make_case  # noqa: F401
from tests.cases.test_submission import new_case_data
from tests.events.conftest import event_index, make_event  # noqa: F401

pytestmark = pytest.mark.django_db

OUR_APPS = ("alliance_site", "cases", "competitions", "forums", "events")


@pytest.fixture(autouse=True)
def stage_settings(settings, tmp_path):
    """Uploads go to a temporary folder; the forum's limits for new members stay out of the way."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.FORUM_RATE_LIMITS = {"new": {"posts": (100, 600), "threads": (100, 3600)}}


# Reading a form as a browser sends it ------------------------------------------------------------------------


@dataclass
class Form:
    action: str  # the path it posts to
    fields: list = field(default_factory=list)  # [(name, value)] as a browser sends them, buttons left out
    buttons: list = field(default_factory=list)  # [(name, value)] of its named submit buttons


class Forms(HTMLParser):
    """The POST forms of a page: what each would send without a button pressed (checked boxes, selected options,
    the first option of a single select, textareas; nothing inside a <template>), and its buttons."""

    def __init__(self, html, page_path):
        super().__init__()
        self.page_path, self.forms, self.form = page_path, [], None
        self.select = self.textarea = None
        self.in_template = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self.form = Form(urlsplit(attrs.get("action") or self.page_path).path)
                self.forms.append(self.form)
            return
        if self.form is None:
            return
        name = attrs.get("name")
        kind = (attrs.get("type") or "").lower()
        if tag == "button" or (tag == "input" and kind in ("submit", "image")):
            if name and kind != "button":
                self.form.buttons.append((name, attrs.get("value") or ""))
        elif tag == "input" and name and kind not in ("file", "button", "reset"):
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                self.form.fields.append((name, attrs.get("value", "on" if kind in ("checkbox", "radio") else "")))
        elif tag == "textarea" and name:
            self.textarea = [name, ""]
            self.form.fields.append(self.textarea)
        elif tag == "select" and name:
            self.select = {"name": name, "multiple": "multiple" in attrs, "first": None, "chosen": []}
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            if self.select["first"] is None:
                self.select["first"] = value
            if "selected" in attrs:
                self.select["chosen"].append(value)

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template -= 1
        elif tag == "form":
            self.form = None
        elif tag == "textarea" and self.textarea is not None:
            self.textarea[1] = self.textarea[1].removeprefix("\n")
            self.form.fields[-1] = tuple(self.textarea)
            self.textarea = None
        elif tag == "select" and self.select is not None:
            chosen = self.select["chosen"]
            if not chosen and not self.select["multiple"] and self.select["first"] is not None:
                chosen = [self.select["first"]]
            self.form.fields += [(self.select["name"], value) for value in chosen]
            self.select = None


def form_data(form, fill, button):
    """The form's values with `fill` typed over them and the pressed button's, as the test client posts them."""
    data = {}
    for name, value in form.fields:
        data.setdefault(name, []).append(value)
    data.update({name: value if isinstance(value, list) else [value] for name, value in fill.items()})
    if button:
        data[button[0]] = [button[1]]
    data.pop("csrfmiddlewaretoken", None)
    return data


def the_form(client, click):
    response = client.get(click.page, headers=ENGLISH)
    assert response.status_code == 200, f"{click.page} answers {response.status_code}"
    action = urlsplit(click.action).path
    forms = [form for form in Forms(text(response), urlsplit(click.page).path).forms if form.action == action]
    if click.button:
        forms = [form for form in forms if click.button in form.buttons + form.fields]
    assert forms, f"no form on {click.page} posts to {action} with {click.button or 'its button'}"
    return forms[0]


# The database, table by table --------------------------------------------------------------------------------


def database_state():
    """Every row of every table but the sessions (a signed-in request may write its session)."""
    tables = sorted(set(connection.introspection.table_names()) - {"django_session"})
    state = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            state[table] = sorted(map(repr, cursor.fetchall()))
    return state


def tables_changed(before, after):
    return sorted(table for table in before if before[table] != after[table])


# The table of clicks -----------------------------------------------------------------------------------------


@dataclass
class Click:
    user: object  # who clicks: someone who may
    page: str  # the page that shows the form
    action: str  # where the form posts
    done: Callable[[], bool]  # true once the first click has done the thing
    fill: dict = field(default_factory=dict)  # what the person types or chooses
    button: tuple | None = None  # (name, value) of the button pressed, where the form has several
    status: int = 302  # the first click's answer


CLICKS = {}


def clicks(url_name, action=""):
    """Registers a stage for a URL name (and one of its actions, where it has several)."""

    def register(stage):
        CLICKS[f"{url_name} {action}".strip()] = stage
        return stage

    return register


def active_cqo(get, **fields):
    return get("make_profile")(status=ProfileStatus.ACTIVE, **fields)


def url(name, *args):
    return reverse(name, args=args)


# The core site: profiles, filings, sanctions, bodies --------------------------------------------------------


@clicks("members:edit")
def first_profile(get):
    """A new account writes its CQO profile: the first save creates it."""
    user = get("make_user")()
    county = get("regions")["zezhou"]
    return Click(
        user,
        url("members:edit"),
        url("members:edit"),
        done=lambda: CQOProfile.objects.filter(user=user).exists(),
        fill=profile_form_data(county),
    )


@clicks("members:submit_filing")
def filing_submitted(get):
    profile = get("make_profile")(status=ProfileStatus.APPLICANT)
    profile.appointment_letter = upload("任命书.pdf")
    profile.save()
    return Click(
        profile.user,
        url("members:detail", profile.pk),
        url("members:submit_filing"),
        done=lambda: Filing.objects.filter(profile=profile, status=Filing.Status.SUBMITTED).count() == 1,
    )


@clicks("members:privacy")
def privacy_saved(get):
    profile = active_cqo(get)
    return Click(
        profile.user,
        url("members:privacy"),
        url("members:privacy"),
        done=lambda: CQOProfile.objects.get(pk=profile.pk).contact_phone == "0351-7654321",
        fill={"contact_phone": "0351-7654321"},
    )


@clicks("members:request_contact")
def contact_requested(get):
    card = active_cqo(get, contact_phone="0351-1234567", contact_audience="members")
    asker = get("member")
    return Click(
        asker,
        url("members:detail", card.pk),
        url("members:request_contact", card.pk),
        done=lambda: ContactReveal.objects.filter(profile=card, revealed_to=asker).count() == 1,
        fill={"purpose": ContactReveal.Purpose.MENTORING},
    )


@clicks("members:warn")
def warned(get):
    profile = active_cqo(get)
    return Click(
        get("staff"),
        url("members:warn", profile.pk),
        url("members:warn", profile.pk),
        done=lambda: CQOWarning.objects.filter(profile=profile).count() == 1,
        fill={"reason": "未按规定履职"},
    )


@clicks("members:exit")
def exited(get):
    profile = active_cqo(get)
    return Click(
        get("staff"),
        url("members:exit", profile.pk),
        url("members:exit", profile.pk),
        done=lambda: CQOProfile.objects.get(pk=profile.pk).status == ProfileStatus.EXITED,
        fill={"reason": "严重失职"},
    )


@clicks("members:respond_to_warning")
def warning_answered(get):
    profile = active_cqo(get)
    warning = sanctions.issue_warning(profile, by=get("staff"), reason="未按规定履职")
    return Click(
        profile.user,
        url("members:detail", profile.pk),
        url("members:respond_to_warning", warning.pk),
        done=lambda: CQOWarning.objects.get(pk=warning.pk).responded_at is not None,
        fill={"response": "已整改。"},
    )


@clicks("filings:decide")
def filing_approved(get):
    profile = get("make_profile")(status=ProfileStatus.APPLICANT)
    profile.appointment_letter = upload("任命书.pdf")
    profile.save()
    submitted = filing.submit(profile, by=profile.user)
    return Click(
        get("regulator"),
        url("filings:detail", submitted.pk),
        url("filings:decide", submitted.pk),
        done=lambda: Filing.objects.get(pk=submitted.pk).status == Filing.Status.APPROVED,
        button=("action", "approve"),
    )


@clicks("apply_membership")
def membership_applied(get):
    body = get("make_body_page")()
    member = get("member")
    return Click(
        member,
        body.url,
        url("apply_membership", body.pk),
        done=lambda: BodyMembership.objects.filter(profile__user=member, body=body).count() == 1,
        fill={"motivation": "希望交流质量改进经验。"},
    )


# The core's screens in the Wagtail admin ---------------------------------------------------------------------


@clicks("cqo_profiles:status")
def status_changed(get):
    profile = get("make_profile")(status=ProfileStatus.FILING_SUBMITTED)
    return Click(
        get("staff"),
        url("cqo_profiles:status", profile.pk),
        url("cqo_profiles:status", profile.pk),
        done=lambda: CQOProfile.objects.get(pk=profile.pk).status == ProfileStatus.ACTIVE,
        fill={"status": ProfileStatus.ACTIVE, "reason": "纸质备案已核验"},
    )


@clicks("cqo_profiles:relaxed_admission")
def relaxed_admission(get):
    profile = get("make_profile")(status=ProfileStatus.APPLICANT, years_in_quality=3)
    return Click(
        get("staff"),
        url("cqo_profiles:relaxed_admission", profile.pk),
        url("cqo_profiles:relaxed_admission", profile.pk),
        done=lambda: CQOProfile.objects.get(pk=profile.pk).relaxed_admission_at is not None,
        fill={"reason": "焊接工艺资深专家，经验丰富。"},
    )


@clicks("cqo_profiles:contact")
def contact_shown_to_staff(get):
    """The details are shown on the answer itself (200): a repeat shows the reveal still on screen again."""
    profile = active_cqo(get, contact_phone="0351-1234567")
    staff = get("staff")
    return Click(
        staff,
        url("cqo_profiles:contact", profile.pk),
        url("cqo_profiles:contact", profile.pk),
        done=lambda: ContactReveal.objects.filter(profile=profile, revealed_to=staff).count() == 1,
        fill={"purpose": ContactReveal.Purpose.SECRETARIAT},
        status=200,
    )


@clicks("cqo_profiles:edit")
def profile_edited_by_staff(get):
    profile = active_cqo(get)
    return Click(
        get("staff"),
        url("cqo_profiles:edit", profile.pk),
        url("cqo_profiles:edit", profile.pk),
        done=lambda: CQOProfile.objects.get(pk=profile.pk).bio == "二十年焊接质量管理经验。",
        fill={"bio": "二十年焊接质量管理经验。"},
    )


def pending_membership(get):
    body = get("make_body_page")()
    return BodyMembership.objects.create(profile=active_cqo(get), body=body, motivation="希望加入。")


@clicks("body_memberships:decide")
def membership_decided(get):
    membership = pending_membership(get)
    return Click(
        get("staff"),
        url("body_memberships:decide", membership.pk),
        url("body_memberships:decide", membership.pk),
        done=lambda: BodyMembership.objects.get(pk=membership.pk).status == BodyMembership.Status.APPROVED,
        fill={"decision": BodyMembership.Status.APPROVED},
    )


@clicks("body_memberships:edit")
def membership_edited(get):
    membership = pending_membership(get)
    return Click(
        get("staff"),
        url("body_memberships:edit", membership.pk),
        url("body_memberships:edit", membership.pk),
        done=lambda: BodyMembership.objects.get(pk=membership.pk).motivation == "希望加入晋城分会。",
        fill={"motivation": "希望加入晋城分会。"},
    )


# Cases ---------------------------------------------------------------------------------------------------------


@clicks("cases:create")
def case_created(get):
    get("case_index")
    member = get("member")
    return Click(
        member,
        url("cases:create"),
        url("cases:create"),
        done=lambda: CasePage.objects.filter(owner=member).count() == 1,
        fill=new_case_data(QualityMethod.objects.filter(slug="six-sigma")),
    )


@clicks("cases:edit")
def case_edited(get):
    member = get("member")
    case = get("make_case")(member, live=False, methods=["six-sigma"])
    return Click(
        member,
        url("cases:edit", case.pk),
        url("cases:edit", case.pk),
        done=lambda: CasePage.objects.get(pk=case.pk).get_latest_revision_as_object().title == "改过的标题",
        fill={"case-title": "改过的标题"},
        button=("action", "save"),
    )


@clicks("cases:submit")
def case_submitted(get):
    member = get("member")
    case = get("make_case")(member, live=False)
    return Click(
        member,
        url("cases:my_cases"),
        url("cases:submit", case.pk),
        done=lambda: status_of(case, CasePage.objects.get(pk=case.pk).current_workflow_state) == CaseStatus.IN_REVIEW,
    )


# Competitions: judges and entrants ---------------------------------------------------------------------------


def judged_by(get, *, signed=True, entries=1, **round_fields):
    """An open round of a competition with `entries` entries, each judged by the same two judges."""
    competition = get("make_competition")()
    for _ in range(entries):
        get("make_entry")(competition)
    judges = [get("make_judge")(), get("make_judge")()]
    round_ = get("make_round")(competition, judges=judges, judges_per_entry=2, **round_fields)
    judging.populate_round(round_)
    judging.assign_judges(round_, by=None)
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.OPEN)
    assignments = list(Assignment.objects.filter(round_entry__round=round_).order_by("pk"))
    if signed:
        for assignment in assignments:
            judging.sign_statement(assignment)
    return round_, assignments


def scored(round_, assignments, points=("12", "25", "18")):
    """Every sheet of the round submitted, then the round closed."""
    for assignment in assignments:
        values = {criterion: (p, "", "") for criterion, p in zip(round_.criterion_list, points, strict=True)}
        judging.save_scores(assignment, assignment.judge, values, submit=True)
    Round.objects.filter(pk=round_.pk).update(status=Round.Status.CLOSED)
    round_.refresh_from_db()


@clicks("competitions:score")
def scores_saved(get):
    round_, (assignment, _) = judged_by(get)
    fill = {f"c{criterion.pk}": "10" for criterion in round_.criterion_list}
    return Click(
        assignment.judge,
        url("competitions:score", assignment.pk),
        url("competitions:score", assignment.pk),
        done=lambda: assignment.scores.count() == len(fill),
        fill=fill,
        button=("action", "save"),
    )


@clicks("competitions:sign_statement")
def statement_signed(get):
    _round, (assignment, _) = judged_by(get, signed=False)
    return Click(
        assignment.judge,
        url("competitions:score", assignment.pk),
        url("competitions:sign_statement", assignment.pk),
        done=lambda: Assignment.objects.get(pk=assignment.pk).statement_signed_at is not None,
        fill={"no_conflict": "yes"},
    )


@clicks("competitions:declare_conflict")
def conflict_declared(get):
    _round, (assignment, _) = judged_by(get, signed=False)
    return Click(
        assignment.judge,
        url("competitions:score", assignment.pk),
        url("competitions:declare_conflict", assignment.pk),
        done=lambda: Assignment.objects.get(pk=assignment.pk).withdrawn_at is not None,
        fill={"reason": "曾为该企业提供咨询。"},
    )


@clicks("competitions:enter")
def case_entered(get):
    competition = get("make_competition")()
    member = get("member")
    case = get("make_case")(member)
    return Click(
        member,
        competition.url,
        url("competitions:enter", competition.pk),
        done=lambda: Entry.objects.filter(competition=competition, case=case).count() == 1,
        fill={"case": str(case.pk)},
    )


# Competitions: staff's screens in the admin ------------------------------------------------------------------


def assignment_screen(get, action, round_, done, **fill):
    return Click(
        get("staff"),
        url("competition_rounds:assignment", round_.pk),
        url("competition_rounds:assignment", round_.pk),
        done=done,
        fill=fill,
        button=("action", action),
    )


@clicks("competition_rounds:assignment", "populate")
def round_populated(get):
    competition = get("make_competition")()
    get("make_entry")(competition)
    round_ = get("make_round")(competition)
    return assignment_screen(get, "populate", round_, lambda: round_.round_entries.count() == 1)


@clicks("competition_rounds:assignment", "assign")
def judges_assigned(get):
    competition = get("make_competition")()
    get("make_entry")(competition)
    round_ = get("make_round")(competition, judges=[get("make_judge")(), get("make_judge")()], judges_per_entry=2)
    judging.populate_round(round_)
    return assignment_screen(
        get, "assign", round_, lambda: Assignment.objects.filter(round_entry__round=round_).count() == 2
    )


@clicks("competition_rounds:assignment", "by_hand")
def judge_assigned_by_hand(get):
    competition = get("make_competition")()
    get("make_entry")(competition)
    judge = get("make_judge")()
    round_ = get("make_round")(competition, judges=[judge])
    judging.populate_round(round_)
    round_entry = round_.round_entries.get()
    return assignment_screen(
        get,
        "by_hand",
        round_,
        lambda: Assignment.objects.filter(round_entry=round_entry, judge=judge).count() == 1,
        round_entry=str(round_entry.pk),
        judge=str(judge.pk),
        reason="本领域唯一专家",
    )


def results_screen(get, action, round_, done):
    return Click(
        get("staff"),
        url("competition_rounds:results", round_.pk),
        url("competition_rounds:results", round_.pk),
        done=done,
        button=("action", action),
    )


@clicks("competition_rounds:results", "advance")
def entries_advanced(get):
    round_, assignments = judged_by(get, entries=2, advancement=Round.Advancement.TOP_N, advancement_value=1)
    following = get("make_round")(round_.competition, number=2)
    scored(round_, assignments)
    return results_screen(get, "advance", round_, lambda: RoundEntry.objects.filter(round=following).exists())


@clicks("competition_rounds:results", "awards")
def awards_decided(get):
    round_, assignments = judged_by(get, entries=2)
    scored(round_, assignments)
    competition = round_.competition
    return results_screen(get, "awards", round_, lambda: competition.entries.filter(award__isnull=False).exists())


@clicks("competition_rounds:results", "publish")
def results_published(get):
    round_, assignments = judged_by(get)
    scored(round_, assignments)
    judging.decide_awards(round_, by=get("staff"))
    competition = round_.competition
    return results_screen(
        get, "publish", round_, lambda: type(competition).objects.get(pk=competition.pk).results_published_at
    )


@clicks("competition_rounds:edit")
def round_edited(get):
    competition = get("make_competition")()
    round_ = get("make_round")(competition)
    return Click(
        get("staff"),
        url("competition_rounds:edit", round_.pk),
        url("competition_rounds:edit", round_.pk),
        done=lambda: Round.objects.get(pk=round_.pk).name == "复评",
        fill={"name": "复评"},
    )


@clicks("competition_entries:decide")
def entry_decided(get):
    competition = get("make_competition")()
    entry = get("make_entry")(competition, status=Entry.Status.SUBMITTED)
    return Click(
        get("staff"),
        url("competition_entries:decide", entry.pk),
        url("competition_entries:decide", entry.pk),
        done=lambda: Entry.objects.get(pk=entry.pk).status == Entry.Status.INELIGIBLE,
        fill={"status": Entry.Status.INELIGIBLE, "reason": "案例尚未实施满一年。"},
    )


@clicks("competition_entries:edit")
def entry_edited(get):
    competition = get("make_competition")()
    entry = get("make_entry")(competition, status=Entry.Status.SUBMITTED)
    other = get("make_competition")(title="2027年质量改进经典案例评比")
    return Click(
        get("staff"),
        url("competition_entries:edit", entry.pk),
        url("competition_entries:edit", entry.pk),
        done=lambda: Entry.objects.get(pk=entry.pk).competition_id == other.pk,
        fill={"competition": other.pk},
    )


# Forums ------------------------------------------------------------------------------------------------------


@dataclass
class ForumStage:
    board: Board
    thread: Thread
    post: Post  # a reply by another member
    author: object
    moderator: object


def forum(get):
    """A discussion board moderated by the moderator, with a thread by one member and a reply by another."""
    board = Board.objects.create(name="公开交流", slug="open", kind=Board.Kind.DISCUSSION, public=True)
    moderator = get("moderator")
    board.moderators.add(moderator)
    author = active_cqo(get).user
    thread = posting.start_thread(board, author, "焊接质量讨论", "大家好。")
    post = posting.reply(thread, active_cqo(get).user, "分享一个经验。")
    return ForumStage(board, thread, post, author, moderator)


@clicks("forums:new_thread")
def thread_started(get):
    stage = forum(get)
    return Click(
        stage.author,
        url("forums:board", stage.board.slug),
        url("forums:new_thread", stage.board.slug),
        done=lambda: Thread.objects.filter(title="新话题").count() == 1,
        fill={"title": "新话题", "text": "正文。"},
    )


@clicks("forums:reply")
def replied(get):
    stage = forum(get)
    return Click(
        stage.author,
        stage.thread.get_absolute_url(),
        url("forums:reply", stage.thread.pk),
        done=lambda: Post.objects.filter(thread=stage.thread, source="谢谢分享。").count() == 1,
        fill={"text": "谢谢分享。"},
    )


@clicks("forums:edit_post")
def post_edited(get):
    stage = forum(get)
    return Click(
        stage.post.author,
        url("forums:edit_post", stage.post.pk),
        url("forums:edit_post", stage.post.pk),
        done=lambda: Post.objects.get(pk=stage.post.pk).source == "分享一个经验（补充）。",
        fill={"text": "分享一个经验（补充）。"},
    )


@clicks("forums:helpful")
def marked_helpful(get):
    stage = forum(get)
    return Click(
        stage.author,
        stage.thread.get_absolute_url(),
        url("forums:helpful", stage.post.pk),
        done=lambda: (
            Reaction.objects.filter(post=stage.post).count() == Post.objects.get(pk=stage.post.pk).helpful_count == 1
        ),
    )


@clicks("forums:report")
def reported(get):
    stage = forum(get)
    return Click(
        stage.author,
        stage.thread.get_absolute_url(),
        url("forums:report", stage.post.pk),
        done=lambda: Report.objects.filter(post=stage.post, reporter=stage.author).count() == 1,
        fill={"reason": Report.Reason.SPAM},
    )


@clicks("forums:watch")
def watched(get):
    """A toggle: the second click must not stop the watching the first started."""
    stage = forum(get)
    reader = active_cqo(get).user  # who has not posted there (posting watches a thread)
    return Click(
        reader,
        stage.thread.get_absolute_url(),
        url("forums:watch", "thread", stage.thread.pk),
        done=lambda: Subscription.objects.filter(user=reader, thread=stage.thread).exists(),
    )


@clicks("forums:moderate_thread")
def thread_locked(get):
    stage = forum(get)
    return Click(
        stage.moderator,
        stage.thread.get_absolute_url(),
        url("forums:moderate_thread", stage.thread.pk),
        done=lambda: Thread.objects.get(pk=stage.thread.pk).locked,
        button=("action", "lock"),
    )


@clicks("forums:moderate_post")
def post_hidden(get):
    stage = forum(get)
    return Click(
        stage.moderator,
        stage.thread.get_absolute_url(),
        url("forums:moderate_post", stage.post.pk),
        done=lambda: Post.objects.get(pk=stage.post.pk).hidden,
        fill={"reason": "广告"},
        button=("action", "hide"),
    )


# Events ------------------------------------------------------------------------------------------------------


@clicks("events:register")
def registered(get):
    event = get("make_event")()
    member = get("member")
    return Click(
        member,
        event.url,
        url("events:register", event.pk),
        done=lambda: Registration.objects.filter(event=event, user=member).count() == 1,
    )


@clicks("events:cancel")
def cancelled(get):
    event = get("make_event")()
    member = get("member")
    seat = registration.register(event, member)
    return Click(
        member,
        event.url,
        url("events:cancel", event.pk),
        done=lambda: Registration.objects.get(pk=seat.pk).status == Registration.Status.CANCELLED,
    )


def attendee(get, event, *, attended):
    now = timezone.now()
    return Registration.objects.create(
        event=event,
        user=get("member"),
        status=Registration.Status.CONFIRMED,
        confirmed_at=now,
        attended_at=now if attended else None,
    )


@clicks("events:evaluate")
def evaluated(get):
    event = get("make_event")(starts_in=-timedelta(hours=5))
    seat = attendee(get, event, attended=True)
    ratings = {name: "4" for name in Evaluation.RATINGS}
    return Click(
        seat.user,
        url("events:evaluate", event.pk),
        url("events:evaluate", event.pk),
        done=lambda: Evaluation.objects.filter(registration=seat).count() == 1,
        fill={**ratings, "will_apply": "推行点检表。"},
    )


@clicks("events:mark_attendance")
def checked_in(get):
    event = get("make_event")(starts_in=-timedelta(hours=1))
    seat = attendee(get, event, attended=False)
    return Click(
        get("staff"),
        url("events:check_in", event.pk),
        url("events:mark_attendance", event.pk, seat.pk),
        done=lambda: (
            Registration.objects.get(pk=seat.pk).attended_at is not None
            and TrainingRecord.objects.filter(user=seat.user, event=event).count() == 1
        ),
    )


@clicks("training_records:add")
def training_recorded(get):
    member = get("member")
    return Click(
        get("staff"),
        url("training_records:add"),
        url("training_records:add"),
        done=lambda: TrainingRecord.objects.filter(user=member).count() == 1,
        fill={
            "user": str(member.pk),
            "title": "六西格玛黑带培训",
            "level": "continuing",
            "hours": "16",
            "date": "2025-03-01",
            "provider": "中国质量协会",
        },
    )


# The test ----------------------------------------------------------------------------------------------------


def is_redirect(response):
    return response.status_code in (301, 302, 303, 307, 308)


def errors_on(response):
    """The errors of the forms a refused answer shows, and its messages: what a failure should say."""
    found = [str(message) for message in response.context.get("messages", [])] if response.context else []
    for key in response.context.keys() if response.context else []:
        errors = getattr(response.context[key], "errors", None)
        if errors:
            found.append(f"{key}: {errors!r}")
    return "\n".join(found) or text(response)[:1000]


@pytest.mark.parametrize("row", sorted(CLICKS))
def test_a_double_click_does_it_once(row, request, client_for, mailoutbox, django_capture_on_commit_callbacks):
    click = CLICKS[row](request.getfixturevalue)
    client = client_for(click.user)
    form = the_form(client, click)
    data = form_data(form, click.fill, click.button)
    assert submit_once.FIELD in data, f"the form on {click.page} carries no one-time token"
    before = database_state()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(click.action, data, headers=ENGLISH)
    assert first.status_code == click.status, errors_on(first)
    assert click.done(), "the first click did not do what it should"
    after_first = database_state()
    assert set(tables_changed(before, after_first)) - {Submission._meta.db_table}, "the first click changed nothing"
    mails = len(mailoutbox)

    with django_capture_on_commit_callbacks(execute=True):
        second = client.post(click.action, data, headers=ENGLISH)
    assert second.status_code < 500
    if is_redirect(first):
        assert is_redirect(second) and second["Location"] == first["Location"]
    assert tables_changed(after_first, database_state()) == [], "the second click changed these tables"
    assert len(mailoutbox) == mails, "the second click sent mail"


# Every POST endpoint has its row -------------------------------------------------------------------------------

# Views that are not ours, by where they live, and why a double click on them needs no row here.
EXEMPT = {
    "django.views.i18n.set_language": "the language switch: it sets the same cookie twice",
    "django.views.generic.base.RedirectView": "addresses that only send the visitor on (Wagtail's sign-in and "
    "password-reset addresses, to allauth's)",
    "django.contrib.auth.views.LoginView": "Wagtail's front-end sign-in at _util/login/, never reached: "
    "alliance_site/urls.py routes that address to allauth's first",
    "allauth.": "allauth's own views (sign-in, sign-up, passwords, e-mail addresses, second factor, sign-out): "
    "rate-limited and guarded by allauth itself; signing in or out twice is signing in or out",
    "wagtail.": "Wagtail's own views: its admin (a save button is disabled by its first click, Wagtail's w-progress), "
    "among them the generic add, edit and delete screens of our models, whose rows have unique natural keys (code, "
    "credit code, slug, one membership per body…); document and image serving, the read-only API and the page "
    "server (our page models answer a POST as a GET: checked below). Our own subclasses of its views live in our "
    "apps and have their rows (training records, which have no natural key, among them)",
}

# What in a function view's source (or a function it calls) shows that it reads a POST.
READS_POST = re.compile(r"request\.POST\b|request\.method\s*[!=]=\s*[\"']POST|\brequire_POST\b|require_http_methods")


def url_patterns(resolver=None, namespaces=(), route=""):
    """(URL name with its namespaces, route, view, where the view lives) of every pattern, through every include."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        here = route + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, (*namespaces, entry.namespace) if entry.namespace else namespaces, here)
        else:
            name = ":".join([*namespaces, entry.name]) if entry.name else ""
            yield name, here, entry.callback, entry.lookup_str


def ours(function):
    return inspect.isfunction(function) and function.__module__.startswith(OUR_APPS)


def functions_run_by(view):
    """The view function, what its decorators wrap, and the functions of our apps it calls by name."""
    seen, queue = [], [view]
    while queue:
        function = queue.pop()
        if function in seen or not inspect.isfunction(function):
            continue
        seen.append(function)
        queue.append(getattr(function, "__wrapped__", None))
        named = inspect.getclosurevars(function)
        queue += [value for value in named.nonlocals.values() if inspect.isfunction(value)]
        queue += [value for value in named.globals.values() if ours(value)]
    return seen


def accepts_post(view):
    if getattr(view, "actions", None) is not None:  # a REST framework viewset: its HTTP methods are mapped
        return "post" in view.actions
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        return hasattr(view_class, "post") and "post" in view_class.http_method_names
    if not inspect.isfunction(view):  # a callable object, such as a feed
        return hasattr(type(view), "post")
    return any(READS_POST.search(textwrap.dedent(inspect.getsource(f))) for f in functions_run_by(view))


def test_every_post_endpoint_is_clicked_twice():
    clicked = {row.split()[0] for row in CLICKS}
    missing, unexplained, posts = [], [], set()
    for name, route, view, where in url_patterns():
        if where.startswith(OUR_APPS):
            if accepts_post(view):
                posts.add(name)
                if name not in clicked:
                    missing.append(f"{route} ({name or 'no name'}, {where})")
        elif hasattr(view, "view_class") and not accepts_post(view):
            continue  # a class-based view of others that answers GET only (Wagtail's test404 page, say)
        elif not where.startswith(tuple(EXEMPT)):
            unexplained.append(f"{route} ({where})")
    assert not missing, "POST endpoints without a row in CLICKS:\n" + "\n".join(missing)
    assert not unexplained, "views of others without an exemption in EXEMPT:\n" + "\n".join(unexplained)
    assert clicked <= posts, f"rows for no POST endpoint: {sorted(clicked - posts)}"
    # Wagtail serves our pages (route, serve, get_context): none of their methods reads a POST.
    for model in apps.get_models():
        if issubclass(model, Page) and model.__module__.startswith(OUR_APPS):
            for name, method in vars(model).items():
                if inspect.isfunction(method):
                    assert not READS_POST.search(textwrap.dedent(inspect.getsource(method))), f"{model}.{name}"
