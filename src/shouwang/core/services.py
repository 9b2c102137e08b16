"""Writes with side effects on the organisation: tree moves and node creation."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from . import changelog
from .choices import ChangeAction
from .models import Jurisdiction, Person, RoleAssignment
from .scope import can_at


@transaction.atomic
def create_node(*, parent: Jurisdiction | None, **fields) -> Jurisdiction:
    if parent is None:
        return Jurisdiction.objects.add_root(create_kwargs=fields)
    parent = Jurisdiction.objects.select_for_update().get(pk=parent.pk)
    parent.check_child_level(fields["level"])
    return Jurisdiction.objects.add_child(parent, create_kwargs=fields)


@transaction.atomic
def move_node(node: Jurisdiction, new_parent: Jurisdiction) -> Jurisdiction:
    """Move `node` (and its subtree) under `new_parent`; refuse anything that breaks the tree."""
    node = Jurisdiction.objects.select_for_update().get(pk=node.pk)
    new_parent = Jurisdiction.objects.get(pk=new_parent.pk)
    if new_parent.pk == node.pk or new_parent.path.startswith(node.path):
        raise ValidationError(
            {"parent": _("%(node)s cannot move under %(parent)s: that would put it inside itself.")
             % {"node": node.name, "parent": new_parent.name}}
        )
    # The node keeps its level, so its subtree still fits once the node fits its new parent.
    new_parent.check_child_level(node.level)
    before = changelog.snapshot(node)
    # treebeard rewrites the subtree's paths with bulk updates (no signals): log the move here.
    Jurisdiction.objects.move(node, new_parent, pos="sorted-child")
    node.refresh_from_db()
    changelog.record(node, ChangeAction.UPDATE, before, changelog.snapshot(node))
    return node


def rolled_up_counts(nodes, querysets: dict) -> dict:
    """{node.pk: {name: count in node's subtree}} with one grouped query per queryset."""
    result = {node.pk: dict.fromkeys(querysets, 0) for node in nodes}
    for name, qs in querysets.items():
        lookup = qs.model.scope_path_lookup
        rows = qs.order_by().values(lookup).annotate(n=Count("pk"))
        for row in rows:
            path = row[lookup] or ""
            for node in nodes:
                if path.startswith(node.path):
                    result[node.pk][name] += row["n"]
    return result


@transaction.atomic
def create_account(*, person, username, password, role, node, granted_by):
    """Give a person a login holding `role` on `node`; the grantor must hold access rights there."""


    if not can_at(granted_by, "access", "add", node.path):
        raise PermissionDenied(_("You may not grant roles on this node."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.user_id:
        raise ValidationError(_("%(person)s already has a login.") % {"person": person.name})
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This user name is taken.")})
    name = person.name
    user = User.objects.create_user(username=username, password=password, first_name=name, email=person.email)
    person.user = user
    person.save(update_fields=["user", "updated_at"])
    RoleAssignment.objects.create(user=user, role=role, jurisdiction=node)
    return user


@transaction.atomic
def set_outlines(user, outlines):
    """Give nodes their outlines: `outlines` is [(node, polygon), ...] (polygons from core.geo).
    Each node is re-read locked and re-checked against the user's scope; a node whose outline is
    already that polygon is left alone, so applying the same file twice changes nothing twice.
    Every change goes to the change log. Returns (set, unchanged)."""
    changed = unchanged = 0
    for node, polygon in outlines:
        node = Jurisdiction.objects.select_for_update().get(pk=node.pk)
        if not can_at(user, "org", "change", node.path):
            raise PermissionDenied(_("You may not change the outline of %(node)s.") % {"node": node.name})
        if node.boundary == polygon:
            unchanged += 1
            continue
        node.boundary = polygon
        node.save(update_fields=["boundary", "updated_at"])
        changed += 1
    return changed, unchanged
