"""What staff and judges do to a competition, as plain functions the views and admin call.

Each function checks the rule it is about (windows, statuses, conflicts) and raises `JudgingError` with a
message for the person acting; permissions (who may call it) are checked by the views.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import FloatField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from alliance_site.models import CQOProfile
from cases.models import CaseAuthor

from . import assignment as planner
from . import scoring
from .forms import parse_points
from .models import Assignment, Conflict, Entry, Round, RoundEntry, Score, ScoreChange
from .rules import is_its_judge, round_takes_scores

# How the ranking decided between an entry and the one above it (scoring.DECIDED_*).
DECIDED_LABELS = {
    scoring.DECIDED_AGGREGATE: gettext_lazy("score"),
    scoring.DECIDED_KEY_CRITERION: gettext_lazy("key criterion"),
    scoring.DECIDED_LOWEST_TOTAL: gettext_lazy("lowest judge total"),
    scoring.DECIDED_JUDGE_COUNT: gettext_lazy("number of judges"),
    scoring.DECIDED_SHARED: gettext_lazy("shared rank"),
}

ROUND_CLOSED = gettext_lazy("The round is closed: scores can no longer be changed.")


class JudgingError(Exception):
    """A rule refused the action; str(error) is the message for the user."""


# Entries ------------------------------------------------------------------------------------------------------


def enter_case(competition, user, case):
    reason = competition.why_user_may_not_enter(user)
    if reason:
        raise JudgingError(reason)
    if not competition.cases_user_may_enter(user).filter(pk=case.pk).exists():
        raise JudgingError(_("You can enter only a published case of which you are an author, once."))
    try:
        with transaction.atomic():
            entry = Entry.objects.create(competition=competition, case=case, entrant=user)
    except IntegrityError as error:  # two tabs, or a co-author at the same moment
        raise JudgingError(_("This case, or a case of yours, has already been entered.")) from error
    log(instance=entry, action="competitions.entry.enter", user=user)
    return entry


def mark_entry(entry, status, reason, by):
    if status == Entry.Status.INELIGIBLE and not reason.strip():
        raise JudgingError(_("Say why the entry is not eligible: the entrant will read it."))
    old = entry.status
    entry.status, entry.status_reason = status, reason.strip()
    entry.save(update_fields=["status", "status_reason"])
    log(instance=entry, action="competitions.entry.mark", user=by, data={"from": old, "to": status, "reason": reason})


# Rounds and assignment ----------------------------------------------------------------------------------------


def populate_round(round_):
    """Put the round's entries in: every eligible entry in the first round, the advanced ones after."""
    previous = round_.previous()
    if previous is None:
        entries = round_.competition.entries.filter(status=Entry.Status.ELIGIBLE)
    else:
        entries = Entry.objects.filter(round_entries__round=previous, round_entries__advanced=True)
    existing = set(round_.round_entries.values_list("entry_id", flat=True))
    RoundEntry.objects.bulk_create(
        [RoundEntry(round=round_, entry=entry) for entry in entries if entry.pk not in existing]
    )
    return round_.round_entries.count()


def conflicts_of(round_):
    """{(round_entry id, judge id)} a judge may not score: same enterprise or parent group, co-author, declared."""
    round_entries = list(round_.round_entries.select_related("entry__case__enterprise"))
    judges = list(round_.judges.all())
    profiles = {p.user_id: p for p in CQOProfile.objects.filter(user__in=judges).select_related("enterprise")}
    authors = defaultdict(set)  # case id → author profile ids, in one query for the whole round
    for case_id, profile_id in CaseAuthor.objects.filter(
        page_id__in={re.entry.case_id for re in round_entries}
    ).values_list("page_id", "profile_id"):
        authors[case_id].add(profile_id)
    declared = set(Conflict.objects.filter(entry__round_entries__round=round_).values_list("entry_id", "judge_id"))
    pairs = set()
    for re in round_entries:
        enterprise = re.entry.case.enterprise
        for judge in judges:
            profile = profiles.get(judge.pk)
            conflicted = (re.entry_id, judge.pk) in declared or judge.pk == re.entry.entrant_id
            if profile is not None:
                conflicted = conflicted or (
                    profile.enterprise_id == enterprise.pk
                    or (enterprise.group_id is not None and profile.enterprise.group_id == enterprise.group_id)
                    or profile.pk in authors[re.entry.case_id]
                )
            if conflicted:
                pairs.add((re.pk, judge.pk))
    return pairs


@dataclass
class AssignmentReport:
    created: int = 0
    shortfalls: list = field(default_factory=list)  # [(RoundEntry, missing, reason)]
    loads: dict = field(default_factory=dict)  # {judge: load}


@transaction.atomic
def assign_judges(round_, by):
    """Assign k judges to each entry of the round, balanced and conflict-free; report entries left short."""
    if round_.status not in (Round.Status.DRAFT, Round.Status.OPEN):
        raise JudgingError(_("Judges can be assigned only before the round closes."))
    round_entries = {re.pk: re for re in round_.round_entries.select_related("entry__case")}
    if not round_entries:
        raise JudgingError(_("The round has no entries yet: mark entries eligible (or advance them) first."))
    judges = {judge.pk: judge for judge in round_.judges.all()}
    if not judges:
        raise JudgingError(_("Name the round's judges first."))
    fixed = tuple(
        Assignment.objects.active().filter(round_entry__round=round_).values_list("round_entry_id", "judge_id")
    )
    plan = planner.assign(
        list(round_entries),
        list(judges),
        round_.judges_per_entry,
        conflicts=frozenset(conflicts_of(round_)),
        seed=round_.assignment_seed,
        fixed=fixed,
    )
    Assignment.objects.bulk_create(
        [Assignment(round_entry_id=re_id, judge_id=judge_id, assigned_by=by) for re_id, judge_id in plan.new_pairs]
    )
    report = AssignmentReport(
        created=len(plan.new_pairs),
        shortfalls=[(round_entries[s.entry], s.missing, s.reason) for s in plan.shortfalls],
        loads={judges[judge_id]: load for judge_id, load in plan.loads.items()},
    )
    log(
        instance=round_,
        action="competitions.round.assign",
        user=by,
        data={"created": report.created, "short": [[s.entry, s.missing] for s in plan.shortfalls]},
    )
    return report


def assign_by_hand(round_entry, judge, reason, by):
    """Staff assign a judge past the rules (a conflict, or beyond k); the reason is required and kept."""
    if not reason.strip():
        raise JudgingError(_("Give the reason for assigning this judge by hand."))
    if round_entry.round.status not in (Round.Status.DRAFT, Round.Status.OPEN):
        raise JudgingError(_("Judges can be assigned only before the round closes."))
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(
                round_entry=round_entry, judge=judge, assigned_by=by, override_reason=reason.strip()
            )
    except IntegrityError as error:
        raise JudgingError(_("This judge is already assigned to this entry.")) from error
    log(instance=assignment, action="competitions.assignment.override", user=by, data={"reason": reason})
    return assignment


def sign_statement(assignment):
    if assignment.statement_signed_at is None:
        assignment.statement_signed_at = timezone.now()
        assignment.save(update_fields=["statement_signed_at"])
        log(instance=assignment, action="competitions.assignment.statement", user=assignment.judge)


@transaction.atomic
def declare_conflict(assignment, reason):
    """The judge declares a conflict: the assignment is withdrawn and, where a judge is free, reassigned.

    Returns the new Assignment, or None when no judge without a conflict is left (staff see the entry short).
    """
    if not reason.strip():
        raise JudgingError(_("Describe the conflict of interest."))
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.withdrawn_at is not None:
        raise JudgingError(_("This assignment has already been withdrawn."))
    round_entry = assignment.round_entry
    round_ = round_entry.round
    if round_.status not in (Round.Status.DRAFT, Round.Status.OPEN):
        raise JudgingError(_("The round is closed."))
    Conflict.objects.get_or_create(
        entry_id=round_entry.entry_id, judge_id=assignment.judge_id, defaults={"reason": reason.strip()}
    )
    assignment.withdrawn_at = timezone.now()
    assignment.withdrawn_reason = reason.strip()
    assignment.save(update_fields=["withdrawn_at", "withdrawn_reason"])
    log(instance=assignment, action="competitions.assignment.conflict", user=assignment.judge, data={"reason": reason})
    pairs = list(
        Assignment.objects.active().filter(round_entry__round=round_).values_list("round_entry_id", "judge_id")
    )
    substitute = planner.replacement(
        round_entry.pk,
        pairs,
        list(round_.judges.values_list("pk", flat=True)),
        conflicts=frozenset(conflicts_of(round_)),
        seed=round_.assignment_seed,
    )
    if substitute is None:
        return None
    return Assignment.objects.create(round_entry=round_entry, judge_id=substitute)


# Scores -------------------------------------------------------------------------------------------------------


@dataclass
class SaveResult:
    changed: int = 0
    stale: list = field(default_factory=list)  # [(criterion, points now saved)] changed in another window
    stale_comment: bool = False  # the comment was changed in another window and kept


@transaction.atomic
def save_scores(assignment, judge, values, comment=None, submit=False):
    """Save a judge's points: `values` is {criterion: (points typed, points shown when the form was read, version)};
    `comment` is (text typed, text shown when the form was read), or None to leave it.

    Two windows on one assignment lose nothing. Only what this form changed is written; a criterion that the
    other window changed since this form was read is left as the other window saved it and reported in
    `stale`; every other criterion is saved. Each change is kept in ScoreChange.
    """
    assignment = Assignment.objects.select_for_update().select_related("round_entry__round").get(pk=assignment.pk)
    round_ = assignment.round_entry.round
    # competitions.score_assignment, asked again of the locked row, each refusal with its own message.
    if not is_its_judge(judge, assignment):
        raise JudgingError(_("This assignment is not yours."))
    if not round_takes_scores(judge, assignment):
        raise JudgingError(ROUND_CLOSED)
    if assignment.statement_signed_at is None:
        raise JudgingError(_("Sign the no-conflict statement before scoring."))
    changes, errors = {}, []
    for criterion, (raw, shown, version) in values.items():
        raw = str(raw).strip()
        if raw == str(shown or "").strip() or raw == "":
            continue  # untouched here (or left empty): nothing to write
        try:
            changes[criterion] = (parse_points(raw, criterion), version)
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise JudgingError(" ".join(errors))
    existing = {score.criterion_id: score for score in assignment.scores.select_for_update()}
    result = SaveResult()
    for criterion, (points, version) in changes.items():
        score = existing.get(criterion.pk)
        if score is None:
            score = Score.objects.create(assignment=assignment, criterion=criterion, points=points)
            ScoreChange.objects.create(score=score, changed_by=judge, old_points=None, new_points=points)
            existing[criterion.pk] = score
            result.changed += 1
        elif score.points == points:
            continue
        elif str(version or "") != str(score.version):  # saved meanwhile from another window: keep that
            result.stale.append((criterion, score.points))
        else:
            ScoreChange.objects.create(score=score, changed_by=judge, old_points=score.points, new_points=points)
            score.points = points
            score.version += 1
            score.save(update_fields=["points", "version", "updated_at"])
            result.changed += 1
    fields = []
    if comment is not None:
        typed, shown = (part.strip() for part in comment)
        if typed != shown:  # changed in this form
            if assignment.comment.strip() != shown:  # … and meanwhile in another window: keep that one
                result.stale_comment = True
            else:
                assignment.comment = typed
                fields.append("comment")
    if submit and not result.stale and not result.stale_comment:  # the judge reviews what the other window saved first
        scored = set(existing)
        missing = [c.name for c in round_.criterion_list if c.pk not in scored]
        if missing:
            raise JudgingError(
                _("Score every criterion before submitting: %(missing)s.") % {"missing": "、".join(missing)}
            )
        assignment.submitted_at = timezone.now()
        fields.append("submitted_at")
    if fields:
        assignment.save(update_fields=fields)
    return result


# Results ------------------------------------------------------------------------------------------------------


def round_scores(round_):
    """The submitted scores of the round's active assignments, as scoring.Score values.

    Points are read as floats (they are multiples of 0.5, exact in binary): building 12,000 Decimals from the
    database took longer than computing the whole round.
    """
    rows = (
        Score.objects.filter(
            assignment__round_entry__round=round_,
            assignment__withdrawn_at__isnull=True,
            assignment__submitted_at__isnull=False,
        )
        .annotate(points_float=Cast("points", FloatField()))
        .values_list("assignment__round_entry_id", "assignment__judge_id", "criterion_id", "points_float")
    )
    return [scoring.Score(entry, judge, criterion, points) for entry, judge, criterion, points in rows]


def round_results(round_):
    criteria = [scoring.Criterion(c.pk, c.max_points, c.weight) for c in round_.criterion_list]
    return scoring.compute_round(round_scores(round_), criteria, method=round_.aggregation)


def record_ranking(round_, results, advanced=frozenset()):
    """Store each entry's rank and score in the round (and whether it advances)."""
    round_entries = round_.round_entries.in_bulk()
    for result in results.entries:
        round_entry = round_entries[result.entry]
        round_entry.rank = result.rank
        round_entry.aggregate = Decimal(str(round(result.aggregate, 2)))
        round_entry.advanced = result.entry in advanced
    RoundEntry.objects.bulk_update(round_entries.values(), ["rank", "aggregate", "advanced"])


@transaction.atomic
def advance(round_, by):
    """Apply the round's advancement rule to its frozen scores and put those entries into the next round."""
    following = round_.following()
    if round_.advancement == Round.Advancement.NONE or following is None:
        raise JudgingError(_("This round has no advancement rule or no next round."))
    results = round_results(round_)
    chosen = scoring.advancing(results, round_.advancement, round_.advancement_value)
    record_ranking(round_, results, advanced=chosen)
    round_.status = Round.Status.FINAL
    round_.save(update_fields=["status"])
    count = populate_round(following)
    log(instance=round_, action="competitions.round.advance", user=by, data={"advanced": len(chosen)})
    return count


@transaction.atomic
def decide_awards(round_, by):
    """The last round: record every entry's final rank and its award by the competition's levels and quotas."""
    if round_.following() is not None:
        raise JudgingError(_("Awards are decided on the last round only; this round advances entries."))
    levels = list(round_.competition.award_levels.all())
    if not levels:
        raise JudgingError(_("Define the award levels on the competition page first."))
    results = round_results(round_)
    record_ranking(round_, results)
    given = scoring.award_levels(results, [(level.pk, level.quota) for level in levels])
    by_round_entry = {re.pk: re.entry for re in round_.round_entries.select_related("entry")}
    Entry.objects.filter(competition=round_.competition).update(award=None, final_rank=None)
    for result in results.entries:
        entry = by_round_entry[result.entry]
        entry.final_rank, entry.award_id = result.rank, given.get(result.entry)
        entry.save(update_fields=["final_rank", "award"])
    round_.status = Round.Status.FINAL
    round_.save(update_fields=["status"])
    log(instance=round_, action="competitions.round.awards", user=by, data={"awards": len(given)})
    return given


def publish_results(round_, by, when=None):
    if round_.status != Round.Status.FINAL or round_.following() is not None:
        raise JudgingError(_("Decide the awards of the final round before publishing."))
    competition = round_.competition
    competition.results_published_at = when or timezone.now()
    competition.save(update_fields=["results_published_at"])
    log(instance=competition, action="competitions.results.publish", user=by)
