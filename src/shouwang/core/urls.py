from django.urls import path

from .views import calendar, org, outlines, tree
from .views.base import crud_urls

app_name = "core"

urlpatterns = [
    path("tree/", tree.tree, name="jurisdiction_tree"),
    path("tree/<int:pk>/children/", tree.tree_children, name="jurisdiction_children"),
    *crud_urls("nodes", "jurisdiction", list=tree.JurisdictionListView, detail=tree.JurisdictionDetailView,
               create=tree.JurisdictionCreateView, edit=tree.JurisdictionUpdateView, delete=tree.JurisdictionDeleteView),
    path("nodes/outlines/import/", outlines.outline_import, name="outline_import"),
    path("nodes/<int:pk>/move/", tree.move, name="jurisdiction_move"),
    path("nodes/<int:pk>/directory/", tree.directory, name="directory"),
    *crud_urls("units", "unit", list=org.UnitListView, detail=org.UnitDetailView, create=org.UnitCreateView,
               edit=org.UnitUpdateView, delete=org.UnitDeleteView),
    *crud_urls("people", "person", list=org.PersonListView, detail=org.PersonDetailView, create=org.PersonCreateView,
               edit=org.PersonUpdateView, delete=org.PersonDeleteView),
    path("people/<int:pk>/account/", org.create_account, name="person_account"),
    *crud_urls("groups", "group", list=org.GroupListView, detail=org.GroupDetailView, create=org.GroupCreateView,
               edit=org.GroupUpdateView, delete=org.GroupDeleteView),
    path("groups/<int:group_pk>/members/new/", org.MembershipCreateView.as_view(), name="membership_create"),
    path("members/<int:pk>/delete/", org.MembershipDeleteView.as_view(), name="membership_delete"),
    *crud_urls("contacts", "contact", list=org.ContactListView, detail=org.ContactDetailView, create=org.ContactCreateView,
               edit=org.ContactUpdateView, delete=org.ContactDeleteView),
    *crud_urls("roles", "roleassignment", list=org.RoleAssignmentListView, detail=org.RoleAssignmentDetailView, create=org.RoleAssignmentCreateView,
               edit=org.RoleAssignmentUpdateView, delete=org.RoleAssignmentDeleteView),
    *crud_urls("holidays", "holiday", list=calendar.HolidayListView, detail=calendar.HolidayDetailView,
               create=calendar.HolidayCreateView, edit=calendar.HolidayUpdateView, delete=calendar.HolidayDeleteView),
    path("changes/", tree.ChangeLogListView.as_view(), name="changelog_list"),
]
