"""A NUL character in the address is refused with 400 on every page, before a view passes it to the database
(PostgreSQL refuses NUL in text parameters: without this, any filter reading request.GET answered 500)."""

import pytest
from django.urls import reverse

from .helpers import ENGLISH, text

pytestmark = pytest.mark.django_db

PAGES = [
    ("dashboard", None),
    ("members:talent_pool", "member"),
    ("region_dashboard", "regulator"),
    ("filings:list", "regulator"),
    ("search", None),
]


@pytest.mark.parametrize(("name", "role"), PAGES)
@pytest.mark.parametrize("query", ["city=1405%00", "q=%E5%85%AD%00", "%00=1"])
def test_a_nul_character_in_the_address_is_a_400(client_for, request, name, role, query):
    user = request.getfixturevalue(role) if role else None

    response = client_for(user).get(f"{reverse(name)}?{query}", headers=ENGLISH)

    assert response.status_code == 400
    assert "character that is not allowed" in text(response)


def test_ordinary_addresses_pass(client_for, member):
    assert client_for(member).get(f"{reverse('members:talent_pool')}?city=140500&q=六西格玛").status_code == 200


def test_a_nul_character_in_the_path_or_a_posted_form_is_a_400(client_for, member):
    client = client_for(member)

    assert client.get("/forums/watch/%00/1/", headers=ENGLISH).status_code == 400
    response = client.post(reverse("members:privacy"), {"contact_phone": "0351\x00"}, headers=ENGLISH)
    assert response.status_code == 400
    assert "character that is not allowed" in text(response)


# Ids no row can have: 0, and 2^63 or more (SQLite raised OverflowError on about 14 views: a 500). The sweep over
# every URL pattern is in tests/test_fuzz_urls.py.
IMPOSSIBLE_IDS = ["0", str(2**63), str(10**30)]


@pytest.mark.parametrize("pk", IMPOSSIBLE_IDS)
@pytest.mark.parametrize(
    ("method", "path", "role"),
    [
        ("get", "/calendar/events/{}.ics", None),
        ("get", "/api/v2/cases/{}/", None),
        ("get", "/members/{}/", "member"),
        ("get", "/my/cases/{}/preview/", "member"),
        ("get", "/my/events/{}/evaluate/", "member"),
        ("get", "/my/competitions/{}/my-results/", "member"),
        ("post", "/my/events/{}/register/", "member"),
        ("post", "/my/events/{}/cancel/", "member"),
        ("post", "/my/competitions/{}/enter/", "member"),
        ("post", "/bodies/{}/apply/", "member"),
        ("get", "/my/events/manage/{}/check-in/", "staff"),
        ("get", "/cms/pages/{}/edit/", "admin_user"),
        ("get", "/cms/competition_rounds/results/{}/", "admin_user"),
    ],
)
def test_an_id_no_row_can_have_is_a_404(client_for, request, method, path, role, pk):
    user = request.getfixturevalue(role) if role else None

    response = getattr(client_for(user), method)(path.format(pk))

    assert response.status_code == 404


@pytest.mark.parametrize("pk", ["١٢", "１２", str(2**63)])
def test_digits_no_id_can_be_in_a_regex_pattern_are_a_404(client_for, admin_user, pk):
    """A regex pattern's (\\d+) matches every script's digits, which the view then reads with int()."""
    client = client_for(admin_user)

    assert client.get(f"/documents/{pk}/letter.pdf").status_code == 404
    assert client.get(f"/cms/pages/{pk}/revisions/compare/live...latest/").status_code == 404


@pytest.mark.parametrize("pk", ["x", "²", str(2**63)])
def test_a_pk_that_is_no_integer_key_is_a_404_in_the_admins_choosers(client_for, admin_user, pk):
    client = client_for(admin_user)

    assert client.get(f"/cms/images/chooser/chosen/{pk}/").status_code == 404
    assert client.get(f"/cms/documents/chooser/chosen/{pk}/").status_code == 404


@pytest.mark.parametrize("next_url", ["abc", "²", "//evil.example/", "https://evil.example/"])
def test_a_next_that_is_no_path_on_this_site_is_a_400(client_for, admin_user, next_url):
    """Django's redirect() takes a word for a view name: NoReverseMatch, a 500, on Wagtail's pages and our own."""
    client = client_for(admin_user)

    for path in ("/cms/pages/workflow/action/1/approve/1/", "/cms/login/", "/accounts/login/"):
        response = client.get(path, {"next": next_url}, headers=ENGLISH)
        assert response.status_code == 400, path
        assert "value that is not allowed" in text(response)


CHOOSERS_READING_IDS = [
    "/cms/images/chooser/chosen-multiple/",
    "/cms/choose-page/chosen-multiple/",
    "/cms/api/main/pages/find/",
]


@pytest.mark.parametrize("value", ["²", "x", "-1.5"])
def test_an_id_that_is_no_number_in_the_admins_choosers_is_a_400(client_for, admin_user, value):
    """Wagtail reads `?id=` there straight into a query on the key (ValueError, a 500)."""
    client = client_for(admin_user)

    for path in CHOOSERS_READING_IDS:
        assert client.get(path, {"id": value}).status_code == 400, path


def test_ordinary_ids_and_next_pass(client_for, admin_user, member):
    assert client_for(member).get("/accounts/login/?next=/members/me/").status_code in (200, 302)
    client = client_for(admin_user)
    assert client.get("/cms/images/chooser/chosen-multiple/?id=1").status_code == 200
    # An id no row can have chooses nothing (alliance_site.common.numbers: `pk__in` drops what the column cannot hold).
    assert client.get(f"/cms/images/chooser/chosen-multiple/?id={2**63}").status_code == 200
