"""Policies as versioned data: presets ship with the product, offices assign and edit them.

A version is never changed once saved (running clocks point at it); editing a policy makes a
new version. A node uses the policies assigned to it and, section by section, inherits the
rest from its ancestors.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shouwang.core.models import ScopedModel
from shouwang.core.scope import ScopedQuerySet, scope_paths


class PolicyQuerySet(ScopedQuerySet):
    owner_lookup = "jurisdiction"

    def restrict(self, user, action="view"):
        # Shipped presets (no owner node) are readable by anyone who may read policies.
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        paths = scope_paths(user, "policies", action)
        condition = Q(pk__in=[])
        if paths and action == "view":
            condition |= Q(**{f"{self.owner_lookup}__isnull": True})
        for path in paths:
            condition |= Q(**{f"{self.owner_lookup}__path__startswith": path})
        return self.filter(condition)


class PolicyVersionQuerySet(PolicyQuerySet):
    owner_lookup = "policy__jurisdiction"


class Policy(models.Model):
    permission_area = "policies"
    scope_path_lookup = "jurisdiction__path"

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    jurisdiction = models.ForeignKey(
        "core.Jurisdiction", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("owner node"), help_text=_("Empty for the presets shipped with the product."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def scope_path(self):
        return self.jurisdiction.path if self.jurisdiction_id else ""

    @property
    def is_preset(self) -> bool:
        return self.jurisdiction_id is None

    def get_absolute_url(self):
        return reverse("policies:policy_detail", args=[self.pk])

    def current_version(self, at=None):
        at = at or timezone.now()
        return self.versions.filter(effective_from__lte=at).order_by("-number").first()


class PolicyVersion(models.Model):
    permission_area = "policies"
    scope_path_lookup = "policy__jurisdiction__path"

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="versions", verbose_name=_("policy"))
    number = models.PositiveIntegerField(_("version"))
    rules = models.JSONField(_("rules"))
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    effective_from = models.DateTimeField(_("effective from"), default=timezone.now)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("created by"),
    )

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy", "-number"]
        constraints = [models.UniqueConstraint(fields=["policy", "number"], name="policy_version_unique_number")]

    def __str__(self):
        return f"{self.policy} v{self.number}"

    @property
    def scope_path(self):
        return self.policy.scope_path

    @property
    def scope_node_id(self):
        return self.policy.jurisdiction_id

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionDenied("A policy version is never changed; save a new version instead.")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("policies:policyversion_detail", args=[self.pk])


class NodePolicy(ScopedModel):
    """A policy a node uses. Sections it defines override those inherited from above."""

    permission_area = "policies"

    policy = models.ForeignKey(Policy, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("policy"))
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=1, help_text=_("When two policies of one node set the same section, the higher number wins."),
    )

    class Meta:
        verbose_name = _("node policy")
        verbose_name_plural = _("node policies")
        ordering = ["jurisdiction", "priority", "pk"]
        constraints = [models.UniqueConstraint(fields=["jurisdiction", "policy"], name="node_policy_unique")]

    def __str__(self):
        return f"{self.jurisdiction} · {self.policy}"

    def get_absolute_url(self):
        return reverse("policies:effective", args=[self.jurisdiction_id])

    def clean(self):

        policy = getattr(self, "policy", None) if self.policy_id else None
        node = getattr(self, "jurisdiction", None) if self.jurisdiction_id else None
        if policy is not None and node is not None and policy.jurisdiction_id:
            if not node.path.startswith(policy.jurisdiction.path):
                raise ValidationError({"policy": _("A policy of %(owner)s can only be used on %(owner)s and below.")
                                       % {"owner": policy.jurisdiction}})
