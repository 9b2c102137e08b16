"""Jurisdiction scope: every list and every write is limited to the user's subtrees.

Scope lives in the queryset (`restrict(user, action)`), so the base page views and
API viewsets apply it once and no view can forget it.
"""

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from .permissions import role_allows


# core's models build on ScopedQuerySet from this module, so the two it reads come from the
# app registry when first used, not by import.
def _model(name):
    return apps.get_model("core", name)


def _assignments(user):
    cached = getattr(user, "_shouwang_roles", None)
    if cached is None:
        cached = list(
            _model("RoleAssignment").objects.filter(user_id=user.pk).values_list("role", "jurisdiction__path")
        )
        user._shouwang_roles = cached
    return cached


def roles_of(user) -> set[str]:
    """The roles the user holds anywhere (a superuser counts as a leader)."""
    if not user or not user.is_authenticated:
        return set()
    roles = {role for role, _path in _assignments(user)}
    return roles | {"leader"} if user.is_superuser else roles


def forget_roles(user):
    user.__dict__.pop("_shouwang_roles", None)


def scope_paths(user, area: str, action: str) -> list[str]:
    """Tree paths of the subtrees where `user` may do `action` in `area` (minimal set)."""
    paths = sorted({path for role, path in _assignments(user) if role_allows(role, area, action)})
    minimal: list[str] = []
    for path in paths:
        if not any(path.startswith(top) for top in minimal):
            minimal.append(path)
    return minimal


def can(user, area: str, action: str) -> bool:
    """Whether the user may do `action` in `area` anywhere at all."""
    if not user or not user.is_authenticated:
        return False
    return user.is_superuser or bool(scope_paths(user, area, action))


def can_at(user, area: str, action: str, path: str) -> bool:
    """Whether the user may do `action` in `area` on the node with tree path `path`."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(path.startswith(top) for top in scope_paths(user, area, action))


def refusal(user, area: str, path: str) -> str:
    """Why `user` may not do something at the node with `path`: his role does not allow it
    there (he sees the node), or the node is outside his jurisdiction. The message names the node."""
    node = _model("Jurisdiction").objects.filter(path=path).values_list("name", flat=True).first() or ""
    if can_at(user, area, "view", path):
        return _("Your role does not allow this at %(node)s.") % {"node": node}
    return _("%(node)s is outside your jurisdiction.") % {"node": node}


class ScopedQuerySet(models.QuerySet):
    def restrict(self, user, action: str = "view"):
        """Rows on the user's subtrees where his roles allow `action`; for viewing, also the rows
        on which he has a duty (`duty_lookups` of the model: a responder called to an incident in
        another community sees that incident and nothing else of that community)."""
        if user is None or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        paths = scope_paths(user, self.model.permission_area, action)
        lookup = f"{self.model.scope_path_lookup}__startswith"
        condition = Q()
        for path in paths:
            condition |= Q(**{lookup: path})
        duties = getattr(self.model, "duty_lookups", ()) if action == "view" else ()
        for duty in duties:
            # a subquery, not a join: a duty on several rows of a relation adds no duplicates
            condition |= Q(pk__in=self.model._base_manager.filter(**{duty: user}).values("pk"))
        if not paths and not duties:
            return self.none()
        return self.filter(condition)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)


def nodes_where(user, area: str, action: str):
    """The jurisdiction nodes on which `user` may do `action` in `area`."""

    if user is None or not user.is_authenticated:
        return _model("Jurisdiction").objects.none()
    if user.is_superuser:
        return _model("Jurisdiction").objects.all()
    paths = scope_paths(user, area, action)
    if not paths:
        return _model("Jurisdiction").objects.none()
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return _model("Jurisdiction").objects.filter(condition)
