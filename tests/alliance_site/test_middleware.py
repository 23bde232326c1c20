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
