"""Judging on the site (我的评审), entering a case, and an entrant's results.

Every view finds its objects through the requesting user: a judge reaches only their own active assignments
in rounds that are open or closed (never a draft round: `competitions.see_assignment`, as
`Assignment.objects.visible_to`), an entrant only their own entry once the results are published. Anything else
is a 404, so no one learns what exists. Scores are saved only with `competitions.score_assignment`.
"""

import re
from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import linebreaksbr
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alliance_site.accounts.access import allowed
from cases.models import CaseAuthor, CasePage

from . import judging
from .forms import ScoreSheetForm
from .models import Assignment, CompetitionPage, Criterion, Round, Score


def my_assignments(user):
    return Assignment.objects.visible_to(user).select_related(
        "round_entry__round__competition", "round_entry__entry__case"
    )


@login_required
def judging_list(request):
    assignments = list(
        my_assignments(request.user)
        .annotate(scored=Count("scores"))
        .order_by("round_entry__round__competition_id", "round_entry__round__number", "pk")
    )
    criteria_counts = dict(
        Criterion.objects.filter(round__in={a.round_entry.round_id for a in assignments})
        .values("round")
        .annotate(n=Count("pk"))
        .values_list("round", "n")
    )
    rounds = defaultdict(list)
    for assignment in assignments:
        assignment.criteria_count = criteria_counts.get(assignment.round_entry.round_id, 0)
        rounds[assignment.round_entry.round].append(assignment)
    # Open rounds first (the work at hand), then closed, then decided ones; newest competition first.
    order = {Round.Status.OPEN: 0, Round.Status.CLOSED: 1, Round.Status.FINAL: 2}
    groups = [
        {"round": round_, "assignments": items, "done": sum(1 for a in items if a.submitted_at), "total": len(items)}
        for round_, items in sorted(rounds.items(), key=lambda item: (order[item[0].status], -item[0].competition_id))
    ]
    return render(request, "competitions/judging_list.html", {"groups": groups})


def blind_redaction(case):
    """A function that blanks the enterprise's and the authors' names in rendered HTML (for blind rounds)."""
    names = [case.enterprise.name, *(author.profile.real_name for author in case.author_list)]
    names = sorted({escape(name) for name in names if name and len(name) >= 2}, key=len, reverse=True)
    if not names:
        return lambda html: html
    pattern = re.compile("|".join(re.escape(name) for name in names))
    return lambda html: mark_safe(pattern.sub("＊＊＊", str(html)))


def scoring_sections(case, blind):
    """Every section of the case (judges see judges-only parts), each item rendered; blind rounds withhold
    images and files (their names and metadata identify), quote sources and any mention of the names."""
    redact = blind_redaction(case) if blind else (lambda html: html)
    sections = []
    for block in case.body:
        items = []
        for item in block.value["content"]:
            if blind and item.block_type in ("image", "document"):
                items.append(
                    mark_safe(
                        '<p class="meta withheld">'
                        + escape(_("An image or attachment is withheld in this blind round."))
                        + "</p>"
                    )
                )
            elif blind and item.block_type == "quote":
                items.append(
                    mark_safe("<blockquote><p>" + str(redact(escape(item.value["text"]))) + "</p></blockquote>")
                )
            else:
                items.append(redact(item.render()))
        sections.append(
            {"heading": redact(escape(block.value["heading"])), "visibility": block.value["visibility"], "items": items}
        )
    return sections


def judge_assignment(request, pk):
    return get_object_or_404(my_assignments(request.user), pk=pk)


@login_required
def score(request, pk):
    assignment = judge_assignment(request, pk)
    round_ = assignment.round_entry.round
    if assignment.statement_signed_at is None:
        return render(request, "competitions/statement.html", {"assignment": assignment, "round": round_})
    case = CasePage.objects.select_related("enterprise").get(pk=assignment.round_entry.entry.case_id)
    criteria = round_.criterion_list
    scores = {s.criterion_id: s for s in Score.objects.filter(assignment=assignment)}
    editable = allowed(request.user, "competitions.score_assignment", assignment)
    form = ScoreSheetForm(criteria, request.POST if request.method == "POST" else None)
    errors, status = [], 200
    if form.is_bound:
        submit = request.POST.get("action") == "submit"
        if not editable:  # the judge's own assignment (judge_assignment): only a closed round refuses them
            errors, status = [str(judging.ROUND_CLOSED)], 409
        elif not form.is_valid():
            errors, status = form.all_errors(), 400
        else:
            try:
                result = judging.save_scores(
                    assignment, request.user, form.changed_points, comment=form.comment_typed_and_shown, submit=submit
                )
            except judging.JudgingError as error:
                errors.append(str(error))
                status = 409 if not round_.accepts_scores() else 400
            else:
                for criterion, points in result.stale:
                    messages.warning(
                        request,
                        _("%(criterion)s was changed in another window to %(points)s meanwhile; it was kept. Check it.")
                        % {"criterion": criterion.name, "points": points},
                    )
                if result.stale_comment:
                    messages.warning(
                        request, _("Your comment was changed in another window meanwhile; it was kept. Check it.")
                    )
                if not (result.stale or result.stale_comment):
                    messages.success(
                        request,
                        _("Scores submitted. You may change them until the round closes.")
                        if submit
                        else _("Scores saved."),
                    )
                return redirect("competitions:score", pk=assignment.pk)
    rows = []
    for criterion in criteria:
        saved = scores.get(criterion.pk)
        rows.append(
            {
                "criterion": criterion,
                # What was typed, shown again to be corrected; else what is saved.
                "value": form.data.get(f"c{criterion.pk}", "") if errors else (saved.points if saved else ""),
                "shown": saved.points if saved else "",
                "version": saved.version if saved else "",
            }
        )
    context = {
        "assignment": assignment,
        "round": round_,
        "case": case,
        "blind": round_.blind,
        "sections": scoring_sections(case, round_.blind),
        "summary": (blind_redaction(case) if round_.blind else mark_safe)(linebreaksbr(case.summary, autoescape=True)),
        "rows": rows,
        "total": assignment.total(scores.values()),
        "editable": editable,
        "errors": errors,
        "comment": request.POST.get("comment", assignment.comment) if errors else assignment.comment,
    }
    return render(request, "competitions/score.html", context, status=status)


@login_required
@require_POST
def sign_statement(request, pk):
    assignment = judge_assignment(request, pk)
    if request.POST.get("no_conflict") != "yes":
        messages.error(request, _("Tick the statement to confirm it, or declare a conflict."))
        return render(
            request,
            "competitions/statement.html",
            {"assignment": assignment, "round": assignment.round_entry.round, "statement_error": True},
            status=400,
        )
    judging.sign_statement(assignment)
    return redirect("competitions:score", pk=assignment.pk)


@login_required
@require_POST
def declare_conflict(request, pk):
    assignment = judge_assignment(request, pk)
    try:
        judging.declare_conflict(assignment, request.POST.get("reason", "")[:2000])
    except judging.JudgingError as error:
        return render(
            request,
            "competitions/statement.html",
            {"assignment": assignment, "round": assignment.round_entry.round, "conflict_error": str(error)},
            status=400,
        )
    messages.success(request, _("Your conflict of interest is recorded; the entry goes to another judge."))
    return redirect("competitions:judging")


# Entrants -----------------------------------------------------------------------------------------------------


@login_required
@require_POST
def enter(request, page_id):
    competition = get_object_or_404(CompetitionPage.objects.live(), pk=page_id)
    raw = request.POST.get("case", "")
    case = CasePage.objects.filter(pk=int(raw)).first() if raw.isascii() and raw.isdigit() and len(raw) < 10 else None
    try:
        if case is None:
            raise judging.JudgingError(_("Choose one of your published cases."))
        judging.enter_case(competition, request.user, case)
    except judging.JudgingError as error:
        messages.error(request, str(error))
        response = redirect(competition.url)
        response.status_code = 303
        return response
    messages.success(request, _("Your case is entered. The secretariat checks entries before judging starts."))
    return redirect(competition.url)


@login_required
def my_results(request, page_id):
    """The per-criterion averages and the judges' comments (without names), after publication, of every entry the
    member is an author of: the one they entered and any they co-wrote that a colleague entered."""
    competition = get_object_or_404(CompetitionPage.objects.live(), pk=page_id, results_published_at__isnull=False)
    written = CaseAuthor.objects.filter(profile__user=request.user).values("page_id")
    entries = competition.entries.filter(Q(entrant=request.user) | Q(case_id__in=written)).select_related(
        "case", "award"
    )
    results = [{"entry": entry, "rounds": entry_results(entry)} for entry in entries]
    results = [result for result in results if result["rounds"]]
    if not results:
        raise Http404
    return render(request, "competitions/my_results.html", {"competition": competition, "results": results})


def entry_results(entry):
    """Per round the entry took part in: each criterion's mean over the submitted sheets, and their comments."""
    rounds = []
    for round_entry in entry.round_entries.select_related("round").prefetch_related(
        Prefetch("round__criteria"),
        Prefetch(
            "assignments",
            queryset=Assignment.objects.active().filter(submitted_at__isnull=False).prefetch_related("scores"),
        ),
    ):
        criteria = list(round_entry.round.criteria.all())
        assignments = list(round_entry.assignments.all())
        means = []
        for criterion in criteria:
            points = [s.points for a in assignments for s in a.scores.all() if s.criterion_id == criterion.pk]
            means.append((criterion, sum(points) / len(points) if points else None))
        comments = [a.comment for a in assignments if a.comment.strip()]
        rounds.append({"round_entry": round_entry, "means": means, "comments": comments})
    return rounds
