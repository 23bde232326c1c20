"""The admin is as Chinese as the site: every list of our viewsets, on the demo content, has Chinese column
headers, shows yes/no as icons, never an English field name or Python's True/False, and names people by their
names, never by their login names."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from tests.markup import select

VIEWSETS = [
    "cqo_profiles",
    "body_memberships",
    "enterprises",
    "enterprise_groups",
    "regions",
    "regulators",
    "quality_methods",
    "competition_rounds",
    "competition_entries",
    "competition_assignments",
    "forum_boards",
    "training_records",
]
LATIN = re.compile(r"[A-Za-z]")


@pytest.mark.django_db
def test_every_list_speaks_chinese(client):
    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(email="admin@demo.cqo.cn"))
    # A login name that is also someone's real name (none in the demo) could not be told apart.
    login_names = set(get_user_model().objects.values_list("username", flat=True))
    for name in VIEWSETS:
        page = client.get(reverse(f"{name}:index"), HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert page.status_code == 200, name
        headers = [th.get_text(" ", strip=True) for th in select(page, "table.listing thead th")]
        assert headers, name
        assert not [h for h in headers if LATIN.search(h)], (name, headers)
        cells = {td.get_text(" ", strip=True) for td in select(page, "table.listing tbody td")}
        assert not cells & {"True", "False", "None"}, (name, sorted(cells & {"True", "False", "None"}))
        words = {word for cell in cells for word in cell.split()}
        assert not words & login_names, (name, sorted(words & login_names))


@pytest.mark.django_db
def test_forms_choose_people_by_name(client):
    """A training record's holder, a regulator's account, a round's judges: chosen from names."""
    from cases.competitions.models import Round

    call_command("seed_demo", stdout=io.StringIO())
    client.force_login(get_user_model().objects.get(email="admin@demo.cqo.cn"))
    login_names = set(get_user_model().objects.values_list("username", flat=True))
    judge = get_user_model().objects.get(email="judge@demo.cqo.cn")
    pages = [
        reverse("training_records:add"),
        reverse("regulators:add"),
        reverse("competition_rounds:edit", args=[Round.objects.filter(judges=judge).first().pk]),
    ]
    for address in pages:
        page = client.get(address, HTTP_ACCEPT_LANGUAGE="zh-hans")
        options = {option.get_text(strip=True) for option in select(page, "option, label")}
        assert options, address
        assert not options & login_names, (address, sorted(options & login_names))
    judges = client.get(pages[2])
    assert judge.cqo_profile.real_name in {item.get_text(strip=True) for item in select(judges, "option, label")}
