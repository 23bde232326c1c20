"""The dashboard as an Excel workbook: the figures as they are shown, and a region's enterprises without a CQO."""

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from alliance_site.common.excel import sheet


def percent_text(ratio):
    return "" if ratio.percent is None else ratio.percent


def board_workbook(board):
    """The figures as they are shown: a summary sheet, the breakdown and the industry categories."""
    workbook = Workbook()
    region = board.region.name if board.region else _("Shanxi Province")
    summary = [
        [_("Region"), region],
        [_("Date"), timezone.localdate().isoformat()],
        [_("Filed CQOs"), board.active],
    ]
    if board.target:
        summary.append([_("Target"), board.target])
    summary += [
        [_("Enterprises"), board.enterprises.whole],
        [_("Enterprises with a CQO"), board.enterprises.part],
        [_("Government quality-award enterprises"), board.award.whole],
        [_("… with a CQO"), board.award.part],
        [_("“山西精品” applicants"), board.jingpin.whole],
        [_("… with a CQO"), board.jingpin.part],
        [_("CQOs below the required senior level"), board.below_seniority],
        *([figure.label, figure.value] for figure in board.figures),
    ]
    sheet(workbook, _("Summary"), [_("Figure"), _("Value")], summary, first=True)
    if board.breakdown:
        sheet(
            workbook,
            str(board.breakdown_label),
            [
                board.breakdown_label,
                _("Filed CQOs"),
                _("Enterprises"),
                _("With a CQO"),
                _("Coverage %"),
                _("Award enterprises"),
                _("… with a CQO"),
                _("山西精品 applicants"),
                _("… with a CQO"),
            ],
            (
                [
                    row.label,
                    row.active,
                    row.enterprises,
                    row.covered,
                    percent_text(row.coverage),
                    row.award.whole,
                    row.award.part,
                    row.jingpin.whole,
                    row.jingpin.part,
                ]
                for row in board.breakdown
            ),
        )
    sheet(
        workbook,
        _("Industry categories"),
        [_("Category"), _("Enterprises"), _("With a CQO"), _("Coverage %")],
        ([row.label, row.enterprises, row.covered, percent_text(row.coverage)] for row in board.categories),
    )
    return workbook


def add_gap_sheet(workbook, enterprises):
    """The enterprises of the region still without a CQO, as the region view lists them."""
    sheet(
        workbook,
        _("Without a CQO"),
        [
            _("Enterprise"),
            _("Credit code"),
            _("City"),
            _("County"),
            _("Industry"),
            _("Size"),
            _("Quality award"),
            _("山西精品 applicant"),
            _("Filing under review"),
        ],
        (
            [
                e.name,
                e.credit_code,
                e.county.parent.name if e.county.parent else "",
                e.county.name,
                e.get_industry_display(),
                e.get_size_display(),
                e.get_quality_award_level_display() if e.quality_award_level else "",
                _("Yes") if e.is_jingpin_applicant else "",
                _("Yes") if e.filing_pending else "",
            ]
            for e in enterprises
        ),
    )
