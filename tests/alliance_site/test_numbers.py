"""Numbers from people read strictly (alliance_site.common.numbers), and ids no column can hold matching no row.

The views' own tests show each use (forums' quote, the case form, the search's page, the API's offset); the
sweep over every URL pattern is in tests/test_fuzz_urls.py.
"""

import pytest

from alliance_site.common.numbers import MAX_ID, parse_id, parse_ids, parse_int
from alliance_site.models import CQOProfile, QualityMethod
from events.models import EventPage
from forums.models import Board, Thread

TOO_LARGE = [MAX_ID + 1, 10**30]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("007", 7),
        (str(MAX_ID), MAX_ID),
        # Not ids: out of range, or not ASCII digits though str.isdigit() or int() takes them.
        ("0", None),
        ("-1", None),
        (str(MAX_ID + 1), None),
        ("9" * 5000, None),
        ("²", None),
        ("١٢", None),
        ("１２", None),
        (" 7", None),
        ("7\n", None),
        ("1_000", None),
        ("1e3", None),
        ("", None),
        (None, None),
    ],
)
def test_an_id_is_ascii_digits_within_range(text, expected):
    assert parse_id(text) == expected


def test_bounded_numbers_and_lists_of_ids():
    assert parse_int("-3", minimum=-5, maximum=5) == -3
    assert parse_int("6", minimum=-5, maximum=5, default=0) == 0
    assert parse_ids(["3", "²", "x", "0", "12", str(MAX_ID + 1)]) == [3, 12]


@pytest.mark.parametrize("value", TOO_LARGE)
def test_an_id_no_column_can_hold_matches_no_row(db, make_profile, value):
    """SQLite raised OverflowError for these in `pk__in` and on relations (a page type's key is one)."""
    profile = make_profile()
    board = Board.objects.create(name="交流", slug="talk", kind=Board.Kind.DISCUSSION)

    assert list(CQOProfile.objects.filter(pk__in=[value, profile.pk])) == [profile]
    assert not QualityMethod.objects.filter(pk__in=[value]).exists()
    assert not Thread.objects.filter(board_id=value).exists()
    assert not Thread.objects.filter(board__in=[value]).exists()
    assert Thread.objects.filter(board__in=[value, board.pk]).count() == 0
    assert not EventPage.objects.filter(pk=value).exists()  # the key is a relation to wagtailcore's page
    assert not EventPage.objects.filter(pk__in=[value]).exists()


@pytest.mark.parametrize(
    "url",
    [
        "/cms/users/?group={}",
        "/cms/pages/?content_type={}",
        "/cms/reports/site-history/?user={}",
        "/cms/body_memberships/?body={}",  # the body is a page: its key is a relation
        "/cms/competition_rounds/?competition={}",
    ],
)
@pytest.mark.parametrize("value", TOO_LARGE)
def test_an_admin_listing_filtered_by_an_id_no_column_can_hold_is_shown(client_for, admin_user, url, value):
    assert client_for(admin_user).get(url.format(value)).status_code == 200
