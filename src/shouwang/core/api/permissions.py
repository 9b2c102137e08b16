"""The API's rights, checked before any payload is read: the verb somewhere in the user's
roles (else 403), the record in scope (else 404), the verb at the record's node (else 403)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from ..scope import can, can_at, refusal

_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


def verb_of(view, request) -> str:
    """The right a request needs: `view` to read; for writes the view's `action_rights` for its
    action (custom actions default to `change`), else the method's."""
    if request.method in permissions.SAFE_METHODS:
        return "view"
    action = getattr(view, "action", None)
    rights = getattr(view, "action_rights", {})
    if action in rights:
        return rights[action]
    if action not in (None, "create", "update", "partial_update", "destroy"):
        return "change"
    return _ACTIONS.get(request.method, "change")


def _duty_may_act(view) -> bool:
    """Actions a duty holder may take on his own record without the role's verb (a responder
    marks his arrival, a person completes his task)."""
    return getattr(view, "action", None) in getattr(view, "duty_actions", ())


class RolePermission(permissions.BasePermission):
    message = _("Your role does not allow this.")

    def _area(self, view):
        model = getattr(getattr(view, "queryset", None), "model", None) or getattr(view, "scope_model", None)
        return getattr(view, "permission_area", None) or getattr(model, "permission_area", None)

    def has_permission(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return False
        area = self._area(view)
        if area is None or (getattr(view, "action_map", None) is not None and view.action is None):
            return True  # no area, or a method the view lacks: its 405 says more than a 403
        verb = verb_of(view, request)
        on_record = view.kwargs.get(getattr(view, "lookup_url_kwarg", None) or getattr(view, "lookup_field", "pk"))
        if on_record and not can(request.user, area, "view"):
            return False
        return (on_record and _duty_may_act(view)) or can(request.user, area, verb)

    def has_object_permission(self, request, view, obj):
        area = self._area(view)
        if area is None:
            return True
        verb = verb_of(view, request)
        if verb == "view":
            return True  # found in the view's queryset, which is his scope (and his duties)
        if _duty_may_act(view) and holds_duty(request.user, obj):
            return True
        if can_at(request.user, area, verb, obj.scope_path):
            return True
        self.message = refusal(request.user, area, obj.scope_path)
        return False


def holds_duty(user, obj) -> bool:
    """Whether `user` has a duty on `obj` (a lookup of its model's `duty_lookups` leads to him)."""
    model = type(obj)
    return any(model._base_manager.filter(pk=obj.pk, **{lookup: user}).exists()
               for lookup in getattr(model, "duty_lookups", ()))
