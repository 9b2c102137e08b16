"""Pages for the organisation: units, people, groups and their members, contacts, roles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import services
from ..filtersets import (
    ContactFilterSet,
    GroupFilterSet,
    PersonFilterSet,
    RoleAssignmentFilterSet,
    UnitFilterSet,
)
from ..forms import (
    AccountForm,
    ContactForm,
    GroupForm,
    MembershipForm,
    PersonForm,
    RoleAssignmentForm,
    UnitForm,
)
from ..models import Contact, Group, Membership, Person, RoleAssignment, Unit
from ..scope import can, can_at
from .base import ObjectCreateView, ObjectDeleteView, crud

UNIT_VIEWS = crud(
    Unit, UnitForm, UnitFilterSet,
    ["name", "kind", "jurisdiction", "responsible_person", "liaison", "phone"],
    ["name", "kind", "jurisdiction", "address", "lat", "lon", "phone", "responsible_person", "liaison"],
    "core:unit", related=["jurisdiction", "responsible_person", "liaison"],
)
PERSON_VIEWS = crud(
    Person, PersonForm, PersonFilterSet,
    ["name", "kind", "title", "unit", "jurisdiction", "phone"],
    ["name", "kind", "title", "unit", "jurisdiction", "phone", "email", "active", "user"],
    "core:person", related=["jurisdiction", "unit"],
)
GROUP_VIEWS = list(crud(
    Group, GroupForm, GroupFilterSet,
    ["name", "kind", "working_kind", "jurisdiction"],
    ["name", "kind", "working_kind", "jurisdiction", "duties"],
    "core:group", related=["jurisdiction"],
))
CONTACT_VIEWS = crud(
    Contact, ContactForm, ContactFilterSet,
    ["call_order", "label", "person", "name", "phone", "hours", "jurisdiction"],
    ["label", "person", "name", "phone", "call_order", "hours", "notes", "jurisdiction"],
    "core:contact", related=["jurisdiction", "person"],
)
ROLE_VIEWS = crud(
    RoleAssignment, RoleAssignmentForm, RoleAssignmentFilterSet,
    ["user", "role", "jurisdiction"],
    ["user", "role", "jurisdiction"],
    "core:roleassignment", related=["jurisdiction", "user"],
)


class GroupDetailView(GROUP_VIEWS[1]):
    template_name = "core/group_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["members"] = self.object.memberships.select_related("person", "person__unit")
        return ctx


GROUP_VIEWS[1] = GroupDetailView


class MembershipCreateView(ObjectCreateView):
    model = Membership
    form_class = MembershipForm
    url_base = "core:group"

    def dispatch(self, request, *args, **kwargs):
        self.group = get_object_or_404(Group.objects.restrict(request.user, "view"), pk=kwargs["group_pk"])
        if not can_at(request.user, "org", "change", self.group.scope_path):
            raise PermissionDenied(_("You may not change this group."))
        return super().dispatch(request, *args, **kwargs)

    def save_form(self, form):
        form.instance.group = self.group
        return form.save()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["form_title"] = _("Add a member to %(group)s") % {"group": self.group}
        return ctx


class MembershipDeleteView(ObjectDeleteView):
    model = Membership
    url_base = "core:group"

    def get_success_url(self):
        return self.object.group.get_absolute_url()

    def form_valid(self, form):
        from django.http import HttpResponseRedirect

        group_url = self.object.group.get_absolute_url()
        self.object.delete()
        return HttpResponseRedirect(group_url)


class PersonDetailView(PERSON_VIEWS[1]):
    template_name = "core/person_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        person = self.object
        ctx["roles"] = RoleAssignment.objects.filter(user_id=person.user_id).select_related("jurisdiction") if person.user_id else []
        ctx["can_grant"] = person.user_id is None and can(self.request.user, "access", "add")
        return ctx


PERSON_VIEWS = (PERSON_VIEWS[0], PersonDetailView, *PERSON_VIEWS[2:])


@login_required
def create_account(request, pk):
    """Give a person a login and a first role (leaders, within their own scope)."""
    person = get_object_or_404(Person.objects.restrict(request.user, "view"), pk=pk)
    if not can(request.user, "access", "add"):
        raise PermissionDenied(_("You may not create logins."))
    form = AccountForm(request.POST or None, user=request.user, initial={"jurisdiction": person.jurisdiction_id})
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            services.create_account(person=person, granted_by=request.user, username=data["username"],
                                    password=data["password"], role=data["role"], node=data["jurisdiction"])
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
        except PermissionDenied as exc:
            form.add_error("jurisdiction", str(exc))
        else:
            messages.success(request, _("Login created."))
            return redirect(person.get_absolute_url())
    return render(request, "core/account_form.html", {"form": form, "person": person})
