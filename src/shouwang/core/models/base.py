from django.db import models
from django.utils.translation import gettext_lazy as _

from ..scope import ScopedManager


class ScopedModel(models.Model):
    """A record that hangs on a jurisdiction node; scope and change log follow from that."""

    permission_area = "org"
    scope_path_lookup = "jurisdiction__path"
    changelog_exclude: tuple[str, ...] = ()

    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", on_delete=models.PROTECT, related_name="+", verbose_name=_("node")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        abstract = True

    @property
    def scope_path(self) -> str:
        return self.jurisdiction.path
