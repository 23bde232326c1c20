"""The talent pool's filters (alliance_site.talent.filters.TalentPoolFilter): the rule that a filter matches only
what the viewer may see of a card, also when filters are combined; values no form of the site sends; the form's markup.

The ordinary filters, the rule for each filter alone and the query budget are tested in test_talent_pool.py.
"""

import re

import pytest
from django.urls import reverse

from alliance_site.members.models import DISCLOSED_PARTS
from alliance_site.models import Audience, CQOProfile, ProfileStatus, QualityMethod

ENGLISH = {"accept-language": "en"}
ODD = ["²", "１４０５００", "-1", "1e3", "null", "'\"<script>", "%_", " ", "9" * 30, "x" * 3000]

# Each filter on a part of the card, the part it reads, and a value that finds 赵甲 while the part is shown.
PART_FILTERS = {
    "city": ("region", "140500"),
    "industry": ("enterprise", "B"),
    "title": ("qualifications", "senior"),
    "method": ("expertise", None),  # the method's id, made by the fixture
}


@pytest.fixture
def method():
    return QualityMethod.objects.create(name="独特过滤方法", slug="unique-filter-method")


@pytest.fixture
def zhao(make_profile, make_enterprise, regions, method):
    """A listed CQO in 晋城 (泽州县), industry B, senior, offering mentoring, with every part shown to members."""
    profile = make_profile(
        status=ProfileStatus.ACTIVE,
        talent_pool_opt_in=True,
        real_name="赵甲",
        enterprise=make_enterprise(name="赵甲煤业有限公司", county=regions["zezhou"], industry="B"),
        title="senior",
        offers_mentoring=True,
        **{f"{part}_audience": Audience.MEMBERS for part in DISCLOSED_PARTS if part != "contact"},
    )
    profile.methods.add(method)
    return profile


def pool(client, **params):
    return client.get(reverse("members:talent_pool"), params, headers=ENGLISH)


def listed(response):
    assert response.status_code == 200
    return {profile.real_name for profile in response.context["page_obj"].object_list}


def filter_form(response):
    return re.search(r'<form method="get" class="filters".*?</form>', response.content.decode(), re.S).group(0)


def value_of(name, method):
    return str(method.pk) if name == "method" else PART_FILTERS[name][1]


@pytest.mark.parametrize("name", list(PART_FILTERS))
def test_combined_with_a_search_a_filter_still_reads_only_what_is_shown(client_for, member, staff, zhao, method, name):
    """The name is always shown and finds 赵甲; a filter on a part kept to staff must not narrow the search to
    him, or the count and the list would say the hidden value is his."""
    part = PART_FILTERS[name][0]
    params = {"q": "赵甲", name: value_of(name, method), "offers": "mentoring"}
    assert listed(pool(client_for(member), **params)) == {"赵甲"}

    CQOProfile.objects.filter(pk=zhao.pk).update(**{f"{part}_audience": Audience.STAFF})

    response = pool(client_for(member), **params)
    assert listed(response) == set()
    assert response.context["page_obj"].paginator.count == 0
    assert "赵甲" not in response.content.decode().split('role="status"', 1)[1]
    assert listed(pool(client_for(staff), **params)) == {"赵甲"}
    # Without the filter the member still finds him by name: only the hidden part is not searched.
    assert listed(pool(client_for(member), q="赵甲")) == {"赵甲"}


def test_two_filters_each_need_their_part_shown(client_for, member, zhao, method):
    params = {"city": "140500", "title": "senior"}
    assert listed(pool(client_for(member), **params)) == {"赵甲"}

    CQOProfile.objects.filter(pk=zhao.pk).update(qualifications_audience=Audience.STAFF)

    assert listed(pool(client_for(member), **params)) == set()
    assert listed(pool(client_for(member), city="140500")) == {"赵甲"}


@pytest.mark.parametrize("name", ["q", "city", "industry", "title", "method", "offers"])
def test_an_odd_value_never_breaks_the_pool(client_for, member, zhao, name):
    """A method that is not an id (1 to 9 ASCII digits) and an unknown availability are dropped; a city,
    industry or title is applied as given, so an unknown one finds no one, as it always did."""
    client = client_for(member)
    for value in ODD:
        response = pool(client, **{name: value})

        assert response.status_code == 200, value
        expected = {"赵甲"} if name in ("method", "offers") or not value.strip() else set()
        if name != "q":
            assert listed(response) == expected, value
        assert "aria-invalid" not in filter_form(response)
        assert "'\"<script>" not in response.content.decode()


def test_an_unknown_availability_is_dropped_and_the_known_ones_kept(client_for, member, zhao):
    response = pool(client_for(member), offers=["mentoring", "flying", "speaking"])

    assert listed(response) == set()  # 赵甲 offers mentoring, not speaking
    assert response.context["filters"]["offers"] == ["mentoring", "speaking"]
    assert response.context["query_string"] == "offers=mentoring&offers=speaking&"
    form = filter_form(response)
    assert re.search(r'<input type="checkbox" name="offers" value="mentoring"[^>]* checked>', form)
    assert re.search(r'<input type="checkbox" name="offers" value="speaking"[^>]* checked>', form)
    assert not re.search(r'value="site_visits"[^>]* checked', form)
    assert listed(pool(client_for(member), offers=["mentoring", "flying"])) == {"赵甲"}


def test_the_search_is_cut_to_fifty_characters(client_for, member, zhao):
    response = pool(client_for(member), q="赵" * 80)

    assert response.context["filters"]["q"] == "赵" * 50
    assert f'value="{"赵" * 50}"' in filter_form(response)


def test_the_form_keeps_its_names_ids_and_labels(client_for, member, zhao, method):
    form = filter_form(pool(client_for(member), method=method.pk, city="140500"))

    assert '<label for="f-q">Name, enterprise, expertise or method</label>' in form
    assert '<input type="search" name="q" maxlength="50" id="f-q">' in form
    for name, label in [("city", "City"), ("industry", "Industry"), ("title", "Professional title")]:
        assert f'<label for="f-{name}">{label}</label>' in form
        assert f'<select name="{name}" id="f-{name}">' in form
    assert f'<option value="{method.pk}" selected>独特过滤方法</option>' in form
    assert '<option value="140500" selected>晋城市</option>' in form
    assert '<legend class="label">Available for</legend>' in form
    labels = re.findall(r'<label><input type="checkbox" name="offers" value="(\w+)"[^>]*>([^<]+)</label>', form)
    assert labels == [("mentoring", "Mentoring"), ("speaking", "Speaking"), ("site_visits", "Hosting site visits")]
