"""Attendance shows on the CQO's own record: training hours on the profile page, linked to the 学习档案."""

import datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from events.models import TrainingRecord
from tests.alliance_site.helpers import ENGLISH, text


def add_record(user, hours, date):
    return TrainingRecord.objects.create(
        user=user, title="质量培训", level="continuing", hours=Decimal(hours), date=date, source="external"
    )


def test_the_owner_sees_their_training_hours_linked_to_the_training_file(client_for, member):
    this_year = timezone.localdate().year
    add_record(member, "12", datetime.date(this_year, 1, 5))
    add_record(member, "3.5", datetime.date(this_year - 1, 6, 1))
    html = text(client_for(member).get(reverse("members:detail", args=[member.cqo_profile.pk]), headers=ENGLISH))
    assert "15.5 hours in all, 12 this year" in html
    assert f'href="{reverse("events:training")}"' in html


def test_staff_see_the_hours_and_other_members_do_not(client_for, member, make_profile, staff):
    add_record(member, "4", timezone.localdate())
    url = reverse("members:detail", args=[member.cqo_profile.pk])
    assert "4 hours in all" in text(client_for(staff).get(url, headers=ENGLISH))
    other = make_profile(status="active").user
    member.cqo_profile.visibility = "members"
    member.cqo_profile.save()
    response = client_for(other).get(url, headers=ENGLISH)
    assert response.status_code == 200 and "hours in all" not in text(response)
