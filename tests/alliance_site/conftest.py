"""Fixtures for the core site's tests: pages under the home page, uploads kept out of the working tree."""

import pytest

from alliance_site.accounts import roles
from alliance_site.models import BodyPage, ChapterPage, HomePage, RegionalRegulator

from .helpers import publish


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded appointment letters and photos go to a temporary folder, never to the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def make_regulator(make_user):
    """make_regulator(region): a regulator of that region (any level)."""

    def make(region, **kwargs):
        user = make_user(groups=[roles.REGULATOR], **kwargs)
        RegionalRegulator.objects.create(user=user, region=region, agency=f"{region.name}市场监督管理局")
        return user

    return make


@pytest.fixture
def sent(django_capture_on_commit_callbacks, mailoutbox):
    """A context that runs the after-commit mail tasks of what happens inside it; the mail is in `mailoutbox`."""

    def capture():
        return django_capture_on_commit_callbacks(execute=True)

    return capture


@pytest.fixture
def home_page(db):
    return HomePage.objects.first()


BODY_TITLES = {BodyPage.Kind.ALLIANCE: "首席质量官联盟", BodyPage.Kind.HOME: "首席质量官之家"}


@pytest.fixture
def make_body_page(home_page):
    def make(kind=BodyPage.Kind.ALLIANCE, **kwargs):
        defaults = {"title": BODY_TITLES[kind], "slug": f"body-{kind}", "kind": kind, "lead": "测试机构简介"}
        defaults.update(kwargs)
        return publish(home_page.add_child(instance=BodyPage(**defaults)))

    return make


@pytest.fixture
def body_page(make_body_page):
    return make_body_page()


@pytest.fixture
def make_chapter_page(regions):
    counter = iter(range(1, 10_000))

    def make(body, *, city=None, **kwargs):
        serial = next(counter)
        defaults = {"title": f"测试分会{serial}", "slug": f"chapter-{serial}", "city": city or regions["jincheng"]}
        defaults.update(kwargs)
        return publish(body.add_child(instance=ChapterPage(**defaults)))

    return make


@pytest.fixture
def chapter_page(make_chapter_page, body_page):
    return make_chapter_page(body_page, title="晋城分会")
