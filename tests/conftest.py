"""Fixtures shared by the whole suite: one user per role, built through the same code the site uses."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client as DjangoClient
from django.utils import timezone

from alliance_site.accounts import roles
from alliance_site.enterprises.credit_code import make_credit_code
from alliance_site.models import CQOProfile, Enterprise, ProfileStatus, Region, RegionalRegulator

from .clients import Client

PASSWORD = "test-password-123"


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache.

    The site caches per user id (role groups), the menu and allauth's rate limits; the database is rolled
    back after each test and ids are reused, so a cache kept from the previous test would describe someone else.
    """
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def regions(db):
    province = Region.objects.create(code="140000", name="山西省", level=Region.Level.PROVINCE)
    jincheng = Region.objects.create(code="140500", name="晋城市", level=Region.Level.CITY, parent=province)
    taiyuan = Region.objects.create(code="140100", name="太原市", level=Region.Level.CITY, parent=province)
    zezhou = Region.objects.create(code="140525", name="泽州县", level=Region.Level.COUNTY, parent=jincheng)
    gaoping = Region.objects.create(code="140581", name="高平市", level=Region.Level.COUNTY, parent=jincheng)
    xiaodian = Region.objects.create(code="140105", name="小店区", level=Region.Level.COUNTY, parent=taiyuan)
    return {
        "province": province,
        "jincheng": jincheng,
        "taiyuan": taiyuan,
        "zezhou": zezhou,
        "gaoping": gaoping,
        "xiaodian": xiaodian,
    }


@pytest.fixture
def make_enterprise(regions):
    counter = iter(range(1, 10_000))

    def make(**kwargs):
        county = kwargs.pop("county", regions["zezhou"])
        serial = next(counter)
        defaults = {
            "name": f"测试企业{serial}",
            "credit_code": make_credit_code(county.code, serial),
            "county": county,
            "industry": "C",
            "size": Enterprise.Size.ABOVE_SCALE,
        }
        defaults.update(kwargs)
        return Enterprise.objects.create(**defaults)

    return make


@pytest.fixture
def enterprise(make_enterprise):
    return make_enterprise(name="晋城测试精密制造有限公司")


@pytest.fixture
def make_user(db):
    counter = iter(range(1, 10_000))

    def make(username=None, *, groups=(), **kwargs):
        username = username or f"user{next(counter)}"
        user = get_user_model().objects.create_user(
            username=username, email=kwargs.pop("email", f"{username}@example.cn"), password=PASSWORD, **kwargs
        )
        for group in groups:  # a role's code, or the name of any other group
            user.groups.add(roles.group_of(group) if group in roles.GROUP_NAMES else Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def make_profile(make_user, enterprise):
    def make(user=None, *, status=ProfileStatus.APPLICANT, **kwargs):
        user = user or make_user()
        defaults = {
            "real_name": f"测试{user.username}",
            "enterprise": enterprise,
            "position": "副总经理",
            "is_senior_executive": True,
            "years_in_quality": 8,
            "title": "intermediate",
            "education": "bachelor",
            "visibility": CQOProfile.Visibility.MEMBERS,
        }
        defaults.update(kwargs)
        if defaults["visibility"] == CQOProfile.Visibility.PUBLIC:
            # A public card is public only with the member's recorded consent, given on the privacy page; pass
            # public_consent_at=None to test a card without it.
            defaults.setdefault("public_consent_at", timezone.now())
        profile = CQOProfile.objects.create(user=user, status=status, **defaults)
        if status in (ProfileStatus.ACTIVE, ProfileStatus.WARNED):
            user.groups.add(roles.group_of(roles.MEMBER))
        return profile

    return make


@pytest.fixture
def member(make_profile):
    """A signed-in CQO with an active (filed) profile."""
    return make_profile(status=ProfileStatus.ACTIVE).user


@pytest.fixture
def applicant(make_profile):
    return make_profile(status=ProfileStatus.APPLICANT).user


@pytest.fixture
def staff(make_user):
    return make_user("staff", groups=[roles.STAFF])


@pytest.fixture
def regulator(make_user, regions):
    user = make_user("regulator", groups=[roles.REGULATOR])
    RegionalRegulator.objects.create(user=user, region=regions["jincheng"], agency="晋城市市场监督管理局")
    return user


@pytest.fixture
def judge(make_user):
    return make_user("judge", groups=[roles.JUDGE])


@pytest.fixture
def moderator(make_user):
    return make_user("moderator", groups=[roles.MODERATOR])


@pytest.fixture
def admin_user(make_user):
    return make_user("admin", is_superuser=True, is_staff=True)


@pytest.fixture
def visitor(db):
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


@pytest.fixture
def public_address(settings, db):
    """The site on its production address: WAGTAILADMIN_BASE_URL and the default Site (tests/public_address.py)."""
    import io

    from django.core.management import call_command

    from .public_address import PUBLIC_ADDRESS

    settings.WAGTAILADMIN_BASE_URL = PUBLIC_ADDRESS
    call_command("set_site_address", stdout=io.StringIO())
    return PUBLIC_ADDRESS


@pytest.fixture
def client():
    """A test client whose `force_login` counts as a full sign-in, second factor included (tests/clients.py)."""
    return Client()


@pytest.fixture
def plain_client():
    """A test client whose `force_login` records no second factor: for the tests of the second factor itself."""
    return DjangoClient()


@pytest.fixture
def client_for(client):
    """A test client signed in as the given user (or anonymous for None/AnonymousUser)."""

    def sign_in(user):
        client.logout()
        if user is not None and user.is_authenticated:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def migrated_data_restored(django_db_setup, django_db_blocker):
    """After a transactional test has emptied every table (its teardown runs before this one's), put back what the
    migrations wrote (groups, the page tree, the workflow), for the tests that follow in this process and for a
    test database kept by --reuse-db."""
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            connection.creation.deserialize_db_from_string(contents)


@pytest.fixture
def concurrent_db(migrated_data_restored, django_db_serialized_rollback, transactional_db):
    """A database that a live server's threads write to at the same time, each on a connection of its own, as a
    server's workers do: PostgreSQL's test database, or on SQLite a file copy of the test database
    (tests/perf/burst.py). Requests of other threads see only committed rows, hence a transactional test."""
    from tests.perf.burst import database_for_concurrent_connections

    with database_for_concurrent_connections():
        yield
