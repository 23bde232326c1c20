"""数据看板: the public dashboard, the regulators' region view, their Excel exports and the charts.

The figures are checked against a small province built by hand (`province`, below), where every number can be
worked out on paper: the table in its docstring is the reference for the expected values of the tests.
"""

import io
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance_site.accounts import roles
from alliance_site.dashboard import figures as dashboard
from alliance_site.filings import services as filing_service
from alliance_site.models import CQOProfile, Enterprise, ProfileStatus, Region, RegionalRegulator
from events.models import TrainingRecord
from tests import markup

from .helpers import ENGLISH, login_url, text, upload

ABOVE, MEDIUM, SMALL = Enterprise.Size.ABOVE_SCALE, Enterprise.Size.MEDIUM, Enterprise.Size.SMALL_MICRO
ACTIVE, WARNED, EXITED = ProfileStatus.ACTIVE, ProfileStatus.WARNED, ProfileStatus.EXITED
APPLICANT, SUBMITTED = ProfileStatus.APPLICANT, ProfileStatus.FILING_SUBMITTED
ALL_CODES = ["140000", "140100", "140105", "140500", "140525", "140581"]
NAMES = {
    "e0": "晋城测试精密制造有限公司",  # the conftest's `enterprise`, created with any profile: above scale, no CQO
    "a": "泽州甲钢铁有限公司",
    "b": "泽州乙煤化有限公司",
    "c": "泽州丙机械有限公司",
    "d": "高平甲食品有限公司",
    "e": "高平乙建材有限公司",
    "h": "高平丙新材料有限公司",
    "f": "小店甲电子有限公司",
    "g": "小店乙纺织有限公司",
}


# Fixtures and helpers ----------------------------------------------------------------------------------------


def add_training(user, hours, on=None):
    return TrainingRecord.objects.create(
        user=user, title="质量培训", level="continuing", hours=Decimal(hours), date=on or timezone.localdate()
    )


@pytest.fixture
def province(regions, make_enterprise, make_profile, enterprise):
    """The hand-built province.

    key  county    size    award     精品  六新 战新  CQOs (status, senior)
    e0   zezhou    above   -         -     -    -     none
    a    zezhou    above   city      -     x    -     a1 active senior, a2 active senior
    b    zezhou    above   -         x     -    x     warned, NOT senior                (below seniority)
    c    zezhou    medium  -         x     -    -     filing_submitted
    d    gaoping   above   province  x     -    -     applicant
    e    gaoping   above   -         -     -    -     exited, not senior                (counts nowhere)
    h    gaoping   medium  -         -     x    x     active, not senior                (medium: not below)
    f    xiaodian  above   city      -     x    -     active, NOT senior                (below seniority)
    g    xiaodian  small   -         x     -    -     none

    Training this year: a1 3 h (and 10 h last year), c 2 h, f 6.5 h.
    """
    enterprise.name = NAMES["e0"]
    enterprise.save()
    zezhou, gaoping, xiaodian = regions["zezhou"], regions["gaoping"], regions["xiaodian"]
    spec = {
        "a": (zezhou, ABOVE, "city", False, True, False),
        "b": (zezhou, ABOVE, "", True, False, True),
        "c": (zezhou, MEDIUM, "", True, False, False),
        "d": (gaoping, ABOVE, "province", True, False, False),
        "e": (gaoping, ABOVE, "", False, False, False),
        "h": (gaoping, MEDIUM, "", False, True, True),
        "f": (xiaodian, ABOVE, "city", False, True, False),
        "g": (xiaodian, SMALL, "", True, False, False),
    }
    enterprises = {"e0": enterprise}
    for key, (county, size, award, jingpin, six_new, strategic) in spec.items():
        enterprises[key] = make_enterprise(
            name=NAMES[key],
            county=county,
            size=size,
            quality_award_level=award,
            is_jingpin_applicant=jingpin,
            is_six_new=six_new,
            is_strategic_emerging=strategic,
        )
    profiles = {}
    for key, company, status, senior in [
        ("a1", "a", ACTIVE, True),
        ("a2", "a", ACTIVE, True),
        ("b", "b", WARNED, False),
        ("c", "c", SUBMITTED, True),
        ("d", "d", APPLICANT, True),
        ("e", "e", EXITED, False),
        ("h", "h", ACTIVE, False),
        ("f", "f", ACTIVE, False),
    ]:
        profiles[key] = make_profile(
            status=status, enterprise=enterprises[company], is_senior_executive=senior, real_name=f"质量官{key}"
        )
    today = timezone.localdate()
    add_training(profiles["a1"].user, "3")
    add_training(profiles["a1"].user, "10", date(today.year - 1, 6, 1))
    add_training(profiles["c"].user, "2")
    add_training(profiles["f"].user, "6.5")
    return SimpleNamespace(enterprises=enterprises, profiles=profiles, regions=regions)


def region_url(name="region_dashboard", **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{reverse(name)}?{query}" if query else reverse(name)


def shown(response, key):
    """A `data-figure` value on the page: its own text, without what an element inside it adds (the target)."""
    figure = markup.one(response, f'[data-figure="{key}"]')
    return "".join(figure.find_all(string=True, recursive=False)).strip()


def table_rows(response, title_id):
    """The body rows of the table under the heading `title_id`, each as the text of its cells."""
    rows = markup.select(response, f'table[aria-labelledby="{title_id}"] tbody tr')
    return [markup.texts(row, "th, td") for row in rows]


def breakdown_links(response):
    """{region: link} of the breakdown table's headings (only the region view links them)."""
    return {
        markup.text_of(link): link["href"]
        for link in markup.select(response, 'table[aria-labelledby="breakdown-title"] tbody th a')
    }


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(response.content))


def body_rows(worksheet):
    return [list(row) for row in worksheet.iter_rows(min_row=2, values_only=True)]


def figures_of(board):
    return {figure.key: figure.value for figure in board.figures}


def gap_names(response):
    return [enterprise.name for enterprise in response.context["page_obj"].object_list]


def row(label, *values):
    """A table row as `table_rows` reads it."""
    return [label, *(str(value) for value in values)]


# 1. The figures, worked out by hand ---------------------------------------------------------------------------


def test_the_province_is_counted_as_worked_out_by_hand(province):
    board = dashboard.build()

    assert board.region is None
    assert (board.active, board.target) == (5, 1000)
    assert (board.enterprises.part, board.enterprises.whole, board.enterprises.percent) == (4, 9, 44.4)
    assert (board.award.part, board.award.whole, board.award.percent) == (2, 3, 66.7)
    assert (board.jingpin.part, board.jingpin.whole, board.jingpin.percent) == (1, 4, 25.0)
    assert board.below_seniority == 2
    assert board.target_ratio.percent == 0.5
    assert [(row.key, row.enterprises, row.covered, row.coverage.percent) for row in board.categories] == [
        ("above_scale", 6, 3, 50.0),
        ("six_new", 3, 3, 100.0),
        ("strategic_emerging", 2, 2, 100.0),
    ]
    assert [
        (row.key, row.label, row.active, row.enterprises, row.covered, row.award, row.jingpin)
        for row in board.breakdown
    ] == [
        ("140100", "太原市", 1, 2, 1, dashboard.Ratio(1, 1), dashboard.Ratio(0, 1)),
        ("140500", "晋城市", 4, 7, 3, dashboard.Ratio(1, 2), dashboard.Ratio(1, 3)),
    ]


def test_a_city_is_broken_down_by_county_and_has_no_target(province):
    board = dashboard.build(province.regions["jincheng"])

    assert (board.active, board.target, board.target_ratio) == (4, None, None)
    assert (board.enterprises.part, board.enterprises.whole, board.enterprises.percent) == (3, 7, 42.9)
    assert (board.award.part, board.award.whole, board.award.percent) == (1, 2, 50.0)
    assert (board.jingpin.part, board.jingpin.whole, board.jingpin.percent) == (1, 3, 33.3)
    assert board.below_seniority == 1
    assert [(row.key, row.enterprises, row.covered) for row in board.categories] == [
        ("above_scale", 5, 2),
        ("six_new", 2, 2),
        ("strategic_emerging", 2, 2),
    ]
    assert [
        (row.key, row.active, row.enterprises, row.covered, row.coverage.percent, row.award, row.jingpin)
        for row in board.breakdown
    ] == [
        ("140525", 3, 4, 2, 50.0, dashboard.Ratio(1, 1), dashboard.Ratio(1, 2)),
        ("140581", 1, 3, 1, 33.3, dashboard.Ratio(0, 1), dashboard.Ratio(0, 1)),
    ]


def test_a_county_has_no_breakdown(province):
    board = dashboard.build(province.regions["zezhou"])

    assert (board.active, board.target, board.below_seniority) == (3, None, 1)
    assert (board.enterprises.part, board.enterprises.whole) == (2, 4)
    assert (board.award.percent, board.jingpin.percent) == (100.0, 50.0)
    assert (board.breakdown, board.breakdown_label) == ([], "")


def test_the_staff_view_of_the_province_region_matches_the_public_figures(province):
    public, region = dashboard.build(), dashboard.build(province.regions["province"])

    assert (region.active, region.target, region.below_seniority) == (public.active, public.target, 2)
    assert (region.enterprises, region.award, region.jingpin) == (public.enterprises, public.award, public.jingpin)
    assert [(r.key, r.active, r.covered) for r in region.breakdown] == [
        (r.key, r.active, r.covered) for r in public.breakdown
    ]
    assert figures_of(region) == figures_of(public)


@pytest.mark.parametrize(
    ("status", "counts"),
    [(ACTIVE, True), (WARNED, True), (APPLICANT, False), (SUBMITTED, False), (EXITED, False)],
)
def test_only_a_cqo_with_member_rights_covers_the_enterprise(make_enterprise, make_profile, status, counts):
    company = make_enterprise(quality_award_level="county", is_jingpin_applicant=True)
    make_profile(status=status, enterprise=company, is_senior_executive=False)

    board = dashboard.build()

    assert board.active == int(counts)
    assert board.award.part == board.jingpin.part == int(counts)
    assert board.below_seniority == int(counts)  # above scale, not a senior executive
    assert (company not in dashboard.uncovered_enterprises(None)) is counts


def test_nothing_to_cover_is_shown_as_a_dash_not_a_percentage(client_for, regions):
    board = dashboard.build()
    assert (board.award.percent, board.jingpin.percent, board.enterprises.percent) == (None, None, None)

    response = client_for(None).get(reverse("dashboard"), headers=ENGLISH)

    assert response.status_code == 200
    assert shown(response, "award") == shown(response, "jingpin") == "—"
    assert row("Government quality-award enterprises", 0, 0, "—") in table_rows(response, "coverage-title")


def test_a_city_without_enterprises_has_no_percentage_in_the_table_the_chart_or_the_export(
    client_for, make_enterprise, regions
):
    make_enterprise(county=regions["zezhou"])

    response = client_for(None).get(reverse("dashboard"), headers=ENGLISH)
    page = text(response)
    book = workbook(client_for(None).get(reverse("dashboard_export"), headers=ENGLISH))

    assert table_rows(response, "breakdown-title") == [
        row("太原市", 0, 0, 0, "—", "0/0", "0/0"),
        row("晋城市", 0, 1, 0, "0.0", "0/0", "0/0"),
    ]
    assert ">—</text>" in page and ">0.0%</text>" in page  # the coverage bars by city
    assert body_rows(book["City"]) == [["太原市", 0, 0, 0, None, 0, 0, 0, 0], ["晋城市", 0, 1, 0, 0, 0, 0, 0, 0]]


def test_the_public_page_shows_the_figures_of_the_province(client_for, province):
    response = client_for(None).get(reverse("dashboard"), headers=ENGLISH)
    page = text(response)

    assert response.context["board"].active == 5
    assert shown(response, "active") == "5"
    assert markup.text_of(markup.one(response, '[data-figure="active"] small')) == "/ 1000"
    assert shown(response, "award") == "66.7%"
    assert shown(response, "jingpin") == "25.0%"
    assert shown(response, "below_seniority") == "2"
    assert "Quality-award enterprises with a CQO (2 of 3; target 100%)" in page
    assert "“山西精品” applicants with a CQO (1 of 4; target 100%)" in page
    # The target table, the coverage table and the breakdown by city (not linked: the public has no region view).
    assert table_rows(response, "target-title") == [["5", "1000", "0.5%"]]
    coverage = table_rows(response, "coverage-title")
    for expected in [
        row("Government quality-award enterprises", 3, 2, "66.7"),
        row("“山西精品” applicants", 4, 1, "25.0"),
        row("Above designated size (规上)", 6, 3, "50.0"),
        row("Six new industries (六新)", 3, 3, "100.0"),
        row("Strategic emerging industries", 2, 2, "100.0"),
    ]:
        assert expected in coverage, expected
    assert table_rows(response, "breakdown-title") == [
        row("太原市", 1, 2, 1, "50.0", "1/1", "0/1"),
        row("晋城市", 4, 7, 3, "42.9", "1/2", "1/3"),
    ]
    assert breakdown_links(response) == {}
    assert "?region=" not in page


def test_the_public_export_holds_the_figures_of_the_page(client_for, province):
    book = workbook(client_for(None).get(reverse("dashboard_export"), headers=ENGLISH))

    assert book.sheetnames == ["Summary", "City", "Industry categories"]
    assert [cell.value for cell in book["Summary"][1]] == ["Figure", "Value"]
    assert all(cell.font.bold for cell in book["Summary"][1]) and book["Summary"].freeze_panes == "A2"
    assert body_rows(book["Summary"]) == [
        ["Region", "Shanxi Province"],
        ["Date", timezone.localdate().isoformat()],
        ["Filed CQOs", 5],
        ["Target", 1000],
        ["Enterprises", 9],
        ["Enterprises with a CQO", 4],
        ["Government quality-award enterprises", 3],
        ["… with a CQO", 2],
        ["“山西精品” applicants", 4],
        ["… with a CQO", 1],
        ["CQOs below the required senior level", 2],
        ["Published cases", 0],
        ["Case competitions", 0],
        ["Competition entries", 0],
        ["Awarded cases", 0],
        ["Training hours this year", 11.5],
        ["CQOs trained this year", 3],
    ]
    assert body_rows(book["City"]) == [
        ["太原市", 1, 2, 1, 50.0, 1, 1, 1, 0],
        ["晋城市", 4, 7, 3, 42.9, 2, 1, 3, 1],
    ]
    assert body_rows(book["Industry categories"]) == [
        ["Above designated size (规上)", 6, 3, 50.0],
        ["Six new industries (六新)", 3, 3, 100.0],
        ["Strategic emerging industries", 2, 2, 100.0],
    ]


def test_the_city_regulator_sees_the_city_broken_down_by_county(client_for, regulator, province):
    response = client_for(regulator).get(reverse("region_dashboard"), headers=ENGLISH)
    page = text(response)

    assert response.status_code == 200
    assert response.context["board"].region == province.regions["jincheng"]
    assert shown(response, "active") == "4"
    assert markup.maybe_one(response, '[data-figure="active"] small') is None  # a city has no target of its own
    assert (shown(response, "award"), shown(response, "jingpin"), shown(response, "below_seniority")) == (
        "50.0%",
        "33.3%",
        "1",
    )
    breakdown = table_rows(response, "breakdown-title")
    assert row("泽州县", 3, 4, 2, "50.0", "1/1", "1/2") in breakdown
    assert row("高平市", 1, 3, 1, "33.3", "0/1", "0/1") in breakdown
    assert breakdown_links(response) == {"泽州县": "?region=140525", "高平市": "?region=140581"}
    assert "太原市" not in page and "小店区" not in page

    book = workbook(client_for(regulator).get(reverse("region_dashboard_export"), headers=ENGLISH))
    assert book.sheetnames == ["Summary", "County or district", "Industry categories", "Without a CQO"]
    summary = dict(row for row in body_rows(book["Summary"]) if not row[0].startswith("…"))
    assert summary["Region"] == "晋城市"
    assert "Target" not in summary
    assert (summary["Filed CQOs"], summary["Enterprises"], summary["Enterprises with a CQO"]) == (4, 7, 3)
    assert summary["CQOs below the required senior level"] == 1
    assert (summary["Training hours this year"], summary["CQOs trained this year"]) == (5, 2)
    assert body_rows(book["County or district"]) == [
        ["泽州县", 3, 4, 2, 50.0, 1, 1, 2, 1],
        ["高平市", 1, 3, 1, 33.3, 1, 0, 1, 0],
    ]
    assert body_rows(book["Industry categories"]) == [
        ["Above designated size (规上)", 5, 2, 40.0],
        ["Six new industries (六新)", 2, 2, 100.0],
        ["Strategic emerging industries", 2, 2, 100.0],
    ]


@pytest.mark.parametrize(
    ("region", "hours", "trained"),
    [("province", 11.5, 3), ("jincheng", 5, 2), ("zezhou", 5, 2), ("gaoping", 0, 0), ("taiyuan", 6.5, 1)],
)
def test_training_this_year_is_counted_for_the_cqos_of_the_region(client_for, staff, province, region, hours, trained):
    code = province.regions[region].code
    response = client_for(staff).get(region_url(region=code), headers=ENGLISH)

    figures = figures_of(response.context["board"])
    assert (figures["training_hours"], figures["trained"]) == (hours, trained)
    assert shown(response, "training_hours") == f"{hours:g}"
    assert shown(response, "trained") == str(trained)


def test_the_public_training_figures_count_this_year_only(client_for, province):
    response = client_for(None).get(reverse("dashboard"), headers=ENGLISH)

    assert (shown(response, "training_hours"), shown(response, "trained")) == ("11.5", "3")
    assert "Training hours this year" in text(response)


def test_training_of_someone_who_is_not_a_cqo_is_not_counted_as_a_cqo_trained(client_for, staff, province, make_user):
    add_training(make_user(), "4")  # attended a public event without being a CQO

    public = figures_of(client_for(None).get(reverse("dashboard")).context["board"])
    whole_province = figures_of(client_for(staff).get(region_url(region="140000")).context["board"])

    assert (whole_province["training_hours"], whole_province["trained"]) == (11.5, 3)
    assert (public["training_hours"], public["trained"]) == (11.5, 3)


# 2. Who sees which region -------------------------------------------------------------------------------------

SEES = {
    "zezhou regulator": {"140525"},
    "jincheng regulator": {"140500", "140525", "140581"},
    "province regulator": set(ALL_CODES),
    "staff": set(ALL_CODES),
}
DEFAULT = {
    "zezhou regulator": "140525",
    "jincheng regulator": "140500",
    "province regulator": "140000",
    "staff": "140000",
}


@pytest.fixture
def viewer(regions, make_regulator, regulator, staff):
    def make(name):
        if name == "staff":
            return staff
        if name == "jincheng regulator":
            return regulator
        return make_regulator(regions[name.split()[0]])

    return make


@pytest.mark.parametrize("view", ["region_dashboard", "region_dashboard_export"])
@pytest.mark.parametrize("code", ALL_CODES)
@pytest.mark.parametrize("who", list(SEES))
def test_each_regulator_sees_their_region_and_what_lies_inside_it_only(client_for, viewer, view, code, who):
    response = client_for(viewer(who)).get(region_url(view, region=code), headers=ENGLISH)

    if code not in SEES[who]:
        assert response.status_code == 404
        return
    region = Region.objects.get(code=code)
    if view == "region_dashboard":
        assert response.status_code == 200
        assert response.context["board"].region == region
    else:
        assert body_rows(workbook(response)["Summary"])[0] == ["Region", region.name]
        assert f"cqo-dashboard-{code}-" in response["Content-Disposition"]


@pytest.mark.parametrize("who", list(SEES))
def test_without_a_region_each_sees_their_own(client_for, viewer, who):
    user = viewer(who)
    response = client_for(user).get(reverse("region_dashboard"))

    assert response.status_code == 200
    assert response.context["board"].region.code == DEFAULT[who]
    assert markup.selected(response)["region"] == DEFAULT[who]
    assert {choice.code for choice in response.context["choices"]} == SEES[who]
    assert {option["value"] for option in markup.select(response, "select[name=region] option")} == SEES[who]


def test_the_county_regulator_lists_only_the_enterprises_of_the_county(client_for, make_regulator, province):
    client = client_for(make_regulator(province.regions["zezhou"]))
    elsewhere = [NAMES[key] for key in ("d", "e", "h", "f", "g")]

    response = client.get(region_url(show="all"))
    book = workbook(client.get(region_url("region_dashboard_export", show="all"), headers=ENGLISH))

    assert gap_names(response) == [NAMES["c"], NAMES["e0"]]  # the 精品 applicant first
    page = text(response)
    assert NAMES["c"] in page and NAMES["e0"] in page
    assert not [name for name in elsewhere if name in page]
    assert book.sheetnames == ["Summary", "Industry categories", "Without a CQO"]  # a county: no breakdown
    assert [row[0] for row in body_rows(book["Without a CQO"])] == [NAMES["c"], NAMES["e0"]]
    assert not [
        name for sheet in book for row in sheet.iter_rows(values_only=True) for name in elsewhere if name in row
    ]


@pytest.mark.parametrize("view", ["region_dashboard", "region_dashboard_export"])
@pytest.mark.parametrize("role", ["member", "applicant", "judge", "moderator"])
def test_the_region_view_is_refused_to_other_roles(request, client_for, view, role):
    response = client_for(request.getfixturevalue(role)).get(region_url(view, region="140000"))

    assert response.status_code == 403


@pytest.mark.parametrize("how", ["group without region", "region without group"])
def test_half_a_regulator_is_refused(client_for, make_user, regions, how):
    user = make_user(groups=[roles.REGULATOR] if how == "group without region" else [])
    if how == "region without group":
        RegionalRegulator.objects.create(user=user, region=regions["province"], agency="山西省市场监督管理局")

    assert client_for(user).get(reverse("region_dashboard")).status_code == 403
    assert client_for(user).get(reverse("region_dashboard_export")).status_code == 403


@pytest.mark.parametrize("view", ["region_dashboard", "region_dashboard_export"])
def test_a_visitor_is_sent_to_sign_in(client_for, regions, view):
    response = client_for(None).get(reverse(view))

    assert response.status_code == 302
    assert response["Location"] == login_url(reverse(view))


@pytest.mark.parametrize(
    ("role", "links_region_view"),
    [
        ("visitor", False),
        ("member", False),
        ("applicant", False),
        ("judge", False),
        ("moderator", False),
        ("regulator", True),
        ("staff", True),
        ("admin_user", True),
    ],
)
def test_the_public_dashboard_and_export_are_open_to_everyone(request, client_for, regions, role, links_region_view):
    client = client_for(request.getfixturevalue(role))

    response = client.get(reverse("dashboard"))
    export = client.get(reverse("dashboard_export"), headers=ENGLISH)

    assert response.status_code == 200
    assert (f'href="{reverse("region_dashboard")}"' in text(response)) is links_region_view
    assert workbook(export).sheetnames[0] == "Summary"


# 3. The list of enterprises without a CQO ----------------------------------------------------------------------


def test_the_gap_list_puts_the_policy_targets_first_and_says_where_a_cqo_is_on_the_way(client_for, staff, province):
    response = client_for(staff).get(region_url(show="all"), headers=ENGLISH)

    names = gap_names(response)
    # Targets (award or 精品): d (above scale) before c (medium) before g (small); then the others (above scale).
    assert names[:3] == [NAMES["d"], NAMES["c"], NAMES["g"]]
    assert set(names[3:]) == {NAMES["e0"], NAMES["e"]}
    page_obj = response.context["page_obj"]
    flags = {e.name: (e.is_target, e.filing_pending, e.cqo_applying) for e in page_obj.object_list}
    assert flags[NAMES["c"]] == (True, True, False)
    assert flags[NAMES["d"]] == (True, False, True)
    assert flags[NAMES["g"]] == (True, False, False)
    assert flags[NAMES["e"]] == (False, False, False)  # an exited CQO is no CQO on the way

    rows = {
        next(row.th.stripped_strings): row
        for row in markup.select(response, 'table[aria-labelledby="gaps-title"] tbody tr')
    }
    assert list(rows) == names
    assert markup.text_of(rows[NAMES["c"]].select("td")[-1]) == "Filing under review"
    assert markup.text_of(rows[NAMES["d"]].select("td")[-1]) == "Profile started"
    assert markup.text_of(rows[NAMES["g"]].select_one("td:last-child .badge-bad")) == "None"
    assert "5 enterprises" in text(response)


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("targets", ["d", "c", "g"]),
        ("above_scale", ["d", "e0|e", "e0|e"]),
        ("all", ["d", "c", "g", "e0|e", "e0|e"]),
        ("zzz", ["d", "c", "g"]),  # an unknown filter falls back to the targets
        ("", ["d", "c", "g"]),
    ],
)
def test_the_gap_list_filters(client_for, staff, province, show, expected):
    response = client_for(staff).get(region_url(show=show))
    book = workbook(client_for(staff).get(region_url("region_dashboard_export", show=show), headers=ENGLISH))

    for names in (gap_names(response), [row[0] for row in body_rows(book["Without a CQO"])]):
        assert len(names) == len(expected)
        for name, keys in zip(names, expected, strict=True):
            assert name in {NAMES[key] for key in keys.split("|")}
    effective = show if show in ("above_scale", "all") else "targets"
    assert response.context["show"] == effective
    page = text(response)
    assert f'href="{reverse("region_dashboard_export")}?region=140000&amp;show={effective}"' in page
    assert f'href="?region=140000&amp;show={effective}" aria-current="page"' in page


def test_the_export_of_the_gap_list_describes_each_enterprise(client_for, regulator, province):
    book = workbook(client_for(regulator).get(region_url("region_dashboard_export"), headers=ENGLISH))

    sheet = book["Without a CQO"]
    assert [cell.value for cell in sheet[1]] == [
        "Enterprise",
        "Credit code",
        "City",
        "County",
        "Industry",
        "Size",
        "Quality award",
        "山西精品 applicant",
        "Filing under review",
    ]
    d, c = province.enterprises["d"], province.enterprises["c"]
    assert body_rows(sheet) == [
        [d.name, d.credit_code, "晋城市", "高平市", "Manufacturing", "Above designated size",
         "Provincial government quality award", "Yes", None],
        [c.name, c.credit_code, "晋城市", "泽州县", "Manufacturing", "Medium", None, "Yes", "Yes"],
    ]  # fmt: skip


def test_the_gap_list_is_paginated_by_50_and_the_pages_keep_the_filter(client_for, regulator, make_enterprise, regions):
    for serial in range(60):
        make_enterprise(name=f"待覆盖{serial:02d}", county=regions["gaoping"] if serial % 2 else regions["zezhou"])
    client = client_for(regulator)

    first = client.get(region_url(show="all"), headers=ENGLISH)
    second = client.get(region_url(region="140500", show="all", page=2))
    last = client.get(region_url(region="140500", show="all", page=999))
    bad = client.get(region_url(region="140500", show="all", page="abc"))

    assert first.context["page_obj"].paginator.count == 60
    assert len(gap_names(first)) == 50
    assert gap_names(first) == [f"待覆盖{serial:02d}" for serial in range(50)]
    assert gap_names(second) == [f"待覆盖{serial:02d}" for serial in range(50, 60)]
    assert 'href="?region=140500&amp;show=all&amp;page=2"' in text(first)
    assert "60 enterprises" in text(first)
    assert gap_names(last) == gap_names(second)
    assert gap_names(bad) == gap_names(first)
    book = workbook(client.get(region_url("region_dashboard_export", show="all"), headers=ENGLISH))
    assert len(body_rows(book["Without a CQO"])) == 60  # the export is not paginated


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("show=zzz", 200),
        ("page=abc", 200),
        ("page=999", 200),
        ("page=-1", 200),
        ("page=0", 200),
        ("region=", 200),
        ("region=&show=&page=", 200),
        ("show=%3Cscript%3E", 200),
        ("region=%3Cscript%3Ealert(1)%3C/script%3E", 404),
        ("region=1405", 404),
        ("region=999999", 404),
        ("region=140525%00", 400),  # a NUL character: refused by middleware on every page
        ("region=140525&region=140100", 404),  # the last value counts: outside the city
    ],
)
def test_bad_input_gives_a_page_or_a_404_never_an_error(client_for, regulator, province, query, status):
    client = client_for(regulator)

    page = client.get(f"{reverse('region_dashboard')}?{query}")
    export = client.get(f"{reverse('region_dashboard_export')}?{query}")

    assert (page.status_code, export.status_code) == (status, status)
    assert "<script>" not in text(page)


# 4. A filing approved moves the dashboard ---------------------------------------------------------------------


@pytest.fixture
def open_filing(make_enterprise, make_profile, regions):
    company = make_enterprise(
        name="泽州鑫达精密机械有限公司", county=regions["zezhou"], quality_award_level=Enterprise.AwardLevel.CITY
    )
    profile = make_profile(enterprise=company, real_name="郭备案")
    profile.appointment_letter = upload("任命书.pdf")
    profile.save()
    return filing_service.submit(profile, by=profile.user)


def test_approving_the_filing_takes_the_enterprise_off_the_gap_list_and_raises_the_figures(
    client_for, regulator, open_filing
):
    name = open_filing.enterprise.name
    client = client_for(regulator)
    before = client.get(reverse("region_dashboard"), headers=ENGLISH)
    assert gap_names(before) == [name]
    assert "Filing under review" in text(before)
    assert (shown(before, "active"), shown(before, "award")) == ("0", "0.0%")
    assert client_for(None).get(reverse("dashboard")).context["board"].active == 0

    response = client_for(regulator).post(reverse("filings:decide", args=[open_filing.pk]), {"action": "approve"})
    assert response.status_code == 302

    after = client_for(regulator).get(reverse("region_dashboard"), headers=ENGLISH)
    assert gap_names(after) == []
    assert name not in text(after)
    assert (shown(after, "active"), shown(after, "award")) == ("1", "100.0%")
    assert row("泽州县", 1, 2, 1, "50.0", "1/1", "0/0") in table_rows(after, "breakdown-title")
    assert breakdown_links(after)["泽州县"] == "?region=140525"
    public = client_for(None).get(reverse("dashboard"))
    assert (public.context["board"].active, public.context["board"].award) == (1, dashboard.Ratio(1, 1))
    book = workbook(client_for(None).get(reverse("dashboard_export"), headers=ENGLISH))
    assert ["Filed CQOs", 1] in body_rows(book["Summary"])
    region_book = workbook(client_for(regulator).get(reverse("region_dashboard_export")))
    assert body_rows(region_book.worksheets[-1]) == []


def test_a_returned_filing_leaves_the_enterprise_on_the_gap_list(client_for, regulator, open_filing):
    filing_service.return_for_correction(open_filing, by=regulator, reason="任命书未盖章")

    response = client_for(regulator).get(reverse("region_dashboard"), headers=ENGLISH)

    assert gap_names(response) == [open_filing.enterprise.name]
    assert "Profile started" in text(response) and "Filing under review" not in text(response)
    assert response.context["board"].active == 0


def test_approving_through_the_service_moves_the_city_and_the_province(regulator, regions, open_filing):
    city_before = dashboard.build(regions["jincheng"])
    filing_service.approve(open_filing, by=regulator)

    city, whole = dashboard.build(regions["jincheng"]), dashboard.build()
    assert (city.active, city.enterprises.part) == (city_before.active + 1, city_before.enterprises.part + 1)
    assert (whole.active, whole.award.part, whole.enterprises.part) == (1, 1, 1)
    assert not dashboard.uncovered_enterprises(regions["zezhou"]).filter(pk=open_filing.enterprise.pk).exists()
    assert CQOProfile.objects.get(pk=open_filing.profile.pk).status == ACTIVE


# 5. The charts -------------------------------------------------------------------------------------------------


def chart_pairs(response):
    """Each chart-pair of the page as the kinds of its charts and tables, in order: e.g. ["svg", "table"]."""
    pairs = markup.select(response, ".chart-pair")
    return [[element.name for element in pair.find_all(["svg", "table"])] for pair in pairs]


def bars(response, title):
    """{value shown at a bar's end: the bar's width} of the chart with that title."""
    [chart] = [svg for svg in markup.select(response, "svg.chart") if markup.text_of(svg.find("title")) == title]
    return {
        markup.text_of(bar.select_one(".chart-value")): bar.select_one(".chart-bar")["width"]
        for bar in chart.find_all("g")
    }


def test_each_section_of_the_public_page_has_its_chart_and_a_table_beside_it(client_for, province):
    response = client_for(None).get(reverse("dashboard"), headers=ENGLISH)

    # The target, the coverage, the breakdown by city (two charts: filed CQOs and coverage); each chart before
    # its table.
    assert chart_pairs(response) == [["svg", "table"], ["svg", "table"], ["svg", "svg", "table"]]
    assert all(chart.get("role") == "img" for chart in markup.select(response, "svg.chart"))
    titles = markup.texts(response, "svg.chart > title")
    assert "Enterprises with a CQO, per cent" in titles and "Filed CQOs by City" in titles
    # The award coverage (66.7%) is a bar of two thirds of the 330 px plot, with its value at its end.
    assert bars(response, "Enterprises with a CQO, per cent")["66.7%"] == "220.1"


def test_a_county_view_has_only_the_coverage_chart(client_for, make_regulator, province):
    response = client_for(make_regulator(province.regions["zezhou"])).get(reverse("region_dashboard"))

    assert chart_pairs(response) == [["svg", "table"]]
    assert len(markup.select(response, "svg.chart")) == 1


def test_names_are_escaped_in_the_charts_the_tables_and_the_gap_list(client_for, staff, regions, make_enterprise):
    city = Region.objects.create(code="140200", name="<b>大同</b>", level=Region.Level.CITY, parent=regions["province"])
    county = Region.objects.create(code="140212", name="<i>新荣</i>", level=Region.Level.COUNTY, parent=city)
    make_enterprise(name="<script>alert(1)</script>厂", county=county, quality_award_level="city")

    public = text(client_for(None).get(reverse("dashboard")))
    region = text(client_for(staff).get(region_url(region="140200", show="all")))

    for page in (public, region):
        assert "<b>大同" not in page
        assert "&lt;b&gt;大同&lt;/b&gt;" in page
    assert public.count("&lt;b&gt;大同&lt;/b&gt;</text>") == 2  # a bar label in each breakdown chart
    assert "<i>新荣" not in region and "&lt;i&gt;新荣&lt;/i&gt;" in region
    assert "<script>alert(1)" not in region and "&lt;script&gt;alert(1)&lt;/script&gt;厂" in region


def test_a_formula_as_an_enterprise_name_stays_text_in_the_export(client_for, staff, make_enterprise):
    make_enterprise(name='=HYPERLINK("http://evil.example","点我")', quality_award_level="city")

    book = workbook(client_for(staff).get(region_url("region_dashboard_export"), headers=ENGLISH))

    cell = book["Without a CQO"]["A2"]
    assert cell.value == '=HYPERLINK("http://evil.example","点我")'
    assert cell.data_type == "s"


# 6. Query budgets ----------------------------------------------------------------------------------------------

# Measured: the public board is 9 queries (4 of the board, 5 of the apps' figures); the region view adds the user,
# their region (2), the gap list's count and page and the region choices; the export the user, region and list.
PUBLIC_BUDGET = 9
REGION_BUDGET = 15
EXPORT_BUDGET = 13


class Growing:
    """Enterprises across three counties, each with a CQO of a rotating status and some training."""

    STATUSES = [ACTIVE, WARNED, APPLICANT, SUBMITTED, EXITED, None]

    def __init__(self, make_enterprise, make_profile, regions):
        self.make_enterprise, self.make_profile = make_enterprise, make_profile
        self.counties = [regions["zezhou"], regions["gaoping"], regions["xiaodian"]]
        self.size = 0

    def grow(self, size):
        for serial in range(self.size, size):
            company = self.make_enterprise(
                county=self.counties[serial % 3],
                size=[ABOVE, MEDIUM, SMALL][serial % 3 - 1],
                quality_award_level="city" if serial % 2 else "",
                is_jingpin_applicant=serial % 4 == 0,
                is_six_new=serial % 5 == 0,
            )
            status = self.STATUSES[serial % len(self.STATUSES)]
            if status is not None:
                profile = self.make_profile(status=status, enterprise=company, is_senior_executive=serial % 3 == 0)
                add_training(profile.user, "2.5")
        self.size = size


@pytest.fixture
def growing(make_enterprise, make_profile, regions):
    return Growing(make_enterprise, make_profile, regions)


def measure(client, url, budget, django_assert_max_num_queries):
    assert client.get(url, headers=ENGLISH).status_code == 200  # warm the per-user and per-site caches
    with django_assert_max_num_queries(budget), CaptureQueriesContext(connection) as queries:
        response = client.get(url, headers=ENGLISH)
    assert response.status_code == 200
    return len(queries), response


@pytest.mark.parametrize(
    ("who", "view", "budget"),
    [
        ("visitor", "dashboard", PUBLIC_BUDGET),
        ("visitor", "dashboard_export", PUBLIC_BUDGET),
        ("regulator", "region_dashboard", REGION_BUDGET),
        ("regulator", "region_dashboard_export", EXPORT_BUDGET),
        ("staff", "region_dashboard", REGION_BUDGET),
    ],
)
def test_the_dashboards_cost_the_same_for_3_or_40_enterprises(
    request, client_for, growing, who, view, budget, django_assert_max_num_queries
):
    client = client_for(request.getfixturevalue(who))
    url = region_url(view, show="all") if view.startswith("region") else reverse(view)

    growing.grow(3)
    small, _ = measure(client, url, budget, django_assert_max_num_queries)
    growing.grow(40)
    large, response = measure(client, url, budget, django_assert_max_num_queries)

    assert large == small
    # Guard against a budget met by a page that shows nothing: 40 enterprises and the conftest's one (28 of them in
    # 晋城), of which 27 (14 in 晋城) have no CQO with member rights.
    whole, uncovered = (28, 14) if who == "regulator" else (41, 27)
    if view == "dashboard_export":
        assert ["Enterprises", whole] in body_rows(workbook(response)["Summary"])
    elif view == "region_dashboard_export":
        assert len(body_rows(workbook(response)["Without a CQO"])) == uncovered
    else:
        assert response.context["board"].enterprises.whole == whole
    if view == "region_dashboard":
        assert response.context["page_obj"].paginator.count == uncovered
