"""Seed the core site's demo content: regions, enterprises, role users, CQO profiles, bodies, memberships.

Every function is idempotent: records are looked up by their natural key (Region.code, Enterprise.credit_code,
username, BodyPage.kind, a page's slug under its parent, (profile, body) for memberships) and only created
when missing, so a second run adds nothing. Status histories, relaxed admissions and membership decisions
are recorded through the models' own methods, and only when the record is first created.

`--scale large` adds the benchmark population (BENCH_PEOPLE members in BENCH_FIRMS more enterprises) with
bulk inserts; it is skipped when the bench users already exist.
"""

import itertools
import random
from datetime import date, timedelta
from functools import cache

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from wagtail.models import Page

from alliance_site.accounts import roles
from alliance_site.demo import data
from alliance_site.enterprises.credit_code import make_credit_code
from alliance_site.members.models import MEMBER_STATUSES, TaggedExpertise
from alliance_site.models import (
    Audience,
    BodyMembership,
    BodyOfficer,
    BodyPage,
    ChapterOfficer,
    ChapterPage,
    CQOProfile,
    Enterprise,
    EnterpriseGroup,
    ExpertiseTag,
    Filing,
    HomePage,
    ProfileStatus,
    QualityMethod,
    Region,
    RegionalRegulator,
)
from alliance_site.talent import services as talent

User = get_user_model()

SCALES = ("demo", "large")


def seed(scale="demo"):
    """Seed the core content for `scale` in one transaction."""
    with transaction.atomic():
        seed_regions()
        seed_enterprises()
        staff = seed_role_users()
        seed_profiles(staff)
        seed_contact_reveals()
        bodies = seed_bodies(staff)
        seed_memberships(bodies, staff)
        if scale == "large":
            seed_bench_population(bodies, staff)


# Users -----------------------------------------------------------------------------------------------------


@cache
def demo_password_hash():
    """Hashed once per process: hashing is deliberately slow, and every demo user shares the password."""
    return make_password(data.DEMO_PASSWORD)


def demo_email(username):
    return f"{username}@{data.EMAIL_DOMAIN}"


def get_or_create_user(username, full_name, **extra):
    """A demo user who can log in with `<username>@demo.cqo.cn` (a verified e-mail address).

    The Chinese name is kept whole in first_name: Django's get_full_name() puts the first name first, which
    would show 秦立新 as “立新 秦”.
    """
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": demo_email(username),
            "first_name": full_name,
            "password": demo_password_hash(),
            **extra,
        },
    )
    if created:
        EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user


def add_to_group(user, role):
    user.groups.add(roles.group_of(role))


def seed_role_users():
    """The staff, regulator and admin accounts; the CQO role users come with their profiles. Returns staff."""
    staff = get_or_create_user(*data.STAFF_USER)
    add_to_group(staff, roles.STAFF)
    regulator = get_or_create_user(*data.REGULATOR_USER)
    add_to_group(regulator, roles.REGULATOR)
    RegionalRegulator.objects.update_or_create(
        user=regulator,
        defaults={"region": Region.objects.get(code=data.REGULATOR_CITY), "agency": data.REGULATOR_AGENCY},
    )
    get_or_create_user(*data.ADMIN_USER, is_staff=True, is_superuser=True)
    return staff


# Regions and enterprises -----------------------------------------------------------------------------------


def seed_regions():
    code, name = data.PROVINCE
    province, _ = Region.objects.update_or_create(
        code=code, defaults={"name": name, "level": Region.Level.PROVINCE, "parent": None}
    )
    for city in data.CITIES:
        city_region, _ = Region.objects.update_or_create(
            code=city.code, defaults={"name": city.name, "level": Region.Level.CITY, "parent": province}
        )
        for code, name in city.counties:
            Region.objects.update_or_create(
                code=code, defaults={"name": name, "level": Region.Level.COUNTY, "parent": city_region}
            )


def seed_enterprises():
    groups = {name: EnterpriseGroup.objects.get_or_create(name=name)[0] for name in data.GROUPS}
    counties = {region.code: region for region in Region.objects.filter(level=Region.Level.COUNTY)}
    for firm in data.FIRMS:
        Enterprise.objects.update_or_create(
            credit_code=firm_credit_code(firm), defaults=firm_fields(firm, counties, groups)
        )


def firm_credit_code(firm):
    return make_credit_code(firm.county, firm.serial)


def firm_fields(firm, counties, groups):
    award = firm.award
    return {
        "name": firm.name,
        "county": counties[firm.county],
        "industry": firm.industry,
        "size": firm.size,
        "is_six_new": firm.six_new,
        "is_strategic_emerging": firm.strategic,
        "group": groups[firm.group] if firm.group else None,
        "quality_award_level": award.level if award else "",
        "quality_award_year": award.year if award else None,
        "quality_award_standing": award.standing if award else "",
        "is_jingpin_applicant": firm.jingpin,
    }


def firms_by_key():
    codes = {firm_credit_code(firm): firm.key for firm in data.FIRMS}
    return {codes[e.credit_code]: e for e in Enterprise.objects.filter(credit_code__in=codes)}


# CQO profiles ----------------------------------------------------------------------------------------------

ROLE_GROUPS = {"judge": roles.JUDGE, "moderator": roles.MODERATOR}


def seed_profiles(staff):
    firms = firms_by_key()
    for index, person in enumerate(data.PEOPLE):
        user = get_or_create_user(person.username, person.name)
        if person.username in ROLE_GROUPS:
            add_to_group(user, ROLE_GROUPS[person.username])
        profile, created = CQOProfile.objects.get_or_create(
            user=user, defaults=profile_fields(person, firms[person.firm], index)
        )
        if created:
            profile.expertise.set(list(person.expertise))
            profile.methods.set(methods_matching(person.expertise))
            if person.visibility == "public":
                # The demo's public cards stand for members who gave the separate consent on the privacy page.
                talent.record_consent(profile, given=True)
            if person.relaxed:
                profile.admit_with_relaxation(by=staff, reason=person.relaxed)
            walk_status_path(profile, person, staff)


def profile_fields(person, enterprise, index):
    appointed = person.status != ProfileStatus.APPLICANT
    return {
        "real_name": person.name,
        "enterprise": enterprise,
        "position": person.position,
        "is_senior_executive": person.senior,
        "appointed_by": person.appointed_by,
        "appointment_date": date(2025, 3, 1) - timedelta(days=37 * index) if appointed else None,
        "years_in_quality": person.years,
        "title": person.title,
        "education": person.education,
        "bio": person.bio,
        "visibility": person.visibility,
        "talent_pool_opt_in": person.talent_pool,
        "offers_mentoring": index % 2 == 0,
        "offers_speaking": index % 3 == 0,
        "offers_site_visits": index % 4 == 1,
        "contact_phone": f"139 {3500 + index:04d} {index * 37 % 10000:04d}",
        "contact_email": demo_email(person.username),
        "contact_audience": Audience.STAFF if index % 5 == 4 else Audience.MEMBERS,
        # A public card shows what a CQO would put on a conference badge; the rest stays with members.
        **public_audiences(person.visibility),
    }


PUBLIC_DEMO_PARTS = ("enterprise", "region", "expertise", "bio")


def public_audiences(visibility):
    if visibility != "public":
        return {}
    return {f"{part}_audience": Audience.PUBLIC for part in PUBLIC_DEMO_PARTS}


def methods_matching(expertise):
    """The listed quality methods a person's expertise names (六西格玛, SPC, FMEA …)."""
    return [m for m in QualityMethod.objects.all() if any(m.name in word or word in m.name for word in expertise)]


# Who asked for the demo member's contact details, as listed on their privacy page: (asker, purpose, note).
CONTACT_REVEALS = [
    ("judge", "speaking", "邀请在能力提升培训上分享铸件气孔攻关经验"),
    ("zhao.guoqiang", "site_visit", "想带团队观摩熔炼车间的 SPC 看板"),
]


def seed_contact_reveals():
    member = CQOProfile.objects.get(user__username="member")
    if member.contact_reveals.exists():
        return
    for username, purpose, note in CONTACT_REVEALS:
        asker = User.objects.get(username=username)
        talent.reveal_contact(member, to=asker, purpose=purpose, note=note)


def status_path(person, eligible):
    """The steps from applicant to the person's status, each with the reason recorded for it."""
    S = ProfileStatus
    filed = [(S.FILING_SUBMITTED, data.REASON_FILED)]
    active = [*filed, (S.ACTIVE, data.REASON_APPROVED)]
    if person.status == S.EXITED and not eligible:
        return [(S.EXITED, person.note)]
    if person.status == S.EXITED and person.warning:
        return [*active, (S.WARNED, person.warning), (S.EXITED, person.note)]
    return {
        S.APPLICANT: [],
        S.FILING_SUBMITTED: filed,
        S.ACTIVE: active,
        S.WARNED: [*active, (S.WARNED, person.note)],
        S.EXITED: [*active, (S.EXITED, person.note)],
    }[S(person.status)]


def walk_status_path(profile, person, staff):
    """Each step as it happens on the site; a filing is recorded when filed and decided by the regulator."""
    regulator = User.objects.get(username=data.REGULATOR_USER[0])
    for status, reason in status_path(person, profile.is_eligible):
        profile.change_status(status, by=staff, reason=reason)
        if status == ProfileStatus.FILING_SUBMITTED:
            Filing.objects.create(
                profile=profile,
                enterprise=profile.enterprise,
                position=profile.position,
                appointment_date=profile.appointment_date,
                submitted_by=profile.user,
            )
        elif status == ProfileStatus.ACTIVE:
            Filing.objects.filter(profile=profile, status=Filing.Status.SUBMITTED).update(
                status=Filing.Status.APPROVED, decided_by=regulator, decided_at=timezone.now(), reason=reason
            )


# Bodies and pages ------------------------------------------------------------------------------------------


def seed_bodies(staff):
    """The home page's text, both bodies and their city chapters. Returns the bodies by kind."""
    home = HomePage.objects.first()
    update_home_page(home, staff)
    profiles = {p.user.username: p for p in CQOProfile.objects.select_related("user", "enterprise__county")}
    cities = {region.code: region for region in Region.objects.filter(level=Region.Level.CITY)}
    bodies = {}
    for spec in data.BODIES:
        body = get_or_create_body(home, spec, profiles, staff)
        for city_code in spec["chapters"]:
            get_or_create_chapter(body, spec, cities[city_code], profiles, staff)
        bodies[spec["kind"]] = body
    return bodies


def update_home_page(home, staff):
    if home.lead == data.HOME_LEAD and home.intro == data.HOME_INTRO:
        return
    home.lead, home.intro = data.HOME_LEAD, data.HOME_INTRO
    publish(home, staff)


def publish(page, user):
    page.save_revision(user=user, log_action=True).publish(user=user)


def add_published_child(parent, page, user):
    parent.add_child(instance=page)
    publish(page, user)
    return page


def get_or_create_body(home, spec, profiles, staff):
    body = BodyPage.objects.filter(kind=spec["kind"]).first()
    if body is not None:
        return body
    body = BodyPage(
        title=spec["title"],
        slug=spec["slug"],
        kind=spec["kind"],
        lead=spec["lead"],
        intro=spec["intro"],
        charter=spec["charter"],
        founded=date(*spec["founded"]),
        contact=spec["contact"],
    )
    body.officers = [
        BodyOfficer(role=role, name=name, profile=profiles.get(username), affiliation=firm, sort_order=order)
        for order, (role, username, name, firm) in enumerate(spec["officers"])
    ]
    return add_published_child(home, body, staff)


def get_or_create_chapter(body, spec, city, profiles, staff):
    slug = next(c.slug for c in data.CITIES if c.code == city.code)
    existing = ChapterPage.objects.child_of(body).filter(slug=slug).first()
    if existing is not None:
        return existing
    title = spec["chapter_title"].format(city=city.name.removesuffix("市"))
    note = next(c.note for c in data.CITIES if c.code == city.code)
    chapter = ChapterPage(
        title=title,
        slug=slug,
        city=city,
        intro=data.CHAPTER_INTRO.format(title=title, city=city.name, body=spec["title"], note=note),
        contact=f"{title}联络处 · {spec['kind']}-{slug}@{data.EMAIL_DOMAIN}",
    )
    chapter.officers = chapter_officers(spec, city, profiles)
    return add_published_child(body, chapter, staff)


def chapter_officers(spec, city, profiles):
    """The first one or two active CQOs of the city in the people list (none still applying) lead it."""
    applying = {*data.PENDING_IN_ALLIANCE, *data.PENDING_IN_HOME, data.DECLINED[0]}
    local = [
        p
        for p in profiles_in_order(profiles)
        if p.status == ProfileStatus.ACTIVE and p.user.username not in applying and city.contains(p.enterprise.county)
    ]
    return [
        ChapterOfficer(role=role, name=p.real_name, profile=p, affiliation=p.enterprise.name, sort_order=i)
        for i, (role, p) in enumerate(zip(spec["chapter_roles"], local[:2], strict=False))
    ]


def profiles_in_order(profiles):
    return [profiles[person.username] for person in data.PEOPLE if person.username in profiles]


# Memberships -----------------------------------------------------------------------------------------------


def seed_memberships(bodies, staff):
    """Active members join the Alliance (and the Home where it has a chapter); a few wait; one is declined."""
    chapters = chapters_by_body_and_city(bodies)
    members = CQOProfile.objects.members().select_related("user", "enterprise__county")
    by_username = {p.user.username: p for p in members}
    for index, person in enumerate(data.PEOPLE):
        profile = by_username.get(person.username)
        if profile is None:
            continue
        city_code = profile.enterprise.county.parent.code
        for kind, body in bodies.items():
            chapter = chapters.get((kind, city_code))
            if kind == "home" and chapter is None:
                continue
            decision = membership_decision(person.username, kind)
            ensure_membership(profile, body, chapter, index, decision, staff)


def chapters_by_body_and_city(bodies):
    return {
        (kind, chapter.city.code): chapter
        for kind, body in bodies.items()
        for chapter in ChapterPage.objects.child_of(body).select_related("city")
    }


def membership_decision(username, kind):
    """(status, note) for this person's application to the body of `kind`."""
    declined_user, declined_kind, note = data.DECLINED
    if (username, kind) == (declined_user, declined_kind):
        return BodyMembership.Status.DECLINED, note
    pending = data.PENDING_IN_ALLIANCE if kind == "alliance" else data.PENDING_IN_HOME
    if username in pending:
        return BodyMembership.Status.PENDING, ""
    return BodyMembership.Status.APPROVED, ""


def ensure_membership(profile, body, chapter, index, decision, staff):
    status, note = decision
    membership, created = BodyMembership.objects.get_or_create(
        profile=profile,
        body=body,
        defaults={
            "chapter": chapter,
            "motivation": data.MOTIVATIONS[index % len(data.MOTIVATIONS)],
            "applied_at": timezone.now() - timedelta(days=3 + 5 * index),
        },
    )
    if created and status != BodyMembership.Status.PENDING:
        membership.decide(status, by=staff, note=note)


# Large scale -----------------------------------------------------------------------------------------------


def seed_bench_population(bodies, staff):
    """BENCH_FIRMS more enterprises and BENCH_PEOPLE members with users, tags, e-mails and memberships."""
    if User.objects.filter(username__startswith=data.BENCH_PREFIX).exists():
        return
    rng = random.Random(2026)
    firms = [*Enterprise.objects.select_related("county"), *create_bench_enterprises(rng)]
    users = create_bench_users(rng)
    profiles = create_bench_profiles(rng, users, firms)
    tag_bench_profiles(rng, profiles)
    add_bench_members_to_group(profiles)
    create_bench_memberships(rng, profiles, bodies, staff)


def weighted(rng, choices):
    """Pick from (value, …, weight) tuples by the last item."""
    return rng.choices(choices, weights=[choice[-1] for choice in choices])[0]


def create_bench_enterprises(rng):
    """One enterprise per (city, brand) pair, so no two share a name, in a random county of the city."""
    counties = list(Region.objects.filter(level=Region.Level.COUNTY).select_related("parent"))
    cities = sorted({county.parent for county in counties}, key=lambda city: city.code)
    pairs = list(itertools.product(cities, data.BENCH_BRANDS))
    rng.shuffle(pairs)
    firms = []
    for offset, (city, brand) in enumerate(pairs[: data.BENCH_FIRMS]):
        county = rng.choice([c for c in counties if c.parent_id == city.pk])
        firms.append(bench_enterprise(rng, county, brand, data.BENCH_FIRST_SERIAL + offset))
    return Enterprise.objects.bulk_create(firms)


def bench_enterprise(rng, county, brand, serial):
    section, trades, _ = weighted(rng, data.BENCH_TRADES)
    award = rng.random() < 0.08
    return Enterprise(
        name=f"{county.parent.name.removesuffix('市')}{brand}{rng.choice(trades)}有限公司",
        credit_code=make_credit_code(county.code, serial),
        county=county,
        industry=section,
        size=weighted(rng, data.BENCH_SIZES)[0],
        is_six_new=rng.random() < 0.2,
        is_strategic_emerging=rng.random() < 0.15,
        quality_award_level=rng.choice(["province", "city", "county"]) if award else "",
        quality_award_year=rng.randint(2019, 2025) if award else None,
        quality_award_standing=rng.choice(["nominee", "winner"]) if award else "",
        is_jingpin_applicant=rng.random() < 0.1,
    )


def create_bench_users(rng):
    password = demo_password_hash()
    users = []
    for number in range(1, data.BENCH_PEOPLE + 1):
        username = f"{data.BENCH_PREFIX}{number:04d}"
        users.append(
            User(
                username=username,
                email=demo_email(username),
                first_name=rng.choice(data.BENCH_SURNAMES) + rng.choice(data.BENCH_GIVEN),
                password=password,
            )
        )
    User.objects.bulk_create(users, batch_size=500)
    users = list(User.objects.filter(username__startswith=data.BENCH_PREFIX).order_by("username"))
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users], batch_size=500
    )
    return users


def create_bench_profiles(rng, users, firms):
    now = timezone.now()
    profiles = [bench_profile(rng, user, rng.choice(firms), now) for user in users]
    CQOProfile.objects.bulk_create(profiles, batch_size=500)
    return list(CQOProfile.objects.filter(user__in=users).select_related("enterprise__county"))


def bench_profile(rng, user, enterprise, now):
    position, senior, _ = weighted(rng, data.BENCH_POSITIONS)
    status = weighted(rng, data.BENCH_STATUSES)[0]
    visibility = rng.choice(["public", "public", "members", "members", "hidden"])
    audiences = public_audiences(visibility)
    if rng.random() < 0.1:  # some keep their city to staff, so the pool's city filter must respect that
        audiences["region_audience"] = Audience.STAFF
    years = rng.randint(5, 25)
    title, education = bench_title_and_education(rng)
    return CQOProfile(
        user=user,
        real_name=user.first_name,
        enterprise=enterprise,
        position=position,
        is_senior_executive=senior,
        appointment_date=None if status == "applicant" else bench_appointment_date(rng),
        years_in_quality=years,
        title=title,
        education=education,
        bio=data.BENCH_BIO.format(firm=enterprise.name, years=years, skill=rng.choice(data.BENCH_EXPERTISE)),
        visibility=visibility,
        public_consent_at=now if visibility == "public" else None,
        **audiences,
        talent_pool_opt_in=rng.random() < 0.8,
        offers_mentoring=rng.random() < 0.4,
        offers_speaking=rng.random() < 0.3,
        offers_site_visits=rng.random() < 0.2,
        contact_email=user.email,
        status=status,
        status_changed_at=now,
    )


def bench_appointment_date(rng):
    return date(2019, 1, 1) + timedelta(days=rng.randint(0, 2500))


def bench_title_and_education(rng):
    """A title and an education that together meet 四(二) (bench people have at least five years)."""
    title = rng.choice(["intermediate", "associate_senior", "senior", "junior"])
    education = rng.choice(["bachelor", "bachelor", "master", "junior_college", "doctorate"])
    if title == "junior" and education == "junior_college":
        education = "bachelor"
    return title, education


def tag_bench_profiles(rng, profiles):
    tags = {name: ExpertiseTag.objects.get_or_create(name=name)[0] for name in data.BENCH_EXPERTISE}
    TaggedExpertise.objects.bulk_create(
        [
            TaggedExpertise(content_object=profile, tag=tags[name])
            for profile in profiles
            for name in rng.sample(data.BENCH_EXPERTISE, rng.randint(1, 3))
        ],
        batch_size=1000,
    )


def add_bench_members_to_group(profiles):
    group = roles.group_of(roles.MEMBER)
    through = User.groups.through
    through.objects.bulk_create(
        [through(user_id=p.user_id, group_id=group.pk) for p in profiles if p.status in MEMBER_STATUSES],
        batch_size=1000,
    )


def create_bench_memberships(rng, profiles, bodies, staff):
    chapters = chapters_by_body_and_city(bodies)
    now = timezone.now()
    memberships = []
    for profile in profiles:
        if profile.status not in MEMBER_STATUSES:
            continue
        city_code = profile.enterprise.county.parent.code
        for kind, share in (("alliance", 0.7), ("home", 0.25)):
            chapter = chapters.get((kind, city_code))
            if rng.random() < share and (kind == "alliance" or chapter is not None):
                memberships.append(bench_membership(rng, profile, bodies[kind], chapter, staff, now))
    BodyMembership.objects.bulk_create(memberships, batch_size=1000)


def bench_membership(rng, profile, body, chapter, staff, now):
    applied = now - timedelta(days=rng.randint(10, 900))
    approved = rng.random() < 0.9
    return BodyMembership(
        profile=profile,
        body=body,
        chapter=chapter,
        motivation=rng.choice(data.MOTIVATIONS),
        status=BodyMembership.Status.APPROVED if approved else BodyMembership.Status.PENDING,
        applied_at=applied,
        decided_at=applied + timedelta(days=rng.randint(1, 9)) if approved else None,
        decided_by=staff if approved else None,
    )


# Summary ---------------------------------------------------------------------------------------------------


def summary():
    """(label, count) pairs describing what is in the database now."""
    from wagtail.models import ModelLogEntry, PageLogEntry

    rows = [
        ("regions", Region.objects.count()),
        ("enterprise groups", EnterpriseGroup.objects.count()),
        ("enterprises", Enterprise.objects.count()),
        ("users", User.objects.count()),
        ("CQO profiles", CQOProfile.objects.count()),
    ]
    by_status = dict(CQOProfile.objects.values_list("status").annotate(Count("pk")))
    rows += [(f"  {status.value}", by_status.get(status.value, 0)) for status in ProfileStatus]
    rows += [
        ("body memberships", BodyMembership.objects.count()),
        ("pages", Page.objects.count()),
        ("model log entries", ModelLogEntry.objects.count()),
        ("page log entries", PageLogEntry.objects.count()),
    ]
    return rows
