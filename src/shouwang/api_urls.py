"""One router for the whole API; every app registers its viewsets in its api/urls.py."""

from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from shouwang.core.api.urls import register as register_core

router = DefaultRouter()
register_core(router)

urlpatterns = [
    path("token/", obtain_auth_token, name="api-token"),
    *router.urls,
]
