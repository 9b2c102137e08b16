from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.PolicyListView.as_view(), name="policy_list"),
    path("new/", views.policy_create, name="policy_create"),
    path("<int:pk>/", views.policy_detail, name="policy_detail"),
    path("<int:pk>/edit/", views.policy_edit, name="policy_edit"),
    path("versions/<int:pk>/", views.version_detail, name="policyversion_detail"),
    path("effective/", views.effective_home, name="effective_home"),
    path("effective/<int:node_pk>/", views.effective, name="effective"),
    path("assignments/new/", views.NodePolicyCreateView.as_view(), name="nodepolicy_create"),
    path("assignments/<int:pk>/delete/", views.NodePolicyDeleteView.as_view(), name="nodepolicy_delete"),
]
