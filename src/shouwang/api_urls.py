"""One router for the whole API; every app registers its viewsets in its api/urls.py."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from shouwang.audit.api import urls as audit_api
from shouwang.briefings.api import urls as briefings_api
from shouwang.core.api import urls as core_api
from shouwang.core.api.views import TokenView
from shouwang.duty.api import urls as duty_api
from shouwang.incidents.api import urls as incidents_api
from shouwang.inspections.api import urls as inspections_api
from shouwang.obligations.api import urls as obligations_api
from shouwang.patrols.api import urls as patrols_api
from shouwang.plans.api import urls as plans_api
from shouwang.policies.api import urls as policies_api
from shouwang.registers.api import urls as registers_api
from shouwang.resources.api import urls as resources_api

router = DefaultRouter()
for app_api in (core_api, policies_api, obligations_api, registers_api, patrols_api, inspections_api, incidents_api, briefings_api, audit_api):
    app_api.register(router)
resources_api.register(router)
plans_api.register(router)
duty_api.register(router)

urlpatterns = [
    path("token/", TokenView.as_view(), name="api-token"),
    *router.urls,
]
