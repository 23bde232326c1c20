from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionQuerySet(models.QuerySet):
    def within(self, region):
        """The region and everything below it, by the prefix of the administrative division code."""
        return self.filter(code__startswith=region.code_prefix)


class Region(models.Model):
    """A province, prefecture-level city or county, keyed by its GB/T 2260 division code.

    The code carries the tree: a county 140525 lies in the city 1405xx in the province 14xxxx, so
    "everything in this region" is a prefix match that an index serves, however deep the tree.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County")

    code = models.CharField(_("division code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=50)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        # Two counties may share a name (阳泉 and 晋城 both have a 城区), so a county names its city too.
        if self.level == self.Level.COUNTY and self.parent_id:
            return f"{self.parent.name} · {self.name}"
        return self.name

    @property
    def code_prefix(self):
        return {self.Level.PROVINCE: self.code[:2], self.Level.CITY: self.code[:4]}.get(self.level, self.code)

    def contains(self, other):
        return other is not None and other.code.startswith(self.code_prefix)

    @property
    def city(self):
        """The prefecture-level city this region belongs to (itself for a city, None for a province)."""
        if self.level == self.Level.CITY:
            return self
        if self.level == self.Level.COUNTY:
            return self.parent
        return None


class RegionalRegulator(models.Model):
    """A market-regulation officer and the region whose filings and figures they oversee."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="regulator",
    )
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT)
    agency = models.CharField(_("agency"), max_length=100, help_text=_("e.g. 晋城市市场监督管理局"))

    class Meta:
        verbose_name = _("regional regulator")
        verbose_name_plural = _("regional regulators")

    def __str__(self):
        return f"{self.agency} · {self.user.get_full_name() or self.user.get_username()}"
