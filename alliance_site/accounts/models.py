from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from alliance_site.accounts import roles


class RoleGroup(models.Model):
    """Marks a Django group as one of the platform's roles, by a code that never changes.

    The code asks for roles by this code (alliance_site.accounts.roles), so staff may rename a group in the admin
    (its name is only what people read) without taking anyone's rights away.
    """

    code = models.CharField(
        _("role"), max_length=20, unique=True, choices=[(code, label) for code, label in roles.ROLE_LABELS.items()]
    )
    group = models.OneToOneField(Group, verbose_name=_("group"), on_delete=models.CASCADE, related_name="role")

    class Meta:
        verbose_name = _("role group")
        verbose_name_plural = _("role groups")

    def __str__(self):
        return f"{self.get_code_display()} · {self.group.name}"
