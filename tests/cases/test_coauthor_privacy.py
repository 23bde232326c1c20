"""The co-author finder shows a member's enterprise only where that member's card shows it (audit finding 7)."""

import pytest

from alliance_site.models import Audience, ProfileStatus

from .test_submission import NEW_CASE, new_case_data, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def methods(db):
    from cases.models import QualityMethod

    return list(QualityMethod.objects.filter(slug__in=["six-sigma"]))


@pytest.mark.parametrize(("audience", "shown"), [(Audience.STAFF, False), (Audience.MEMBERS, True)])
def test_the_finder_keeps_an_enterprise_kept_to_staff(
    client_for, member, make_profile, make_enterprise, case_index, methods, audience, shown
):
    secret = make_enterprise(name="保密的兄弟企业")
    make_profile(status=ProfileStatus.ACTIVE, real_name="赵协作", enterprise=secret, enterprise_audience=audience)
    data = new_case_data(methods, **{"case-coauthor_search": "协作", "action": "find-coauthors"})

    html = text(client_for(member).post(NEW_CASE, data))

    assert "赵协作" in html
    assert ("保密的兄弟企业" in html) is shown
