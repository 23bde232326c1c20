"""Fixtures shared by the case tests: the case library and a factory for cases (draft or published)."""

import datetime

import pytest

from alliance_site.models import HomePage, ProfileStatus
from cases.models import CaseAuthor, CaseIndexPage, CasePage, QualityMethod
from cases.workflow import ensure_review_workflow


@pytest.fixture(autouse=True)
def case_media_root(settings, tmp_path):
    """Uploaded attachments and images go to a temporary folder, never to the repository."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.MEDIA_ROOT


@pytest.fixture
def case_index(db):
    """The case library under the home page, with the "案例审核" workflow assigned to it."""
    home = HomePage.objects.first()
    index = home.add_child(instance=CaseIndexPage(title="案例库", slug="cases"))
    ensure_review_workflow(index)
    return index


def section(heading, visibility="public", *content):
    """Raw StreamField data for one body section; `content` is (block_type, value) pairs, default one paragraph."""
    content = content or (("text", f"<p>{heading}的正文。</p>"),)
    return {
        "type": "section",
        "value": {
            "heading": heading,
            "visibility": visibility,
            "content": [{"type": kind, "value": value} for kind, value in content],
        },
    }


def metric(indicator="焊缝不良率", baseline="2.4", result="0.6", unit="%", direction="lower"):
    value = {"indicator": indicator, "unit": unit, "baseline": baseline, "result": result, "direction": direction}
    return ("metric", value)


@pytest.fixture
def make_case(case_index):
    """make_case(owner, live=True, body=[section(...)], methods=["six-sigma"], tags=["降本"], **fields).

    The owner (a user with a CQO profile) is the first author; `authors` adds co-authors (profiles).
    A draft (live=False) has one revision and no workflow; a live case is published with its revision.
    """
    counter = iter(range(1, 100_000))

    def make(owner, *, live=True, body=None, methods=(), tags=(), authors=(), **fields):
        serial = next(counter)
        profile = owner.cqo_profile
        defaults = {
            "title": f"测试案例{serial}",
            "slug": f"case-{serial}",
            "summary": "通过六西格玛方法降低焊缝不良率。",
            "enterprise": profile.enterprise,
            "industry": profile.enterprise.industry,
            "period_start": datetime.date(2024, 1, 1),
            "period_end": datetime.date(2024, 12, 31),
            "owner": owner,
            "live": False,
        }
        defaults.update(fields)
        page = CasePage(**defaults)
        page.body = body if body is not None else [section("背景"), section("改进成果", "public", metric())]
        page.authors = [CaseAuthor(profile=p, sort_order=i) for i, p in enumerate([profile, *authors])]
        page.methods = list(QualityMethod.objects.filter(slug__in=methods))
        page.tags.add(*tags)
        case_index.add_child(instance=page)
        revision = page.save_revision(user=owner)
        if live:
            revision.publish(user=owner, skip_permission_checks=True)  # as if staff had approved it
        page.refresh_from_db()
        return page

    return make


@pytest.fixture
def owner(make_profile):
    """The member who wrote and submitted a case (its page owner and first author)."""
    return make_profile(status=ProfileStatus.ACTIVE, real_name="张主笔").user


@pytest.fixture
def co_author(make_profile):
    """A member listed among a case's authors who did not submit it."""
    return make_profile(status=ProfileStatus.ACTIVE, real_name="李合著").user
