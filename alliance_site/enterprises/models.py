from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alliance_site.enterprises.credit_code import CreditCodeField
from alliance_site.regions.models import Region


class Industry(models.TextChoices):
    """Sections of GB/T 4754-2017, the national classification of economic activities."""

    A = "A", _("Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("Mining")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, heat, gas and water production and supply")
    E = "E", _("Construction")
    F = "F", _("Wholesale and retail trade")
    G = "G", _("Transport, storage and postal services")
    H = "H", _("Accommodation and catering")
    I = "I", _("Information transmission, software and IT services")  # noqa: E741
    J = "J", _("Finance")
    K = "K", _("Real estate")
    L = "L", _("Leasing and business services")
    M = "M", _("Scientific research and technical services")
    N = "N", _("Water conservancy, environment and public facilities management")
    O = "O", _("Resident services, repair and other services")  # noqa: E741
    P = "P", pgettext_lazy("industry", "Education")
    Q = "Q", _("Health and social work")
    R = "R", _("Culture, sports and entertainment")
    S = "S", _("Public administration, social security and social organisations")
    T = "T", _("International organisations")


class EnterpriseGroup(models.Model):
    """A parent group (集团); enterprises of one group count as related when judges are assigned."""

    name = models.CharField(_("name"), max_length=200, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise group")
        verbose_name_plural = _("enterprise groups")

    def __str__(self):
        return self.name


class Enterprise(models.Model):
    class Size(models.TextChoices):
        ABOVE_SCALE = "above_scale", _("Above designated size")
        MEDIUM = "medium", _("Medium")
        SMALL_MICRO = "small_micro", _("Small or micro")

    class AwardLevel(models.TextChoices):
        NONE = "", _("None")
        PROVINCE = "province", _("Provincial government quality award")
        CITY = "city", _("City government quality award")
        COUNTY = "county", _("County government quality award")

    class AwardStanding(models.TextChoices):
        NONE = "", _("None")
        NOMINEE = "nominee", _("Nomination award")
        WINNER = "winner", _("Award winner")

    name = models.CharField(_("name"), max_length=200)
    credit_code = CreditCodeField(
        _("unified social credit code"), unique=True, help_text=_("18 characters, as on the business licence.")
    )
    county = models.ForeignKey(
        Region,
        verbose_name=_("county"),
        on_delete=models.PROTECT,
        related_name="enterprises",
        limit_choices_to={"level": Region.Level.COUNTY},
    )
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices)
    size = models.CharField(_("size"), max_length=20, choices=Size.choices)
    is_six_new = models.BooleanField(_("six new industries (六新)"), default=False)
    is_strategic_emerging = models.BooleanField(_("strategic emerging industry"), default=False)
    group = models.ForeignKey(
        EnterpriseGroup,
        verbose_name=_("parent group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
    )
    quality_award_level = models.CharField(
        _("government quality award"), max_length=10, choices=AwardLevel.choices, blank=True
    )
    quality_award_year = models.PositiveSmallIntegerField(_("award year"), null=True, blank=True)
    quality_award_standing = models.CharField(
        _("award standing"), max_length=10, choices=AwardStanding.choices, blank=True
    )
    is_jingpin_applicant = models.BooleanField(_("“山西精品” applicant"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")

    def __str__(self):
        return self.name

    @property
    def requires_senior_cqo(self):
        """四(一): in an enterprise above designated size the CQO is a deputy general manager or higher."""
        return self.size == self.Size.ABOVE_SCALE

    @property
    def has_quality_award(self):
        return bool(self.quality_award_level)
