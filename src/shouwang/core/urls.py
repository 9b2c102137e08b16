from django.urls import path

from .views import org, tree
from .views.base import crud_urls

app_name = "core"

urlpatterns = [
    path("tree/", tree.tree, name="jurisdiction_tree"),
    path("tree/<int:pk>/children/", tree.tree_children, name="jurisdiction_children"),
    *crud_urls("nodes", "jurisdiction", tree.JurisdictionListView, tree.JurisdictionDetailView,
               tree.JurisdictionCreateView, tree.JurisdictionUpdateView, tree.JurisdictionDeleteView),
    path("nodes/<int:pk>/move/", tree.move, name="jurisdiction_move"),
    path("nodes/<int:pk>/directory/", tree.directory, name="directory"),
    *crud_urls("units", "unit", *org.UNIT_VIEWS),
    *crud_urls("people", "person", *org.PERSON_VIEWS),
    path("people/<int:pk>/account/", org.create_account, name="person_account"),
    *crud_urls("groups", "group", *org.GROUP_VIEWS),
    path("groups/<int:group_pk>/members/new/", org.MembershipCreateView.as_view(), name="membership_create"),
    path("members/<int:pk>/delete/", org.MembershipDeleteView.as_view(), name="membership_delete"),
    *crud_urls("contacts", "contact", *org.CONTACT_VIEWS),
    *crud_urls("roles", "roleassignment", *org.ROLE_VIEWS),
    path("changes/", tree.ChangeLogListView.as_view(), name="changelog_list"),
]
