from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from ..choices import LEVEL_ORDER, NodeLevel
from ..scope import ScopedQuerySet


class JurisdictionQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    pass


class JurisdictionManager(MP_NodeManager):
    def get_queryset(self):
        return JurisdictionQuerySet(self.model, using=self._db).order_by("path")

    def restrict(self, user, action="view"):
        return self.get_queryset().restrict(user, action)


class Jurisdiction(MP_Node):
    """A node of the tree: district > street > community > area > grid."""

    permission_area = "org"
    scope_path_lookup = "path"
    changelog_exclude = ("numchild",)
    node_order_by = ["code"]
    steplen = 4

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=NodeLevel.choices)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=9, decimal_places=3, null=True, blank=True)
    resident_population = models.PositiveIntegerField(_("resident population"), null=True, blank=True)
    actual_population = models.PositiveIntegerField(_("actual population"), null=True, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    boundary = models.JSONField(_("boundary (GeoJSON polygon)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = JurisdictionManager()

    class Meta:
        verbose_name = _("node")
        verbose_name_plural = _("nodes")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("core:jurisdiction_detail", args=[self.pk])

    @property
    def scope_path(self) -> str:
        return self.path

    @property
    def jurisdiction(self):
        return self

    def check_child_level(self, level: str):
        """A child sits strictly below its parent (levels may be skipped)."""
        if LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(self.level):
            raise ValidationError(
                {"level": _("A %(child)s cannot sit under a %(parent)s.")
                 % {"child": NodeLevel(level).label, "parent": NodeLevel(self.level).label}}
            )

    # treebeard 7 moves tree reads to the manager; these keep call sites short.
    def parent_node(self):
        return type(self).objects.get_parent(self)

    def children(self):
        return type(self).objects.get_children(self)

    def ancestors(self):
        return type(self).objects.get_ancestors(self)

    def descendants(self, include_self=False):
        return type(self).objects.get_descendants(self, include_self=include_self)

    def changelog_snapshot_extra(self):
        parent = self.parent_node()
        return {"parent": parent.code if parent else None}


def street_of(node):
    """The street a node belongs to (itself if it is one; the top node if there is none)."""
    if node.level == NodeLevel.STREET:
        return node
    chain = list(node.ancestors())
    for ancestor in reversed(chain):
        if ancestor.level == NodeLevel.STREET:
            return ancestor
    return node
