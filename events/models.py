"""Events and training (五(一)): quality forums, training sessions and site visits, with registration,
check-in, the training hours attendance earns, certificates and post-event evaluation.

An event is a page (its description, agenda and speakers are content). Registrations, training records and
evaluations are plain models written by the site's own services (`registration`, `attendance`,
`evaluations`), so that no page revision ever holds a seat and publishing a page never changes one.
"""

import secrets
import unicodedata
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from alliance_site.accounts.access import allowed
from alliance_site.models import BodyPage, CQOProfile, Region
from alliance_site.search.segmentation import segment


class TrainingLevel(models.TextChoices):
    """The three tiers of CQO training the policy names (五(一))."""

    BASIC = "basic", _("Basic appointment training (city level)")
    CAPABILITY = "capability", _("Capability training (provincial level)")
    CONTINUING = "continuing", _("Continuing education")


class EventIndexPage(Page):
    """活动: upcoming and past events with filters and a month calendar."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["alliance_site.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count = 1
    page_size = 12

    class Meta:
        verbose_name = _("event list")

    def get_context(self, request, *args, **kwargs):
        from .listing import event_listing

        context = super().get_context(request, *args, **kwargs)
        # Every event is a child of the one event list (max_count = 1), so no child_of(): its path LIKE makes the
        # database walk the whole page table (about 15 ms with 10,000 cases), where the index on ends_at
        # reads only the events (0.4 ms).
        context.update(event_listing(EventPage.objects.live().public(), request, self.page_size))
        return context


class AgendaItemBlock(blocks.StructBlock):
    starts = blocks.TimeBlock(label=_("From"))
    ends = blocks.TimeBlock(label=_("Until"), required=False)
    title = blocks.CharBlock(label=_("Item"), max_length=120)
    speaker = blocks.CharBlock(label=_("Speaker"), max_length=80, required=False)
    note = blocks.TextBlock(label=_("Note"), required=False)

    class Meta:
        icon = "time"
        label = _("Agenda item")


class AgendaDayBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("Day"))
    items = blocks.ListBlock(AgendaItemBlock(), label=_("Items"))

    class Meta:
        icon = "date"
        label = _("Agenda day")


class MaterialBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    document = DocumentChooserBlock(label=_("File"))
    attendees_only = blocks.BooleanBlock(
        label=_("Registered attendees only"), required=False, help_text=_("Speakers' slides are often attendees' only.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Material")


class EventPage(Page):
    """One quality forum, training session or site visit."""

    class Kind(models.TextChoices):
        FORUM = "forum", _("Quality forum")
        BASIC_TRAINING = "basic", _("Basic appointment training")
        CAPABILITY_TRAINING = "capability", _("Capability training")
        CONTINUING = "continuing", _("Continuing education")
        CASE_STUDY = "case_study", _("Case analysis")
        GROUP = "group", _("Group exchange")
        SITE_VISIT = "site_visit", _("Site visit")

    class Mode(models.TextChoices):
        OFFLINE = "offline", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("In person and online")

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Members (CQOs)")
        PUBLIC = "public", _("Open to the public")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    mode = models.CharField(_("mode"), max_length=8, choices=Mode.choices, default=Mode.OFFLINE)
    summary = models.TextField(_("summary"), max_length=600, help_text=_("Shown in lists, feeds and calendars."))
    description = RichTextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    city = models.ForeignKey(
        Region,
        verbose_name=_("city"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        limit_choices_to={"level": Region.Level.CITY},
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    online_url = models.URLField(
        _("online link"), blank=True, help_text=_("Shown only to people with a confirmed registration.")
    )
    organizer = models.ForeignKey(
        BodyPage, verbose_name=_("organising body"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(_("audience"), max_length=8, choices=Audience.choices, default=Audience.MEMBERS)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Seats; leave empty for no limit.")
    )
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Registration always closes when the event starts."),
    )
    hours = models.DecimalField(
        _("training hours credited"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("200"))],
    )
    level = models.CharField(
        _("training level credited"),
        max_length=12,
        choices=TrainingLevel.choices,
        blank=True,
        help_text=_("Attendance becomes a training record of this level when hours are credited."),
    )
    agenda = StreamField([("day", AgendaDayBlock())], verbose_name=_("agenda"), blank=True)
    materials = StreamField([("material", MaterialBlock())], verbose_name=_("materials"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("kind"), FieldPanel("mode")]),
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldRowPanel([FieldPanel("city"), FieldPanel("venue")]),
                FieldPanel("online_url"),
                FieldPanel("organizer"),
            ],
            heading=_("When and where"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("audience"), FieldPanel("capacity")]),
                FieldRowPanel([FieldPanel("registration_opens_at"), FieldPanel("registration_closes_at")]),
                FieldRowPanel([FieldPanel("hours"), FieldPanel("level")]),
            ],
            heading=_("Registration and training hours"),
        ),
        FieldPanel("description"),
        FieldPanel("agenda"),
        InlinePanel("speakers", label=_("Speakers")),
        FieldPanel("materials"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("segmented_text"),
        index.FilterField("starts_at"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["starts_at"], name="events_event_starts_idx"),
            models.Index(fields=["ends_at"], name="events_event_ends_idx"),
        ]

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if self.starts_at and opens and opens >= self.starts_at:
            errors["registration_opens_at"] = _("Registration must open before the event starts.")
        if self.mode in (self.Mode.ONLINE, self.Mode.HYBRID) and not self.online_url:
            errors["online_url"] = _("An online or hybrid event needs its online link.")
        if self.mode in (self.Mode.OFFLINE, self.Mode.HYBRID) and not self.venue:
            errors["venue"] = _("An event held in person needs its venue.")
        if self.hours and not self.level:
            errors["level"] = _("Say which level of training the hours count towards.")
        if errors:
            raise ValidationError(errors)

    # When registration is possible ---------------------------------------------------------------------

    @property
    def registration_deadline(self):
        """Registration closes at the window's end or when the event starts, whichever comes first."""
        if self.registration_closes_at and self.registration_closes_at < self.starts_at:
            return self.registration_closes_at
        return self.starts_at

    def registration_open(self, now=None):
        now = now or timezone.now()
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return now < self.registration_deadline

    def has_started(self, now=None):
        return (now or timezone.now()) >= self.starts_at

    def has_ended(self, now=None):
        return (now or timezone.now()) >= self.ends_at

    @property
    def credits_training(self):
        return bool(self.hours and self.level)

    @property
    def is_in_person(self):
        return self.mode in (self.Mode.OFFLINE, self.Mode.HYBRID)

    @property
    def is_online(self):
        return self.mode in (self.Mode.ONLINE, self.Mode.HYBRID)

    def segmented_text(self):
        """Title, summary, description, venue and speakers cut into words by jieba, so that a word inside a
        longer phrase is found (see alliance_site.search.segmentation). The online link is never indexed."""
        parts = [self.title, self.summary, strip_tags(self.description), self.venue, str(self.get_kind_display())]
        parts += [f"{s.name} {s.affiliation} {s.topic}" for s in self.speakers.all()]
        return segment(" ".join(part for part in parts if part))

    def get_context(self, request, *args, **kwargs):
        from .registration import event_page_context

        context = super().get_context(request, *args, **kwargs)
        context.update(event_page_context(self, request.user))
        return context


class EventSpeaker(Orderable):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("full name"), max_length=50)
    affiliation = models.CharField(_("title and affiliation"), max_length=120, blank=True)
    topic = models.CharField(_("topic"), max_length=120, blank=True)
    profile = models.ForeignKey(
        CQOProfile, verbose_name=_("CQO profile"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    panels = [FieldPanel("name"), FieldPanel("affiliation"), FieldPanel("topic"), FieldPanel("profile")]

    def __str__(self):
        return self.name


# A ticket or certificate code: Crockford's base-32 alphabet (no I, L, O or U, so nothing reads as another).
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def random_code(length=8):
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalise_code(text):
    """What a person typed or a scanner read, as a stored code: upper case, no spaces or dashes, and the
    letters people confuse with digits read as the digits (O → 0, I and L → 1)."""
    # NFKC first: a code typed with a Chinese input method in full-width mode (０Ａ１Ｂ…) is the same code.
    cleaned = "".join(unicodedata.normalize("NFKC", text or "").split()).replace("-", "").upper()
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def is_well_formed_code(code, length):
    """Whether a normalised code could be one of ours: `length` characters of the code alphabet."""
    return len(code) == length and all(char in CODE_ALPHABET for char in code)


def new_ticket_code():
    return random_code(8)


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Those running events see every registration (and ticket); anyone else their own."""
        return self if allowed(user, "events.run_events") else self.filter(user=user)

    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self):
        return self.filter(status=Registration.Status.WAITLISTED).order_by("queued_at", "pk")


class Registration(models.Model):
    """One person's place at an event: confirmed, on the waitlist, or cancelled (kept for the record)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        EventPage, verbose_name=_("event"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="event_registrations"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    code = models.CharField(_("ticket code"), max_length=8, unique=True, default=new_ticket_code, editable=False)
    # The waitlist's order: when this person last asked for a place (re-registering joins the back of the queue).
    queued_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    promoted_at = models.DateTimeField(_("promoted from the waitlist"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="events_one_registration_per_person")]
        indexes = [models.Index(fields=["event", "status", "queued_at"], name="events_reg_queue_idx")]

    def __str__(self):
        return f"{self.event} · {self.user} · {self.get_status_display()}"

    @property
    def is_confirmed(self):
        return self.status == self.Status.CONFIRMED

    @property
    def is_waitlisted(self):
        return self.status == self.Status.WAITLISTED

    @property
    def attended(self):
        return self.attended_at is not None


class TrainingRecordQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(user=user)

    def visible_to(self, user):
        """Those running events see every record (and certificate); anyone else their own."""
        return self if allowed(user, "events.run_events") else self.of(user)


class TrainingRecord(models.Model):
    """Hours of CQO training: earned by attending an event, or entered by staff for training held elsewhere."""

    class Source(models.TextChoices):
        EVENT = "event", _("Attended event")
        EXTERNAL = "external", _("External record entered by staff")

    Level = TrainingLevel

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="training_records"
    )
    title = models.CharField(_("training"), max_length=255)
    level = models.CharField(_("level"), max_length=12, choices=TrainingLevel.choices)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("200"))],
    )
    date = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.EXTERNAL)
    provider = models.CharField(_("held by"), max_length=120, blank=True)
    registration = models.OneToOneField(
        Registration,
        verbose_name=_("registration"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="training_record",
        editable=False,
    )
    event = models.ForeignKey(
        EventPage,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_records",
        editable=False,
    )
    certificate_code = models.CharField(
        _("certificate code"), max_length=12, unique=True, null=True, blank=True, editable=False
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["user", "date"], name="events_training_user_idx")]

    def __str__(self):
        return f"{self.title} · {self.hours} h"

    @property
    def has_certificate(self):
        return bool(self.certificate_code)


def rating_field(label):
    return models.PositiveSmallIntegerField(label, validators=[MinValueValidator(1), MaxValueValidator(5)])


class Evaluation(models.Model):
    """An attendee's one answer to the post-event evaluation (五(一): 做好培训和学习效果评估).

    Reaction (content, speakers, organisation, usefulness) and learning (knowledge before and after, as the
    attendee judges it), what they will apply, and anything else. Reports show no names.
    """

    RATINGS = ("content", "speakers", "organisation", "usefulness", "knowledge_before", "knowledge_after")

    registration = models.OneToOneField(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="evaluation"
    )
    content = rating_field(_("Content"))
    speakers = rating_field(_("Speakers"))
    organisation = rating_field(_("Organisation"))
    usefulness = rating_field(_("Usefulness for my work"))
    knowledge_before = rating_field(_("My knowledge of the subject before"))
    knowledge_after = rating_field(_("My knowledge of the subject after"))
    will_apply = models.TextField(_("What I will apply"), max_length=2000, blank=True)
    comments = models.TextField(_("Other comments"), max_length=2000, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    content__range=(1, 5),
                    speakers__range=(1, 5),
                    organisation__range=(1, 5),
                    usefulness__range=(1, 5),
                    knowledge_before__range=(1, 5),
                    knowledge_after__range=(1, 5),
                ),
                name="events_evaluation_ratings_1_to_5",
            )
        ]

    def __str__(self):
        return f"{self.registration.event} · {self.submitted_at:%Y-%m-%d}"
