"""Privacy wherever a person is shown: who asked for a contact, and staff opening contact details in the admin.

Audit finding 7: the privacy page showed an asker's enterprise kept to staff; staff could see contact details
in the admin without a trace, where a member's request on the site is logged and shown to the CQO.
"""

import pytest
from django.urls import reverse

from alliance_site.models import Audience, ContactReveal, ProfileStatus

from .helpers import ENGLISH, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def cqo(make_profile):
    return make_profile(
        status=ProfileStatus.ACTIVE, real_name="王质量", contact_phone="0351-1234567", contact_audience=Audience.MEMBERS
    )


@pytest.mark.parametrize(("audience", "shown"), [(Audience.STAFF, False), (Audience.MEMBERS, True)])
def test_the_privacy_page_shows_an_askers_enterprise_only_as_their_card_does(
    client_for, cqo, make_profile, make_enterprise, audience, shown
):
    enterprise = make_enterprise(name="只给秘书处看的企业")
    asker = make_profile(
        status=ProfileStatus.ACTIVE, real_name="李询问", enterprise=enterprise, enterprise_audience=audience
    )
    ContactReveal.objects.create(profile=cqo, revealed_to=asker.user, purpose=ContactReveal.Purpose.MENTORING)

    page = text(client_for(cqo.user).get(reverse("members:privacy")))

    assert "李询问" in page
    assert ("只给秘书处看的企业" in page) is shown


def test_staff_opening_contact_details_in_the_admin_is_logged_and_shown_to_the_cqo(client_for, cqo, make_user):
    from alliance_site.accounts import roles

    staff = make_user("zhang.mishu", groups=[roles.STAFF], first_name="秘书", last_name="张")
    client = client_for(staff)
    url = reverse("cqo_profiles:contact", args=[cqo.pk])

    page = client.get(url, headers=ENGLISH)
    assert page.status_code == 200
    assert "0351-1234567" not in text(page)  # not before the purpose is given
    assert not ContactReveal.objects.exists()

    page = client.post(url, {"purpose": "secretariat", "note": "年会邀请"}, headers=ENGLISH)
    assert page.status_code == 200
    assert "0351-1234567" in text(page)
    reveal = ContactReveal.objects.get()
    assert (reveal.profile, reveal.revealed_to, reveal.purpose) == (cqo, staff, "secretariat")

    privacy = text(client_for(cqo.user).get(reverse("members:privacy"), headers=ENGLISH))
    assert "Secretariat work" in privacy and "年会邀请" in privacy
    assert staff.get_full_name() in privacy and staff.username not in privacy


def test_the_admin_contact_page_refuses_bad_input_and_non_staff(client_for, cqo, staff, member):
    url = reverse("cqo_profiles:contact", args=[cqo.pk])
    response = client_for(staff).post(url, {"purpose": "spying"})
    assert response.status_code == 400
    assert client_for(staff).post(url, {"purpose": "other", "note": "x" * 201}).status_code == 400
    assert not ContactReveal.objects.exists()
    assert client_for(member).get(url).status_code in (302, 403)


def test_members_cannot_claim_to_be_the_secretariat(client_for, cqo, member):
    response = client_for(member).post(reverse("members:request_contact", args=[cqo.pk]), {"purpose": "secretariat"})
    assert response.status_code == 400
    assert not ContactReveal.objects.exists()
