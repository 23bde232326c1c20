"""Each key page stays within its SQL query budget, and the count does not grow with the data."""

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance_site.models import (
    BodyMembership,
    BodyOfficer,
    ChapterOfficer,
    ChapterPage,
    CQOProfile,
    Enterprise,
    ProfileStatus,
    Region,
)

BUDGET = 12
SMALL, LARGE = 5, 50


class DataSet:
    """Profiles, enterprises, memberships, chapters and officers around one body, grown on request."""

    def __init__(self, *, body, chapter, target, staff, make_enterprise, make_profile, regions):
        self.body, self.chapter, self.target, self.staff = body, chapter, target, staff
        self.make_enterprise, self.make_profile = make_enterprise, make_profile
        self.counties = [regions["zezhou"], regions["gaoping"], regions["xiaodian"]]
        self.size = 0

    def grow(self, size):
        for serial in range(self.size + 1, size + 1):
            self.add_one(serial)
        self.size = size

    def add_one(self, serial):
        enterprise = self.make_enterprise(
            county=self.counties[serial % 3],
            quality_award_level=Enterprise.AwardLevel.CITY if serial % 2 else "",
            is_jingpin_applicant=serial % 3 == 0,
        )
        profile = self.make_profile(
            status=ProfileStatus.ACTIVE,
            enterprise=enterprise,
            real_name=f"成员{serial:03d}",
            visibility=CQOProfile.Visibility.PUBLIC if serial % 2 else CQOProfile.Visibility.MEMBERS,
            talent_pool_opt_in=True,
            is_senior_executive=bool(serial % 4),
        )
        profile.expertise.add(f"专长{serial}", "六西格玛")
        BodyMembership.objects.create(
            profile=profile, body=self.body, chapter=self.chapter, motivation="加入", status="approved"
        )
        BodyOfficer.objects.create(
            page=self.body, role="理事", name=profile.real_name, profile=profile, sort_order=serial
        )
        ChapterOfficer.objects.create(page=self.chapter, role="委员", name=profile.real_name, profile=profile)
        city = Region.objects.create(code=f"15{serial:02d}00", name=f"测试市{serial}", level=Region.Level.CITY)
        # Created live without revisions: publishing fifty pages per test would take most of the suite's time.
        self.body.add_child(instance=ChapterPage(title=f"测试市分会{serial}", slug=f"city-{serial}", city=city))
        # The target's card grows too: more expertise, a longer status history.
        self.target.expertise.add(f"目标专长{serial}")
        warned = self.target.status == ProfileStatus.WARNED
        self.target.change_status(
            ProfileStatus.ACTIVE if warned else ProfileStatus.WARNED, by=self.staff, reason=f"第{serial}次变更"
        )


@pytest.fixture
def dataset(body_page, chapter_page, member, staff, make_enterprise, make_profile, regions):
    target = member.cqo_profile
    target.visibility = CQOProfile.Visibility.PUBLIC
    target.public_consent_at = timezone.now()
    target.talent_pool_opt_in = True
    target.save()
    return DataSet(
        body=body_page,
        chapter=chapter_page,
        target=target,
        staff=staff,
        make_enterprise=make_enterprise,
        make_profile=make_profile,
        regions=regions,
    )


PAGES = {
    "home": lambda data: "/",
    "body page": lambda data: data.body.url,
    "chapter page": lambda data: data.chapter.url,
    "member profile": lambda data: reverse("members:detail", args=[data.target.pk]),
    "talent pool": lambda data: reverse("members:talent_pool"),
    "dashboard": lambda data: reverse("dashboard"),
}
# Who looks: the profile's owner (who also sees the record and history), another member, and a visitor.
VIEWERS = {page: ["owner", "member"] if page == "talent pool" else ["owner", "member", "visitor"] for page in PAGES}


def measure(client, url, django_assert_max_num_queries):
    first = client.get(url)  # warms the per-site and per-user caches a running server would have
    assert first.status_code == 200, (url, first.status_code)
    with django_assert_max_num_queries(BUDGET) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), [q["sql"] for q in queries]


@pytest.mark.parametrize("page", list(PAGES))
def test_page_stays_within_budget_whatever_the_data(
    dataset, client_for, make_profile, django_assert_max_num_queries, page
):
    viewers = {"owner": dataset.target.user, "member": make_profile(status=ProfileStatus.ACTIVE).user, "visitor": None}
    url = PAGES[page](dataset)

    def counts():
        return {
            viewer: measure(client_for(viewers[viewer]), url, django_assert_max_num_queries) for viewer in VIEWERS[page]
        }

    dataset.grow(SMALL)
    small = counts()
    dataset.grow(LARGE)
    large = counts()

    for viewer in VIEWERS[page]:
        assert large[viewer][0] == small[viewer][0], (viewer, "\n".join(large[viewer][1]))


def test_the_large_data_set_is_really_shown(dataset, client_for, member):
    """Guard against a budget met by a page that shows nothing: the lists hold the grown data."""
    dataset.grow(LARGE)
    client = client_for(member)

    body = client.get(dataset.body.url)
    chapter = client.get(dataset.chapter.url)
    pool = client.get(reverse("members:talent_pool"))
    dashboard = client.get(reverse("dashboard"))
    own_card = client_for(dataset.target.user).get(reverse("members:detail", args=[dataset.target.pk]))

    assert len(body.context["chapters"]) == LARGE + 1
    assert len(body.context["officers"]) == LARGE
    assert body.context["member_count"] == LARGE
    assert len(chapter.context["members"]) == LARGE
    assert pool.context["page_obj"].paginator.count == LARGE + 1
    assert dashboard.context["board"].active == LARGE + 1
    assert len(own_card.context["history"]) == 20
    assert own_card.content.decode().count("目标专长") == LARGE
