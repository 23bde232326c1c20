"""Rubric templates staff start a round's criteria from (the common Chinese QC practice, DESIGN.md)."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

# key: (label, [(criterion name, max points), ...])
TEMPLATES = {
    "problem_solving": (
        _("Problem-solving (问题解决型, 100 points)"),
        [("选题", 15), ("原因分析", 30), ("对策与实施", 20), ("效果", 20), ("成果报告", 5), ("特点", 10)],
    ),
    "innovation": (
        _("Innovation (创新型, 100 points)"),
        [("选题", 20), ("提出方案并确定最佳方案", 30), ("对策与实施", 20), ("效果", 15), ("成果报告", 5), ("特点", 10)],
    ),
    "on_site": (
        _("On-site review (现场评审, 100 points)"),
        [("组织", 10), ("活动情况与记录", 30), ("真实性与有效性", 30), ("维持与巩固", 20), ("教育", 10)],
    ),
    "presentation": (
        _("Presentation (发表评审, 28 points)"),
        [("逻辑性", 6), ("专业性", 6), ("发布形式", 4), ("表达", 4), ("回答问题", 4), ("成员与时间", 4)],
    ),
}


def template_choices():
    return [("", _("— none: I will add the criteria myself —"))] + [
        (key, label) for key, (label, _c) in TEMPLATES.items()
    ]


def criteria_of(key):
    """[(name, max points)] of a template, as Decimals."""
    return [(name, Decimal(points)) for name, points in TEMPLATES[key][1]]
