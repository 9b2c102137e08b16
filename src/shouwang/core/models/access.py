from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Role
from .base import ScopedModel


class RoleAssignment(ScopedModel):
    """A role held by a user on a node and everything below it."""

    permission_area = "access"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__username", "role", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "jurisdiction"], name="role_unique_per_node"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} @ {self.jurisdiction}"
