"""Case competitions (质量改进经典案例评比): rounds, criteria, entries, judges' assignments, scores and awards.

A competition is a page (its rules and timeline are content); everything judged is plain models managed by
staff in the admin and by judges on the site, so that no page revision ever holds a score.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from alliance_site.accounts import roles
from alliance_site.accounts.access import allowed
from alliance_site.models import BodyMembership, BodyPage
from cases.models import CasePage

from . import scoring
from .forms import RoundForm


class CompetitionIndexPage(Page):
    """案例评比: the list of competitions."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["alliance_site.HomePage"]
    subpage_types = ["competitions.CompetitionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("competition list")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["competitions"] = (
            CompetitionPage.objects.live()
            .public()
            .child_of(self)
            .select_related("organizer")
            .order_by("-entry_opens_at")
        )
        return context


class MilestoneBlock(blocks.StructBlock):
    date = blocks.DateBlock(label=_("Date"))
    label = blocks.CharBlock(label=_("What happens"), max_length=120)

    class Meta:
        icon = "date"
        label = _("Milestone")


class CompetitionPage(Page):
    """One competition: who may enter, the entry window, the rules, the timeline and, when published, results."""

    class Audience(models.TextChoices):
        MEMBERS = "members", _("Every member (active CQO)")
        BODY_MEMBERS = "body", _("Members of the organising body only")

    organizer = models.ForeignKey(
        BodyPage, verbose_name=_("organising body"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField(_("summary"), max_length=600)
    rules = RichTextField(_("rules"), blank=True)
    timeline = StreamField([("milestone", MilestoneBlock())], verbose_name=_("timeline"), blank=True)
    audience = models.CharField(_("who may enter"), max_length=10, choices=Audience.choices, default=Audience.MEMBERS)
    entry_opens_at = models.DateTimeField(_("entries open"))
    entry_closes_at = models.DateTimeField(_("entries close"))
    results_announcement = models.DateField(_("results announced on"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("organizer"),
                FieldPanel("audience"),
                FieldRowPanel([FieldPanel("entry_opens_at"), FieldPanel("entry_closes_at")]),
                FieldPanel("results_announcement"),
            ],
            heading=_("Entries"),
        ),
        FieldPanel("rules"),
        FieldPanel("timeline"),
        InlinePanel("award_levels", label=_("Award levels")),
    ]
    parent_page_types = ["competitions.CompetitionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")

    def clean(self):
        super().clean()
        if self.entry_opens_at and self.entry_closes_at and self.entry_closes_at <= self.entry_opens_at:
            raise ValidationError({"entry_closes_at": _("Entries must close after they open.")})

    @property
    def results_published(self):
        return self.results_published_at is not None

    def entries_open(self, now=None):
        now = now or timezone.now()
        return self.entry_opens_at <= now < self.entry_closes_at

    def why_user_may_not_enter(self, user):
        """None when the user may enter a case now, else the reason in words for them."""
        if not user.is_authenticated:
            return _("Sign in as a member to enter a case.")
        if not allowed(user, "competitions.enter_cases"):
            return _("Only members (CQOs with a filed appointment) may enter cases.")
        if not self.entries_open():
            return _("Entries are not open: the entry window is %(opens)s – %(closes)s.") % {
                "opens": timezone.localtime(self.entry_opens_at).strftime("%Y-%m-%d %H:%M"),
                "closes": timezone.localtime(self.entry_closes_at).strftime("%Y-%m-%d %H:%M"),
            }
        if self.audience == self.Audience.BODY_MEMBERS and self.organizer_id:
            profile = roles.profile_of(user)
            accepted = BodyMembership.objects.filter(
                profile=profile, body_id=self.organizer_id, status=BodyMembership.Status.APPROVED
            )
            if not accepted.exists():
                return _("This competition is open to members of %(body)s only.") % {"body": self.organizer.title}
        if self.entries.filter(entrant=user).exists():
            return _("You have already entered a case in this competition (one entry per member).")
        return None

    def cases_user_may_enter(self, user):
        """The user's published cases not yet entered here."""
        profile = roles.profile_of(user)
        if profile is None:
            return CasePage.objects.none()
        return (
            CasePage.objects.live()
            .filter(authors__profile=profile)
            .exclude(competition_entries__competition=self)
            .distinct()
            .order_by("-first_published_at")
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["rounds"] = list(self.rounds.all())
        context["why_not"] = self.why_user_may_not_enter(request.user)
        context["my_entry"] = (
            self.entries.filter(entrant=request.user).select_related("case").first()
            if request.user.is_authenticated
            else None
        )
        if context["why_not"] is None:
            context["enterable_cases"] = list(self.cases_user_may_enter(request.user))
        if self.results_published:
            context["awarded"] = (
                self.entries.filter(award__isnull=False)
                .select_related("case__enterprise", "award")
                .order_by("award__sort_order", "final_rank", "pk")
            )
        return context


class AwardLevel(Orderable):
    """一等奖, 二等奖 …: how many entries each level may have, given in rank order."""

    competition = ParentalKey(CompetitionPage, on_delete=models.CASCADE, related_name="award_levels")
    name = models.CharField(_("award"), max_length=40)
    quota = models.PositiveSmallIntegerField(_("how many"), validators=[MinValueValidator(1)])

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("quota")])]

    class Meta(Orderable.Meta):
        verbose_name = _("award level")
        verbose_name_plural = _("award levels")

    def __str__(self):
        return self.name


class Round(ClusterableModel):
    """A judging round (初评, 复评, 终评 …) with its own criteria, judges, scores and advancement."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Being prepared")
        OPEN = "open", _("Open for judging")
        CLOSED = "closed", _("Closed: scores frozen")
        FINAL = "final", _("Final: results decided")

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("Mean")
        TRIMMED = "trimmed", _("Trimmed mean (drop the highest and lowest when 5 or more judges scored)")
        ZSCORE = "zscore", _("Judge-normalised mean (z-scores)")

    class Advancement(models.TextChoices):
        NONE = "none", _("None: this is the last round")
        TOP_N = "top_n", _("The top N entries")
        TOP_PERCENT = "top_percent", _("The top per cent of entries")
        MIN_SCORE = "min_score", _("Every entry with at least this score")

    UNDER_WAY = (Status.OPEN, Status.CLOSED, Status.FINAL)  # what judges see: never a round being prepared

    competition = models.ForeignKey(
        CompetitionPage, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="rounds"
    )
    name = models.CharField(_("name"), max_length=40, help_text=_("e.g. 初评, 复评, 终评"))
    number = models.PositiveSmallIntegerField(_("order"), default=1, help_text=_("1 for the first round, then 2 …"))
    opens_at = models.DateTimeField(_("judging opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("judging closes"), null=True, blank=True)
    judges_per_entry = models.PositiveSmallIntegerField(
        _("judges per entry"), default=5, validators=[MinValueValidator(1)]
    )
    aggregation = models.CharField(_("aggregation"), max_length=10, choices=Aggregation.choices, default="mean")
    advancement = models.CharField(_("advancement"), max_length=12, choices=Advancement.choices, default="none")
    advancement_value = models.DecimalField(
        _("advancement value"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("N for the top N, a percentage for the top per cent, or the minimum score."),
    )
    blind = models.BooleanField(
        _("blind review"), default=False, help_text=_("Judges see no authors, enterprise, photos or file names.")
    )
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    assignment_seed = models.PositiveIntegerField(
        _("assignment seed"), default=1, help_text=_("The same seed gives the same assignment.")
    )
    judges = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("judges"),
        blank=True,
        related_name="judged_rounds",
        limit_choices_to={"groups__role__code": roles.JUDGE},
    )

    panels = [
        FieldPanel("competition"),
        FieldRowPanel([FieldPanel("name"), FieldPanel("number")]),
        FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
        FieldRowPanel([FieldPanel("judges_per_entry"), FieldPanel("aggregation")]),
        FieldRowPanel([FieldPanel("advancement"), FieldPanel("advancement_value")]),
        FieldRowPanel([FieldPanel("blind"), FieldPanel("status"), FieldPanel("assignment_seed")]),
        FieldPanel("judges"),
        FieldPanel("rubric_template"),
        InlinePanel("criteria", label=_("Criteria")),
    ]
    base_form_class = RoundForm

    class Meta:
        ordering = ["competition", "number"]
        verbose_name = _("judging round")
        verbose_name_plural = _("judging rounds")
        constraints = [models.UniqueConstraint(fields=["competition", "number"], name="one_round_per_number")]

    def __str__(self):
        return f"{self.competition.title} · {self.name}"

    def clean(self):
        super().clean()
        if self.advancement != self.Advancement.NONE and self.advancement_value is None:
            raise ValidationError({"advancement_value": _("Give the number, percentage or score for advancement.")})
        if self.advancement == self.Advancement.TOP_PERCENT and self.advancement_value is not None:
            if not 0 < self.advancement_value <= 100:
                raise ValidationError({"advancement_value": _("A percentage is more than 0 and at most 100.")})
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Judging must close after it opens.")})

    def accepts_scores(self, now=None):
        """Scores may be saved only while the round is open and before its closing time."""
        now = now or timezone.now()
        return self.status == self.Status.OPEN and (self.closes_at is None or now < self.closes_at)

    @cached_property
    def criterion_list(self):
        return list(self.criteria.all())

    @property
    def max_total(self):
        """The highest total a judge can give: every criterion at its maximum."""
        return scoring.weighted_total((c.max_points, c.weight) for c in self.criterion_list)

    def previous(self):
        return self.competition.rounds.filter(number__lt=self.number).order_by("-number").first()

    def following(self):
        return self.competition.rounds.filter(number__gt=self.number).order_by("number").first()


class Criterion(Orderable):
    round = ParentalKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=60)
    description = models.TextField(_("what the judges look for"), blank=True)
    max_points = models.DecimalField(
        _("maximum points"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )
    weight = models.DecimalField(_("weight"), max_digits=4, decimal_places=2, default=Decimal(1))

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("max_points"), FieldPanel("weight")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.max_points is not None and (self.max_points * 2) % 1:
            raise ValidationError({"max_points": _("Points go in steps of 0.5.")})


class Entry(models.Model):
    """A case entered by one of its authors; staff mark it eligible or not, with a reason."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        ELIGIBLE = "eligible", _("Eligible")
        INELIGIBLE = "ineligible", _("Not eligible")

    competition = models.ForeignKey(
        CompetitionPage, verbose_name=_("competition"), on_delete=models.CASCADE, related_name="entries"
    )
    case = models.ForeignKey(
        CasePage, verbose_name=_("case"), on_delete=models.PROTECT, related_name="competition_entries"
    )
    entrant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), on_delete=models.PROTECT, related_name="entries"
    )
    entered_at = models.DateTimeField(_("entered"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    status_reason = models.TextField(_("reason"), blank=True)
    final_rank = models.PositiveIntegerField(_("final rank"), null=True, blank=True)
    award = models.ForeignKey(
        AwardLevel, verbose_name=_("award"), null=True, blank=True, on_delete=models.SET_NULL, related_name="entries"
    )

    class Meta:
        ordering = ["competition", "entered_at", "pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["competition", "case"], name="a_case_enters_once"),
            models.UniqueConstraint(fields=["competition", "entrant"], name="one_entry_per_member"),
        ]

    def __str__(self):
        return f"{self.case.title} · {self.competition.title}"


class RoundEntry(models.Model):
    """An entry taking part in a round: every eligible entry in the first, the advanced ones after."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_entries")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="round_entries")
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    aggregate = models.DecimalField(_("score"), max_digits=8, decimal_places=2, null=True, blank=True)
    advanced = models.BooleanField(_("advanced"), default=False)

    class Meta:
        ordering = ["round", "pk"]
        verbose_name = _("entry in a round")
        verbose_name_plural = _("entries in a round")
        constraints = [models.UniqueConstraint(fields=["round", "entry"], name="an_entry_once_per_round")]

    def __str__(self):
        return f"{self.entry.case.title} · {self.round.name}"


class Conflict(models.Model):
    """A conflict of interest a judge declared for an entry: it holds for every round of the competition."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="declared_conflicts")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_conflicts")
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("declared conflict")
        verbose_name_plural = _("declared conflicts")
        constraints = [models.UniqueConstraint(fields=["entry", "judge"], name="a_conflict_once")]

    def __str__(self):
        return f"{self.judge} · {self.entry}"


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)

    def visible_to(self, user):
        """The user's own active assignments in rounds under way: `competitions.see_assignment` in the database."""
        if not user.is_authenticated:
            return self.none()
        return self.active().filter(judge=user, round_entry__round__status__in=Round.UNDER_WAY)


class Assignment(models.Model):
    """A judge's task: score one entry in one round. Withdrawn (never deleted) when the judge declares a conflict."""

    round_entry = models.ForeignKey(
        RoundEntry, verbose_name=_("entry"), on_delete=models.CASCADE, related_name="assignments"
    )
    judge = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("judge"), on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_reason = models.TextField(
        _("reason for assigning by hand"), blank=True, help_text=_("Required when staff assign past the rules.")
    )
    statement_signed_at = models.DateTimeField(_("no-conflict statement signed"), null=True, blank=True)
    comment = models.TextField(_("comments for the entrant"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("why withdrawn"), blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["round_entry", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["round_entry", "judge"], condition=Q(withdrawn_at__isnull=True), name="a_judge_once_per_entry"
            )
        ]

    def __str__(self):
        return f"{self.judge} · {self.round_entry}"

    @property
    def round(self):
        return self.round_entry.round

    def total(self, scores=None):
        """The judge's total for the entry, Σ points × weight over the criteria scored (scoring.weighted_total);
        `scores` are the assignment's scores when already read."""
        weights = {criterion.pk: criterion.weight for criterion in self.round.criterion_list}
        scores = self.scores.all() if scores is None else scores
        return scoring.weighted_total((s.points, weights[s.criterion_id]) for s in scores if s.criterion_id in weights)


class Score(models.Model):
    """A judge's points for one criterion of one assignment; `version` counts saves, for concurrent tabs."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=1)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [models.UniqueConstraint(fields=["assignment", "criterion"], name="one_score_per_criterion")]

    def __str__(self):
        return f"{self.criterion} · {self.points}"


class ScoreChange(models.Model):
    """Every change of a score: who, when, old → new. Never edited."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    old_points = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    new_points = models.DecimalField(max_digits=5, decimal_places=1)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("score change")
        verbose_name_plural = _("score changes")

    def __str__(self):
        return f"{self.old_points} → {self.new_points}"
