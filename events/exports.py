"""The events' Excel exports, their sheet names and headers in the reader's language like the rest of the site."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from openpyxl import Workbook

from alliance_site.common import excel


def evaluation_workbook(report):
    """An event's evaluation report (events.evaluations.evaluation_report): the ratings with their distribution
    and the totals, then every answer in the order given, never who gave it."""
    workbook = Workbook()
    points = [ngettext("%(points)d point", "%(points)d points", n) % {"points": n} for n in range(1, 6)]
    excel.sheet(
        workbook,
        pgettext("evaluation export", "Summary"),
        [pgettext("evaluation export", "Rating"), _("Average"), *points],
        [[str(r["label"]), r["average"], *r["distribution"]] for r in report["ratings"]],
        first=True,
    )
    summary = workbook.active
    summary.append([])
    summary.append([_("Attendees checked in"), report["attended"]])
    summary.append([_("Evaluations received"), report["responses"]])
    summary.append([_("Response rate (%)"), report["response_rate"]])
    summary.append([_("Learning gain (after minus before, average)"), report["learning_gain"]])
    excel.sheet(
        workbook,
        _("Evaluation answers"),
        [
            _("Submitted at"),
            pgettext("evaluation column", "Content"),
            pgettext("evaluation column", "Speakers"),
            pgettext("evaluation column", "Organisation"),
            pgettext("evaluation column", "Usefulness"),
            pgettext("evaluation column", "Knowledge before"),
            pgettext("evaluation column", "Knowledge after"),
            pgettext("evaluation column", "Will apply"),
            _("Other comments"),
        ],
        [
            [
                timezone.localtime(answer.submitted_at).strftime("%Y-%m-%d %H:%M"),
                *[getattr(answer, name) for name in answer.RATINGS],
                answer.will_apply,
                answer.comments,
            ]
            for answer in report["answers"]
        ],
    )
    return workbook
