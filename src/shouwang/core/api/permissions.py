from rest_framework import permissions

from ..scope import can, can_at

_ACTIONS = {"GET": "view", "HEAD": "view", "OPTIONS": "view", "POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class RolePermission(permissions.BasePermission):
    """Role rights from the permission table; object rights at the object's node."""

    message = "You do not have the role needed for this."

    def _area(self, view):
        model = getattr(getattr(view, "queryset", None), "model", None) or getattr(view, "scope_model", None)
        return getattr(view, "permission_area", None) or getattr(model, "permission_area", None)

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        area = self._area(view)
        if area is None:
            return True
        action = getattr(view, "required_action", None) or _ACTIONS.get(request.method, "view")
        if action != "add" and view.kwargs.get(getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk")):
            # On one record: find it in scope first (404 outside), then check the action there.
            action = "view"
        return can(request.user, area, action)

    def has_object_permission(self, request, view, obj):
        area = self._area(view)
        if area is None:
            return True
        action = getattr(view, "required_action", None) or _ACTIONS.get(request.method, "view")
        if action == "view" and holds_duty(request.user, obj):
            return True  # the queryset let him see it through his duty (core.scope)
        return can_at(request.user, area, action, obj.scope_path)


def holds_duty(user, obj) -> bool:
    """Whether `user` has a duty on `obj` (a lookup of its model's `duty_lookups` leads to him)."""
    model = type(obj)
    return any(model._base_manager.filter(pk=obj.pk, **{lookup: user}).exists()
               for lookup in getattr(model, "duty_lookups", ()))
