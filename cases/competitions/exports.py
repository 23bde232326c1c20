"""Excel workbooks of a round (openpyxl): the score sheet and the results, headers in the reader's language."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from alliance_site.accounts import roles
from alliance_site.common.excel import sheet

from . import judging
from .models import Score


def round_workbook(round_):
    """Every score with its judge (评分明细), and the results (评审结果): aggregates, rank, tie-break, advancement."""
    workbook = Workbook()
    criteria = round_.criterion_list
    scores = (
        Score.objects.filter(assignment__round_entry__round=round_, assignment__withdrawn_at__isnull=True)
        .select_related("assignment__judge__cqo_profile", "assignment__round_entry__entry__case", "criterion")
        .order_by("assignment__round_entry_id", "assignment__judge_id", "criterion__sort_order")
    )
    sheet(
        workbook,
        pgettext("round export", "Scores"),
        [
            pgettext("round export", "Entry number"),
            pgettext("round export", "Case"),
            pgettext("round export", "Judge"),
            pgettext("round export", "Criterion"),
            pgettext("round export", "Maximum"),
            pgettext("round export", "Weight"),
            pgettext("round export", "Points"),
            pgettext("round export", "Submitted"),
            pgettext("round export", "Comment"),
        ],
        (
            [
                s.assignment.round_entry_id,
                s.assignment.round_entry.entry.case.title,
                roles.display_name(s.assignment.judge),
                s.criterion.name,
                float(s.criterion.max_points),
                float(s.criterion.weight),
                float(s.points),
                _("Yes") if s.assignment.submitted_at else _("No"),
                s.assignment.comment,
            ]
            for s in scores
        ),
        first=True,
    )
    results = judging.round_results(round_)
    round_entries = round_.round_entries.select_related("entry__case__enterprise").in_bulk()
    sheet(
        workbook,
        pgettext("round export", "Results"),
        [
            pgettext("round export", "Rank"),
            pgettext("round export", "Entry number"),
            pgettext("round export", "Case"),
            pgettext("round export", "Enterprise"),
            pgettext("round export", "Judges"),
            pgettext("round export", "Mean"),
            pgettext("round export", "Trimmed mean"),
            pgettext("round export", "Standardised mean"),
            pgettext("round export", "Score used"),
            pgettext("round export", "Ranked by"),
            *[pgettext("round export", "%(criterion)s (mean)") % {"criterion": c.name} for c in criteria],
            pgettext("round export", "Advanced"),
        ],
        (
            [
                r.rank,
                r.entry,
                round_entries[r.entry].entry.case.title,
                round_entries[r.entry].entry.case.enterprise.name,
                r.judges,
                round(r.mean, 2),
                round(r.trimmed, 2),
                round(r.zscore, 2),
                round(r.aggregate, 2),
                str(judging.DECIDED_LABELS.get(r.decided_by, "")),
                *[
                    round(r.criterion_means[c.pk], 2) if r.criterion_means.get(c.pk) is not None else None
                    for c in criteria
                ],
                _("Yes") if round_entries[r.entry].advanced else "",
            ]
            for r in results.entries
        ),
    )
    return workbook
