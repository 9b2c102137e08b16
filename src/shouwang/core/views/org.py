"""Pages for the organisation: units, people, groups and their members, contacts, roles."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
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
from .base import (
    ObjectCreateView,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectListView,
    ObjectUpdateView,
)


class UnitPages:
    model = Unit
    url_base = "core:unit"
    form_class = UnitForm
    select_related = ["jurisdiction", "responsible_person", "liaison"]


class UnitListView(UnitPages, ObjectListView):
    filterset_class = UnitFilterSet
    columns = ["name", "kind", "jurisdiction", "responsible_person", "liaison", "phone"]


class UnitDetailView(UnitPages, ObjectDetailView):
    fields = ["name", "kind", "jurisdiction", "address", "lat", "lon", "phone", "responsible_person", "liaison"]


class UnitCreateView(UnitPages, ObjectCreateView):
    pass


class UnitUpdateView(UnitPages, ObjectUpdateView):
    pass


class UnitDeleteView(UnitPages, ObjectDeleteView):
    pass


class PersonPages:
    model = Person
    url_base = "core:person"
    form_class = PersonForm
    select_related = ["jurisdiction", "unit"]


class PersonListView(PersonPages, ObjectListView):
    filterset_class = PersonFilterSet
    columns = ["name", "kind", "title", "unit", "jurisdiction", "phone"]


class PersonDetailView(PersonPages, ObjectDetailView):
    template_name = "core/person_detail.html"
    fields = ["name", "kind", "title", "unit", "jurisdiction", "phone", "email", "active", "user"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        person = self.object
        ctx["roles"] = RoleAssignment.objects.filter(user_id=person.user_id).select_related("jurisdiction") if person.user_id else []
        ctx["can_grant"] = person.user_id is None and can(self.request.user, "access", "add")
        return ctx


class PersonCreateView(PersonPages, ObjectCreateView):
    pass


class PersonUpdateView(PersonPages, ObjectUpdateView):
    pass


class PersonDeleteView(PersonPages, ObjectDeleteView):
    pass


class GroupPages:
    model = Group
    url_base = "core:group"
    form_class = GroupForm
    select_related = ["jurisdiction"]


class GroupListView(GroupPages, ObjectListView):
    filterset_class = GroupFilterSet
    columns = ["name", "kind", "working_kind", "jurisdiction"]


class GroupDetailView(GroupPages, ObjectDetailView):
    template_name = "core/group_detail.html"
    fields = ["name", "kind", "working_kind", "jurisdiction", "duties"]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["members"] = self.object.memberships.select_related("person", "person__unit")
        return ctx


class GroupCreateView(GroupPages, ObjectCreateView):
    pass


class GroupUpdateView(GroupPages, ObjectUpdateView):
    pass


class GroupDeleteView(GroupPages, ObjectDeleteView):
    pass


class ContactPages:
    model = Contact
    url_base = "core:contact"
    form_class = ContactForm
    select_related = ["jurisdiction", "person"]


class ContactListView(ContactPages, ObjectListView):
    filterset_class = ContactFilterSet
    columns = ["call_order", "label", "person", "name", "phone", "hours", "jurisdiction"]


class ContactDetailView(ContactPages, ObjectDetailView):
    fields = ["label", "person", "name", "phone", "call_order", "hours", "notes", "jurisdiction"]


class ContactCreateView(ContactPages, ObjectCreateView):
    pass


class ContactUpdateView(ContactPages, ObjectUpdateView):
    pass


class ContactDeleteView(ContactPages, ObjectDeleteView):
    pass


class RoleAssignmentPages:
    model = RoleAssignment
    url_base = "core:roleassignment"
    form_class = RoleAssignmentForm
    select_related = ["jurisdiction", "user"]


class RoleAssignmentListView(RoleAssignmentPages, ObjectListView):
    filterset_class = RoleAssignmentFilterSet
    columns = ["user", "role", "jurisdiction"]


class RoleAssignmentDetailView(RoleAssignmentPages, ObjectDetailView):
    fields = ["user", "role", "jurisdiction"]


class RoleAssignmentCreateView(RoleAssignmentPages, ObjectCreateView):
    pass


class RoleAssignmentUpdateView(RoleAssignmentPages, ObjectUpdateView):
    pass


class RoleAssignmentDeleteView(RoleAssignmentPages, ObjectDeleteView):
    pass


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
        group_url = self.object.group.get_absolute_url()
        self.object.delete()
        return HttpResponseRedirect(group_url)


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
