"""The event pages as people see them: the list (upcoming and past, filters, month calendar, pagination), one
event (the online link and attendees' materials for confirmed registrants and staff only, seats and the
waitlist, the register button or the reason there is none), the SQL query budgets of both, and the home page,
main menu and site search.

Events come from `make_event` (tests/events/conftest.py); registrations are written directly, so that what a
page shows is tested apart from how a place is won (that is test_registration.py).
"""

import zoneinfo
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from alliance_site.models import BodyPage, HomePage
from events.models import EventPage, Registration
from tests import markup

ENGLISH = {"accept-language": "en"}  # messages read in English, whatever the state of the catalogue
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
HOUR = timedelta(hours=1)
LINK = "https://meeting.example.cn/j/8848-quality"
Kind, Mode, Audience = EventPage.Kind, EventPage.Mode, EventPage.Audience
CONFIRMED, WAITLISTED, CANCELLED = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.CANCELLED,
)


def html_of(response):
    return response.content.decode()


def upcoming(response):
    """Titles of the upcoming events on the page, in order; each is checked against the HTML too."""
    return listed(response, "upcoming")


def past(response):
    return listed(response, "past")


def listed(response, key):
    """Titles of the events listed in the section `key` of the page, in order; the same as the view's page."""
    assert response.status_code == 200
    titles = markup.texts(response, f'section[aria-labelledby="{key}-title"] li.event-item h3')
    assert titles == [event.title for event in response.context[key].object_list]
    return titles


def place(event, user, status=CONFIRMED, **fields):
    """A registration written directly (no mail, no rules): what the pages show is tested here."""
    now = timezone.now()
    if status == CONFIRMED:
        fields.setdefault("confirmed_at", now)
    if status == CANCELLED:
        fields.setdefault("cancelled_at", now)
    return Registration.objects.create(event=event, user=user, status=status, **fields)


@pytest.fixture
def bodies(db):
    home = HomePage.objects.first()
    alliance = home.add_child(instance=BodyPage(title="首席质量官联盟", slug="alliance", kind=BodyPage.Kind.ALLIANCE))
    cqo_home = home.add_child(instance=BodyPage(title="首席质量官之家", slug="cqo-home", kind=BodyPage.Kind.HOME))
    return {"alliance": alliance, "home": cqo_home}


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded documents go to a temporary folder, never to the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# The list: upcoming and past -------------------------------------------------------------------------------


def test_upcoming_events_come_soonest_first_and_past_events_latest_first(make_event, event_index, client):
    make_event(title="下月论坛", starts_in=timedelta(days=30))
    make_event(title="昨日参观", starts_in=-timedelta(days=1))
    make_event(title="明日培训", starts_in=timedelta(days=1))
    make_event(title="去年培训", starts_in=-timedelta(days=300))
    make_event(title="进行中的研讨", starts_in=-timedelta(hours=1))  # started, not ended: still to come
    make_event(title="下周参观", starts_in=timedelta(days=7))
    make_event(title="上周论坛", starts_in=-timedelta(days=7))

    response = client.get(event_index.url)

    assert upcoming(response) == ["进行中的研讨", "明日培训", "下周参观", "下月论坛"]
    assert past(response) == ["昨日参观", "上周论坛", "去年培训"]
    shown = ["进行中的研讨", "明日培训", "下周参观", "下月论坛", "昨日参观", "上周论坛", "去年培训"]
    assert markup.texts(response, "li.event-item h3") == shown  # upcoming above past
    assert response.context["upcoming"].paginator.count == 4
    assert response.context["past"].paginator.count == 3


def test_the_list_shows_no_draft_and_no_private_event(make_event, event_index, client):
    make_event(title="已发布的论坛")
    make_event(title="未发布的草稿", live=False)
    make_event(title="未发布的往期草稿", live=False, starts_in=-timedelta(days=3))
    private = make_event(title="受限的活动")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(event_index.url)

    assert upcoming(response) == ["已发布的论坛"]
    assert past(response) == []
    html = html_of(response)
    assert "草稿" not in html and "受限的活动" not in html


def test_a_draft_event_is_not_found_at_its_url(make_event, client_for, staff):
    draft = make_event(live=False)

    assert client_for(None).get(draft.url).status_code == 404
    assert client_for(staff).get(draft.url).status_code == 404


# The list: filters -----------------------------------------------------------------------------------------


@pytest.fixture
def varied(make_event, regions, bodies):
    """Three upcoming events that differ in every filter, and a past one matching 甲's filters.

    | event | kind       | city | mode    | body     |
    | 甲    | forum      | 晋城 | offline | alliance |
    | 乙    | basic      | 太原 | online  | home     |
    | 丙    | site_visit | 晋城 | hybrid  | -        |
    | 丁    | forum      | 晋城 | offline | alliance | (past)
    """
    jincheng, taiyuan = regions["jincheng"], regions["taiyuan"]
    make_event(title="甲论坛", kind=Kind.FORUM, city=jincheng, organizer=bodies["alliance"])
    make_event(
        title="乙培训",
        kind=Kind.BASIC_TRAINING,
        city=taiyuan,
        mode=Mode.ONLINE,
        venue="",
        online_url=LINK,
        organizer=bodies["home"],
        starts_in=timedelta(days=8),
    )
    make_event(
        title="丙参观",
        kind=Kind.SITE_VISIT,
        city=jincheng,
        mode=Mode.HYBRID,
        online_url=LINK,
        starts_in=timedelta(days=9),
    )
    make_event(
        title="丁论坛", kind=Kind.FORUM, city=jincheng, organizer=bodies["alliance"], starts_in=-timedelta(days=20)
    )


def short(titles):
    return {title[0] for title in titles}


FILTERS = {
    "kind forum": ({"kind": "forum"}, {"甲"}, {"丁"}),
    "kind basic": ({"kind": "basic"}, {"乙"}, set()),
    "city 晋城": ({"city": "140500"}, {"甲", "丙"}, {"丁"}),
    "city 太原": ({"city": "140100"}, {"乙"}, set()),
    "mode offline": ({"mode": "offline"}, {"甲"}, {"丁"}),
    "mode online": ({"mode": "online"}, {"乙"}, set()),
    "mode hybrid": ({"mode": "hybrid"}, {"丙"}, set()),
    "body alliance": ({"body": "alliance"}, {"甲"}, {"丁"}),
    "body home": ({"body": "cqo-home"}, {"乙"}, set()),
    "kind and city": ({"kind": "site_visit", "city": "140500"}, {"丙"}, set()),
    "nothing matches": ({"kind": "forum", "city": "140100"}, set(), set()),
}


@pytest.mark.parametrize(("params", "soon", "before"), FILTERS.values(), ids=list(FILTERS))
def test_each_filter_narrows_both_lists(varied, event_index, client, params, soon, before):
    response = client.get(event_index.url, params)

    assert short(upcoming(response)) == soon
    assert short(past(response)) == before
    assert {key: value for key, value in response.context["filters"].items() if value} == params


def test_the_filter_form_keeps_the_chosen_values(varied, event_index, client):
    params = {"kind": "forum", "city": "140500", "mode": "offline", "body": "alliance"}
    response = client.get(event_index.url, params)

    chosen = markup.selected(response)
    assert {name: chosen.get(name) for name in params} == params


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "zzz"},
        {"kind": "FORUM"},
        {"mode": "vr"},
        {"city": "晋城"},
        {"city": "14050"},
        {"city": "１４０５００"},  # full-width digits
        {"body": "no-such-body"},
        {"body": "x" * 300},
        {"kind": "forum'; DROP TABLE events_eventpage; --"},
        {"page": "abc", "past": "-3"},
    ],
    ids=["kind zzz", "kind upper-case", "mode vr", "city by name", "city 5 digits", "city full-width", "body unknown",
         "body very long", "kind injection", "bad page numbers"],
)  # fmt: skip
def test_values_that_are_not_filters_are_ignored(varied, event_index, client, params):
    response = client.get(event_index.url, params)

    assert short(upcoming(response)) == {"甲", "乙", "丙"}
    assert short(past(response)) == {"丁"}
    assert not any(response.context["filters"].values())


def test_an_unknown_city_code_is_ignored_like_other_unknown_values(varied, event_index, client):
    response = client.get(event_index.url, {"city": "999999"})

    assert short(upcoming(response)) == {"甲", "乙", "丙"}
    assert not response.context["filters"]["city"]


def calendar_days(response):
    return {
        day["date"]: [event.title for event in day["events"]]
        for week in response.context["calendar"]["weeks"]
        for day in week
    }


def test_the_filters_apply_to_the_month_calendar_too(make_event, event_index, client):
    starts = datetime(2031, 3, 16, 9, 0, tzinfo=SHANGHAI)
    make_event(title="线上讲座", mode=Mode.ONLINE, online_url=LINK, venue="", starts_at=starts, ends_at=starts + HOUR)
    make_event(title="现场参观", starts_at=starts + HOUR, ends_at=starts + 2 * HOUR)

    everything = client.get(event_index.url, {"month": "2031-03"})
    online = client.get(event_index.url, {"month": "2031-03", "mode": "online"})

    assert calendar_days(everything)[date(2031, 3, 16)] == ["线上讲座", "现场参观"]
    assert calendar_days(online)[date(2031, 3, 16)] == ["线上讲座"]
    assert "现场参观" not in html_of(online)


# The list: month calendar ----------------------------------------------------------------------------------


def test_the_month_calendar_shows_an_event_on_its_beijing_day(make_event, event_index, client):
    """07:30 in Beijing on the 16th is still the 15th in UTC: the calendar must use Beijing's date."""
    starts = datetime(2031, 3, 16, 7, 30, tzinfo=SHANGHAI)
    event = make_event(title="春季质量论坛", starts_at=starts, ends_at=starts + timedelta(hours=3))
    first = datetime(2031, 4, 1, 0, 30, tzinfo=SHANGHAI)  # the 31st of March in UTC
    make_event(title="四月首日培训", starts_at=first, ends_at=first + timedelta(hours=2))

    response = client.get(event_index.url, {"month": "2031-03"})

    assert response.context["calendar"]["month"] == date(2031, 3, 1)
    days = calendar_days(response)
    assert days[date(2031, 3, 16)] == ["春季质量论坛"]
    assert days[date(2031, 4, 1)] == ["四月首日培训"]  # the last week runs into April
    assert sum(len(titles) for titles in days.values()) == 2
    assert markup.text_of(markup.one(response, "h2#calendar-title")) == "2031-03"
    assert event.url in [link["href"] for link in markup.select(response, "a.calendar-event")]
    links = [link["href"] for link in markup.select(response, "a[href]")]
    assert "?month=2031-02#calendar-title" in links and "?month=2031-04#calendar-title" in links


def test_an_event_is_not_on_another_months_calendar(make_event, event_index, client):
    starts = datetime(2031, 3, 16, 9, 0, tzinfo=SHANGHAI)
    make_event(title="春季质量论坛", starts_at=starts, ends_at=starts + timedelta(hours=3))

    response = client.get(event_index.url, {"month": "2031-05"})

    assert not any(calendar_days(response).values())
    assert not markup.select(response, ".calendar-event")


@pytest.mark.parametrize("month", ["2026-13", "abc", "99999-1", "2026-0", "1999-12", "2026-03-01", "-", ""])
def test_a_bad_month_falls_back_to_this_month(event, event_index, client, month):
    response = client.get(event_index.url, {"month": month})

    assert response.status_code == 200
    this_month = timezone.localdate().replace(day=1)
    assert response.context["calendar"]["month"] == this_month
    assert markup.text_of(markup.one(response, "h2#calendar-title")) == f"{this_month:%Y-%m}"


def test_a_draft_is_not_on_the_calendar(make_event, event_index, client):
    starts = datetime(2031, 3, 16, 9, 0, tzinfo=SHANGHAI)
    make_event(title="草稿论坛", starts_at=starts, ends_at=starts + timedelta(hours=3), live=False)

    response = client.get(event_index.url, {"month": "2031-03"})

    assert not any(calendar_days(response).values())


# The list: pagination --------------------------------------------------------------------------------------


@pytest.fixture
def fourteen_each(make_event):
    """14 upcoming events (未来00 soonest) and 14 past ones (往期00 latest)."""
    for n in range(14):
        make_event(title=f"未来{n:02d}", starts_in=timedelta(days=n + 1))
        make_event(title=f"往期{n:02d}", starts_in=-timedelta(days=n + 1))


def test_upcoming_and_past_are_paginated_twelve_a_page_each(fourteen_each, event_index, client):
    first = client.get(event_index.url)
    upcoming_two = client.get(event_index.url, {"page": "2"})
    past_two = client.get(event_index.url, {"past": "2"})

    assert upcoming(first) == [f"未来{n:02d}" for n in range(12)]
    assert past(first) == [f"往期{n:02d}" for n in range(12)]
    assert upcoming(upcoming_two) == ["未来12", "未来13"]
    assert past(upcoming_two) == [f"往期{n:02d}" for n in range(12)]  # each list has its own page number
    assert past(past_two) == ["往期12", "往期13"]
    assert upcoming(past_two) == [f"未来{n:02d}" for n in range(12)]
    assert first.context["upcoming"].paginator.num_pages == first.context["past"].paginator.num_pages == 2
    html = html_of(first)
    assert 'href="?page=2" rel="next"' in html
    assert 'href="?past=2#past-title" rel="next"' in html


@pytest.mark.parametrize("page", ["3", "999", "0", "-1", "abc"])
def test_a_page_number_out_of_range_shows_a_page_not_an_error(fourteen_each, event_index, client, page):
    """Django's Paginator.get_page: a number past the end (or below 1) gives the last page, a non-number the first."""
    response = client.get(event_index.url, {"page": page, "past": page})

    expected = 12 if page == "abc" else 2
    assert response.status_code == 200
    assert len(upcoming(response)) == len(past(response)) == expected


def test_pagination_links_keep_the_filters(fourteen_each, event_index, client):
    first = client.get(event_index.url, {"kind": "continuing", "mode": "offline"})

    next_link = markup.one(first, 'section[aria-labelledby="upcoming-title"] a[rel=next]')["href"]
    response = client.get(event_index.url + next_link)

    assert "kind=continuing" in next_link and "mode=offline" in next_link
    assert response.context["filters"]["kind"] == "continuing"
    assert upcoming(response) == ["未来12", "未来13"]


def test_turning_a_page_keeps_the_month_shown_in_the_calendar(fourteen_each, event_index, client):
    first = client.get(event_index.url, {"month": "2031-03"})

    next_link = markup.one(first, 'section[aria-labelledby="upcoming-title"] a[rel=next]')["href"]
    response = client.get(event_index.url + next_link)

    assert response.context["calendar"]["month"] == date(2031, 3, 1)


# One event: who sees the online link and the attendees' materials -----------------------------------------


def document(title, name):
    doc = Document(title=title)
    doc.file.save(name, ContentFile(b"%PDF-1.4 test document\n"), save=False)
    doc.save()
    return doc


@pytest.fixture
def online_event(make_event, media_root):
    """An online session with a public handout and attendees' slides."""
    event = make_event(title="线上质量论坛", mode=Mode.ONLINE, online_url=LINK, venue="", capacity=1)
    event.handout = document("会议须知", "notice.pdf")
    event.slides = document("讲师课件", "slides.pdf")
    event.materials = [
        ("material", {"title": "会议须知", "document": event.handout, "attendees_only": False}),
        ("material", {"title": "讲师课件", "document": event.slides, "attendees_only": True}),
    ]
    event.save()
    return event


@pytest.fixture
def people(online_event, make_members, applicant, staff):
    """Everyone who may look at the online event, with their place (if any)."""
    confirmed, waitlisted, cancelled, member = make_members(4)
    place(online_event, confirmed)
    place(online_event, waitlisted, WAITLISTED)
    place(online_event, cancelled, CANCELLED)
    return {
        "visitor": None,
        "applicant": applicant,
        "member": member,
        "waitlisted": waitlisted,
        "cancelled": cancelled,
        "confirmed": confirmed,
        "staff": staff,
    }


INSIDERS = {"confirmed", "staff"}


@pytest.mark.parametrize("who", ["visitor", "applicant", "member", "waitlisted", "cancelled", "confirmed", "staff"])
def test_online_link_and_attendees_materials_only_for_confirmed_registrants_and_staff(
    online_event, people, client_for, who
):
    response = client_for(people[who]).get(online_event.url, headers=ENGLISH)

    assert response.status_code == 200
    html = html_of(response)
    insider = who in INSIDERS
    assert (LINK in html) is insider
    assert response.context["show_online_link"] is insider
    assert ("The link is shown here to registered participants." in html) is not insider
    assert ("讲师课件" in html) is insider
    assert (online_event.slides.url in html) is insider
    assert "会议须知" in html and online_event.handout.url in html  # the public handout: for everyone
    assert ("1 more file is for registered participants." in html) is not insider


def test_a_hybrid_events_link_is_shown_to_a_confirmed_registrant(make_event, member, client_for):
    hybrid = make_event(mode=Mode.HYBRID, online_url=LINK)
    place(hybrid, member)

    html = html_of(client_for(member).get(hybrid.url))

    assert LINK in html


def test_an_offline_events_page_has_no_online_section(event, member, client_for):
    event.online_url = LINK  # left over from an earlier plan: the event is held in person only
    event.save()
    place(event, member)

    response = client_for(member).get(event.url, headers=ENGLISH)

    assert LINK not in html_of(response)
    assert response.context["show_online_link"] is False


# One event: seats, the waitlist and the register button ---------------------------------------------------


def registration_box(response):
    """The registration card: its text, where its forms post, where its links lead and what its buttons say."""
    box = markup.one(response, 'section[aria-labelledby="register-title"]')
    return SimpleNamespace(
        text=markup.text_of(box),
        actions=[form["action"] for form in box.select("form")],
        links=[link["href"] for link in box.select("a[href]")],
        buttons=markup.texts(box, "button"),
    )


def register_url(event):
    return reverse("events:register", args=[event.pk])


def test_seats_left_are_counted_from_confirmed_places(make_event, make_members, client):
    event = make_event(capacity=3)
    first, second, waiting, gone = make_members(4)
    place(event, first)
    place(event, gone, CANCELLED)

    box = registration_box(client.get(event.url, headers=ENGLISH))

    assert "2 of 3 places left" in box.text
    assert "waitlist" not in box.text


def test_a_full_event_shows_the_waitlist_and_where_each_person_stands(make_event, make_members, client_for):
    event = make_event(capacity=2)
    a, b, c, d, newcomer = make_members(5)
    now = timezone.now()
    place(event, a)
    place(event, b)
    place(event, d, WAITLISTED, queued_at=now - timedelta(minutes=5))
    place(event, c, WAITLISTED, queued_at=now - timedelta(minutes=10))  # created later, queued earlier

    as_c = registration_box(client_for(c).get(event.url, headers=ENGLISH))
    as_d = registration_box(client_for(d).get(event.url, headers=ENGLISH))
    as_newcomer = registration_box(client_for(newcomer).get(event.url, headers=ENGLISH))

    for box in (as_c, as_d, as_newcomer):
        assert "0 of 2 places left · 2 on the waitlist" in box.text
    assert "You are number 1 on the waitlist." in as_c.text
    assert "You are number 2 on the waitlist." in as_d.text
    assert as_d.buttons == ["Leave the waitlist"]
    assert as_newcomer.buttons == ["Join the waitlist"]
    assert as_newcomer.actions == [register_url(event)]


def test_an_event_without_a_limit_shows_how_many_are_registered(make_event, make_members, client):
    event = make_event(capacity=None)
    for person in make_members(3):
        place(event, person)

    box = registration_box(client.get(event.url, headers=ENGLISH))

    assert "3 registered" in box.text
    assert "places left" not in box.text


def test_a_confirmed_registrant_sees_the_ticket_and_can_cancel(event, member, client_for):
    registration = place(event, member)

    box = registration_box(client_for(member).get(event.url, headers=ENGLISH))

    assert "You are registered." in box.text
    assert reverse("events:ticket", args=[registration.pk]) in box.links
    assert box.actions == [reverse("events:cancel", args=[event.pk])]  # and none to register


def test_a_visitor_is_asked_to_sign_in(event, client):
    box = registration_box(client.get(event.url, headers=ENGLISH))

    assert "Sign in to register." in box.text
    assert f"/accounts/login/?next={event.url}" in box.links
    assert box.actions == []


def test_an_applicant_may_not_register_for_a_members_event(event, applicant, client_for):
    box = registration_box(client_for(applicant).get(event.url, headers=ENGLISH))

    assert "This event is for members (CQOs with a filed appointment)." in box.text
    assert box.actions == []


def test_an_applicant_may_register_for_a_public_event(make_event, applicant, client_for):
    public = make_event(audience=Audience.PUBLIC)

    response = client_for(applicant).get(public.url, headers=ENGLISH)

    box = registration_box(response)
    assert response.context["why_not"] is None
    assert box.actions == [register_url(public)]
    assert box.buttons == ["Register"]


def test_a_member_may_register_for_a_members_event(event, member, client_for):
    box = registration_box(client_for(member).get(event.url, headers=ENGLISH))

    assert box.actions == [register_url(event)]


def test_before_registration_opens_the_page_says_when_in_beijing_time(make_event, member, client_for):
    year = timezone.localdate().year + 1
    opens = datetime(year, 6, 1, 8, 0, tzinfo=SHANGHAI)  # 00:00 UTC
    event = make_event(starts_in=timedelta(days=800), registration_opens_at=opens)

    box = registration_box(client_for(member).get(event.url, headers=ENGLISH))

    assert f"Registration opens on {year}-06-01 08:00." in box.text
    assert box.actions == []


def test_after_registration_closes_the_page_says_so(make_event, member, client_for):
    event = make_event(registration_closes_at=timezone.now() - timedelta(hours=1))

    box = registration_box(client_for(member).get(event.url, headers=ENGLISH))

    assert "Registration is closed." in box.text
    assert box.actions == []


def test_a_cancelled_registrant_may_register_again(event, member, client_for):
    place(event, member, CANCELLED)

    box = registration_box(client_for(member).get(event.url, headers=ENGLISH))

    assert "You are registered." not in box.text
    assert box.actions == [register_url(event)]


# Query budgets ---------------------------------------------------------------------------------------------

INDEX_BUDGET = {"visitor": 12, "member": 13}
EVENT_BUDGET = {"visitor": 11, "member": 13, "registered": 13, "staff": 13}


def count_queries(client, url, django_assert_max_num_queries, limit=40):
    """The queries of one request (after one that warms the per-site and per-user caches), and its response."""
    first = client.get(url)
    assert first.status_code == 200, (url, first.status_code)
    with django_assert_max_num_queries(limit) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), "\n".join(query["sql"][:160] for query in queries), response


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_index_query_count_does_not_grow_with_the_events(
    make_event, event_index, regions, bodies, member, client_for, django_assert_max_num_queries, who
):
    client = client_for(member if who == "member" else None)
    made = []

    def grow(size):
        while len(made) < size:
            n = len(made)
            made.append(
                make_event(
                    title=f"预算活动{n:02d}",
                    starts_in=timedelta(days=n - 5 if n % 2 else n + 1),
                    city=regions["jincheng"] if n % 3 else regions["taiyuan"],
                    organizer=bodies["alliance"] if n % 2 else bodies["home"],
                )
            )

    grow(3)
    small, _, _ = count_queries(client, event_index.url, django_assert_max_num_queries)
    grow(30)
    large, sql, response = count_queries(client, event_index.url, django_assert_max_num_queries)

    assert response.context["upcoming"].paginator.count + response.context["past"].paginator.count == 30
    assert len(response.context["upcoming"].object_list) == 12
    assert "首席质量官联盟" in html_of(response) and "晋城市" in html_of(response)
    assert large == small, f"{small} queries with 3 events, {large} with 30:\n{sql}"
    assert large <= INDEX_BUDGET[who], f"{large} queries, budget {INDEX_BUDGET[who]}:\n{sql}"


@pytest.mark.parametrize("who", ["visitor", "member", "registered", "staff"])
def test_event_page_query_count_does_not_grow_with_the_registrations(
    online_event, member, staff, client_for, django_assert_max_num_queries, who
):
    online_event.capacity = 50
    online_event.save()
    if who == "registered":
        place(online_event, member)
    client = client_for({"visitor": None, "member": member, "registered": member, "staff": staff}[who])
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"budget{n}", email=f"budget{n}@example.cn") for n in range(60)
    )

    added = []

    def grow(size):
        """Confirmed places up to the capacity, the rest on the waitlist."""
        for user in users[len(added) : size]:
            confirmed = Registration.objects.filter(event=online_event, status=CONFIRMED).count()
            place(online_event, user, CONFIRMED if confirmed < 50 else WAITLISTED)
            added.append(user)

    grow(3)
    small, _, _ = count_queries(client, online_event.url, django_assert_max_num_queries)
    grow(60)
    large, sql, response = count_queries(client, online_event.url, django_assert_max_num_queries)

    assert response.context["waitlist_count"] > 0
    assert "会议须知" in html_of(response)
    assert large == small, f"{small} queries with 3 registrations, {large} with 60:\n{sql}"
    assert large <= EVENT_BUDGET[who], f"{large} queries, budget {EVENT_BUDGET[who]}:\n{sql}"


# The home page, the main menu and the site search -----------------------------------------------------------


def home_sections(response):
    return {section.key: section for section in response.context["sections"]}


def test_home_page_lists_upcoming_events_not_past_ones_nor_drafts(make_event, event_index, client):
    later = make_event(title="下周论坛", starts_in=timedelta(days=7))
    make_event(title="明日培训", starts_in=timedelta(days=1))
    make_event(title="上周参观", starts_in=-timedelta(days=7))
    make_event(title="草稿活动", live=False)

    response = client.get("/")

    section = home_sections(response)["events"]
    assert [title for title, url, meta in section.items] == ["明日培训", "下周论坛"]
    assert section.more_url == event_index.url
    html = html_of(response)
    assert f'href="{later.url}"' in html
    assert "上周参观" not in html and "草稿活动" not in html


def test_home_page_shows_at_most_five_upcoming_events(make_event, client):
    for n in range(7):
        make_event(title=f"近期活动{n}", starts_in=timedelta(days=n + 1))

    items = home_sections(client.get("/"))["events"].items

    assert [title for title, url, meta in items] == [f"近期活动{n}" for n in range(5)]


def main_menu(response):
    return {link["href"]: markup.text_of(link) for link in markup.select(response, "nav.main-nav a")}


def test_main_menu_links_to_the_event_list(event_index, client):
    assert main_menu(client.get("/"))[event_index.url] == "活动"


def test_main_menu_has_no_event_link_without_an_event_list(db, client):
    assert "活动" not in main_menu(client.get("/")).values()


def search(client, q):
    response = client.get("/search/", {"q": q, "type": "events"}, headers=ENGLISH)
    assert response.status_code == 200
    return [result.title for result in response.context["page_obj"].object_list], response


def test_site_search_finds_an_event_by_a_latin_word_of_its_summary(make_event, client):
    make_event(title="春季质量论坛", summary="本次论坛讲解 SPC 与测量系统分析。")
    make_event(title="秋季质量论坛", summary="供应商质量管理经验交流。")
    make_event(title="草稿论坛", summary="讲解 SPC 的草稿。", live=False)

    found, response = search(client, "SPC")

    assert found == ["春季质量论坛"]
    assert response.context["current_tab"].type.key == "events"
    assert "<mark>SPC</mark>" in html_of(response)
    assert search(client, "MSA")[0] == []


def test_site_search_finds_an_event_by_a_chinese_word_of_its_summary(make_event, client):
    make_event(title="春季质量论坛", summary="本次论坛聚焦激光焊接缺陷的预防与控制。")
    make_event(title="秋季质量论坛", summary="供应商质量管理经验交流。")

    assert search(client, "焊接")[0] == ["春季质量论坛"]
