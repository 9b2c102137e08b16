"""A wall screen (大屏): a read-only account for the command centre's screen. The screen opens a
node's wall through a secret link, once, and stays logged in (no login timeout); the office
revokes it (the account is switched off, the link dies) or makes a new link."""

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import ScopedModel


def new_token():
    return secrets.token_urlsafe(24)


class WallScreen(ScopedModel):
    permission_area = "briefings"
    changelog_exclude = ("token",)

    name = models.CharField(_("name"), max_length=60, help_text=_("Where the screen hangs, e.g. the command centre."))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="wall_screen",
                                verbose_name=_("account"))
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    refresh_seconds = models.PositiveSmallIntegerField(_("refresh every (seconds)"), default=60)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("made by"))

    class Meta:
        verbose_name = _("wall screen")
        verbose_name_plural = _("wall screens")
        ordering = ["jurisdiction", "name", "pk"]

    def __str__(self):
        return f"{self.name} · {self.jurisdiction.name}"

    def get_absolute_url(self):
        return reverse("briefings:wallscreen_detail", args=[self.pk])

    @property
    def active(self) -> bool:
        return self.revoked_at is None
