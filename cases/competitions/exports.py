"""Excel workbooks of a round (openpyxl): the score sheet and the results, with Chinese headers."""

from openpyxl import Workbook

from alliance_site import roles
from alliance_site.excel import sheet

from . import judging
from .models import Score


def round_workbook(round_):
    """评分明细 (every score, with its judge) and 评审结果 (aggregates, rank, tie-break, advancement)."""
    workbook = Workbook()
    criteria = round_.criterion_list
    scores = (
        Score.objects.filter(assignment__round_entry__round=round_, assignment__withdrawn_at__isnull=True)
        .select_related("assignment__judge__cqo_profile", "assignment__round_entry__entry__case", "criterion")
        .order_by("assignment__round_entry_id", "assignment__judge_id", "criterion__sort_order")
    )
    sheet(
        workbook,
        "评分明细",
        ["参评编号", "案例", "评委", "评分项", "满分", "权重", "得分", "已提交", "评语"],
        (
            [
                s.assignment.round_entry_id,
                s.assignment.round_entry.entry.case.title,
                roles.display_name(s.assignment.judge),
                s.criterion.name,
                float(s.criterion.max_points),
                float(s.criterion.weight),
                float(s.points),
                "是" if s.assignment.submitted_at else "否",
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
        "评审结果",
        [
            "名次",
            "参评编号",
            "案例",
            "企业",
            "评委人数",
            "平均分",
            "去极值平均分",
            "标准化平均分",
            "采用得分",
            "名次依据",
            *[f"{c.name}（均分）" for c in criteria],
            "晋级",
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
                DECIDED_LABELS.get(r.decided_by, ""),
                *[
                    round(r.criterion_means[c.pk], 2) if r.criterion_means.get(c.pk) is not None else None
                    for c in criteria
                ],
                "是" if round_entries[r.entry].advanced else "",
            ]
            for r in results.entries
        ),
    )
    return workbook


DECIDED_LABELS = {
    None: "",
    "aggregate": "得分",
    "key_criterion": "权重最高评分项均分",
    "lowest_total": "最低单项总分",
    "judge_count": "评委人数",
    "shared": "并列",
}
