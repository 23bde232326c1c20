"""Who may be a CQO: the basic conditions of policy 四(二).

"从事质量管理工作5年以上，具有中级以上职称或者大学(含)以上学历 … 实践经验丰富的技术骨干，条件可适当放宽。"
"5年以上" is read, as in Chinese regulations generally, as including five.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MIN_YEARS_IN_QUALITY = 5

# Ordered lowest first; a rank compares by index.
TITLE_RANKS = ["none", "junior", "intermediate", "associate_senior", "senior"]
EDUCATION_RANKS = ["high_school", "junior_college", "bachelor", "master", "doctorate"]
MIN_TITLE = "intermediate"
MIN_EDUCATION = "bachelor"


@dataclass(frozen=True)
class Eligibility:
    meets_conditions: bool
    shortfalls: tuple

    def __bool__(self):
        return self.meets_conditions


def at_least(value, minimum, ranks):
    return value in ranks and ranks.index(value) >= ranks.index(minimum)


def check_eligibility(years_in_quality, title, education):
    """The basic conditions, with the reasons a candidate falls short of them (empty when eligible)."""
    shortfalls = []
    if years_in_quality is None or years_in_quality < MIN_YEARS_IN_QUALITY:
        shortfalls.append(_("fewer than 5 years in quality management"))
    if not (at_least(title, MIN_TITLE, TITLE_RANKS) or at_least(education, MIN_EDUCATION, EDUCATION_RANKS)):
        shortfalls.append(_("neither an intermediate or higher professional title nor a bachelor's degree or higher"))
    return Eligibility(not shortfalls, tuple(shortfalls))
